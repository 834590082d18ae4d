/** Credential rules on the policy screen: which credentials may not receive samples of a product (or of every controlled product) in a state. */
import { useState } from 'preact/hooks';
import type { CredentialRule } from '../../../api/types';
import { useApp } from '../../../context';
import { useLoad } from '../../../hooks';
import { uuidv7 } from '../../../offline/uuid';
import { Empty, ErrorBox, Loading } from '../../../components/bits';
import { errorText, FieldError, fieldErrorsOf, type Catalog, FormFooter } from '../common';

const ALL_PRODUCTS = '';
const ALL_CONTROLLED = '*controlled';

function scopeOf(r: Pick<CredentialRule, 'product_id' | 'controlled_only'>): string {
  return r.product_id ?? (r.controlled_only ? ALL_CONTROLLED : ALL_PRODUCTS);
}

function scopeLabel(r: CredentialRule, catalog: Catalog): string {
  if (r.product_id)
    return catalog.productName(r.product_id) + (r.controlled_only ? ' (when controlled)' : '');
  return r.controlled_only ? 'Every controlled product' : 'Every product';
}

export function CredentialRules({ catalog }: { catalog: Catalog }) {
  const { api } = useApp();
  const [gen, setGen] = useState(0);
  const res = useLoad(() => api.credentialRules(), [gen]);
  const [editing, setEditing] = useState<CredentialRule | null>(null);
  return (
    <section class="card section" data-testid="credential-rules">
      <h2>Credential rules</h2>
      <p class="muted small">
        Practitioners with a credential who may not receive samples of a product in a state (e.g.
        NPs and controlled products).
      </p>
      {res.state === 'loading' && <Loading />}
      {res.state === 'error' && <ErrorBox error={res.error} />}
      {res.state === 'ok' &&
        (res.data.length === 0 ? (
          <Empty>No credential rules.</Empty>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th>State</th>
                  <th>Credential</th>
                  <th>May not receive</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {res.data.map((r) => (
                  <tr key={r.id} data-testid="credential-rule" data-id={r.id}>
                    <td>{r.state === '*' ? 'Every state' : r.state}</td>
                    <td>{r.credential}</td>
                    <td>{scopeLabel(r, catalog)}</td>
                    <td class="actions">
                      <button
                        type="button"
                        class="btn btn-small"
                        onClick={() => setEditing(r)}
                        data-testid="rule-edit"
                      >
                        Edit
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      {editing ? (
        <CredentialRuleForm
          key={editing.id}
          initial={editing}
          catalog={catalog}
          onDone={(saved) => {
            setEditing(null);
            if (saved) setGen((g) => g + 1);
          }}
        />
      ) : (
        <div class="form-actions">
          <button
            type="button"
            class="btn btn-small"
            onClick={() =>
              setEditing({
                id: uuidv7(),
                state: '',
                credential: '',
                product_id: null,
                controlled_only: true,
              })
            }
            data-testid="rule-new"
          >
            New rule
          </button>
        </div>
      )}
    </section>
  );
}

function CredentialRuleForm({
  initial,
  catalog,
  onDone,
}: {
  initial: CredentialRule;
  catalog: Catalog;
  onDone: (saved: boolean) => void;
}) {
  const { api } = useApp();
  const [state, setState] = useState(initial.state);
  const [credential, setCredential] = useState(initial.credential);
  const [scope, setScope] = useState(scopeOf(initial));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const st = state.trim().toUpperCase();
    const errs: Record<string, string> = {};
    if (!(st === '*' || /^[A-Z]{2}$/.test(st))) errs.state = 'use a two-letter state or *';
    if (!credential.trim()) errs.credential = 'is required';
    setErrors(errs);
    setError(null);
    if (Object.keys(errs).length) return;
    const rule: CredentialRule = {
      id: initial.id,
      state: st,
      credential: credential.trim(),
      product_id: scope === ALL_PRODUCTS || scope === ALL_CONTROLLED ? null : scope,
      controlled_only: scope === ALL_CONTROLLED,
    };
    setBusy(true);
    try {
      await api.putCredentialRule(rule);
      onDone(true);
    } catch (err) {
      const fe = fieldErrorsOf(err);
      setErrors(fe);
      if (!Object.keys(fe).length) setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="policy-form" onSubmit={submit} noValidate data-testid="rule-form">
      <h3>Credential rule</h3>
      <div class="filter-grid">
        <label>
          State (two letters, * for every state)
          <input
            type="text"
            maxLength={2}
            value={state}
            onInput={(e) => setState(e.currentTarget.value)}
            aria-invalid={errors.state ? true : undefined}
            data-testid="rule-state"
          />
          <FieldError id="rule-state-error" message={errors.state} testid="rule-state-error" />
        </label>
        <label>
          Credential (as written on the HCP)
          <input
            type="text"
            value={credential}
            placeholder="NP"
            onInput={(e) => setCredential(e.currentTarget.value)}
            aria-invalid={errors.credential ? true : undefined}
            data-testid="rule-credential"
          />
          <FieldError
            id="rule-credential-error"
            message={errors.credential}
            testid="rule-credential-error"
          />
        </label>
        <label>
          May not receive
          <select
            value={scope}
            onChange={(e) => setScope(e.currentTarget.value)}
            data-testid="rule-scope"
          >
            <option value={ALL_CONTROLLED}>Every controlled product</option>
            <option value={ALL_PRODUCTS}>Every product</option>
            {catalog.products.map((p) => (
              <option key={p.id} value={p.id}>
                {p.brand}
              </option>
            ))}
          </select>
        </label>
      </div>
      <FormFooter
        errors={errors}
        shown={['state', 'credential']}
        error={error}
        busy={busy}
        onCancel={() => onDone(false)}
        save="Save rule"
        testid="rule-save"
      />
    </form>
  );
}
