import { useState } from 'preact/hooks';
import type { Allocation, CredentialRule, KeyMessage, LimitMeasure, LimitWindow, SampleLimit, Severity } from '../../api/types';
import { useApp } from '../../context';
import { useLoad } from '../../hooks';
import { uuidv7 } from '../../offline/uuid';
import {
  draftFromLimit,
  emptyLimitDraft,
  limitFromDraft,
  limitRule,
  needsWindowDays,
  parseWhole,
  quarterOf,
  WINDOW_LABELS,
  type LimitDraft,
} from '../../lib/oversight';
import { Empty, ErrorBox, Loading } from '../../components/bits';
import { errorText, FieldError, fieldErrorsOf, OtherErrors, useCatalog, type Catalog } from './common';

/** Sample policy (compliance, ops, admin): limit templates, allocations, credential rules and key messages. */
export function PolicySection() {
  const catalog = useCatalog();
  if (catalog.state === 'loading') return <Loading />;
  if (catalog.state === 'error') return <ErrorBox error={catalog.error} />;
  return (
    <section data-testid="policy">
      <p class="muted small">Reps' devices receive a change at their next sync; the server checks every record against the policy in force.</p>
      <Limits catalog={catalog.data} />
      <Allocations catalog={catalog.data} />
      <CredentialRules catalog={catalog.data} />
      <KeyMessages catalog={catalog.data} />
    </section>
  );
}

// ---------------------------------------------------------------------------------------
// Limit templates
// ---------------------------------------------------------------------------------------

