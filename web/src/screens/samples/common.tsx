/** Pieces the rep's sample forms share: lot names and expiry badges, the lot quantity table and
 * the lines typed in it (expired lots prefilled), the form buttons and field errors, and the lot order (product, then expiry). */
import {
  expiryStatus,
  localDay,
  lotKey,
  parseQuantity,
  skuLabel,
  type BookLot,
  type EffectiveBook,
  type FormErrors,
} from '../../offline/sampleBook';
import type { LotQuantity } from '../../offline/types';
import { Empty } from '../../components/bits';

export function ExpiryBadge({ expiresOn, today }: { expiresOn: string; today: string }) {
  if (!expiresOn) return null;
  const st = expiryStatus(expiresOn, today);
  if (st === 'expired')
    return (
      <span class="badge exp-expired" data-testid="lot-expired">
        Expired
      </span>
    );
  if (st === 'soon')
    return (
      <span class="badge exp-soon" data-testid="lot-expiring">
        Expires soon
      </span>
    );
  return null;
}

export function lotName(book: EffectiveBook, lotId: string): string {
  const l = book.lots.find((x) => x.lot_id === lotId);
  if (!l) return `Lot ${lotId.slice(0, 8)} (details after sync)`;
  return l.known === false
    ? `Lot ${l.lot_number} (details after sync)`
    : `${l.product_name} ${l.strength} · lot ${l.lot_number}`;
}

export function LotTable({
  book,
  lots,
  qty,
  onQty,
  errors,
  showOnHand = true,
}: {
  book: EffectiveBook;
  lots: BookLot[];
  qty: Record<string, string>;
  onQty: (lotId: string, v: string) => void;
  errors: FormErrors;
  showOnHand?: boolean;
}) {
  const today = localDay();
  if (lots.length === 0) return <Empty>No lots on hand.</Empty>;
  return (
    <div class="table-wrap">
      <table class="table" data-testid="lot-table">
        <thead>
          <tr>
            <th>Product · lot</th>
            <th>Expires</th>
            {showOnHand && <th class="num">On hand</th>}
            <th class="num">Units</th>
          </tr>
        </thead>
        <tbody>
          {lots.map((l) => (
            <tr key={l.lot_id} data-testid="lot-row" data-lot={l.lot_number}>
              <td>
                {l.known === false
                  ? lotName(book, l.lot_id)
                  : `${skuLabel(book.skus.find((s) => s.sku_id === l.sku_id) ?? l)} · ${l.lot_number}`}
                {errors[lotKey(l.lot_id)] && (
                  <p class="field-error" data-testid="error-lot">
                    {errors[lotKey(l.lot_id)]}
                  </p>
                )}
              </td>
              <td>
                {l.expires_on || '—'} <ExpiryBadge expiresOn={l.expires_on} today={today} />
              </td>
              {showOnHand && <td class="num">{l.on_hand}</td>}
              <td class="num">
                <input
                  class="qty-input"
                  type="number"
                  inputMode="numeric"
                  min={0}
                  value={qty[l.lot_id] ?? ''}
                  onInput={(e) => onQty(l.lot_id, e.currentTarget.value)}
                  aria-label={`Units of lot ${l.lot_number}`}
                  aria-invalid={errors[lotKey(l.lot_id)] ? true : undefined}
                  data-testid="lot-qty"
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Quantities prefilled with everything on hand of the expired lots (a return or a destruction usually takes them). */
export function expiredPrefill(lots: BookLot[], today: string): Record<string, string> {
  return Object.fromEntries(
    lots
      .filter((l) => l.expires_on && l.expires_on < today)
      .map((l) => [l.lot_id, String(l.on_hand)]),
  );
}

/** The lines typed in a lot table: lots with a quantity (or every lot, for a count). */
export function linesOf(lots: BookLot[], qty: Record<string, string>, all = false): LotQuantity[] {
  return lots
    .map((l) => ({ lot_id: l.lot_id, quantity: parseQuantity(qty[l.lot_id] ?? '') }))
    .filter((l) => all || l.quantity !== 0);
}

export function FormButtons({
  busy,
  label,
  onSubmit,
  onCancel,
  testid,
}: {
  busy: boolean;
  label: string;
  onSubmit: () => void;
  onCancel: () => void;
  testid: string;
}) {
  return (
    <div class="form-actions">
      <button type="button" class="btn" onClick={onCancel} disabled={busy}>
        Cancel
      </button>
      <button
        type="button"
        class="btn btn-primary"
        onClick={onSubmit}
        disabled={busy}
        data-testid={testid}
      >
        {label}
      </button>
    </div>
  );
}

export function FieldError({ errors, field }: { errors: FormErrors; field: string }) {
  return errors[field] ? (
    <p class="field-error" data-testid={`error-${field}`}>
      {errors[field]}
    </p>
  ) : null;
}

export function byProductAndExpiry(book: EffectiveBook) {
  const name = (l: BookLot) => skuLabel(book.skus.find((s) => s.sku_id === l.sku_id) ?? l);
  return (a: BookLot, b: BookLot) =>
    name(a).localeCompare(name(b)) ||
    (a.expires_on || '9999').localeCompare(b.expires_on || '9999');
}
