import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../../api/problem';
import type { Colleague, Lot, LotQuantity, Product } from '../../api/types';
import { useApp } from '../../context';
import { useLoad, type Load } from '../../hooks';

/** Products (with their sample SKUs), lots and overseen reps, to name what ids refer to. */
export interface Catalog {
  products: Product[];
  lots: Lot[];
  reps: Colleague[];
  productName: (id: string | null | undefined) => string;
  /** "Cardivex 10 mg" for a SKU id. */
  skuName: (id: string) => string;
  /** "Cardivex 10 mg · lot C10-2401 (exp. 2027-03-31)". */
  lotName: (id: string) => string;
  lot: (id: string) => Lot | undefined;
  repName: (id: string) => string;
}

export function makeCatalog(products: Product[], lots: Lot[], reps: Colleague[]): Catalog {
  const prod = new Map(products.map((p) => [p.id, p]));
  const skus = new Map(
    products.flatMap((p) => p.sample_skus.map((s) => [s.id, `${p.brand} ${s.strength}`] as const)),
  );
  const lotMap = new Map(lots.map((l) => [l.id, l]));
  const repMap = new Map(reps.map((r) => [r.id, r.name]));
  return {
    products,
    lots,
    reps,
    productName: (id) => (id ? (prod.get(id)?.brand ?? id) : ''),
    skuName: (id) => skus.get(id) ?? id,
    lotName: (id) => {
      const l = lotMap.get(id);
      return l ? `${skus.get(l.sku_id) ?? l.sku_id} · lot ${l.lot_number}` : id;
    },
    lot: (id) => lotMap.get(id),
    repName: (id) => repMap.get(id) ?? id,
  };
}

/** Loads the catalog once per mount. */
export function useCatalog(): Load<Catalog> {
  const { api } = useApp();
  return useLoad(
    () =>
      Promise.all([api.products(), api.lots(), api.sampleReps()]).then(([p, l, r]) =>
        makeCatalog(p, l, r),
      ),
    [api],
  );
}

/** Field name -> message of a failed request (empty for other errors). */
export function fieldErrorsOf(e: unknown): Record<string, string> {
  return e instanceof ApiError ? e.fieldErrors : {};
}

export function errorText(e: unknown): string {
  return e instanceof ApiError ? e.detail : e instanceof Error ? e.message : String(e);
}

/** The message under an input; `id` goes in the input's aria-describedby. */
export function FieldError({
  id,
  message,
  testid,
}: {
  id: string;
  message?: string | null;
  testid?: string;
}) {
  if (!message) return null;
  return (
    <p class="field-error" id={id} data-testid={testid}>
      {message}
    </p>
  );
}

/** The end of a policy form: errors not shown by a field, the form's own error, Cancel and Save. */
export function FormFooter(p: {
  errors: Record<string, string>;
  shown: string[];
  error: string | null;
  busy: boolean;
  onCancel: () => void;
  save: string;
  testid: string;
}) {
  return (
    <>
      <OtherErrors errors={p.errors} shown={p.shown} />
      {p.error && (
        <p class="field-error" role="alert">
          {p.error}
        </p>
      )}
      <div class="form-actions">
        <button type="button" class="btn btn-small" onClick={p.onCancel}>
          Cancel
        </button>
        <button
          type="submit"
          class="btn btn-primary btn-small"
          disabled={p.busy}
          data-testid={p.testid}
        >
          {p.save}
        </button>
      </div>
    </>
  );
}

/** Errors the form does not show next to a field (e.g. `lines[2].lot_id`), listed with their field. */
export function OtherErrors({
  errors,
  shown,
  testid,
}: {
  errors: Record<string, string>;
  shown: string[];
  testid?: string;
}) {
  const rest = Object.entries(errors).filter(([f]) => !shown.includes(f));
  if (rest.length === 0) return null;
  return (
    <ul class="field-error" data-testid={testid}>
      {rest.map(([f, m]) => (
        <li key={f} data-field={f}>
          <code>{f}</code>: {m}
        </li>
      ))}
    </ul>
  );
}

export function LotLines({ lines, catalog }: { lines: LotQuantity[]; catalog: Catalog }) {
  return (
    <ul class="lot-lines">
      {lines.map((l, i) => (
        <li key={`${l.lot_id}-${i}`} data-lot={l.lot_id}>
          {catalog.lotName(l.lot_id)} × <strong>{l.quantity}</strong>
        </li>
      ))}
    </ul>
  );
}

/** Saves a Blob under a file name (the browser's download). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** "Download CSV": fetches the export with the bearer token and saves it. */
export function DownloadButton({
  fetchFile,
  testid,
  children = 'Download CSV',
}: {
  fetchFile: () => Promise<{ blob: Blob; filename: string }>;
  testid: string;
  children?: ComponentChildren;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const { blob, filename } = await fetchFile();
      saveBlob(blob, filename);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        type="button"
        class="btn btn-small"
        onClick={run}
        disabled={busy}
        data-testid={testid}
      >
        {busy ? 'Preparing…' : children}
      </button>
      {error && (
        <span class="field-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}

export function SeverityBadge({ severity }: { severity: string }) {
  return <span class={`badge sev sev-${severity}`}>{severity}</span>;
}
