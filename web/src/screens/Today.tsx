import { useMemo, useState } from 'preact/hooks';
import { useOffline } from '../offline/context';
import { computePlan, computeProgress, cycleOf, planCycleKind } from '../offline/plan';
import { draftHref, hcpHref, newCallHref } from '../lib/router';
import { cityState, hcpName, shortDate } from '../lib/format';
import { ProgressWidget } from '../components/ProgressWidget';
import { NoticeList } from '../components/Notices';
import { RequestsSummary } from './proposals/DataRequests';
import { StorageNotice } from '../components/StorageNotice';
import { Loading, TierBadge } from '../components/bits';

const SHOW = 25;

export function SyncGate({ children }: { children: preact.ComponentChildren }) {
  const { sync, data } = useOffline();
  if (data) return <>{children}</>;
  if (sync.unsupported)
    return (
      <p class="notice" data-testid="sync-unsupported">
        This server does not offer offline sync yet. Use the <a href="#/hcps">HCP list</a> online.
      </p>
    );
  return (
    <div class="card section" data-testid="initial-sync">
      <h2>Getting your territory ready</h2>
      {sync.online ? (
        <Loading
          label={`Downloading your HCPs, accounts and calls for offline use… (${sync.pulledPages} pages)`}
        />
      ) : (
        <p class="notice">You are offline. Connect once to download your territory.</p>
      )}
      {sync.error && <p class="muted small">{sync.error}</p>}
    </div>
  );
}

export function Today() {
  const { data, calls } = useOffline();
  const [n, setN] = useState(SHOW);
  const now = new Date();
  // The plan cycle (month or quarter) of the frequency targets in force.
  const cycle = cycleOf(planCycleKind(data?.targets ?? []), now);
  const cycleLabel = cycle.label;
  const plan = useMemo(
    () => (data && calls ? computePlan(data.hcps, data.targets, calls.calls, now) : []),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `now` matters only through the plan cycle
    [data, calls, cycleLabel],
  );
  const progress = useMemo(
    () => (data && calls ? computeProgress(data.hcps, data.targets, calls.calls, now) : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `now` matters only through the plan cycle
    [data, calls, cycleLabel],
  );
  const drafts = calls?.drafts ?? [];
  return (
    <div class="screen" data-testid="today">
      <div class="screen-head">
        <h1>Today</h1>
        <span class="muted small">
          {now.toLocaleDateString(undefined, { weekday: 'long', month: 'short', day: 'numeric' })}
        </span>
      </div>
      <StorageNotice />
      <SyncGate>
        {data && <NoticeList notices={data.notices} />}
        {progress && <ProgressWidget p={progress} cycle={cycle} />}
        <RequestsSummary />
        {drafts.length > 0 && (
          <section class="card section" data-testid="drafts">
            <h2>Drafts</h2>
            <ul class="links">
              {drafts.map((d) => {
                const h = data?.byId.get(d.draft.hcp_ids[0] ?? '');
                return (
                  <li key={d.id} data-testid="draft">
                    <a href={draftHref(d.id)}>{h ? hcpName(h) : 'Call'}</a>
                    <div class="muted small">
                      {shortDate(d.draft.called_at)}
                      {d.from_mutation ? ' · rejected, fix and resend' : ' · draft'}
                    </div>
                  </li>
                );
              })}
            </ul>
          </section>
        )}
        <section data-testid="plan" data-count={plan.length}>
          <h2 class="plan-head">Call plan · {plan.length} due this cycle</h2>
          {plan.length === 0 && (
            <p class="muted empty">Nobody is due a call this cycle. Well done.</p>
          )}
          <ul class="cards">
            {plan.slice(0, n).map((it) => {
              const h = it.hcp;
              const aff = (h.affiliations ?? []).find((a) => a.primary) ?? h.affiliations?.[0];
              return (
                <li
                  class="card plan-item"
                  key={h.id}
                  data-testid="plan-item"
                  data-id={h.id}
                  data-tier={it.tier}
                >
                  <a class="row-link" href={hcpHref(h.id)}>
                    <div class="row-main">
                      <div class="row-title" data-testid="plan-name">
                        {hcpName(h)}
                      </div>
                      <div class="row-sub">{h.specialty_name}</div>
                      <div class="row-sub muted">
                        {aff ? aff.account_name : cityState(h.address)} ·{' '}
                        {it.lastCallAt
                          ? `last call ${shortDate(new Date(it.lastCallAt).toISOString())}`
                          : 'never called'}
                      </div>
                    </div>
                    <div class="row-badges">
                      <TierBadge tier={it.tier} />
                      <span class="badge" title="Calls done / target this cycle">
                        {it.done}/{it.target}
                      </span>
                    </div>
                  </a>
                  <a
                    class="btn btn-primary log-btn"
                    href={newCallHref(h.id)}
                    data-testid="log-call"
                  >
                    Log call
                  </a>
                </li>
              );
            })}
          </ul>
          {plan.length > n && (
            <button
              type="button"
              class="btn btn-block more"
              onClick={() => setN(n + SHOW)}
              data-testid="plan-more"
            >
              Show more ({plan.length - n})
            </button>
          )}
        </section>
      </SyncGate>
    </div>
  );
}
