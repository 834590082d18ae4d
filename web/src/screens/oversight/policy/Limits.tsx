/** Sample limit templates on the policy screen: the list, deleting one, and the form that creates or edits one. */
import { useState } from 'preact/hooks';
import type { LimitMeasure, LimitWindow, SampleLimit, Severity } from '../../../api/types';
import { useApp } from '../../../context';
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
import { errorText, type Catalog } from '../common';
import { PolicyEditor } from './PolicyEditor';

export function Limits({ catalog }: { catalog: Catalog }) {
  const { api } = useApp();
  const [error, setError] = useState<string | null>(null);
  const remove = async (l: SampleLimit): Promise<boolean> => {
    if (!confirm(`Delete the limit "${l.name}"?`)) return false;
    setError(null);
    try {
      await api.deleteSampleLimit(l.id);
      return true;
    } catch (e) {
      setError(errorText(e));
      return false;
    }
  };
  return (
    <PolicyEditor<SampleLimit, LimitDraft, true>
      testid="limits"
      title="Sample limit templates"
      intro={
        <>
          How much of a product one HCP may receive. An error blocks the disbursement; a warning
          asks the rep to confirm.
        </>
      }
      load={() => api.sampleLimits()}
      table={{
        rowTestid: 'limit',
        rowId: (l) => l.id,
        empty: 'No limits.',
        columns: [
          { heading: 'Name', cell: (l) => l.name },
          { heading: 'Product', cell: (l) => catalog.productName(l.product_id) },
          { heading: 'Rule', testid: 'limit-rule', cell: (l) => limitRule(l) },
          {
            heading: 'Severity',
            cell: (l) => <span class={`badge sev sev-${l.severity}`}>{l.severity}</span>,
          },
        ],
        edit: { testid: 'limit-edit', draft: draftFromLimit },
        actions: [{ label: 'Delete', testid: 'limit-delete', run: remove }],
      }}
      after={
        error && (
          <p class="field-error" role="alert">
            {error}
          </p>
        )
      }
      create={{
        label: 'New limit',
        testid: 'limit-new',
        draft: () => emptyLimitDraft(catalog.products[0]?.id),
      }}
      form={{
        testid: 'limit-form',
        prefix: 'limit',
        key: (d) => d.id ?? 'new',
        title: (d) => (d.id ? 'Edit limit' : 'New limit'),
        clearErrorsOnEdit: true,
        fields: [
          { name: 'name', label: 'Name', input: 'text', testid: 'limit-name' },
          {
            name: 'product_id',
            label: 'Product',
            input: 'select',
            testid: 'limit-product',
            options: [
              { value: '', label: 'Choose…' },
              ...catalog.products.map((p) => ({ value: p.id, label: p.brand })),
            ],
          },
          {
            name: 'measure',
            label: 'Measure',
            input: 'select',
            testid: 'limit-measure',
            options: [
              { value: 'quantity', label: 'Units' },
              { value: 'value', label: 'Value (US$)' },
            ],
            change: (v) => ({ measure: v as LimitMeasure, max: '' }),
          },
          {
            name: 'max',
            label: (d) => (d.measure === 'value' ? 'Maximum value (US$)' : 'Maximum units'),
            input: 'text',
            inputMode: (d) => (d.measure === 'value' ? 'decimal' : 'numeric'),
            testid: 'limit-max',
          },
          {
            name: 'window',
            label: 'Window',
            input: 'select',
            testid: 'limit-window',
            options: (Object.keys(WINDOW_LABELS) as LimitWindow[]).map((w) => ({
              value: w,
              label: WINDOW_LABELS[w],
            })),
            change: (v, d) => {
              const w = v as LimitWindow;
              return {
                window: w,
                window_days: needsWindowDays(w) ? d.window_days : '',
                ends_after_days: w === 'from_first' ? d.ends_after_days : '',
              };
            },
          },
          {
            name: 'window_days',
            label: 'Window length (days)',
            input: 'number',
            min: 1,
            when: (d) => needsWindowDays(d.window),
            testid: 'limit-window-days',
          },
          {
            name: 'ends_after_days',
            label: 'Programme ends after (days, optional)',
            input: 'number',
            min: 1,
            when: (d) => d.window === 'from_first',
            testid: 'limit-ends-after',
          },
          {
            name: 'severity',
            label: 'Severity',
            input: 'select',
            testid: 'limit-severity',
            options: [
              { value: 'error', label: 'Error (blocks)' },
              { value: 'warning', label: 'Warning (rep confirms)' },
            ],
            change: (v) => ({ severity: v as Severity }),
          },
        ],
        below: (d) => {
          const preview = limitFromDraft(d, 'preview');
          return (
            preview.ok && (
              <p class="small" data-testid="limit-preview">
                Reads: <strong>{limitRule(preview.value)}</strong>.
              </p>
            )
          );
        },
        save: 'Save limit',
        saving: 'Saving…',
        saveTestid: 'limit-save',
        check: (d) => {
          const parsed = limitFromDraft(d, d.id ?? uuidv7());
          if (!parsed.ok) return { errors: parsed.errors ?? {} };
          return {
            send: async () => {
              await api.putSampleLimit(parsed.value);
              return true as const;
            },
          };
        },
      }}
    />
  );
}
