/** The rep's inventory: stock on hand by product, SKU and lot (with expiry and unsynced changes),
 * and this cycle's allocation per product, including allocated products with nothing on hand. */
import {
  allocationOf,
  expiryStatus,
  inventoryByProduct,
  localDay,
  type EffectiveBook,
} from '../../offline/sampleBook';
import { Empty, Section } from '../../components/bits';
import { ExpiryBadge } from './common';

export function Inventory({ book }: { book: EffectiveBook }) {
  const today = localDay();
  const products = inventoryByProduct(book);
  // Products with an allocation this cycle but nothing on hand still show their allocation.
  const allocated = book.allocations
    .filter(
      (a) =>
        a.period_from <= today &&
        today <= a.period_to &&
        !products.some((p) => p.product_id === a.product_id),
    )
    .map((a) => a.product_id);
  const productName = (id: string) =>
    book.skus.find((s) => s.product_id === id)?.product_name ??
    book.manufacturers.find((m) => m.product_id === id)?.name ??
    'Product';
  return (
    <Section title="Inventory" testid="inventory">
      {products.length === 0 && allocated.length === 0 && <Empty>You hold no samples.</Empty>}
      {products.map((p) => {
        const alloc = allocationOf(book, p.product_id, today);
        return (
          <div
            class="inv-product"
            key={p.product_id}
            data-testid="inv-product"
            data-product={p.product_id}
          >
            <h3>
              <span>{p.product_name}</span>
              <span class="muted small" data-testid="inv-product-total">
                {p.on_hand} on hand
              </span>
            </h3>
            <p class="inv-alloc" data-testid="inv-alloc">
              {alloc ? (
                <>
                  Allocation this cycle: <strong data-testid="alloc-left">{alloc.left}</strong> of{' '}
                  {alloc.quantity} left ({alloc.period_from} – {alloc.period_to})
                </>
              ) : (
                <span class="muted">No allocation this cycle.</span>
              )}
            </p>
            {p.skus.map((s) => (
              <div class="inv-sku" key={s.sku_id} data-testid="inv-sku" data-sku={s.sku_id}>
                <div class="inv-sku-head">
                  {s.strength} <span class="muted small mono">NDC {s.ndc}</span> · {s.on_hand} on
                  hand
                </div>
                <div class="table-wrap">
                  <table class="table">
                    <thead>
                      <tr>
                        <th>Lot</th>
                        <th>Expires</th>
                        <th class="num">On hand</th>
                      </tr>
                    </thead>
                    <tbody>
                      {s.lots.map((l) => {
                        const st = l.expires_on ? expiryStatus(l.expires_on, today) : 'ok';
                        const synced = book.syncedOnHand.get(l.lot_id) ?? 0;
                        return (
                          <tr
                            key={l.lot_id}
                            class={
                              st === 'expired'
                                ? 'lot-row-expired'
                                : st === 'soon'
                                  ? 'lot-row-soon'
                                  : undefined
                            }
                            data-testid="inv-lot"
                            data-lot={l.lot_number}
                            data-expiry={st}
                            data-on-hand={l.on_hand}
                          >
                            <td class="mono">{l.lot_number}</td>
                            <td>
                              {l.expires_on || '—'}{' '}
                              <ExpiryBadge expiresOn={l.expires_on} today={today} />
                            </td>
                            <td class="num">
                              {l.on_hand}
                              {synced !== l.on_hand && (
                                <span
                                  class="pending-delta"
                                  title="Records on this device not synced yet"
                                >
                                  ({l.on_hand - synced > 0 ? '+' : ''}
                                  {l.on_hand - synced} pending)
                                </span>
                              )}
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
              </div>
            ))}
          </div>
        );
      })}
      {allocated.map((pid) => {
        const alloc = allocationOf(book, pid, today)!;
        return (
          <div class="inv-product" key={pid} data-testid="inv-product" data-product={pid}>
            <h3>
              <span>{productName(pid)}</span>
              <span class="muted small">0 on hand</span>
            </h3>
            <p class="inv-alloc">
              Allocation this cycle: <strong>{alloc.left}</strong> of {alloc.quantity} left (
              {alloc.period_from} – {alloc.period_to})
            </p>
          </div>
        );
      })}
    </Section>
  );
}
