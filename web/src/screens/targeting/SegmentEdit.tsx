/** Sets one HCP's segment for a product in a draft, on screen: the HCP by NPI, the product, the
 * decile and (optionally) the tier — blank follows from the decile, as in the CSV. */
import { useState } from 'preact/hooks';
import { ApiError } from '../../api/problem';
import type { Product, Tier } from '../../api/types';
import { useApp } from '../../context';
import { ErrorBox } from '../../components/bits';

const TIERS: Tier[] = ['A', 'B', 'C'];

/** Client-side checks, mirroring the server's (which checks again). */
export function segmentErrors(npi: string, decile: string): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!/^\d{10}$/.test(npi.trim())) errors.npi = 'An NPI has 10 digits';
  const d = Number(decile);
  if (!Number.isInteger(d) || d < 1 || d > 10) errors.decile = 'A decile between 1 and 10';
  return errors;
}

export function SegmentEdit({
  versionId,
  products,
  onSaved,
}: {
  versionId: string;
  products: Product[];
  onSaved: () => void;
}) {
  const { api } = useApp();
  const [npi, setNpi] = useState('');
  const [product, setProduct] = useState(products[0]?.id ?? '');
  const [tier, setTier] = useState<Tier | ''>('');
  const [decile, setDecile] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (e: Event) => {
    e.preventDefault();
    setSaved(null);
    setError(null);
    const found = segmentErrors(npi, decile);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const page = await api.listHcps({ q: npi.trim() }, null, 5);
      const hcp = page.items.find((h) => h.npi === npi.trim());
      if (!hcp) {
        setErrors({ npi: `No HCP with NPI ${npi.trim()}` });
        return;
      }
      await api.putVersionSegments(versionId, [
        { hcp_id: hcp.id, product_id: product, tier: tier || null, decile: Number(decile) },
      ]);
      setSaved(`${hcp.first_name} ${hcp.last_name}: set`);
      onSaved();
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fieldErrors).length > 0) {
        const f = err.fieldErrors;
        setErrors({
          decile: f['segments[0].decile'] ?? '',
          npi: f['segments[0].hcp_id'] ?? '',
          product: f['segments[0].product_id'] ?? '',
        });
      } else {
        setError(err);
      }
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (name: string) =>
    errors[name] ? (
      <span class="field-error" data-testid={`seg-edit-error-${name}`}>
        {errors[name]}
      </span>
    ) : null;

  return (
    <form class="segment-edit" onSubmit={save} data-testid="seg-edit">
      <h3 class="small-head">Set one segment</h3>
      <label>
        NPI
        <input
          value={npi}
          inputMode="numeric"
          onInput={(e) => setNpi((e.target as HTMLInputElement).value)}
          data-testid="seg-edit-npi"
        />
        {fieldError('npi')}
      </label>
      <label>
        Product
        <select
          value={product}
          onChange={(e) => setProduct((e.target as HTMLSelectElement).value)}
          data-testid="seg-edit-product"
        >
          {products.map((p) => (
            <option key={p.id} value={p.id}>
              {p.brand}
            </option>
          ))}
        </select>
        {fieldError('product')}
      </label>
      <label>
        Tier
        <select
          value={tier}
          onChange={(e) => setTier((e.target as HTMLSelectElement).value as Tier | '')}
          data-testid="seg-edit-tier"
        >
          <option value="">from the decile</option>
          {TIERS.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label>
        Decile
        <input
          value={decile}
          inputMode="numeric"
          onInput={(e) => setDecile((e.target as HTMLInputElement).value)}
          data-testid="seg-edit-decile"
        />
        {fieldError('decile')}
      </label>
      <button type="submit" class="btn" disabled={busy} data-testid="seg-edit-save">
        {busy ? 'Saving…' : 'Set in this draft'}
      </button>
      {saved && (
        <span class="muted small" data-testid="seg-edit-saved">
          {saved}
        </span>
      )}
      {error != null && <ErrorBox error={error} />}
    </form>
  );
}
