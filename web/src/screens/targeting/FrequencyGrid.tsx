/** A version's frequency table: calls per cycle for each product (rows) × tier (columns). On a
 * draft (ops, admin) the cells are inputs checked as typed (0–31 a month, 0–92 a quarter); Save
 * replaces the table and the server's field errors (`frequencies[3].calls`) land on their cell. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError } from '../../api/problem';
import type { Product, TargetingVersion } from '../../api/types';
import { useApp } from '../../context';
import {
  cellErrors,
  cellKey,
  gridDirty,
  gridRows,
  gridValues,
  GRID_TIERS,
  maxCalls,
  parseCalls,
} from '../../lib/targeting';
import { errorText, OtherErrors } from '../oversight/common';

export function FrequencyGrid({
  version,
  products,
  editable,
  onSaved,
}: {
  version: TargetingVersion;
  products: Product[];
  editable: boolean;
  onSaved: (v: TargetingVersion) => void;
}) {
  const { api } = useApp();
  const ids = useMemo(() => products.map((p) => p.id), [products]);
  const savedValues = useMemo(
    () => gridValues(ids, version.frequencies),
    [ids, version.frequencies],
  );
  const [values, setValues] = useState(savedValues);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [other, setOther] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  // The table as saved (the server's answer) replaces what was typed; other reloads of the version do not.
  const savedJson = JSON.stringify(savedValues);
  useEffect(() => setValues(savedValues), [savedJson]); // eslint-disable-line react-hooks/exhaustive-deps -- by content: only a new saved table replaces what was typed
  const cycle = version.cycle;
  const dirty = editable && gridDirty(ids, values, version.frequencies);

  const edit = (k: string, v: string) => {
    setValues((vs) => ({ ...vs, [k]: v }));
    setSaved(false);
    setFormError(null);
    const parsed = parseCalls(v, cycle);
    setErrors((es) => {
      const rest = { ...es };
      delete rest[k];
      return parsed.ok ? rest : { ...rest, [k]: parsed.error };
    });
  };

  const save = async (e: Event) => {
    e.preventDefault();
    const { rows, errors: local } = gridRows(ids, values, cycle);
    setOther({});
    setFormError(null);
    if (Object.keys(local).length > 0) {
      setErrors(local);
      return;
    }
    setBusy(true);
    try {
      const v = await api.putFrequencies(version.id, rows);
      setErrors({});
      setSaved(true);
      onSaved(v);
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fieldErrors).length > 0) {
        const placed = cellErrors(err.fieldErrors, rows);
        setErrors(placed.cells);
        setOther(placed.other);
      } else setFormError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card section" data-testid="frequencies" data-cycle={cycle}>
      <h2>Calls per {cycle}</h2>
      <p class="muted small">
        Calls per {cycle} an HCP of a tier should get for a product. An HCP's target is the largest
        figure over its products (one call details several)
        {editable ? `; from 0 to ${maxCalls(cycle)}` : ''}.
      </p>
      <form onSubmit={save} noValidate>
        <div class="table-wrap">
          <table class="table freq-grid" data-testid="freq-grid">
            <thead>
              <tr>
                <th>Product</th>
                {GRID_TIERS.map((t) => (
                  <th key={t} class="num">
                    Tier {t}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {products.map((p) => (
                <tr key={p.id} data-testid="freq-row" data-product={p.id} data-brand={p.brand}>
                  <th scope="row">{p.brand}</th>
                  {GRID_TIERS.map((t) => {
                    const k = cellKey(p.id, t);
                    const id = `freq-${p.id}-${t}`;
                    return (
                      <td
                        key={t}
                        class="num"
                        data-testid="freq-cell"
                        data-tier={t}
                        data-value={savedValues[k]}
                      >
                        {editable ? (
                          <>
                            <input
                              id={id}
                              type="number"
                              inputMode="numeric"
                              min={0}
                              max={maxCalls(cycle)}
                              step={1}
                              value={values[k] ?? ''}
                              aria-label={`${p.brand}, tier ${t}: calls per ${cycle}`}
                              aria-invalid={errors[k] ? true : undefined}
                              aria-describedby={errors[k] ? `${id}-error` : undefined}
                              onInput={(e) => edit(k, e.currentTarget.value)}
                              data-testid="freq-input"
                            />
                            {errors[k] && (
                              <p class="field-error" id={`${id}-error`} data-testid="freq-error">
                                {errors[k]}
                              </p>
                            )}
                          </>
                        ) : (
                          <span>{savedValues[k]}</span>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {editable && (
          <>
            <OtherErrors errors={other} shown={[]} testid="freq-other-errors" />
            {formError && (
              <p class="field-error" role="alert">
                {formError}
              </p>
            )}
            <div class="form-actions">
              {saved && !dirty && (
                <span class="muted small" role="status" data-testid="freq-saved">
                  Saved.
                </span>
              )}
              <button
                type="submit"
                class="btn btn-primary btn-small"
                disabled={busy || !dirty}
                data-testid="freq-save"
              >
                {busy ? 'Saving…' : 'Save calls'}
              </button>
            </div>
          </>
        )}
      </form>
    </section>
  );
}
