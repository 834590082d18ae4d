/** Sample SKUs on the policy screen: each SKU's NDC, controlled-substance schedule and unit value,
 * and the form compliance, ops and admin use to set the schedule and the unit value. */
import { useState } from 'preact/hooks';
import type { DeaSchedule, SkuFacts } from '../../../api/types';
import { useApp } from '../../../context';
import { useLoad } from '../../../hooks';
import { formatCents, ownsSamplePolicy, parseDollars } from '../../../lib/oversight';
import { Empty, ErrorBox, Loading } from '../../../components/bits';
import { errorText, FieldError, fieldErrorsOf, FormFooter } from '../common';

const SCHEDULES: DeaSchedule[] = ['II', 'III', 'IV', 'V'];

const skuLabel = (s: SkuFacts) => `${s.product_name} ${s.strength}`;

export function Skus() {
  const { api, me } = useApp();
  const owner = ownsSamplePolicy(me.role);
  const [gen, setGen] = useState(0);
  const res = useLoad(() => api.sampleSkus(), [gen]);
  const [editing, setEditing] = useState<SkuFacts | null>(null);
  const [saved, setSaved] = useState<SkuFacts | null>(null);
  return (
    <section class="card section" data-testid="skus">
      <h2>Sample SKUs</h2>
      <p class="muted small">
        A controlled SKU (schedule II–V) can be given only to an HCP with a DEA registration
        covering its schedule; value limits count each unit at the SKU's unit value.
      </p>
      {res.state === 'loading' && <Loading />}
      {res.state === 'error' && <ErrorBox error={res.error} />}
      {res.state === 'ok' &&
        (res.data.length === 0 ? (
          <Empty>No sample SKUs.</Empty>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th>Product</th>
                  <th>Strength</th>
                  <th>NDC</th>
                  <th>Controlled</th>
                  <th class="num">Unit value</th>
                  {owner && <th />}
                </tr>
              </thead>
              <tbody>
                {res.data.map((s) => (
                  <tr key={s.sku_id} data-testid="sku" data-id={s.sku_id}>
                    <td>{s.product_name}</td>
                    <td>{s.strength}</td>
                    <td class="mono">{s.ndc || '—'}</td>
                    <td data-testid="sku-schedule" data-value={s.dea_schedule ?? ''}>
                      {s.dea_schedule ? (
                        <span class="badge controlled">C-{s.dea_schedule}</span>
                      ) : (
                        <span class="muted">No</span>
                      )}
                    </td>
                    <td class="num" data-testid="sku-value" data-value={s.unit_value_cents}>
                      {formatCents(s.unit_value_cents)}
                    </td>
                    {owner && (
                      <td class="actions">
                        <button
                          type="button"
                          class="btn btn-small"
                          onClick={() => {
                            setSaved(null);
                            setEditing(s);
                          }}
                          data-testid="sku-edit"
                        >
                          Edit
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      {saved && (
        <p class="small" role="status" data-testid="sku-saved">
          Saved: {skuLabel(saved)} is{' '}
          {saved.dea_schedule ? `schedule ${saved.dea_schedule}` : 'not controlled'} at{' '}
          {formatCents(saved.unit_value_cents)} a unit.
        </p>
      )}
      {editing && (
        <SkuForm
          key={editing.sku_id}
          initial={editing}
          onDone={(sku) => {
            setEditing(null);
            if (sku) {
              setSaved(sku);
              setGen((g) => g + 1);
            }
          }}
        />
      )}
    </section>
  );
}

function SkuForm({
  initial,
  onDone,
}: {
  initial: SkuFacts;
  onDone: (saved: SkuFacts | null) => void;
}) {
  const { api } = useApp();
  const [schedule, setSchedule] = useState<DeaSchedule | ''>(initial.dea_schedule ?? '');
  const [value, setValue] = useState((initial.unit_value_cents / 100).toFixed(2));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const cents = parseDollars(value);
    if (!cents.ok) {
      setErrors({ unit_value_cents: cents.error });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      onDone(
        await api.putSkuPolicy(initial.sku_id, {
          dea_schedule: schedule || null,
          unit_value_cents: cents.value,
        }),
      );
    } catch (err) {
      const fe = fieldErrorsOf(err);
      setErrors(fe);
      if (!Object.keys(fe).length) setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      class="policy-form"
      onSubmit={submit}
      noValidate
      data-testid="sku-form"
      data-id={initial.sku_id}
    >
      <h3>
        {skuLabel(initial)} {initial.ndc && <span class="muted small mono">NDC {initial.ndc}</span>}
      </h3>
      <div class="filter-grid">
        <label>
          Controlled-substance schedule
          <select
            value={schedule}
            onChange={(ev) => setSchedule(ev.currentTarget.value as DeaSchedule | '')}
            aria-invalid={errors.dea_schedule ? true : undefined}
            aria-describedby={errors.dea_schedule ? 'sku-dea_schedule-error' : undefined}
            data-testid="sku-form-schedule"
          >
            <option value="">None (not controlled)</option>
            {SCHEDULES.map((s) => (
              <option key={s} value={s}>
                Schedule {s}
              </option>
            ))}
          </select>
          <FieldError
            id="sku-dea_schedule-error"
            message={errors.dea_schedule}
            testid="sku-dea_schedule-error"
          />
        </label>
        <label>
          Unit value (US$)
          <input
            type="text"
            inputMode="decimal"
            value={value}
            onInput={(ev) => setValue(ev.currentTarget.value)}
            aria-invalid={errors.unit_value_cents ? true : undefined}
            aria-describedby={errors.unit_value_cents ? 'sku-unit_value_cents-error' : undefined}
            data-testid="sku-form-value"
          />
          <FieldError
            id="sku-unit_value_cents-error"
            message={errors.unit_value_cents}
            testid="sku-unit_value_cents-error"
          />
        </label>
      </div>
      <FormFooter
        errors={errors}
        shown={['dea_schedule', 'unit_value_cents']}
        error={error}
        busy={busy}
        onCancel={() => onDone(null)}
        save={busy ? 'Saving…' : 'Save SKU'}
        testid="sku-save"
      />
    </form>
  );
}
