/** Ops and admin: publishing a cycle with an effective date. The rule: a quarter start (1 Jan,
 * 1 Apr, 1 Jul, 1 Oct) at least 30 days ahead; any other date needs an override reason; a past
 * date is refused. Every field-review mark must be resolved first. The server's field errors
 * (`effective_from`, `override_reason`, `marks`) are shown next to their field. */
import { useEffect, useState } from 'preact/hooks';
import type { Realignment } from '../../api/types';
import { useApp } from '../../context';
import { nextQuarterStart, NOTICE_DAYS, timingIssues, todayIso } from '../../lib/realignment';
import { errorText, fieldErrorsOf, FieldError, OtherErrors } from '../oversight/common';

export function PublishCycle({
  r,
  onPublished,
  onRefused,
}: {
  r: Realignment;
  onPublished: (r: Realignment) => void;
  onRefused: () => void;
}) {
  const { api } = useApp();
  const today = todayIso();
  const [date, setDate] = useState(() => nextQuarterStart(today));
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fe = fieldErrorsOf(error);
  const issues = timingIssues(today, date);
  const blocked = r.marks_open > 0;
  // Once every mark is resolved, the server's "marks" refusal no longer applies.
  useEffect(() => {
    if (r.marks_open === 0) setError((e: unknown) => (fieldErrorsOf(e).marks ? null : e));
  }, [r.marks_open]);

  const publish = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onPublished(
        await api.publishRealignment(r.id, {
          effective_from: date,
          override_reason: reason.trim() || null,
        }),
      );
    } catch (err) {
      setError(err);
      // Marks raised since the page loaded: show them (the button waits until they are resolved).
      if (fieldErrorsOf(err).marks) onRefused();
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card section" data-testid="publish-cycle">
      <h2>Publish</h2>
      <p class="muted small" data-testid="publish-rule">
        A realignment takes effect on a quarter start (1 Jan, 1 Apr, 1 Jul, 1 Oct) at least{' '}
        {NOTICE_DAYS} days ahead. Any other date needs an override reason. Reps and managers of the
        territories concerned get a notice at once.
      </p>
      <form class="publish-form" onSubmit={publish} noValidate>
        <label>
          Effective from
          <input
            type="date"
            value={date}
            min={today}
            onInput={(e) => {
              setDate(e.currentTarget.value);
              setError(null);
            }}
            aria-invalid={fe.effective_from ? true : undefined}
            aria-describedby="realign-date-hint"
            data-testid="realign-date"
          />
        </label>
        <p
          class="small"
          id="realign-date-hint"
          data-testid="publish-hint"
          data-needs-reason={issues.length > 0 ? 'true' : 'false'}
        >
          {issues.length === 0
            ? 'This date needs no override.'
            : `${date} ${issues.join(' and ')}: give a reason to override.`}
        </p>
        <FieldError
          id="realign-date-error"
          message={fe.effective_from}
          testid="realign-date-error"
        />
        <label>
          Override reason
          <input
            value={reason}
            placeholder={issues.length ? 'Required for this date' : 'Only needed for another date'}
            onInput={(e) => {
              setReason(e.currentTarget.value);
              setError(null);
            }}
            aria-invalid={fe.override_reason ? true : undefined}
            aria-describedby={fe.override_reason ? 'override-reason-error' : undefined}
            data-testid="override-reason"
          />
        </label>
        <FieldError
          id="override-reason-error"
          message={fe.override_reason}
          testid="override-reason-error"
        />
        {blocked && (
          <p class="notice" role="status" data-testid="marks-open-msg">
            {r.marks_open} field-review mark(s) are not resolved: resolve them above before
            publishing.
          </p>
        )}
        <FieldError id="publish-marks-error" message={fe.marks} testid="publish-marks-error" />
        <OtherErrors errors={fe} shown={['effective_from', 'override_reason', 'marks']} />
        {error != null && Object.keys(fe).length === 0 && (
          <p class="field-error" role="alert" data-testid="realign-publish-error">
            {errorText(error)}
          </p>
        )}
        <div class="form-actions">
          <button
            type="submit"
            class="btn btn-primary"
            disabled={busy || blocked}
            data-testid="realign-publish"
          >
            {busy ? 'Publishing…' : 'Publish'}
          </button>
        </div>
      </form>
    </section>
  );
}
