/** Reps and managers: one cycle's moves out of or into their territories (the most valuable
 * first) with name, ZIP, from → to, tier, decile and calls last year, the marks already raised on
 * each HCP, and while the cycle is in review two actions per HCP: "Key relationship" and
 * "Escalate", each asking for a note. */
import { useState } from 'preact/hooks';
import type { FieldReview, Mark, MarkKind, MovingHcp } from '../../api/types';
import { useApp } from '../../context';
import { useLoad } from '../../hooks';
import {
  MARK_LABELS,
  moveDirection,
  RESOLUTION_LABELS,
  territoryCode,
} from '../../lib/realignment';
import { realignmentHref } from '../../lib/router';
import { Loading, TierBadge } from '../../components/bits';
import { errorText, fieldErrorsOf } from '../oversight/common';
import { LoadError, StatusBadge } from './common';

export function FieldReviewPage({ id }: { id: string }) {
  const { api } = useApp();
  const [gen, setGen] = useState(0);
  const review = useLoad(() => api.realignmentReview(id), [api, id, gen]);
  const [added, setAdded] = useState<Mark[]>([]);
  const back = (
    <a class="back" href={realignmentHref()} data-testid="cycles-link">
      ‹ Realignment
    </a>
  );
  if (review.state === 'loading')
    return (
      <>
        {back}
        <Loading />
      </>
    );
  if (review.state === 'error')
    return (
      <>
        {back}
        <LoadError error={review.error} onRetry={() => setGen((g) => g + 1)} />
      </>
    );
  return (
    <>
      {back}
      <ReviewBody review={review.data} added={added} onMarked={(m) => setAdded((a) => [...a, m])} />
    </>
  );
}

function ReviewBody({
  review,
  added,
  onMarked,
}: {
  review: FieldReview;
  added: Mark[];
  onMarked: (m: Mark) => void;
}) {
  const { me } = useApp();
  const r = review.realignment;
  const mine = (me.territories ?? []).map((t) => t.id);
  const marks = [...review.marks, ...added.filter((a) => !review.marks.some((m) => m.id === a.id))];
  const open = r.status === 'review';
  return (
    <>
      <section class="card section" data-testid="review" data-id={r.id} data-status={r.status}>
        <div class="version-title">
          <h2 data-testid="cycle-title">{r.name}</h2>
          <StatusBadge status={r.status} />
        </div>
        <p class="small">
          <strong data-testid="moves-total">{review.moves_total}</strong> HCP(s) move out of or into
          your territory
          {r.effective_from ? ` from ${r.effective_from}` : ''}.
          {open
            ? ' Mark the relationships a hand-off would lose, or escalate what must not move.'
            : ''}
        </p>
      </section>
      {review.moves.length === 0 ? (
        <p class="muted empty">No HCP of yours moves in this cycle.</p>
      ) : (
        <ul class="cards move-list" data-testid="moves">
          {review.moves.map((m) => (
            <MoveItem
              key={m.hcp_id}
              m={m}
              cycleId={r.id}
              direction={moveDirection(m, mine)}
              code={(t) => territoryCode(review.territories, t)}
              marks={marks.filter((x) => x.hcp_id === m.hcp_id)}
              open={open}
              onMarked={onMarked}
            />
          ))}
        </ul>
      )}
      {review.moves_total > review.moves.length && (
        <p class="muted small">and {review.moves_total - review.moves.length} more</p>
      )}
    </>
  );
}

