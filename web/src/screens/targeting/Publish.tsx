/** Publishing a draft version (ops, admin): an effective date, today by default. Today brings it
 * into force at once; a later date schedules it; a past date is refused next to the field. */
import { useState } from 'preact/hooks';
import type { TargetingVersion } from '../../api/types';
import { useApp } from '../../context';
import { isIsoDay, isoDay } from '../../lib/oversight';
import { errorText, fieldErrorsOf, FieldError, OtherErrors } from '../oversight/common';

export function PublishVersion({
  version,
  onPublished,
}: {
  version: TargetingVersion;
  onPublished: (v: TargetingVersion) => void;
}) {
  const { api } = useApp();
  const today = isoDay(new Date());
  const [date, setDate] = useState(today);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fe = fieldErrorsOf(error);
  const dateError = fe.effective_from ?? (isIsoDay(date) ? null : 'Enter a date');

  const publish = async (e: Event) => {
    e.preventDefault();
    if (!isIsoDay(date)) {
      setError(null);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onPublished(await api.publishTargetingVersion(version.id, date));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card section" data-testid="publish">
      <h2>Publish</h2>
      <p class="muted small">
        From its effective date this version's segment rows and calls per {version.cycle} are in
        force; reps' plans follow at their next sync. Today brings it into force at once. A
        published version cannot be edited.
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
            aria-invalid={dateError ? true : undefined}
            aria-describedby={dateError ? 'publish-date-error' : undefined}
            data-testid="publish-date"
          />
        </label>
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="publish-submit">
          {busy ? 'Publishing…' : date === today ? 'Publish, in force today' : 'Publish'}
        </button>
      </form>
      <FieldError id="publish-date-error" message={dateError} testid="publish-date-error" />
      <OtherErrors errors={fe} shown={['effective_from']} testid="publish-errors" />
      {error != null && Object.keys(fe).length === 0 && (
        <p class="field-error" role="alert" data-testid="publish-error">
          {errorText(error)}
        </p>
      )}
    </section>
  );
}
