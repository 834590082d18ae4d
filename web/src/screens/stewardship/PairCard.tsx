/** One candidate duplicate pair: the two records side by side, each field marked agrees / partly /
 * disagrees / missing with its weight in bits, the score; for an open pair, Merge (choose the
 * record that survives) or Not a duplicate (reason required). */
import { useState } from 'preact/hooks';
import type { DuplicatePair, Merge, PairSide } from '../../api/types';
import { useApp } from '../../context';
import { hcpHref } from '../../lib/router';
import { when } from '../../lib/oversight';
import {
  AGREEMENT_LABELS,
  defaultSurvivor,
  type Agreement,
  levelLabel,
  pairRows,
  signedBits,
} from '../../lib/stewardship';
import { errorText, fieldErrorsOf } from '../oversight/common';
import { ReasonBox, ScoreLine } from './common';

type Side = 'a' | 'b';
const SOURCES: Record<string, string> = {
  scan: 'found by a scan',
  creation: 'found when a record was created',
  import: 'found by an import',
};

export function PairCard({
  pair,
  onMerged,
  onDismissed,
}: {
  pair: DuplicatePair;
  onMerged: (m: Merge) => void;
  onDismissed: () => void;
}) {
  const [mode, setMode] = useState<'merge' | 'dismiss' | null>(null);
  const [survivor, setSurvivor] = useState<Side>(() => defaultSurvivor(pair.a, pair.b));
  const rows = pairRows(pair.a, pair.b, pair.score.fields, pair.score.npi_match);
  const head = (side: Side, s: PairSide) => (
    <th
      class={mode === 'merge' && survivor === side ? 'pair-col survivor' : 'pair-col'}
      data-testid={`pair-${side}`}
      data-id={s.id}
    >
      <a href={hcpHref(s.id)} data-testid="pair-name">
        {s.display_name}
      </a>
      {mode === 'merge' && (
        <div class="small">{survivor === side ? 'stays' : 'merged into the other'}</div>
      )}
    </th>
  );
  return (
    <li
      class={`card section pair pair-${pair.status}`}
      data-testid="pair"
      data-id={pair.id}
      data-status={pair.status}
      data-a={pair.a.id}
      data-b={pair.b.id}
    >
      <div class="exc-head">
        <ScoreLine score={pair.score} />
        <span class="muted small">
          {SOURCES[pair.source] ?? pair.source} {when(pair.found_at)}
        </span>
      </div>
      <div class="table-wrap">
        <table class="table pair-table">
          <thead>
            <tr>
              <th>Field</th>
              {head('a', pair.a)}
              {head('b', pair.b)}
              <th>Evidence</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={r.key}
                class={`agree-${r.agreement}`}
                data-testid="pair-row"
                data-field={r.key}
                data-agreement={r.agreement}
              >
                <th scope="row">{r.label}</th>
                {r.values && (
                  <>
                    <td rowSpan={r.span}>{r.values[0]}</td>
                    <td rowSpan={r.span}>{r.values[1]}</td>
                  </>
                )}
                <td class="evidence-cell" data-testid="pair-evidence">
                  {r.evidence ? (
                    <>
                      <span class={`badge ev ev-${r.agreement}`}>
                        {AGREEMENT_LABELS[r.agreement as Agreement]}
                      </span>{' '}
                      <span class="muted small">{levelLabel(r.evidence.level)}</span>{' '}
                      <strong
                        class="ev-weight"
                        data-testid="pair-weight"
                        data-weight={r.evidence.weight}
                      >
                        {signedBits(r.evidence.weight)} bits
                      </strong>
                    </>
                  ) : r.agreement === 'agrees' ? (
                    <span class="badge ev ev-agrees">same NPI</span>
                  ) : (
                    <span class="muted small">not weighed</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pair.status === 'open' ? (
        <>
          <div class="form-actions pair-actions">
            <button
              type="button"
              class={mode === 'dismiss' ? 'btn btn-small seg-on' : 'btn btn-small'}
              onClick={() => setMode(mode === 'dismiss' ? null : 'dismiss')}
              data-testid="pair-dismiss-open"
            >
              Not a duplicate…
            </button>
            <button
              type="button"
              class={mode === 'merge' ? 'btn btn-small seg-on' : 'btn btn-primary btn-small'}
              onClick={() => setMode(mode === 'merge' ? null : 'merge')}
              data-testid="pair-merge-open"
            >
              Merge…
            </button>
          </div>
          {mode === 'merge' && (
            <MergeForm
              pair={pair}
              survivor={survivor}
              setSurvivor={setSurvivor}
              onMerged={onMerged}
            />
          )}
          {mode === 'dismiss' && <DismissForm pair={pair} onDismissed={onDismissed} />}
        </>
      ) : (
        <p class="exc-closed" data-testid="pair-decision">
          {pair.status === 'merged' ? 'Merged' : 'Marked not a duplicate'} by{' '}
          <strong>{pair.decided_by}</strong> {when(pair.decided_at)}
          {pair.reason && <>: {pair.reason}</>}
        </p>
      )}
    </li>
  );
}

function MergeForm(p: {
  pair: DuplicatePair;
  survivor: Side;
  setSurvivor: (s: Side) => void;
  onMerged: (m: Merge) => void;
}) {
  const { api } = useApp();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reasonError, setReasonError] = useState<string | null>(null);
  const keep = p.survivor === 'a' ? p.pair.a : p.pair.b;
  const drop = p.survivor === 'a' ? p.pair.b : p.pair.a;
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setReasonError(null);
    try {
      p.onMerged(
        await api.merge({
          survivor_id: keep.id,
          merged_id: drop.id,
          pair_id: p.pair.id,
          reason: reason.trim() || null,
        }),
      );
    } catch (err) {
      const fe = fieldErrorsOf(err);
      if (fe.reason) setReasonError(fe.reason);
      else setError(Object.values(fe)[0] ?? errorText(err));
      setBusy(false);
    }
  };
  return (
    <form class="pair-form" onSubmit={submit} noValidate data-testid="merge-form">
      <fieldset class="survivor-pick">
        <legend>Which record stays?</legend>
        {(['a', 'b'] as Side[]).map((side) => {
          const s = side === 'a' ? p.pair.a : p.pair.b;
          return (
            <label key={side} class="radio">
              <input
                type="radio"
                name={`survivor-${p.pair.id}`}
                checked={p.survivor === side}
                onChange={() => p.setSurvivor(side)}
                data-testid={`survivor-${side}`}
              />{' '}
              {s.display_name}{' '}
              <span class="muted small">
                ({s.master_status}, {s.affiliations} affiliation{s.affiliations === 1 ? '' : 's'},
                NPI {s.npi})
              </span>
            </label>
          );
        })}
      </fieldset>
      <p class="muted small">
        {drop.display_name}'s calls, segments, affiliations, licences and sample history move to{' '}
        {keep.display_name}; the merged record is retired and can be restored with Undo.
      </p>
      <ReasonBox
        id={`merge-reason-${p.pair.id}`}
        label="Reason (optional)"
        value={reason}
        error={reasonError}
        onInput={setReason}
        testid="merge-reason"
      />
      {error && (
        <p class="field-error" role="alert" data-testid="merge-error">
          {error}
        </p>
      )}
      <div class="form-actions">
        <button
          type="submit"
          class="btn btn-primary btn-small"
          disabled={busy}
          data-testid="pair-merge"
        >
          {busy ? 'Merging…' : `Merge into ${keep.display_name}`}
        </button>
      </div>
    </form>
  );
}

function DismissForm({ pair, onDismissed }: { pair: DuplicatePair; onDismissed: () => void }) {
  const { api } = useApp();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reasonError, setReasonError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    if (!reason.trim()) {
      setReasonError('Say why these are different people.');
      return;
    }
    setBusy(true);
    try {
      await api.dismissDuplicate(pair.id, reason.trim());
      onDismissed();
    } catch (err) {
      const fe = fieldErrorsOf(err);
      if (fe.reason) setReasonError(fe.reason);
      else setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <form class="pair-form" onSubmit={submit} noValidate data-testid="dismiss-form">
      <ReasonBox
        id={`dismiss-reason-${pair.id}`}
        label="Why are they different people? (required)"
        value={reason}
        error={reasonError}
        onInput={(v) => {
          setReason(v);
          setReasonError(null);
        }}
        placeholder="e.g. Father and son at the same practice"
        testid="dismiss-reason"
      />
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      <div class="form-actions">
        <button type="submit" class="btn btn-small" disabled={busy} data-testid="pair-dismiss">
          {busy ? 'Saving…' : 'Not a duplicate'}
        </button>
      </div>
    </form>
  );
}
