/** The targeting versions, newest first, the one in force highlighted; ops and admin start a new
 * draft here (its frequencies start as those in force). */
import { useState } from 'preact/hooks';
import type { CycleKind, TargetingVersion } from '../../api/types';
import { useApp } from '../../context';
import { useLoad } from '../../hooks';
import { targetingHref } from '../../lib/router';
import { canEditTargeting, CYCLE_LABELS, sortVersions } from '../../lib/targeting';
import { ErrorBox, Loading } from '../../components/bits';
import { errorText, fieldErrorsOf, FieldError, OtherErrors } from '../oversight/common';
import { StateBadge } from './common';

export function VersionsSection() {
  const { api, me } = useApp();
  const [gen, setGen] = useState(0);
  const list = useLoad(() => api.targetingVersions().then(sortVersions), [api, gen]);
  return (
    <section class="card section" data-testid="versions">
      <h2>Targeting versions</h2>
      <p class="muted small">
        A version sets segmentation rows (an HCP's tier and decile for a product) and the calls per
        cycle for each product × tier. Published, it comes into force on its effective date and
        reps' plans follow at their next sync. Earlier versions stay readable.
      </p>
      {canEditTargeting(me) && <NewVersionForm />}
      {list.state === 'loading' ? (
        <Loading />
      ) : list.state === 'error' ? (
        <ErrorBox error={list.error} onRetry={() => setGen((g) => g + 1)} />
      ) : list.data.length === 0 ? (
        <p class="muted empty">No targeting version yet.</p>
      ) : (
        <ul class="version-list" data-testid="version-list">
          {list.data.map((v) => (
            <VersionItem key={v.id} v={v} />
          ))}
        </ul>
      )}
    </section>
  );
}

function VersionItem({ v }: { v: TargetingVersion }) {
  const current = v.state === 'in_force';
  return (
    <li
      class={current ? 'version-item in-force' : 'version-item'}
      data-testid="version-item"
      data-id={v.id}
      data-number={v.number}
      data-state={v.state}
      aria-current={current ? 'true' : undefined}
    >
      <a class="row-link" href={targetingHref(v.id)}>
        <div class="row-main">
          <div class="row-title">
            <span class="muted">#{v.number}</span> <span data-testid="version-name">{v.name}</span>
          </div>
          <div class="row-sub muted small">
            {CYCLE_LABELS[v.cycle]} cycle ·{' '}
            {v.effective_from ? `effective ${v.effective_from}` : 'no effective date'} ·{' '}
            <span data-testid="version-segments">{v.segments}</span> segment rows
          </div>
        </div>
        <div class="row-badges">
          <StateBadge state={v.state} />
        </div>
      </a>
    </li>
  );
}

function NewVersionForm() {
  const { api } = useApp();
  const [name, setName] = useState('');
  const [cycle, setCycle] = useState<CycleKind>('month');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fe = fieldErrorsOf(error);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!name.trim()) {
      setError(new Error('Give the version a name.'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const v = await api.createTargetingVersion({ name: name.trim(), cycle, note: null });
      location.hash = targetingHref(v.id);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <form class="new-version" onSubmit={submit} noValidate data-testid="new-version">
      <label>
        New version
        <input
          value={name}
          placeholder="Name, e.g. Q1 plan"
          onInput={(e) => setName(e.currentTarget.value)}
          aria-invalid={fe.name ? true : undefined}
          data-testid="new-version-name"
        />
      </label>
      <label>
        Cycle
        <select
          value={cycle}
          onChange={(e) => setCycle(e.currentTarget.value as CycleKind)}
          data-testid="new-version-cycle"
        >
          <option value="month">Month</option>
          <option value="quarter">Quarter</option>
        </select>
      </label>
      <button
        type="submit"
        class="btn btn-primary"
        disabled={busy}
        data-testid="new-version-submit"
      >
        {busy ? 'Creating…' : 'Create draft'}
      </button>
      <FieldError id="new-version-name-error" message={fe.name} />
      <FieldError id="new-version-cycle-error" message={fe.cycle} />
      <OtherErrors errors={fe} shown={['name', 'cycle']} />
      {error != null && Object.keys(fe).length === 0 && (
        <p class="field-error" role="alert" data-testid="new-version-error">
          {errorText(error)}
        </p>
      )}
    </form>
  );
}
