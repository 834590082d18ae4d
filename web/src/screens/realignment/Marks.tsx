/** Ops and admin: the marks the field raised on a cycle (key relationships, escalations). Each
 * open one is resolved with a note: Accept (the draft stands) or Changed (the draft was changed). */
import { useState } from 'preact/hooks';
import type { Mark, Resolution } from '../../api/types';
import { useApp } from '../../context';
import { useLoad } from '../../hooks';
import { MARK_LABELS, RESOLUTION_LABELS } from '../../lib/realignment';
import { shortDate } from '../../lib/format';
import { Loading } from '../../components/bits';
import { errorText, fieldErrorsOf } from '../oversight/common';
import { LoadError } from './common';

export function MarksCard({
  id,
  editable,
  onResolved,
}: {
  id: string;
  editable: boolean;
  onResolved: () => void;
}) {
  const { api } = useApp();
  const [gen, setGen] = useState(0);
  const review = useLoad(() => api.realignmentReview(id), [api, id, gen]);
  const [marks, setMarks] = useState<Mark[] | null>(null);
  if (review.state === 'loading') return <Loading />;
  if (review.state === 'error')
    return <LoadError error={review.error} onRetry={() => setGen((g) => g + 1)} />;
  const list = marks ?? review.data.marks;
  const open = list.filter((m) => !m.resolution).length;
  return (
    <section class="card section" data-testid="marks" data-open={open} data-total={list.length}>
      <h2>Marks from the field</h2>
      <p class="muted small">
        {review.data.moves_total} HCP move(s) under review ·{' '}
        {list.length === 0 ? 'no marks yet' : `${open} of ${list.length} mark(s) open`}
      </p>
      {list.length > 0 && (
        <ul class="mark-list">
          {list.map((m) => (
            <MarkItem
              key={m.id}
              m={m}
              cycleId={id}
              editable={editable}
              onResolved={(ms) => {
                setMarks(ms);
                onResolved();
              }}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function MarkItem({
  m,
  cycleId,
  editable,
  onResolved,
}: {
  m: Mark;
  cycleId: string;
  editable: boolean;
  onResolved: (ms: Mark[]) => void;
}) {
  const { api } = useApp();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const resolve = async (resolution: Resolution) => {
    if (!note.trim()) {
      setError('Say what was decided');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onResolved(await api.resolveMark(cycleId, m.id, resolution, note.trim()));
    } catch (e) {
      setError(fieldErrorsOf(e).note ?? errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li
      class="mark-item"
      data-testid="mark-item"
      data-id={m.id}
      data-hcp={m.hcp_id}
      data-kind={m.kind}
      data-resolution={m.resolution ?? ''}
    >
      <div>
        <span class={`badge mark-${m.kind}`}>{MARK_LABELS[m.kind]}</span>{' '}
        <strong>{m.hcp_name}</strong>
      </div>
      <div class="small">
        “{m.note}”{' '}
        <span class="muted">
          — {m.raised_by_name}, {shortDate(m.raised_at)}
        </span>
      </div>
      {m.resolution ? (
        <div class="small ok-text" data-testid="mark-resolution">
          {RESOLUTION_LABELS[m.resolution]}
          {m.resolution_note ? `: ${m.resolution_note}` : ''}
        </div>
      ) : editable ? (
        <div class="resolve-row">
          <input
            value={note}
            placeholder="What was decided"
            aria-label={`Resolution note for ${m.hcp_name}`}
            aria-invalid={error ? true : undefined}
            onInput={(e) => {
              setNote(e.currentTarget.value);
              setError(null);
            }}
            data-testid="resolve-note"
          />
          <button
            type="button"
            class="btn btn-small btn-primary"
            disabled={busy}
            onClick={() => resolve('accepted')}
            data-testid="resolve-accept"
          >
            Accept
          </button>
          <button
            type="button"
            class="btn btn-small"
            disabled={busy}
            onClick={() => resolve('changed')}
            data-testid="resolve-changed"
          >
            Changed
          </button>
        </div>
      ) : (
        <div class="small muted">Open</div>
      )}
      {error && (
        <p class="field-error" role="alert" data-testid="resolve-error">
          {error}
        </p>
      )}
    </li>
  );
}
