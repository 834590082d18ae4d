/** The alignment by date (`#/alignment?on=…&territory=…&zip=…&kind=…`): pick a day, past or
 * future, and see which territory each ZIP and each account override belongs to then, since when,
 * until when, and which realignment cycle put it there; below, the published changes still to
 * come, soonest first, with their cycle and override reason. Ops and admin see every territory,
 * the field their own (the server applies the scope). The server's field errors (`on`, `zip`,
 * `territory`, `kind`) are shown on their field. */
import { useEffect, useState } from 'preact/hooks';
import type { AlignedOn, ScheduledChange } from '../../api/types';
import { useApp } from '../../context';
import { usePaged } from '../../hooks';
import {
  alignmentHref,
  asOfErrors,
  KIND_LABELS,
  keyLabel,
  moveLabel,
  parseAsOf,
  periodLabel,
  type AsOfQuery,
} from '../../lib/alignment';
import { canRunRealignment, todayIso } from '../../lib/realignment';
import { realignmentHref } from '../../lib/router';
import { TerritorySelect } from '../../components/bits';
import { ListFooter } from '../../components/ListFooter';
import { fieldErrorsOf, FieldError, OtherErrors } from '../oversight/common';

const SHOWN_ON_FIELDS = ['on', 'territory', 'zip', 'kind'];

export function AlignmentAsOf({ query }: { query: string }) {
  const today = todayIso();
  const [draft, setDraft] = useState<AsOfQuery>(() => parseAsOf(query, today));
  const [asked, setAsked] = useState<AsOfQuery>(draft);
  const [local, setLocal] = useState<Record<string, string>>({});
  const href = alignmentHref(asked);
  useEffect(() => {
    if (location.hash !== href) history.replaceState(null, '', href);
  }, [href]);

  const ask = (e: Event) => {
    e.preventDefault();
    const errors = asOfErrors(draft);
    setLocal(errors);
    if (Object.keys(errors).length === 0) setAsked({ ...draft });
  };
  const set = (patch: Partial<AsOfQuery>) => setDraft((d) => ({ ...d, ...patch }));

  return (
    <>
      <AsOfList asked={asked} draft={draft} set={set} ask={ask} local={local} />
      <Scheduled />
    </>
  );
}

