/** Allocations on the policy screen: units of a product each rep may give in a cycle, filtered by rep, and the form that sets one. */
import { useState } from 'preact/hooks';
import type { Allocation } from '../../../api/types';
import { useApp } from '../../../context';
import { useLoad } from '../../../hooks';
import { parseWhole, quarterOf } from '../../../lib/oversight';
import { Empty, ErrorBox, Loading } from '../../../components/bits';
import { errorText, FieldError, fieldErrorsOf, type Catalog, FormFooter } from '../common';

interface AllocationDraft {
  rep_id: string;
  product_id: string;
  period_from: string;
  period_to: string;
  quantity: string;
}

export function Allocations({ catalog }: { catalog: Catalog }) {
  const { api } = useApp();
  const [rep, setRep] = useState('');
  const [gen, setGen] = useState(0);
  const res = useLoad(() => api.allocations(rep || null), [rep, gen]);
  const q = quarterOf(new Date());
  const blank: AllocationDraft = {
    rep_id: rep,
    product_id: '',
    period_from: q.from,
    period_to: q.to,
    quantity: '',
  };
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
      <p class="muted small">
        Units of a product each rep may give in a cycle (saving the same rep, product and first day
        replaces it).
      </p>
      <div class="cov-controls">
        <label>
          Rep
          <select
            value={rep}
            onChange={(e) => setRep(e.currentTarget.value)}
            data-testid="alloc-filter-rep"
          >
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
          <button
            type="button"
            class="btn btn-small"
            onClick={() => setDraft(blank)}
            data-testid="alloc-new"
          >
            New allocation
          </button>
        </div>
      )}
    </section>
  );
}

function AllocationForm({
  initial,
  catalog,
  onDone,
}: {
  initial: AllocationDraft;
  catalog: Catalog;
  onDone: (saved: boolean) => void;
}) {
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
    else if (d.period_from && d.period_to < d.period_from)
      errs.period_to = 'is before the start of the cycle';
    const qty = parseWhole(d.quantity, 0);
    if (!qty.ok) errs.quantity = qty.error;
    setErrors(errs);
    setError(null);
    if (Object.keys(errs).length || !qty.ok) return;
    setBusy(true);
    try {
      await api.putAllocation({
        rep_id: d.rep_id,
        product_id: d.product_id,
        period_from: d.period_from,
        period_to: d.period_to,
        quantity: qty.value,
      });
      onDone(true);
    } catch (err) {
      const fe = fieldErrorsOf(err);
      setErrors(fe);
      if (!Object.keys(fe).length) setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const e = (f: string) => (
    <FieldError id={`alloc-${f}-error`} message={errors[f]} testid={`alloc-${f}-error`} />
  );
  return (
    <form class="policy-form" onSubmit={submit} noValidate data-testid="alloc-form">
      <h3>Allocation</h3>
      <div class="filter-grid">
        <label>
          Rep
          <select
            value={d.rep_id}
            onChange={(ev) => set({ rep_id: ev.currentTarget.value })}
            aria-invalid={errors.rep_id ? true : undefined}
            data-testid="alloc-rep"
          >
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
          <input
            type="date"
            value={d.period_from}
            onInput={(ev) => set({ period_from: ev.currentTarget.value })}
            aria-invalid={errors.period_from ? true : undefined}
            data-testid="alloc-from"
          />
          {e('period_from')}
        </label>
        <label>
          Cycle to (inclusive)
          <input
            type="date"
            value={d.period_to}
            onInput={(ev) => set({ period_to: ev.currentTarget.value })}
            aria-invalid={errors.period_to ? true : undefined}
            data-testid="alloc-to"
          />
          {e('period_to')}
        </label>
        <label>
          Units
          <input
            type="number"
            min={0}
            value={d.quantity}
            onInput={(ev) => set({ quantity: ev.currentTarget.value })}
            aria-invalid={errors.quantity ? true : undefined}
            data-testid="alloc-quantity"
          />
          {e('quantity')}
        </label>
      </div>
      <FormFooter
        errors={errors}
        shown={['rep_id', 'product_id', 'period_from', 'period_to', 'quantity']}
        error={error}
        busy={busy}
        onCancel={() => onDone(false)}
        save="Save allocation"
        testid="alloc-save"
      />
    </form>
  );
}
