/** Sample limit templates on the policy screen: the list, deleting one, and the form that creates or edits one. */
import { useState } from 'preact/hooks';
import type { LimitMeasure, LimitWindow, SampleLimit, Severity } from '../../../api/types';
import { useApp } from '../../../context';
import { useLoad } from '../../../hooks';
import { uuidv7 } from '../../../offline/uuid';
import {
  draftFromLimit,
  emptyLimitDraft,
  limitFromDraft,
  limitRule,
  needsWindowDays,
  WINDOW_LABELS,
  type LimitDraft,
} from '../../../lib/oversight';
import { Empty, ErrorBox, Loading } from '../../../components/bits';
import { errorText, FieldError, fieldErrorsOf, type Catalog, FormFooter } from '../common';

export function Limits({ catalog }: { catalog: Catalog }) {
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
        How much of a product one HCP may receive. An error blocks the disbursement; a warning asks
        the rep to confirm.
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
                      <button
                        type="button"
                        class="btn btn-small"
                        onClick={() => setEditing(draftFromLimit(l))}
                        data-testid="limit-edit"
                      >
                        Edit
                      </button>
                      <button
                        type="button"
                        class="btn btn-small"
                        onClick={() => void remove(l)}
                        data-testid="limit-delete"
                      >
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
          <button
            type="button"
            class="btn btn-small"
            onClick={() => setEditing(emptyLimitDraft(catalog.products[0]?.id))}
            data-testid="limit-new"
          >
            New limit
          </button>
        </div>
      )}
    </section>
  );
}

function LimitForm({
  initial,
  catalog,
  onDone,
}: {
  initial: LimitDraft;
  catalog: Catalog;
  onDone: (saved: boolean) => void;
}) {
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
  const inv = (f: string) =>
    errors[f] ? { 'aria-invalid': true as const, 'aria-describedby': `limit-${f}-error` } : {};
  const err = (f: string) => (
    <FieldError id={`limit-${f}-error`} message={errors[f]} testid={`limit-${f}-error`} />
  );
  const preview = limitFromDraft(d, 'preview');
  return (
    <form class="policy-form" onSubmit={submit} noValidate data-testid="limit-form">
      <h3>{d.id ? 'Edit limit' : 'New limit'}</h3>
      <div class="filter-grid">
        <label>
          Name
          <input
            type="text"
            value={d.name}
            onInput={(e) => set({ name: e.currentTarget.value })}
            {...inv('name')}
            data-testid="limit-name"
          />
          {err('name')}
        </label>
        <label>
          Product
          <select
            value={d.product_id}
            onChange={(e) => set({ product_id: e.currentTarget.value })}
            {...inv('product_id')}
            data-testid="limit-product"
          >
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
          <select
            value={d.measure}
            onChange={(e) => set({ measure: e.currentTarget.value as LimitMeasure, max: '' })}
            {...inv('measure')}
            data-testid="limit-measure"
          >
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
              set({
                window: w,
                window_days: needsWindowDays(w) ? d.window_days : '',
                ends_after_days: w === 'from_first' ? d.ends_after_days : '',
              });
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
          <select
            value={d.severity}
            onChange={(e) => set({ severity: e.currentTarget.value as Severity })}
            {...inv('severity')}
            data-testid="limit-severity"
          >
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
      <FormFooter
        errors={errors}
        shown={[
          'name',
          'product_id',
          'measure',
          'max',
          'window',
          'window_days',
          'ends_after_days',
          'severity',
        ]}
        error={error}
        busy={busy}
        onCancel={() => onDone(false)}
        save={busy ? 'Saving…' : 'Save limit'}
        testid="limit-save"
      />
    </form>
  );
}
