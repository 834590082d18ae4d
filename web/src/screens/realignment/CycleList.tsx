/** Ops and admin: every realignment cycle, newest first, and the form that starts a new draft. */
import { useState } from 'preact/hooks';
import type { Realignment } from '../../api/types';
import { useApp } from '../../context';
import { useLoad } from '../../hooks';
import { realignmentHref } from '../../lib/router';
import { shortDate } from '../../lib/format';
import { Loading } from '../../components/bits';
import { errorText, fieldErrorsOf, FieldError } from '../oversight/common';
import { LoadError, StatusBadge } from './common';

export function CycleList() {
  const { api } = useApp();
  const [gen, setGen] = useState(0);
  const list = useLoad(() => api.realignments(), [api, gen]);
  return (
    <section class="card section" data-testid="cycles">
      <h2>Realignment cycles</h2>
      <p class="muted small">
        A cycle moves ZIPs (with their HCPs and accounts) and single accounts to other territories.
        Draft it, check the impact, open it for field review, resolve the field's marks, then
        publish it with an effective date.
      </p>
      <NewCycleForm />
      {list.state === 'loading' ? (
        <Loading />
      ) : list.state === 'error' ? (
        <LoadError error={list.error} onRetry={() => setGen((g) => g + 1)} />
      ) : list.data.length === 0 ? (
        <p class="muted empty">No realignment cycle yet.</p>
      ) : (
        <CycleItems cycles={list.data} />
      )}
    </section>
  );
}

export function CycleItems({ cycles }: { cycles: Realignment[] }) {
  return (
    <ul class="cycle-list" data-testid="cycle-list">
      {cycles.map((r) => (
        <li
          key={r.id}
          class="cycle-item"
          data-testid="cycle-item"
          data-id={r.id}
          data-status={r.status}
        >
          <a class="row-link" href={realignmentHref(r.id)}>
            <div class="row-main">
              <div class="row-title" data-testid="cycle-name">
                {r.name}
              </div>
              <div class="row-sub muted small">
                {r.effective_from
                  ? `effective ${r.effective_from}`
                  : `created ${shortDate(r.created_at)} by ${r.created_by}`}{' '}
                · {r.zips} ZIP(s), {r.account_overrides} account override(s)
                {r.marks > 0 ? ` · ${r.marks_open} of ${r.marks} mark(s) open` : ''}
              </div>
            </div>
            <div class="row-badges">
              <StatusBadge status={r.status} />
            </div>
          </a>
        </li>
      ))}
    </ul>
  );
}

function NewCycleForm() {
  const { api } = useApp();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fe = fieldErrorsOf(error);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!name.trim()) {
      setError(new Error('Give the cycle a name.'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await api.createRealignment(name.trim());
      location.hash = realignmentHref(r.id);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <form class="new-cycle" onSubmit={submit} noValidate data-testid="new-cycle">
      <label>
        New cycle
        <input
          value={name}
          placeholder="Name, e.g. 2027 Q2 realignment"
          onInput={(e) => setName(e.currentTarget.value)}
          aria-invalid={fe.name ? true : undefined}
          data-testid="new-cycle-name"
        />
      </label>
      <button type="submit" class="btn btn-primary" disabled={busy} data-testid="new-cycle-submit">
        {busy ? 'Creating…' : 'Create draft'}
      </button>
      <FieldError id="new-cycle-name-error" message={fe.name} />
      {error != null && !fe.name && (
        <p class="field-error" role="alert">
          {errorText(error)}
        </p>
      )}
    </form>
  );
}