function AsOfList({
  asked,
  draft,
  set,
  ask,
  local,
}: {
  asked: AsOfQuery;
  draft: AsOfQuery;
  set: (patch: Partial<AsOfQuery>) => void;
  ask: (e: Event) => void;
  local: Record<string, string>;
}) {
  const { api, me } = useApp();
  const key = alignmentHref(asked);
  const paged = usePaged<AlignedOn & { id: string }>(
    (cursor) => api.alignmentAsOf(asked, cursor, 50),
    key,
  );
  const server = fieldErrorsOf(paged.error);
  const fe = { ...server, ...local };
  const fieldFailed = Object.keys(server).length > 0;
  return (
    <section class="card section" data-testid="alignment-as-of">
      <h2>Alignment on {asked.on}</h2>
      <p class="muted small">
        Which territory each ZIP (with its HCPs and accounts) and each account override belongs to
        on the day, since when, until when, and the realignment cycle that put it there. Any day,
        past or future: published cycles are in force from their effective date.
      </p>
      <form class="asof-form filter-grid" onSubmit={ask} noValidate data-testid="asof-form">
        <label>
          Date
          <input
            type="date"
            value={draft.on}
            onInput={(e) => set({ on: e.currentTarget.value })}
            aria-invalid={fe.on ? true : undefined}
            aria-describedby="asof-on-error"
            data-testid="asof-date"
          />
          <FieldError id="asof-on-error" message={fe.on} testid="asof-error-on" />
        </label>
        <div>
          <TerritorySelect
            territories={me.territories ?? []}
            value={draft.territory}
            onChange={(territory) => set({ territory })}
            testid="asof-territory"
          />
          <FieldError
            id="asof-territory-error"
            message={fe.territory}
            testid="asof-error-territory"
          />
        </div>
        <label>
          ZIP
          <input
            value={draft.zip}
            placeholder="Any ZIP, or its first digits"
            inputMode="numeric"
            onInput={(e) => set({ zip: e.currentTarget.value })}
            aria-invalid={fe.zip ? true : undefined}
            aria-describedby="asof-zip-error"
            data-testid="asof-zip"
          />
          <FieldError id="asof-zip-error" message={fe.zip} testid="asof-error-zip" />
        </label>
        <label>
          Show
          <select
            value={draft.kind}
            onChange={(e) => set({ kind: e.currentTarget.value as AsOfQuery['kind'] })}
            data-testid="asof-kind"
          >
            <option value="">ZIPs and account overrides</option>
            <option value="zip">ZIPs</option>
            <option value="account">Account overrides</option>
          </select>
          <FieldError id="asof-kind-error" message={fe.kind} testid="asof-error-kind" />
        </label>
        <button type="submit" class="btn btn-primary" data-testid="asof-submit">
          Show alignment
        </button>
        <OtherErrors errors={server} shown={SHOWN_ON_FIELDS} testid="asof-errors" />
      </form>
      <div class="table-wrap">
        <table
          class="table asof-table"
          data-testid="asof-table"
          data-on={asked.on}
          data-loaded-key={paged.loadedKey ?? undefined}
          aria-busy={paged.loading}
        >
          <thead>
            <tr>
              <th>ZIP or account</th>
              <th>Territory</th>
              <th>In force</th>
              <th>Put there by</th>
            </tr>
          </thead>
          <tbody>
            {paged.list.items.map((r) => (
              <tr
                key={r.id}
                data-testid="asof-row"
                data-kind={r.kind}
                data-key={r.key}
                data-territory={r.territory.code}
                data-since={r.since}
                data-cycle={r.cycle?.name ?? ''}
              >
                <td>
                  <span class="muted small">{KIND_LABELS[r.kind]}</span> {keyLabel(r)}
                </td>
                <td title={r.territory.name}>
                  {r.territory.code} · {r.territory.name}
                </td>
                <td>{periodLabel(r)}</td>
                <td>
                  {r.cycle ? (
                    canRunRealignment(me) ? (
                      <a href={realignmentHref(r.cycle.id)}>{r.cycle.name}</a>
                    ) : (
                      r.cycle.name
                    )
                  ) : (
                    <span class="muted">Initial alignment</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {fieldFailed ? null : <ListFooter paged={paged} noun="alignment rows" />}
    </section>
  );
}

function Scheduled() {
  const { api, me } = useApp();
  const paged = usePaged<ScheduledChange & { id: string }>(
    (cursor) => api.scheduledChanges(cursor, 50),
    'scheduled',
  );
  return (
    <section class="card section" data-testid="scheduled-changes">
      <h2>Scheduled changes</h2>
      <p class="muted small">
        Published moves that have not taken effect yet, soonest first
        {canRunRealignment(me) ? '' : ' (out of or into your territories)'}.
      </p>
      <div class="table-wrap">
        <table class="table scheduled-table" aria-busy={paged.loading}>
          <thead>
            <tr>
              <th>Effective</th>
              <th>ZIP or account</th>
              <th>Move</th>
              <th>Cycle</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            {paged.list.items.map((c) => (
              <tr
                key={c.id}
                data-testid="scheduled-row"
                data-key={c.key}
                data-from={c.from_territory?.code ?? ''}
                data-to={c.to_territory.code}
                data-effective={c.effective_from}
                data-cycle={c.cycle?.name ?? ''}
              >
                <td>{c.effective_from}</td>
                <td>
                  <span class="muted small">{KIND_LABELS[c.kind]}</span> {keyLabel(c)}
                </td>
                <td>{moveLabel(c)}</td>
                <td>{c.cycle?.name ?? <span class="muted">—</span>}</td>
                <td>{c.reason ?? <span class="muted">On time (no override)</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ListFooter paged={paged} noun="scheduled changes" />
    </section>
  );
}
