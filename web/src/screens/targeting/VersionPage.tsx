/** One targeting version. A draft opens as an editor for ops and admin (name and cycle, the
 * frequency grid, the segmentation upload, publishing); any other version, or any version for a
 * reader, opens read-only (its frequency grid and the segment rows it sets). */
import { useEffect, useState } from 'preact/hooks';
import type { CycleKind, TargetingVersion } from '../../api/types';
import { useApp } from '../../context';
import { targetingHref } from '../../lib/router';
import { canEditTargeting, CYCLE_LABELS } from '../../lib/targeting';
import { shortDate } from '../../lib/format';
import { ErrorBox, Field, Loading } from '../../components/bits';
import { errorText, fieldErrorsOf, FieldError } from '../oversight/common';
import { StateBadge, useProducts } from './common';
import { FrequencyGrid } from './FrequencyGrid';
import { SegmentsCard } from './Segments';
import { PublishVersion } from './Publish';

export function VersionPage({ id }: { id: string }) {
  const { api, me } = useApp();
  const [version, setVersion] = useState<TargetingVersion | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [gen, setGen] = useState(0);
  const products = useProducts();

  useEffect(() => {
    let live = true;
    setError(null);
    api.targetingVersion(id).then(
      (v) => live && setVersion(v),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [api, id, gen]);

  const back = (
    <a class="back" href={targetingHref()} data-testid="versions-link">
      ‹ All versions
    </a>
  );
  if (error)
    return (
      <>
        {back}
        <ErrorBox error={error} onRetry={() => setGen((g) => g + 1)} />
      </>
    );
  if (!version || products.state === 'loading')
    return (
      <>
        {back}
        <Loading />
      </>
    );
  if (products.state === 'error')
    return (
      <>
        {back}
        <ErrorBox error={products.error} />
      </>
    );
  const editable = canEditTargeting(me) && version.state === 'draft';
  return (
    <>
      {back}
      <section
        class="card section version-head"
        data-testid="version"
        data-id={version.id}
        data-state={version.state}
        data-cycle={version.cycle}
      >
        <div class="version-title">
          <h2>
            Version {version.number}: <span data-testid="version-title">{version.name}</span>
          </h2>
          <StateBadge state={version.state} />
        </div>
        {!editable && (
          <p class="muted small" data-testid="read-only">
            {version.state === 'draft'
              ? 'A draft: ops and admin edit it.'
              : 'Published: read only.'}
          </p>
        )}
        <dl class="fields">
          <Field label="Cycle">{CYCLE_LABELS[version.cycle]}</Field>
          <Field label="Effective from" testid="version-effective">
            {version.effective_from ?? '—'}
          </Field>
          <Field label="Created">{`${shortDate(version.created_at)} by ${version.created_by}`}</Field>
          {version.published_at && (
            <Field label="Published">{`${shortDate(version.published_at)} by ${version.published_by ?? ''}`}</Field>
          )}
          {version.applied_at && (
            <Field label="In force since">{shortDate(version.applied_at)}</Field>
          )}
          {version.note && <Field label="Note">{version.note}</Field>}
        </dl>
        {editable && <DetailsForm version={version} onSaved={setVersion} />}
      </section>
      <FrequencyGrid
        version={version}
        products={products.data}
        editable={editable}
        onSaved={setVersion}
      />
      <SegmentsCard
        version={version}
        products={products.data}
        editable={editable}
        onUploaded={() => setGen((g) => g + 1)}
      />
      {editable && <PublishVersion version={version} onPublished={setVersion} />}
    </>
  );
}

/** A draft's name, cycle and note. */
function DetailsForm({
  version,
  onSaved,
}: {
  version: TargetingVersion;
  onSaved: (v: TargetingVersion) => void;
}) {
  const { api } = useApp();
  const [name, setName] = useState(version.name);
  const [cycle, setCycle] = useState<CycleKind>(version.cycle);
  const [note, setNote] = useState(version.note ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fe = fieldErrorsOf(error);
  const dirty = name !== version.name || cycle !== version.cycle || note !== (version.note ?? '');

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSaved(
        await api.updateTargetingVersion(version.id, {
          name: name.trim(),
          cycle,
          note: note.trim() || null,
        }),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <details class="version-details">
      <summary>Edit name, cycle and note</summary>
      <form class="details-form" onSubmit={save} noValidate>
        <label>
          Name
          <input
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
            aria-invalid={fe.name ? true : undefined}
          />
        </label>
        <FieldError id="version-name-error" message={fe.name} />
        <label>
          Cycle
          <select value={cycle} onChange={(e) => setCycle(e.currentTarget.value as CycleKind)}>
            <option value="month">Month</option>
            <option value="quarter">Quarter</option>
          </select>
        </label>
        <FieldError id="version-cycle-error" message={fe.cycle} />
        <label>
          Note
          <input value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        </label>
        {error != null && Object.keys(fe).length === 0 && (
          <p class="field-error" role="alert">
            {errorText(error)}
          </p>
        )}
        <div class="form-actions">
          <button type="submit" class="btn btn-primary btn-small" disabled={busy || !dirty}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </details>
  );
}