function MoveItem(p: {
  m: MovingHcp;
  cycleId: string;
  direction: 'out' | 'in';
  code: (id: string | null | undefined) => string;
  marks: Mark[];
  open: boolean;
  onMarked: (m: Mark) => void;
}) {
  const { m } = p;
  return (
    <li
      class="card move-item"
      data-testid="move-item"
      data-hcp={m.hcp_id}
      data-direction={p.direction}
      data-zip={m.zip}
    >
      <div class="move-main">
        <div class="row-title" data-testid="move-name">
          {m.name}
        </div>
        <div class="row-sub">
          <span class={`badge dir dir-${p.direction}`}>
            {p.direction === 'out' ? 'Leaving' : 'Joining'}
          </span>{' '}
          ZIP {m.zip} ·{' '}
          <span class="terr" data-testid="move-from">
            {p.code(m.from_territory)}
          </span>{' '}
          →{' '}
          <span class="terr" data-testid="move-to">
            {p.code(m.to_territory)}
          </span>
        </div>
        <div class="row-sub muted">
          <TierBadge tier={m.tier} /> decile {m.decile} · {m.calls_last_year} call(s) last year ·
          target {m.target_calls}/cycle
        </div>
      </div>
      {p.marks.length > 0 && (
        <ul class="move-marks">
          {p.marks.map((x) => (
            <li
              key={x.id}
              data-testid="move-mark"
              data-kind={x.kind}
              data-resolution={x.resolution ?? ''}
            >
              <span class={`badge mark-${x.kind}`}>{MARK_LABELS[x.kind]}</span> “{x.note}”{' '}
              <span class="muted">— {x.raised_by_name}</span>
              {x.resolution && <span class="muted"> · {RESOLUTION_LABELS[x.resolution]}</span>}
            </li>
          ))}
        </ul>
      )}
      {p.open && (
        <MarkActions cycleId={p.cycleId} hcpId={m.hcp_id} name={m.name} onMarked={p.onMarked} />
      )}
    </li>
  );
}

const PROMPTS: Record<MarkKind, string> = {
  key_relationship: 'Why would a hand-off lose this relationship?',
  escalation: 'What breaks if this HCP moves?',
};

function MarkActions({
  cycleId,
  hcpId,
  name,
  onMarked,
}: {
  cycleId: string;
  hcpId: string;
  name: string;
  onMarked: (m: Mark) => void;
}) {
  const { api } = useApp();
  const [kind, setKind] = useState<MarkKind | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!kind) return;
    if (!note.trim()) {
      setError('A note is required');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onMarked(await api.markRealignment(cycleId, { hcp_id: hcpId, kind, note: note.trim() }));
      setKind(null);
      setNote('');
    } catch (err) {
      const fe = fieldErrorsOf(err);
      setError(fe.note ?? fe.hcp_id ?? fe.kind ?? errorText(err));
    } finally {
      setBusy(false);
    }
  };

  if (!kind) {
    return (
      <div class="mark-actions">
        <button
          type="button"
          class="btn btn-small"
          onClick={() => setKind('key_relationship')}
          data-testid="mark-key"
        >
          Key relationship
        </button>
        <button
          type="button"
          class="btn btn-small"
          onClick={() => setKind('escalation')}
          data-testid="mark-escalate"
        >
          Escalate
        </button>
      </div>
    );
  }
  const fieldId = `mark-note-${hcpId}`;
  return (
    <form class="mark-form" onSubmit={submit} noValidate data-testid="mark-form" data-kind={kind}>
      <label for={fieldId}>
        {MARK_LABELS[kind]}: {PROMPTS[kind]}
      </label>
      <textarea
        id={fieldId}
        rows={2}
        value={note}
        aria-label={`${MARK_LABELS[kind]} note for ${name}`}
        aria-invalid={error ? true : undefined}
        onInput={(e) => {
          setNote(e.currentTarget.value);
          setError(null);
        }}
        data-testid="mark-note"
      />
      {error && (
        <p class="field-error" role="alert" data-testid="mark-error">
          {error}
        </p>
      )}
      <div class="form-actions">
        <button
          type="button"
          class="btn btn-small"
          onClick={() => (setKind(null), setError(null))}
          data-testid="mark-cancel"
        >
          Cancel
        </button>
        <button
          type="submit"
          class="btn btn-primary btn-small"
          disabled={busy}
          data-testid="mark-submit"
        >
          {busy ? 'Sending…' : kind === 'escalation' ? 'Escalate' : 'Mark'}
        </button>
      </div>
    </form>
  );
}
