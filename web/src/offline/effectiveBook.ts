/**
 * The rep's sample book as the device shows it: the synced book adjusted by what the outbox has
 * not yet seen reflected in it (on hand per lot, allocation used, the HCPs' sample history,
 * shipments to acknowledge and the pending movements), and the inventory grouped by product.
 * Pure functions.
 */
import type { OutboxItem } from './records';
import { utcDate } from './sampleDates';
import type { LotView, SampleBook, ShipmentView, TxnKind } from './types';

/** A movement recorded on this device that the synced book does not show yet. */
export interface PendingEntry {
  mutation_id: string;
  /** `pending`: not sent yet; `sent`: applied by the server, the next pull will show it. */
  state: 'pending' | 'sent';
  kind: TxnKind | 'count' | 'request';
  occurred_at: string;
  lot_id: string | null;
  sku_id: string | null;
  /** Units (always positive; the kind says in or out). */
  quantity: number;
  counterparty: string;
}

/** A lot of the book; `known` is false for a lot received on this device whose details come with the next sync. */
export type BookLot = LotView & { known?: boolean };

export interface EffectiveBook extends Omit<SampleBook, 'lots'> {
  lots: BookLot[];
  /** Lot id -> on hand in the synced book (before the records of this device). */
  syncedOnHand: Map<string, number>;
  /** Newest first. */
  pending: PendingEntry[];
  /** Shipments acknowledged on this device (no longer in `incoming`). */
  receiving: ShipmentView[];
}

/**
 * Outbox items whose effect the synced book does not show yet: pending ones, and ones the
 * server applied after the last pull (push and pull run one after the other, so a pull that
 * completed after the answer includes it). Rejected and superseded ones had no effect.
 */
