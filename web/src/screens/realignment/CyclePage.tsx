/** Ops and admin: one realignment cycle. While draft or in review: its lines (edited or uploaded),
 * the impact per territory, opening field review, the marks to resolve and publishing. Published
 * and cancelled cycles are read only. */
import { useEffect, useState } from 'preact/hooks';
import type { Realignment } from '../../api/types';
import { useApp } from '../../context';
import { useLoad } from '../../hooks';
import { realignmentHref } from '../../lib/router';
import { shortDate } from '../../lib/format';
import { Field, Loading } from '../../components/bits';
import { errorText } from '../oversight/common';
import { LoadError, StatusBadge } from './common';
import { DraftLinesCard } from './DraftLines';
import { ImpactCard } from './Impact';
import { MarksCard } from './Marks';
import { PublishCycle } from './PublishCycle';

export function CyclePage({ id }: { id: string }) {
  const { api } = useApp();
  const [r, setR] = useState<Realignment | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [gen, setGen] = useState(0);
  /** Bumps when the lines change: the impact is computed again. */
  const [linesGen, setLinesGen] = useState(0);
  const territories = useLoad(
    () => api.territories().then((ts) => [...ts].sort((a, b) => a.code.localeCompare(b.code))),
    [api],
  );

  useEffect(() => {
    let live = true;
    api.realignment(id).then(
      (x) => live && (setR(x), setError(null)),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [api, id, gen]);
  const reload = () => setGen((g) => g + 1);

  const back = (
    <a class="back" href={realignmentHref()} data-testid="cycles-link">
      ‹ All cycles
    </a>
  );
  if (error)
    return (
      <>
        {back}
        <LoadError error={error} onRetry={reload} />
      </>
    );
  if (!r || territories.state === 'loading')
    return (
      <>
        {back}
        <Loading />
      </>
    );
  if (territories.state === 'error')
    return (
      <>
        {back}
        <LoadError error={territories.error} onRetry={reload} />
      </>
    );
  const editable = r.status === 'draft' || r.status === 'review';
  return (
    <>
      {back}
      <CycleHead r={r} onChanged={setR} />
      <DraftLinesCard
        id={r.id}
        territories={territories.data}
        editable={editable}
        onChanged={() => {
          setLinesGen((g) => g + 1);
          reload();
        }}
      />
      <ImpactCard key={`${linesGen}:${r.status}`} id={r.id} />
      {r.status === 'draft' && <OpenReview r={r} onOpened={setR} />}
      {(r.status === 'review' || r.marks > 0) && (
        <MarksCard
          key={`${r.marks}:${r.marks_open}`}
          id={r.id}
          editable={editable}
          onResolved={reload}
        />
      )}
      {editable && <PublishCycle r={r} onPublished={setR} onRefused={reload} />}
    </>
  );
}

function CycleHead({ r, onChanged }: { r: Realignment; onChanged: (r: Realignment) => void }) {
  const { api } = useApp();
  const [error, setError] = useState<string | null>(null);
  const cancel = async () => {
    if (!confirm(`Cancel “${r.name}”? It cannot be published afterwards.`)) return;
    try {
      onChanged(await api.cancelRealignment(r.id));
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <section
      class="card section cycle-head"
      data-testid="cycle"
      data-id={r.id}
      data-status={r.status}
      data-marks-open={r.marks_open}
    >
      <div class="version-title">
        <h2 data-testid="cycle-title">{r.name}</h2>
        <StatusBadge status={r.status} />
      </div>
      <dl class="fields">
        <Field label="Lines">{`${r.zips} ZIP(s), ${r.account_overrides} account override(s)`}</Field>
        <Field label="Created">{`${shortDate(r.created_at)} by ${r.created_by}`}</Field>
        {r.review_opened_at && (
          <Field label="Field review">{`opened ${shortDate(r.review_opened_at)}`}</Field>
        )}
        <Field label="Marks" testid="cycle-marks">
          {r.marks === 0 ? 'none' : `${r.marks_open} open of ${r.marks}`}
        </Field>
        {r.effective_from && (
          <Field label="Effective from" testid="cycle-effective">
            {r.effective_from}
          </Field>
        )}
        {r.published_at && (
          <Field label="Published">{`${shortDate(r.published_at)} by ${r.published_by ?? ''}`}</Field>
        )}
        {r.override_reason && <Field label="Override reason">{r.override_reason}</Field>}
      </dl>
      {(r.status === 'published' || r.status === 'cancelled') && (
        <p class="muted small" data-testid="read-only">
          {r.status === 'published'
            ? 'Published: read only. Affected reps and managers were sent a notice.'
            : 'Cancelled: read only.'}
        </p>
      )}
      {(r.status === 'draft' || r.status === 'review') && (
        <div class="form-actions">
          <button type="button" class="btn btn-small" onClick={cancel} data-testid="cancel-cycle">
            Cancel this cycle
          </button>
        </div>
      )}
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function OpenReview({ r, onOpened }: { r: Realignment; onOpened: (r: Realignment) => void }) {
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const open = async () => {
    setBusy(true);
    setError(null);
    try {
      onOpened(await api.openRealignmentReview(r.id));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card section" data-testid="review-open">
      <h2>Field review</h2>
      <p class="muted small">
        Opening field review shows the moves to the reps and managers of the territories concerned;
        they can mark key relationships or escalate. Every mark must be resolved before publishing.
        Lines can still change during review.
      </p>
      <button
        type="button"
        class="btn btn-primary"
        disabled={busy}
        onClick={open}
        data-testid="open-review"
      >
        {busy ? 'Opening…' : 'Open for field review'}
      </button>
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
