/** Candidate duplicate pairs: open pairs most likely first (each a PairCard to merge or dismiss),
 * merged and dismissed ones by filter, and "Scan for duplicates" over the whole universe with what
 * the scan found. */
import { useEffect, useState } from 'preact/hooks';
import type { PairStatus } from '../../api/stewardship';
import type { Merge, ScanReport } from '../../api/types';
import { useApp } from '../../context';
import { useLoad } from '../../hooks';
import { plural } from '../../lib/oversight';
import { movedText, pickStatus, stewardshipHref } from '../../lib/stewardship';
import { Empty, ErrorBox, Loading } from '../../components/bits';
import { errorText } from '../oversight/common';
import { StatusFilter } from './common';
import { PairCard } from './PairCard';

const STATUSES = ['open', 'merged', 'dismissed'] as const;
const STATUS_LABELS: Record<PairStatus, string> = {
  open: 'Open',
  merged: 'Merged',
  dismissed: 'Not duplicates',
};

export function DuplicatesSection({ query }: { query: string }) {
  const { api } = useApp();
  const [status, setStatus] = useState<PairStatus>(() =>
    pickStatus(new URLSearchParams(query).get('status'), STATUSES),
  );
  const [gen, setGen] = useState(0);
  const [gone, setGone] = useState<Set<string>>(new Set());
  const [merged, setMerged] = useState<Merge | null>(null);
  const [dismissed, setDismissed] = useState<string | null>(null);

  useEffect(() => {
    const hash = stewardshipHref('duplicates', { status: status === 'open' ? null : status });
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }, [status]);

  const res = useLoad(
    () => api.duplicates(status).then((list) => ({ status, list })),
    [status, gen],
  );
  const list = res.state === 'ok' ? res.data.list.filter((p) => !gone.has(p.id)) : [];
  const pick = (s: PairStatus) => {
    setStatus(s);
    setGone(new Set());
    setMerged(null);
    setDismissed(null);
  };
  const drop = (id: string) => setGone((g) => new Set(g).add(id));

  return (
    <section
      data-testid="duplicates"
      data-loaded-status={res.state === 'ok' ? res.data.status : undefined}
    >
      <p class="muted small">
        Pairs of HCP records that may be the same person. The <strong>probability</strong> is the
        chance that they are, given how their fields agree; the <strong>score</strong> adds up each
        field's weight in bits (log₂ of how much likelier that agreement is between duplicates than
        between strangers; each bit doubles the odds). Merge the pair, keeping one record, or mark
        it not a duplicate.
      </p>
      <ScanPanel
        onScanned={() => {
          pick('open');
          setGen((g) => g + 1);
        }}
      />
      <StatusFilter
        value={status}
        options={STATUSES}
        labels={STATUS_LABELS}
        onPick={pick}
        testid="dup-filter"
        count={res.state === 'ok' ? plural(list.length, 'pair') : null}
      />
      {merged && (
        <p class="notice ok-notice" role="status" data-testid="dup-merged-notice">
          Merged {merged.merged.display_name} into {merged.survivor.display_name} (moved{' '}
          {movedText(merged.moved)}).{' '}
          <a href={stewardshipHref('merges')}>See it, or undo it, in Merges</a>.
        </p>
      )}
      {dismissed && (
        <p class="notice ok-notice" role="status" data-testid="dup-dismissed-notice">
          Marked {dismissed} as not a duplicate.
        </p>
      )}
      {res.state === 'loading' && <Loading />}
      {res.state === 'error' && <ErrorBox error={res.error} onRetry={() => setGen((g) => g + 1)} />}
      {res.state === 'ok' &&
        (list.length === 0 ? (
          <Empty>
            {status === 'open'
              ? 'No open duplicate pairs.'
              : `No ${STATUS_LABELS[status].toLowerCase()} pairs.`}
          </Empty>
        ) : (
          <ul class="cards one-col" data-testid="pair-list">
            {list.map((p) => (
              <PairCard
                key={p.id}
                pair={p}
                onMerged={(m) => {
                  setDismissed(null);
                  setMerged(m);
                  drop(p.id);
                }}
                onDismissed={() => {
                  setMerged(null);
                  setDismissed(`${p.a.display_name} and ${p.b.display_name}`);
                  drop(p.id);
                }}
              />
            ))}
          </ul>
        ))}
    </section>
  );
}

function ScanPanel({ onScanned }: { onScanned: () => void }) {
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ScanReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setReport(await api.scanDuplicates());
      onScanned();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="scan-panel">
      <button type="button" class="btn btn-small" onClick={run} disabled={busy} data-testid="scan">
        {busy ? 'Scanning…' : 'Scan for duplicates'}
      </button>
      {error && (
        <span class="field-error" role="alert">
          {error}
        </span>
      )}
      {report && (
        <ul class="screening-summary" data-testid="scan-report" data-new-pairs={report.new_pairs}>
          <li>
            {plural(report.candidate_pairs, 'candidate pair')} compared (records sharing a name,
            phone or ZIP key)
          </li>
          <li>
            {report.same_record} at or above the link threshold, {report.ask_steward} between review
            and link
          </li>
          <li class={report.new_pairs > 0 ? 'tone-review' : undefined} data-testid="scan-new">
            {plural(report.new_pairs, 'new pair')} added to the queue
          </li>
          {report.skipped_blocks > 0 && (
            <li class="tone-review">
              {plural(report.skipped_blocks, 'block')} too large to compare within (a very common
              name in one place)
            </li>
          )}
        </ul>
      )}
    </div>
  );
}
