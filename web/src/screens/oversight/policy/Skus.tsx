/** Sample SKUs on the policy screen: each SKU's NDC, controlled-substance schedule and unit value,
 * and the form compliance, ops and admin use to set the schedule and the unit value. */
import { useState } from 'preact/hooks';
import type { DeaSchedule, SkuFacts } from '../../../api/types';
import { useApp } from '../../../context';
import { formatCents, ownsSamplePolicy, parseDollars } from '../../../lib/oversight';
import { PolicyEditor } from './PolicyEditor';

const SCHEDULES: DeaSchedule[] = ['II', 'III', 'IV', 'V'];

const skuLabel = (s: SkuFacts) => `${s.product_name} ${s.strength}`;

/** The form's draft: the SKU, its schedule ('' when not controlled) and its unit value in dollars. */
interface SkuDraft {
  sku: SkuFacts;
  dea_schedule: DeaSchedule | '';
  unit_value_cents: string;
}

export function Skus() {
  const { api, me } = useApp();
  const owner = ownsSamplePolicy(me);
  const [saved, setSaved] = useState<SkuFacts | null>(null);
  return (
    <PolicyEditor<SkuFacts, SkuDraft, SkuFacts>
      testid="skus"
      title="Sample SKUs"
      intro={
        <>
          A controlled SKU (schedule II–V) can be given only to an HCP with a DEA registration
          covering its schedule; value limits count each unit at the SKU's unit value.
        </>
      }
      load={() => api.sampleSkus()}
      table={{
        rowTestid: 'sku',
        rowId: (s) => s.sku_id,
        empty: 'No sample SKUs.',
        columns: [
          { heading: 'Product', cell: (s) => s.product_name },
          { heading: 'Strength', cell: (s) => s.strength },
          { heading: 'NDC', cellClass: 'mono', cell: (s) => s.ndc || '—' },
          {
            heading: 'Controlled',
            testid: 'sku-schedule',
            value: (s) => s.dea_schedule ?? '',
            cell: (s) =>
              s.dea_schedule ? (
                <span class="badge controlled">C-{s.dea_schedule}</span>
              ) : (
                <span class="muted">No</span>
              ),
          },
          {
            heading: 'Unit value',
            num: true,
            testid: 'sku-value',
            value: (s) => s.unit_value_cents,
            cell: (s) => formatCents(s.unit_value_cents),
          },
        ],
        edit: owner
          ? {
              testid: 'sku-edit',
              draft: (s) => ({
                sku: s,
                dea_schedule: s.dea_schedule ?? '',
                unit_value_cents: (s.unit_value_cents / 100).toFixed(2),
              }),
            }
          : undefined,
      }}
      after={
        saved && (
          <p class="small" role="status" data-testid="sku-saved">
            Saved: {skuLabel(saved)} is{' '}
            {saved.dea_schedule ? `schedule ${saved.dea_schedule}` : 'not controlled'} at{' '}
            {formatCents(saved.unit_value_cents)} a unit.
          </p>
        )
      }
      onEdit={() => setSaved(null)}
      onSaved={setSaved}
      form={{
        testid: 'sku-form',
        prefix: 'sku',
        id: (d) => d.sku.sku_id,
        key: (d) => d.sku.sku_id,
        title: ({ sku }) => (
          <>
            {skuLabel(sku)} {sku.ndc && <span class="muted small mono">NDC {sku.ndc}</span>}
          </>
        ),
        fields: [
          {
            name: 'dea_schedule',
            label: 'Controlled-substance schedule',
            input: 'select',
            testid: 'sku-form-schedule',
            options: [
              { value: '', label: 'None (not controlled)' },
              ...SCHEDULES.map((s) => ({ value: s, label: `Schedule ${s}` })),
            ],
          },
          {
            name: 'unit_value_cents',
            label: 'Unit value (US$)',
            input: 'text',
            inputMode: 'decimal',
            testid: 'sku-form-value',
          },
        ],
        save: 'Save SKU',
        saving: 'Saving…',
        saveTestid: 'sku-save',
        check: (d) => {
          const cents = parseDollars(d.unit_value_cents);
          if (!cents.ok) return { errors: { unit_value_cents: cents.error } };
          return {
            send: () =>
              api.putSkuPolicy(d.sku.sku_id, {
                dea_schedule: d.dea_schedule || null,
                unit_value_cents: cents.value,
              }),
          };
        },
      }}
    />
  );
}
