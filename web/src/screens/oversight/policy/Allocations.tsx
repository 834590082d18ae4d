/** Allocations on the policy screen: units of a product each rep may give in a cycle, filtered by rep, and the form that sets one. */
import { useState } from 'preact/hooks';
import type { Allocation } from '../../../api/types';
import { useApp } from '../../../context';
import { parseWhole, quarterOf } from '../../../lib/oversight';
import type { Catalog } from '../common';
import { PolicyEditor } from './PolicyEditor';

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
  const choose = { value: '', label: 'Choose…' };
  return (
    <PolicyEditor<Allocation, AllocationDraft, true>
      testid="allocations"
      title="Allocations"
      intro={
        <>
          Units of a product each rep may give in a cycle (saving the same rep, product and first
          day replaces it).
        </>
      }
      controls={
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
      }
      load={() => api.allocations(rep || null)}
      deps={[rep]}
      order={(a, b) =>
        catalog.repName(a.rep_id).localeCompare(catalog.repName(b.rep_id)) ||
        b.period_from.localeCompare(a.period_from) ||
        catalog.productName(a.product_id).localeCompare(catalog.productName(b.product_id))
      }
      table={{
        rowTestid: 'allocation',
        rowId: (a) => a.id,
        empty: 'No allocations.',
        columns: [
          { heading: 'Rep', cell: (a) => catalog.repName(a.rep_id) },
          { heading: 'Product', cell: (a) => catalog.productName(a.product_id) },
          {
            heading: 'Cycle',
            cell: (a) => (
              <>
                {a.period_from} – {a.period_to}
              </>
            ),
          },
          { heading: 'Units', num: true, cell: (a) => a.quantity },
        ],
        edit: { testid: 'alloc-edit', draft: (a) => ({ ...a, quantity: String(a.quantity) }) },
      }}
      create={{
        label: 'New allocation',
        testid: 'alloc-new',
        draft: () => {
          const q = quarterOf(new Date());
          return {
            rep_id: rep,
            product_id: '',
            period_from: q.from,
            period_to: q.to,
            quantity: '',
          };
        },
      }}
      form={{
        testid: 'alloc-form',
        prefix: 'alloc',
        key: (d) => `${d.rep_id}|${d.product_id}|${d.period_from}`,
        title: () => 'Allocation',
        fields: [
          {
            name: 'rep_id',
            label: 'Rep',
            input: 'select',
            testid: 'alloc-rep',
            options: [choose, ...catalog.reps.map((r) => ({ value: r.id, label: r.name }))],
          },
          {
            name: 'product_id',
            label: 'Product',
            input: 'select',
            testid: 'alloc-product',
            options: [choose, ...catalog.products.map((p) => ({ value: p.id, label: p.brand }))],
          },
          { name: 'period_from', label: 'Cycle from', input: 'date', testid: 'alloc-from' },
          { name: 'period_to', label: 'Cycle to (inclusive)', input: 'date', testid: 'alloc-to' },
          { name: 'quantity', label: 'Units', input: 'number', min: 0, testid: 'alloc-quantity' },
        ],
        save: 'Save allocation',
        saveTestid: 'alloc-save',
        check: (d) => {
          const errors: Record<string, string> = {};
          if (!d.rep_id) errors.rep_id = 'choose a rep';
          if (!d.product_id) errors.product_id = 'choose a product';
          if (!d.period_from) errors.period_from = 'is required';
          if (!d.period_to) errors.period_to = 'is required';
          else if (d.period_from && d.period_to < d.period_from)
            errors.period_to = 'is before the start of the cycle';
          const qty = parseWhole(d.quantity, 0);
          if (!qty.ok) errors.quantity = qty.error;
          if (Object.keys(errors).length || !qty.ok) return { errors };
          return {
            send: async () => {
              await api.putAllocation({
                rep_id: d.rep_id,
                product_id: d.product_id,
                period_from: d.period_from,
                period_to: d.period_to,
                quantity: qty.value,
              });
              return true as const;
            },
          };
        },
      }}
    />
  );
}