function Limits({ catalog }: { catalog: Catalog }) {
  const { api } = useApp();
  const [gen, setGen] = useState(0);
  const res = useLoad(() => api.sampleLimits(), [gen]);
  const [editing, setEditing] = useState<LimitDraft | null>(null);
  const [error, setError] = useState<string | null>(null);
  const remove = async (l: SampleLimit) => {
    if (!confirm(`Delete the limit "${l.name}"?`)) return;
    setError(null);
    try {
      await api.deleteSampleLimit(l.id);
      setGen((g) => g + 1);
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <section class="card section" data-testid="limits">
      <h2>Sample limit templates</h2>
      <p class="muted small">
        How much of a product one HCP may receive. An error blocks the disbursement; a warning asks the rep to confirm.
      </p>
      {res.state === 'loading' && <Loading />}
      {res.state === 'error' && <ErrorBox error={res.error} />}
      {res.state === 'ok' &&
        (res.data.length === 0 ? (
          <Empty>No limits.</Empty>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Product</th>
                  <th>Rule</th>
                  <th>Severity</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {res.data.map((l) => (
                  <tr key={l.id} data-testid="limit" data-id={l.id}>
                    <td>{l.name}</td>
                    <td>{catalog.productName(l.product_id)}</td>
                    <td data-testid="limit-rule">{limitRule(l)}</td>
                    <td>
                      <span class={`badge sev sev-${l.severity}`}>{l.severity}</span>
                    </td>
                    <td class="actions">
                      <button type="button" class="btn btn-small" onClick={() => setEditing(draftFromLimit(l))} data-testid="limit-edit">
                        Edit
                      </button>
                      <button type="button" class="btn btn-small" onClick={() => void remove(l)} data-testid="limit-delete">
                        Delete
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      {editing ? (
        <LimitForm
          key={editing.id ?? 'new'}
          initial={editing}
          catalog={catalog}
          onDone={(saved) => {
            setEditing(null);
            if (saved) setGen((g) => g + 1);
          }}
        />
      ) : (
        <div class="form-actions">
          <button type="button" class="btn btn-small" onClick={() => setEditing(emptyLimitDraft(catalog.products[0]?.id))} data-testid="limit-new">
            New limit
          </button>
        </div>
      )}
    </section>
  );
}

function LimitForm({ initial, catalog, onDone }: { initial: LimitDraft; catalog: Catalog; onDone: (saved: boolean) => void }) {
  const { api } = useApp();
  const [d, setD] = useState<LimitDraft>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<LimitDraft>) => {
    setD((x) => ({ ...x, ...patch }));
    setErrors((e) => {
      const next = { ...e };
      for (const k of Object.keys(patch)) delete next[k];
      return next;
    });
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const parsed = limitFromDraft(d, d.id ?? uuidv7());
    if (!parsed.ok) {
      setErrors(parsed.errors ?? {});
      return;
    }
    setBusy(true);
    try {
      await api.putSampleLimit(parsed.value);
      onDone(true);
    } catch (err) {
      const fe = fieldErrorsOf(err);
      setErrors(fe);
      if (!Object.keys(fe).length) setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const inv = (f: string) => (errors[f] ? { 'aria-invalid': true as const, 'aria-describedby': `limit-${f}-error` } : {});
  const err = (f: string) => <FieldError id={`limit-${f}-error`} message={errors[f]} testid={`limit-${f}-error`} />;
  const preview = limitFromDraft(d, 'preview');
  return (
    <form class="policy-form" onSubmit={submit} noValidate data-testid="limit-form">
      <h3>{d.id ? 'Edit limit' : 'New limit'}</h3>
      <div class="filter-grid">
        <label>
          Name
          <input type="text" value={d.name} onInput={(e) => set({ name: e.currentTarget.value })} {...inv('name')} data-testid="limit-name" />
          {err('name')}
        </label>
        <label>
          Product
          <select value={d.product_id} onChange={(e) => set({ product_id: e.currentTarget.value })} {...inv('product_id')} data-testid="limit-product">
            <option value="">Choose…</option>
            {catalog.products.map((p) => (
              <option key={p.id} value={p.id}>
                {p.brand}
              </option>
            ))}
          </select>
          {err('product_id')}
        </label>
        <label>
          Measure
          <select value={d.measure} onChange={(e) => set({ measure: e.currentTarget.value as LimitMeasure, max: '' })} {...inv('measure')} data-testid="limit-measure">
            <option value="quantity">Units</option>
            <option value="value">Value (US$)</option>
          </select>
          {err('measure')}
        </label>
        <label>
          {d.measure === 'value' ? 'Maximum value (US$)' : 'Maximum units'}
          <input
            type="text"
            inputMode={d.measure === 'value' ? 'decimal' : 'numeric'}
            value={d.max}
            onInput={(e) => set({ max: e.currentTarget.value })}
            {...inv('max')}
            data-testid="limit-max"
          />
          {err('max')}
        </label>
        <label>
          Window
          <select
            value={d.window}
            onChange={(e) => {
              const w = e.currentTarget.value as LimitWindow;
              set({ window: w, window_days: needsWindowDays(w) ? d.window_days : '', ends_after_days: w === 'from_first' ? d.ends_after_days : '' });
            }}
            {...inv('window')}
            data-testid="limit-window"
          >
            {(Object.keys(WINDOW_LABELS) as LimitWindow[]).map((w) => (
              <option key={w} value={w}>
                {WINDOW_LABELS[w]}
              </option>
            ))}
          </select>
          {err('window')}
        </label>
        {needsWindowDays(d.window) && (
          <label>
            Window length (days)
            <input
              type="number"
              min={1}
              value={d.window_days}
              onInput={(e) => set({ window_days: e.currentTarget.value })}
              {...inv('window_days')}
              data-testid="limit-window-days"
            />
            {err('window_days')}
          </label>
        )}
        {d.window === 'from_first' && (
          <label>
            Programme ends after (days, optional)
            <input
              type="number"
              min={1}
              value={d.ends_after_days}
              onInput={(e) => set({ ends_after_days: e.currentTarget.value })}
              {...inv('ends_after_days')}
              data-testid="limit-ends-after"
            />
            {err('ends_after_days')}
          </label>
        )}
        <label>
          Severity
          <select value={d.severity} onChange={(e) => set({ severity: e.currentTarget.value as Severity })} {...inv('severity')} data-testid="limit-severity">
            <option value="error">Error (blocks)</option>
            <option value="warning">Warning (rep confirms)</option>
          </select>
          {err('severity')}
        </label>
      </div>
      {preview.ok && (
        <p class="small" data-testid="limit-preview">
          Reads: <strong>{limitRule(preview.value)}</strong>.
        </p>
      )}
      <OtherErrors errors={errors} shown={['name', 'product_id', 'measure', 'max', 'window', 'window_days', 'ends_after_days', 'severity']} />
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      <div class="form-actions">
        <button type="button" class="btn btn-small" onClick={() => onDone(false)}>
          Cancel
        </button>
        <button type="submit" class="btn btn-primary btn-small" disabled={busy} data-testid="limit-save">
          {busy ? 'Saving…' : 'Save limit'}
        </button>
      </div>
    </form>
  );
}

// ---------------------------------------------------------------------------------------
// Allocations
// ---------------------------------------------------------------------------------------

interface AllocationDraft {
  rep_id: string;
  product_id: string;
  period_from: string;
  period_to: string;
  quantity: string;
}

function Allocations({ catalog }: { catalog: Catalog }) {
  const { api } = useApp();
  const [rep, setRep] = useState('');
  const [gen, setGen] = useState(0);
  const res = useLoad(() => api.allocations(rep || null), [rep, gen]);
  const q = quarterOf(new Date());
  const blank: AllocationDraft = { rep_id: rep, product_id: '', period_from: q.from, period_to: q.to, quantity: '' };
  const [draft, setDraft] = useState<AllocationDraft | null>(null);
  const sorted =
    res.state === 'ok'
      ? [...res.data].sort(
          (a, b) =>
            catalog.repName(a.rep_id).localeCompare(catalog.repName(b.rep_id)) ||
            b.period_from.localeCompare(a.period_from) ||
            catalog.productName(a.product_id).localeCompare(catalog.productName(b.product_id)),
        )
      : [];
  return (
    <section class="card section" data-testid="allocations">
      <h2>Allocations</h2>
      <p class="muted small">Units of a product each rep may give in a cycle (saving the same rep, product and first day replaces it).</p>
      <div class="cov-controls">
        <label>
          Rep
          <select value={rep} onChange={(e) => setRep(e.currentTarget.value)} data-testid="alloc-filter-rep">
            <option value="">All reps</option>
            {catalog.reps.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {res.state === 'loading' && <Loading />}
      {res.state === 'error' && <ErrorBox error={res.error} />}
      {res.state === 'ok' &&
        (sorted.length === 0 ? (
          <Empty>No allocations.</Empty>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th>Rep</th>
                  <th>Product</th>
                  <th>Cycle</th>
                  <th class="num">Units</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {sorted.map((a: Allocation) => (
                  <tr key={a.id} data-testid="allocation" data-id={a.id}>
                    <td>{catalog.repName(a.rep_id)}</td>
                    <td>{catalog.productName(a.product_id)}</td>
                    <td>
                      {a.period_from} – {a.period_to}
                    </td>
                    <td class="num">{a.quantity}</td>
                    <td class="actions">
                      <button
                        type="button"
                        class="btn btn-small"
                        onClick={() => setDraft({ ...a, quantity: String(a.quantity) })}
                        data-testid="alloc-edit"
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
      {draft ? (
        <AllocationForm
          key={`${draft.rep_id}|${draft.product_id}|${draft.period_from}`}
          initial={draft}
          catalog={catalog}
          onDone={(saved) => {
            setDraft(null);
            if (saved) setGen((g) => g + 1);
          }}
        />
      ) : (
        <div class="form-actions">
          <button type="button" class="btn btn-small" onClick={() => setDraft(blank)} data-testid="alloc-new">
            New allocation
          </button>
        </div>
      )}
    </section>
  );
}

function AllocationForm({ initial, catalog, onDone }: { initial: AllocationDraft; catalog: Catalog; onDone: (saved: boolean) => void }) {
  const { api } = useApp();
  const [d, setD] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<AllocationDraft>) => setD((x) => ({ ...x, ...patch }));
  const submit = async (e: Event) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!d.rep_id) errs.rep_id = 'choose a rep';
    if (!d.product_id) errs.product_id = 'choose a product';
    if (!d.period_from) errs.period_from = 'is required';
    if (!d.period_to) errs.period_to = 'is required';
    else if (d.period_from && d.period_to < d.period_from) errs.period_to = 'is before the start of the cycle';
    const qty = parseWhole(d.quantity, 0);
    if (!qty.ok) errs.quantity = qty.error;
    setErrors(errs);
    setError(null);
    if (Object.keys(errs).length || !qty.ok) return;
    setBusy(true);
    try {
      await api.putAllocation({ rep_id: d.rep_id, product_id: d.product_id, period_from: d.period_from, period_to: d.period_to, quantity: qty.value });
      onDone(true);
    } catch (err) {
      const fe = fieldErrorsOf(err);
      setErrors(fe);
      if (!Object.keys(fe).length) setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const e = (f: string) => <FieldError id={`alloc-${f}-error`} message={errors[f]} testid={`alloc-${f}-error`} />;
  return (
    <form class="policy-form" onSubmit={submit} noValidate data-testid="alloc-form">
      <h3>Allocation</h3>
      <div class="filter-grid">
        <label>
          Rep
          <select value={d.rep_id} onChange={(ev) => set({ rep_id: ev.currentTarget.value })} aria-invalid={errors.rep_id ? true : undefined} data-testid="alloc-rep">
            <option value="">Choose…</option>
            {catalog.reps.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
          {e('rep_id')}
        </label>
        <label>
          Product
          <select
            value={d.product_id}
            onChange={(ev) => set({ product_id: ev.currentTarget.value })}
            aria-invalid={errors.product_id ? true : undefined}
            data-testid="alloc-product"
          >
            <option value="">Choose…</option>
            {catalog.products.map((p) => (
              <option key={p.id} value={p.id}>
                {p.brand}
              </option>
            ))}
          </select>
          {e('product_id')}
        </label>
        <label>
          Cycle from
          <input type="date" value={d.period_from} onInput={(ev) => set({ period_from: ev.currentTarget.value })} aria-invalid={errors.period_from ? true : undefined} data-testid="alloc-from" />
          {e('period_from')}
        </label>
        <label>
          Cycle to (inclusive)
          <input type="date" value={d.period_to} onInput={(ev) => set({ period_to: ev.currentTarget.value })} aria-invalid={errors.period_to ? true : undefined} data-testid="alloc-to" />
          {e('period_to')}
        </label>
        <label>
          Units
          <input type="number" min={0} value={d.quantity} onInput={(ev) => set({ quantity: ev.currentTarget.value })} aria-invalid={errors.quantity ? true : undefined} data-testid="alloc-quantity" />
          {e('quantity')}
        </label>
      </div>
      <OtherErrors errors={errors} shown={['rep_id', 'product_id', 'period_from', 'period_to', 'quantity']} />
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      <div class="form-actions">
        <button type="button" class="btn btn-small" onClick={() => onDone(false)}>
          Cancel
        </button>
        <button type="submit" class="btn btn-primary btn-small" disabled={busy} data-testid="alloc-save">
          Save allocation
        </button>
      </div>
    </form>
  );
}

// ---------------------------------------------------------------------------------------
// Credential rules
// ---------------------------------------------------------------------------------------

const ALL_PRODUCTS = '';
const ALL_CONTROLLED = '*controlled';

function scopeOf(r: Pick<CredentialRule, 'product_id' | 'controlled_only'>): string {
  return r.product_id ?? (r.controlled_only ? ALL_CONTROLLED : ALL_PRODUCTS);
}

function scopeLabel(r: CredentialRule, catalog: Catalog): string {
  if (r.product_id) return catalog.productName(r.product_id) + (r.controlled_only ? ' (when controlled)' : '');
  return r.controlled_only ? 'Every controlled product' : 'Every product';
}

function CredentialRules({ catalog }: { catalog: Catalog }) {
  const { api } = useApp();
  const [gen, setGen] = useState(0);
  const res = useLoad(() => api.credentialRules(), [gen]);
  const [editing, setEditing] = useState<CredentialRule | null>(null);
  return (
    <section class="card section" data-testid="credential-rules">
      <h2>Credential rules</h2>
      <p class="muted small">Practitioners with a credential who may not receive samples of a product in a state (e.g. NPs and controlled products).</p>
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
                      <button type="button" class="btn btn-small" onClick={() => setEditing(r)} data-testid="rule-edit">
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
            onClick={() => setEditing({ id: uuidv7(), state: '', credential: '', product_id: null, controlled_only: true })}
            data-testid="rule-new"
          >
            New rule
          </button>
        </div>
      )}
    </section>
  );
}

function CredentialRuleForm({ initial, catalog, onDone }: { initial: CredentialRule; catalog: Catalog; onDone: (saved: boolean) => void }) {
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
          <input type="text" maxLength={2} value={state} onInput={(e) => setState(e.currentTarget.value)} aria-invalid={errors.state ? true : undefined} data-testid="rule-state" />
          <FieldError id="rule-state-error" message={errors.state} testid="rule-state-error" />
        </label>
        <label>
          Credential (as written on the HCP)
          <input type="text" value={credential} placeholder="NP" onInput={(e) => setCredential(e.currentTarget.value)} aria-invalid={errors.credential ? true : undefined} data-testid="rule-credential" />
          <FieldError id="rule-credential-error" message={errors.credential} testid="rule-credential-error" />
        </label>
        <label>
          May not receive
          <select value={scope} onChange={(e) => setScope(e.currentTarget.value)} data-testid="rule-scope">
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
      <OtherErrors errors={errors} shown={['state', 'credential']} />
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      <div class="form-actions">
        <button type="button" class="btn btn-small" onClick={() => onDone(false)}>
          Cancel
        </button>
        <button type="submit" class="btn btn-primary btn-small" disabled={busy} data-testid="rule-save">
          Save rule
        </button>
      </div>
    </form>
  );
}

// ---------------------------------------------------------------------------------------
// Key messages
// ---------------------------------------------------------------------------------------

function KeyMessages({ catalog }: { catalog: Catalog }) {
  const { api } = useApp();
  const [gen, setGen] = useState(0);
  const res = useLoad(() => api.keyMessages(), [gen]);
  const [editing, setEditing] = useState<KeyMessage | null>(null);
  const done = (saved: boolean) => {
    setEditing(null);
    if (saved) setGen((g) => g + 1);
  };
  return (
    <section class="card section" data-testid="key-messages">
      <h2>Key messages</h2>
      <p class="muted small">What reps present per product: benefit claims and the risk information that balances them.</p>
      {res.state === 'loading' && <Loading />}
      {res.state === 'error' && <ErrorBox error={res.error} />}
      {res.state === 'ok' &&
        catalog.products.map((p) => {
          const ms = res.data.filter((m) => m.product_id === p.id);
          const benefits = ms.filter((m) => m.kind === 'benefit').length;
          const risks = ms.filter((m) => m.kind === 'risk').length;
          return (
            <div key={p.id} class="km-product" data-testid="km-product" data-id={p.id}>
              <h3>
                {p.brand}{' '}
                {benefits > 0 && risks === 0 && (
                  <span class="badge dnc" title="Benefit claims need risk information alongside">
                    no risk information
                  </span>
                )}
              </h3>
              {ms.length === 0 ? (
                <p class="muted small">No key messages.</p>
              ) : (
                <ul class="km-list">
                  {ms.map((m) => (
                    <li key={m.id} data-testid="key-message" data-id={m.id} data-kind={m.kind}>
                      <span class={`badge km-${m.kind}`}>{m.kind}</span> {m.text}{' '}
                      <button type="button" class="btn-link" onClick={() => setEditing(m)} data-testid="km-edit">
                        Edit
                      </button>
                    </li>
                  ))}
                </ul>
              )}
              {editing && editing.product_id === p.id && <KeyMessageForm key={editing.id} initial={editing} catalog={catalog} onDone={done} />}
              {!(editing && editing.product_id === p.id) && (
                <button
                  type="button"
                  class="btn-link"
                  onClick={() => setEditing({ id: uuidv7(), product_id: p.id, kind: risks === 0 && benefits > 0 ? 'risk' : 'benefit', text: '' })}
                  data-testid="km-new"
                >
                  Add a message
                </button>
              )}
            </div>
          );
        })}
    </section>
  );
}

function KeyMessageForm({ initial, catalog, onDone }: { initial: KeyMessage; catalog: Catalog; onDone: (saved: boolean) => void }) {
  const { api } = useApp();
  const [kind, setKind] = useState(initial.kind);
  const [text, setText] = useState(initial.text);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    if (!text.trim()) {
      setErrors({ text: 'is required' });
      return;
    }
    setBusy(true);
    try {
      await api.putKeyMessage({ ...initial, kind, text: text.trim() });
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
    <form class="policy-form" onSubmit={submit} noValidate data-testid="km-form">
      <h3>{catalog.productName(initial.product_id)}: key message</h3>
      <label>
        Kind
        <select value={kind} onChange={(e) => setKind(e.currentTarget.value)} data-testid="km-kind">
          <option value="benefit">Benefit</option>
          <option value="risk">Risk information</option>
        </select>
        <FieldError id="km-kind-error" message={errors.kind} />
      </label>
      <label>
        Text
        <textarea rows={3} value={text} onInput={(e) => setText(e.currentTarget.value)} aria-invalid={errors.text ? true : undefined} data-testid="km-text" />
        <FieldError id="km-text-error" message={errors.text} testid="km-text-error" />
      </label>
      <OtherErrors errors={errors} shown={['kind', 'text']} />
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      <div class="form-actions">
        <button type="button" class="btn btn-small" onClick={() => onDone(false)}>
          Cancel
        </button>
        <button type="submit" class="btn btn-primary btn-small" disabled={busy} data-testid="km-save">
          Save message
        </button>
      </div>
    </form>
  );
}