export function unreflected(outbox: OutboxItem[], lastPullAt: string | null): OutboxItem[] {
  return outbox
    .filter(
      (o) =>
        o.status === 'pending' ||
        ((o.status === 'applied' || o.status === 'applied_with_flag') &&
          (lastPullAt == null || o.updated_at > lastPullAt)),
    )
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The sample book with this device's unsynced records applied: on-hand per lot, allocation
 * used, the HCPs' sample history, shipments still to acknowledge, and the pending movements.
 * `hcpName` names the HCP of a disbursement in the pending ledger.
 */
export function effectiveBook(
  book: SampleBook,
  outbox: OutboxItem[],
  lastPullAt: string | null,
  hcpName: (id: string) => string = () => 'HCP',
): EffectiveBook {
  const lots: BookLot[] = book.lots.map((l) => ({ ...l }));
  const byLot = new Map(lots.map((l) => [l.lot_id, l]));
  const skuOf = new Map(book.skus.map((s) => [s.sku_id, s]));
  const allocations = book.allocations.map((a) => ({ ...a }));
  const history = [...book.history];
  const pending: PendingEntry[] = [];
  const received = new Set<string>();
  const colleague = (id: string | null | undefined) =>
    book.colleagues.find((c) => c.id === id)?.name ?? 'another rep';
  const move = (lotId: string, delta: number) => {
    let lot = byLot.get(lotId);
    if (!lot) {
      lot = {
        lot_id: lotId,
        sku_id: '',
        product_id: '',
        product_name: 'Lot received on this device',
        ndc: '',
        strength: '',
        lot_number: lotId.slice(0, 8),
        expires_on: '',
        on_hand: 0,
        known: false,
      };
      lots.push(lot);
      byLot.set(lotId, lot);
    }
    lot.on_hand += delta;
  };
  for (const o of unreflected(outbox, lastPullAt)) {
    const state = o.status === 'pending' ? 'pending' : 'sent';
    const entry = (
      kind: PendingEntry['kind'],
      at: string,
      l: { lot_id?: string | null; sku_id?: string | null; quantity: number },
      counterparty: string,
    ) =>
      pending.push({
        mutation_id: o.id,
        state,
        kind,
        occurred_at: at,
        lot_id: l.lot_id ?? null,
        sku_id: l.sku_id ?? (l.lot_id ? byLot.get(l.lot_id)?.sku_id || null : null),
        quantity: l.quantity,
        counterparty,
      });
    switch (o.kind) {
      case 'call.submit': {
        const d = o.payload.disbursement;
        if (!d) break;
        const on = utcDate(o.payload.called_at);
        const hcp = o.payload.hcp_ids[0];
        for (const l of d.lines) {
          if (l.lot_id) move(l.lot_id, -l.quantity);
          const sku = skuOf.get(l.sku_id);
          if (sku) {
            const a = allocations.find(
              (x) => x.product_id === sku.product_id && x.period_from <= on && on <= x.period_to,
            );
            if (a) a.used += l.quantity;
            history.push({
              hcp_id: hcp,
              product_id: sku.product_id,
              on,
              quantity: l.quantity,
              value_cents: l.quantity * sku.unit_value_cents,
            });
          }
          entry('disbursement', o.payload.called_at, l, hcpName(hcp));
        }
        break;
      }
      case 'sample.request': {
        const on = utcDate(o.payload.requested_at);
        for (const l of o.payload.lines) {
          const sku = skuOf.get(l.sku_id);
          if (sku)
            history.push({
              hcp_id: o.payload.hcp_id,
              product_id: sku.product_id,
              on,
              quantity: l.quantity,
              value_cents: l.quantity * sku.unit_value_cents,
            });
          entry(
            'request',
            o.payload.requested_at,
            { sku_id: l.sku_id, quantity: l.quantity },
            hcpName(o.payload.hcp_id),
          );
        }
        break;
      }
      case 'sample.receive': {
        const s = book.incoming.find((x) => x.id === o.payload.shipment_id);
        received.add(o.payload.shipment_id);
        for (const l of o.payload.lines) {
          if (l.quantity <= 0) continue;
          move(l.lot_id, l.quantity);
          entry(
            s?.kind === 'transfer' ? 'transfer_in' : 'receipt',
            o.payload.received_at,
            l,
            s?.sender ?? 'Headquarters',
          );
        }
        break;
      }
      case 'sample.transfer':
      case 'sample.return': {
        const transfer = o.kind === 'sample.transfer';
        for (const l of o.payload.lines) {
          move(l.lot_id, -l.quantity);
          entry(
            transfer ? 'transfer_out' : 'return',
            o.payload.occurred_at,
            l,
            transfer ? colleague(o.payload.to_rep_id) : 'Headquarters (sample returns)',
          );
        }
        break;
      }
      case 'sample.destroy': {
        // Counterparty as the server writes it in the ledger.
        const witnessed = `Destroyed, witnessed: ${(o.payload.note ?? '').trim()}`;
        for (const l of o.payload.lines) {
          move(l.lot_id, -l.quantity);
          entry('destruction', o.payload.occurred_at, l, witnessed);
        }
        break;
      }
      case 'sample.loss': {
        const kind = o.payload.kind === 'theft' ? 'theft' : 'loss';
        for (const l of o.payload.lines) {
          move(l.lot_id, -l.quantity);
          entry(kind, `${o.payload.discovered_on}T12:00:00Z`, l, o.payload.reason);
        }
        break;
      }
      case 'sample.count': {
        // A physical count records what was found; it does not move inventory. One entry for all its lots.
        const n = o.payload.lines.length;
        const units = o.payload.lines.reduce((a, l) => a + l.quantity, 0);
        entry(
          'count',
          o.payload.counted_at,
          { quantity: units },
          `Physical count of ${n} lot${n === 1 ? '' : 's'}`,
        );
        break;
      }
    }
  }
  pending.reverse();
  return {
    ...book,
    lots,
    allocations,
    history,
    incoming: book.incoming.filter((s) => !received.has(s.id)),
    receiving: book.incoming.filter((s) => received.has(s.id)),
    syncedOnHand: new Map(book.lots.map((l) => [l.lot_id, l.on_hand])),
    pending,
  };
}

/** Units of `lotId` on hand (0 for an unknown lot). */
export function onHandOf(book: Pick<EffectiveBook, 'lots'>, lotId: string): number {
  return book.lots.find((l) => l.lot_id === lotId)?.on_hand ?? 0;
}

/** The allocation of a product for the cycle containing `day`, with what is left. */
export function allocationOf(
  book: Pick<SampleBook, 'allocations'>,
  productId: string,
  day: string,
): { quantity: number; used: number; left: number; period_from: string; period_to: string } | null {
  const a = book.allocations.find(
    (x) => x.product_id === productId && x.period_from <= day && day <= x.period_to,
  );
  return a
    ? {
        quantity: a.quantity,
        used: a.used,
        left: Math.max(a.quantity - a.used, 0),
        period_from: a.period_from,
        period_to: a.period_to,
      }
    : null;
}

export interface InventoryProduct {
  product_id: string;
  product_name: string;
  on_hand: number;
  skus: { sku_id: string; strength: string; ndc: string; on_hand: number; lots: BookLot[] }[];
}

/** Lots grouped by product and SKU (names sorted; lots first-expiry-first). Lots with nothing on hand are left out unless `all`. */
export function inventoryByProduct(
  book: Pick<EffectiveBook, 'lots' | 'skus'>,
  all = false,
): InventoryProduct[] {
  const products = new Map<string, InventoryProduct>();
  for (const lot of book.lots) {
    if (!all && lot.on_hand === 0) continue;
    const sku = book.skus.find((s) => s.sku_id === lot.sku_id);
    const pid = lot.product_id || sku?.product_id || '';
    let p = products.get(pid);
    if (!p)
      products.set(
        pid,
        (p = {
          product_id: pid,
          product_name: lot.product_name || sku?.product_name || 'Unknown product',
          on_hand: 0,
          skus: [],
        }),
      );
    let s = p.skus.find((x) => x.sku_id === lot.sku_id);
    if (!s)
      p.skus.push(
        (s = {
          sku_id: lot.sku_id,
          strength: lot.strength || sku?.strength || '',
          ndc: lot.ndc || sku?.ndc || '',
          on_hand: 0,
          lots: [],
        }),
      );
    s.lots.push(lot);
    s.on_hand += lot.on_hand;
    p.on_hand += lot.on_hand;
  }
  const out = [...products.values()].sort((a, b) => a.product_name.localeCompare(b.product_name));
  for (const p of out) {
    p.skus.sort((a, b) => a.strength.localeCompare(b.strength, undefined, { numeric: true }));
    for (const s of p.skus)
      s.lots.sort(
        (a, b) =>
          (a.expires_on || '9999').localeCompare(b.expires_on || '9999') ||
          a.lot_number.localeCompare(b.lot_number),
      );
  }
  return out;
}
