/**
 * The rep's samples on the device: the synced sample book adjusted by what the outbox has not
 * yet seen reflected in it (so on-hand, allocation used and the HCP's history are right
 * before a sync), the guardrail context for a disbursement or a request, the lines of a
 * disbursement (lots picked first-expiry-first), the signed record of 21 CFR 203.31, and the
 * checks of the inventory forms. Pure functions; the rules themselves live in `samples.ts`.
 */
import type { Address, Hcp } from '../api/types';
import type { OutboxItem } from './db';
import {
  pickLots,
  recordHash,
  type Finding,
  type LotFacts,
  type PastSample,
  type RecipientFacts,
  type SampleContext,
  type SampleLine,
  type SampleMode,
  type SignedRecord,
  type SkuFacts,
} from './samples';
import type { KeyMessage, LotQuantity, LotView, SampleBook, ShipmentView, Signature, TxnKind } from './types';

// ---------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` (UTC) of an RFC 3339 instant: the day the server judges a record on. */
export function utcDate(iso: string): string {
  return new Date(iso).toISOString().slice(0, 10);
}

/** The device's local calendar date, `YYYY-MM-DD`. */
export function localDay(d: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** Whole days from date `a` to date `b` (both `YYYY-MM-DD`). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

export type ExpiryStatus = 'expired' | 'soon' | 'ok';

/** Lots expiring within this many days are highlighted. */
export const EXPIRY_SOON_DAYS = 30;

export function expiryStatus(expiresOn: string, today: string): ExpiryStatus {
  const left = daysBetween(today, expiresOn);
  if (left < 0) return 'expired';
  if (left <= EXPIRY_SOON_DAYS) return 'soon';
  return 'ok';
}

// ---------------------------------------------------------------------------------------
// The book as the device should show it
// ---------------------------------------------------------------------------------------

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
        ((o.status === 'applied' || o.status === 'applied_with_flag') && (lastPullAt == null || o.updated_at > lastPullAt)),
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
  const colleague = (id: string | null | undefined) => book.colleagues.find((c) => c.id === id)?.name ?? 'another rep';
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
    const entry = (kind: PendingEntry['kind'], at: string, l: { lot_id?: string | null; sku_id?: string | null; quantity: number }, counterparty: string) =>
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
            const a = allocations.find((x) => x.product_id === sku.product_id && x.period_from <= on && on <= x.period_to);
            if (a) a.used += l.quantity;
            history.push({ hcp_id: hcp, product_id: sku.product_id, on, quantity: l.quantity, value_cents: l.quantity * sku.unit_value_cents });
          }
          entry('disbursement', o.payload.called_at, l, hcpName(hcp));
        }
        break;
      }
      case 'sample.request': {
        const on = utcDate(o.payload.requested_at);
        for (const l of o.payload.lines) {
          const sku = skuOf.get(l.sku_id);
          if (sku) history.push({ hcp_id: o.payload.hcp_id, product_id: sku.product_id, on, quantity: l.quantity, value_cents: l.quantity * sku.unit_value_cents });
          entry('request', o.payload.requested_at, { sku_id: l.sku_id, quantity: l.quantity }, hcpName(o.payload.hcp_id));
        }
        break;
      }
      case 'sample.receive': {
        const s = book.incoming.find((x) => x.id === o.payload.shipment_id);
        received.add(o.payload.shipment_id);
        for (const l of o.payload.lines) {
          if (l.quantity <= 0) continue;
          move(l.lot_id, l.quantity);
          entry(s?.kind === 'transfer' ? 'transfer_in' : 'receipt', o.payload.received_at, l, s?.sender ?? 'Headquarters');
        }
        break;
      }
      case 'sample.transfer':
      case 'sample.return': {
        const transfer = o.kind === 'sample.transfer';
        for (const l of o.payload.lines) {
          move(l.lot_id, -l.quantity);
          entry(transfer ? 'transfer_out' : 'return', o.payload.occurred_at, l, transfer ? colleague(o.payload.to_rep_id) : 'Headquarters (sample returns)');
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
        entry('count', o.payload.counted_at, { quantity: units }, `Physical count of ${n} lot${n === 1 ? '' : 's'}`);
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
  const a = book.allocations.find((x) => x.product_id === productId && x.period_from <= day && day <= x.period_to);
  return a ? { quantity: a.quantity, used: a.used, left: Math.max(a.quantity - a.used, 0), period_from: a.period_from, period_to: a.period_to } : null;
}

export interface InventoryProduct {
  product_id: string;
  product_name: string;
  on_hand: number;
  skus: { sku_id: string; strength: string; ndc: string; on_hand: number; lots: BookLot[] }[];
}

/** Lots grouped by product and SKU (names sorted; lots first-expiry-first). Lots with nothing on hand are left out unless `all`. */
export function inventoryByProduct(book: Pick<EffectiveBook, 'lots' | 'skus'>, all = false): InventoryProduct[] {
  const products = new Map<string, InventoryProduct>();
  for (const lot of book.lots) {
    if (!all && lot.on_hand === 0) continue;
    const sku = book.skus.find((s) => s.sku_id === lot.sku_id);
    const pid = lot.product_id || sku?.product_id || '';
    let p = products.get(pid);
    if (!p) products.set(pid, (p = { product_id: pid, product_name: lot.product_name || sku?.product_name || 'Unknown product', on_hand: 0, skus: [] }));
    let s = p.skus.find((x) => x.sku_id === lot.sku_id);
    if (!s) p.skus.push((s = { sku_id: lot.sku_id, strength: lot.strength || sku?.strength || '', ndc: lot.ndc || sku?.ndc || '', on_hand: 0, lots: [] }));
    s.lots.push(lot);
    s.on_hand += lot.on_hand;
    p.on_hand += lot.on_hand;
  }
  const out = [...products.values()].sort((a, b) => a.product_name.localeCompare(b.product_name));
  for (const p of out) {
    p.skus.sort((a, b) => a.strength.localeCompare(b.strength, undefined, { numeric: true }));
    for (const s of p.skus) s.lots.sort((a, b) => (a.expires_on || '9999').localeCompare(b.expires_on || '9999') || a.lot_number.localeCompare(b.lot_number));
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Guardrail context
// ---------------------------------------------------------------------------------------

type HcpFacts = Pick<Hcp, 'id' | 'status' | 'credentials' | 'blacklist' | 'do_not_call' | 'licences' | 'dea_registrations'>;

/** What the rules know of the practitioner, from the synced profile. */
export function recipientFacts(h: HcpFacts): RecipientFacts {
  return {
    hcp_id: h.id,
    status: h.status,
    credentials: h.credentials ?? '',
    blacklisted: h.blacklist?.reason ?? null,
    do_not_call: h.do_not_call?.reason ?? null,
    licences: (h.licences ?? []).map((l) => ({ state: l.state, number: l.number, expires_on: l.expires_on })),
    dea: (h.dea_registrations ?? []).map((d) => ({ number: d.number, state: d.state, schedules: [...d.schedules], expires_on: d.expires_on })),
  };
}

/** The state a call takes place in: the account's, else the HCP's practice address. */
export function callState(accountState: string | null | undefined, h: Pick<Hcp, 'address'>): string {
  return accountState || h.address.state;
}

/** Everything `checkSamples` needs, from the (effective) book and the HCP. */
export function buildSampleContext(
  book: Pick<SampleBook, 'skus' | 'allocations' | 'limits' | 'credential_rules' | 'history'> & { lots: LotView[] },
  h: HcpFacts,
  opts: { mode: SampleMode; state: string; on: string },
): SampleContext {
  const lots: LotFacts[] = book.lots
    .filter((l) => l.sku_id)
    .map((l) => ({ lot_id: l.lot_id, sku_id: l.sku_id, lot_number: l.lot_number, expires_on: l.expires_on, on_hand: l.on_hand }));
  return {
    mode: opts.mode,
    on: opts.on,
    state: opts.state,
    recipient: recipientFacts(h),
    skus: book.skus as SkuFacts[],
    lots,
    allocations: book.allocations,
    limits: book.limits,
    credential_rules: book.credential_rules,
    history: book.history.filter((p: PastSample) => p.hcp_id === h.id),
  };
}

// ---------------------------------------------------------------------------------------
// Disbursement lines
// ---------------------------------------------------------------------------------------

/** A line as the rep enters it: SKU and quantity; the lot is picked first-expiry-first unless chosen. */
export interface SampleLineDraft {
  sku_id: string;
  quantity: number;
  /** null: first-expiry-first (`pickLots`), possibly over several lots. */
  lot_id: string | null;
}

/** Samples being given during a call, kept with the draft. */
export interface SamplesDraft {
  /** The disbursement id (also the signed record's id). */
  id: string;
  lines: SampleLineDraft[];
  warnings_acknowledged: boolean;
  signature: Signature | null;
}

export interface ExpandedLines {
  lines: SampleLine[];
  /** For each expanded line, the index of the rep's line it comes from. */
  owner: number[];
}

/**
 * The disbursement lines of the rep's lines: a chosen lot gives one line; otherwise lots are
 * picked first-expiry-first among usable lots (`pickLots`), after what earlier lines took.
 * When stock is short the rest stays on the last lot picked (the rules then say how many are
 * on hand); with no usable lot the line has no lot (the rules ask for one).
 */
export function expandLines(drafts: SampleLineDraft[], lots: Pick<LotView, 'lot_id' | 'sku_id' | 'lot_number' | 'expires_on' | 'on_hand'>[], on: string): ExpandedLines {
  const taken = new Map<string, number>();
  const lines: SampleLine[] = [];
  const owner: number[] = [];
  drafts.forEach((d, i) => {
    const push = (lot_id: string | null, quantity: number) => {
      lines.push({ sku_id: d.sku_id, lot_id, quantity });
      owner.push(i);
      if (lot_id) taken.set(lot_id, (taken.get(lot_id) ?? 0) + quantity);
    };
    if (d.lot_id || !(d.quantity >= 1)) {
      push(d.lot_id, d.quantity);
      return;
    }
    const stock = lots
      .filter((l) => l.sku_id === d.sku_id)
      .map((l) => ({ lot: { id: l.lot_id, lot_number: l.lot_number, expires_on: l.expires_on }, on_hand: l.on_hand - (taken.get(l.lot_id) ?? 0) }));
    const picked = pickLots(stock, d.quantity, on);
    if (picked.length === 0) {
      push(null, d.quantity);
      return;
    }
    const short = d.quantity - picked.reduce((n, p) => n + p.quantity, 0);
    picked.forEach((p, k) => push(p.lot_id, p.quantity + (k === picked.length - 1 ? short : 0)));
  });
  return { lines, owner };
}

/** Findings sorted to where they show: about the HCP or the whole list, or about a line of the rep. */
export function findingsByLine(findings: Finding[], owner: number[], lineCount: number): { general: Finding[]; lines: Finding[][] } {
  const lines: Finding[][] = Array.from({ length: lineCount }, () => []);
  const general: Finding[] = [];
  for (const f of findings) {
    const m = /^lines\[(\d+)\]/.exec(f.field);
    const i = m ? owner[Number(m[1])] : undefined;
    if (i === undefined || !lines[i]) general.push(f);
    else if (!lines[i].some((x) => x.code === f.code && x.message === f.message)) lines[i].push(f);
  }
  return { general, lines };
}

// ---------------------------------------------------------------------------------------
// The signed record (21 CFR 203.31: who, where, title, licence, what, lot, how many, maker, when)
// ---------------------------------------------------------------------------------------

export type RecordType = 'sample_disbursement' | 'sample_request';

/** One line: "line1[, line2], city, ST zip". */
export function practitionerAddress(a: Address): string {
  const line2 = a.line2?.trim() ? `, ${a.line2.trim()}` : '';
  return `${a.line1}${line2}, ${a.city}, ${a.state} ${a.zip}`;
}

/** "First [Middle] Last[ Suffix], CREDENTIALS". */
export function practitionerName(h: Pick<Hcp, 'first_name' | 'middle_name' | 'last_name' | 'suffix' | 'credentials'>): string {
  const name = [h.first_name, h.middle_name, h.last_name].filter(Boolean).join(' ');
  const full = h.suffix ? `${name} ${h.suffix}` : name;
  return h.credentials ? `${full}, ${h.credentials}` : full;
}

/**
 * The licence shown on the record: for a controlled (scheduled) product the DEA number of a
 * registration valid on `on` in `state` (covering every schedule if one does), else the state
 * licence in `state` as "ST number" (an unexpired one first). Empty when there is none.
 */
export function licenceNumber(
  h: Pick<Hcp, 'licences' | 'dea_registrations'>,
  state: string,
  schedules: string[],
  on: string,
): string {
  const st = state.toUpperCase();
  if (schedules.length > 0) {
    const regs = (h.dea_registrations ?? []).filter((d) => d.state.toUpperCase() === st && d.expires_on >= on);
    const all = regs.find((d) => schedules.every((s) => (d.schedules as string[]).includes(s)));
    const some = regs.find((d) => schedules.some((s) => (d.schedules as string[]).includes(s)));
    const reg = all ?? some ?? regs[0];
    if (reg) return reg.number;
  }
  const inState = (h.licences ?? []).filter((l) => l.state.toUpperCase() === st);
  const lic = inState.find((l) => l.expires_on >= on) ?? inState[0];
  return lic ? `${lic.state} ${lic.number}` : '';
}

export interface RecordInput {
  type: RecordType;
  record_id: string;
  hcp: Pick<Hcp, 'first_name' | 'middle_name' | 'last_name' | 'suffix' | 'credentials' | 'address' | 'licences' | 'dea_registrations'>;
  /** State of the call (disbursement) or of the practice (request). */
  state: string;
  /** Day the licence must be valid on (the day the rules judge). */
  on: string;
  /** Date printed on the record (the call's or the request's day). */
  date: string;
  lines: SampleLine[];
  book: Pick<SampleBook, 'skus' | 'manufacturers'> & { lots: Pick<LotView, 'lot_id' | 'lot_number' | 'ndc'>[] };
}

/** The record to sign, without the signer's name and time (`signRecord` adds them). */
export function buildRecord(x: RecordInput): SignedRecord {
  const skus = new Map(x.book.skus.map((s) => [s.sku_id, s]));
  const lots = new Map(x.book.lots.map((l) => [l.lot_id, l]));
  const schedules = [...new Set(x.lines.map((l) => skus.get(l.sku_id)?.dea_schedule).filter((s): s is NonNullable<typeof s> => !!s))];
  const products = [...new Set(x.lines.map((l) => skus.get(l.sku_id)?.product_id).filter((p): p is string => !!p))];
  const makers = [...new Set(products.map((p) => x.book.manufacturers.find((m) => m.product_id === p)?.name).filter((n): n is string => !!n))];
  return {
    record_id: x.record_id,
    record_type: x.type,
    practitioner_name: practitionerName(x.hcp),
    practitioner_address: practitionerAddress(x.hcp.address),
    professional_title: x.hcp.credentials ?? '',
    licence_number: licenceNumber(x.hcp, x.state, schedules, x.on),
    lines: x.lines.map((l) => {
      const sku = skus.get(l.sku_id);
      const lot = l.lot_id ? lots.get(l.lot_id) : undefined;
      return {
        product: sku?.product_name ?? '',
        strength: sku?.strength ?? '',
        ndc: sku?.ndc || lot?.ndc || '',
        lot_number: x.type === 'sample_request' ? null : (lot?.lot_number ?? null),
        quantity: l.quantity,
      };
    }),
    manufacturer: makers.join(', '),
    date: x.date,
    signer_name: '',
    signed_at: '',
    meaning: '',
  };
}

/** Fields the server requires on a signed record that this one lacks (field -> message). */
export function recordGaps(r: SignedRecord): Record<string, string> {
  const e: Record<string, string> = {};
  if (!r.practitioner_name.trim()) e.practitioner_name = 'The HCP has no name on record.';
  if (!r.practitioner_address.trim()) e.practitioner_address = 'The HCP has no address on record.';
  if (!r.professional_title.trim()) e.professional_title = 'The HCP has no professional title (credentials) on record.';
  if (!r.licence_number.trim()) e.licence_number = 'The HCP has no state licence (or DEA number) for this state on record.';
  if (!r.manufacturer.trim()) e.manufacturer = 'The manufacturer of the product is unknown.';
  if (r.lines.some((l) => l.lot_number === null) && r.record_type === 'sample_disbursement') e.lines = 'Every line needs a lot.';
  return e;
}

/** The signature of `record` by `signerName` at `at` with the drawn `image`, bound by the hash. */
export async function signRecord(record: SignedRecord, signerName: string, meaning: string, image: string, at: Date = new Date()): Promise<Signature> {
  const signed: SignedRecord = { ...record, signer_name: signerName.trim(), signed_at: at.toISOString(), meaning };
  return { record: signed, image, hash: await recordHash(signed) };
}

/** Whether `sig` still signs `record` (everything but the signer's name, time and meaning the same). */
export function signatureMatches(sig: Signature | null, record: SignedRecord): boolean {
  if (!sig) return false;
  const strip = (r: SignedRecord) => JSON.stringify({ ...r, signer_name: '', signed_at: '', meaning: '' });
  return strip(sig.record) === strip(record);
}

// ---------------------------------------------------------------------------------------
// Key messages (fair balance)
// ---------------------------------------------------------------------------------------

/** Products with a benefit message presented and no risk message (like `fair_balance_gaps` on the server). */
export function fairBalanceGaps(messages: KeyMessage[], presented: string[]): string[] {
  const shown = messages.filter((m) => presented.includes(m.id));
  const gaps = shown
    .filter((m) => m.kind === 'benefit')
    .map((m) => m.product_id)
    .filter((p) => !shown.some((m) => m.kind === 'risk' && m.product_id === p));
  return [...new Set(gaps)].sort();
}

// ---------------------------------------------------------------------------------------
// Inventory forms (checked like the server does; errors keyed by field, lines by lot id)
// ---------------------------------------------------------------------------------------

export type FormErrors = Record<string, string>;

/** Key of a lot's quantity error. */
export const lotKey = (lotId: string) => `lot:${lotId}`;

function quantityOk(q: number, allowZero: boolean): boolean {
  return Number.isInteger(q) && (allowZero ? q >= 0 : q >= 1);
}

/** Whether what arrived differs from what was sent (the server then wants a note). */
export function receiptDiffers(sent: LotQuantity[], got: LotQuantity[]): boolean {
  const s = new Map(sent.map((l) => [l.lot_id, l.quantity]));
  const g = new Map(got.map((l) => [l.lot_id, l.quantity]));
  return [...s].some(([lot, q]) => (g.get(lot) ?? 0) !== q) || [...g.keys()].some((lot) => !s.has(lot));
}

export function validateReceive(shipment: Pick<ShipmentView, 'lines'>, got: LotQuantity[], note: string): FormErrors {
  const e: FormErrors = {};
  for (const l of got) if (!quantityOk(l.quantity, true)) e[lotKey(l.lot_id)] = 'Enter the units that arrived (0 or more).';
  if (got.length === 0) e.lines = 'The shipment has no lines.';
  if (Object.keys(e).length === 0 && receiptDiffers(shipment.lines, got) && !note.trim())
    e.note = 'What arrived differs from the packing list: describe the discrepancy.';
  return e;
}

/** Lines leaving the inventory (transfer, return, loss): at least one, each within what is on hand. */
export function validateOutflow(lines: LotQuantity[], onHand: (lotId: string) => number): FormErrors {
  const e: FormErrors = {};
  if (lines.length === 0) e.lines = 'Enter the units of at least one lot.';
  for (const l of lines) {
    if (!quantityOk(l.quantity, false)) e[lotKey(l.lot_id)] = 'Enter a whole number of units.';
    else if (l.quantity > onHand(l.lot_id)) e[lotKey(l.lot_id)] = `Only ${Math.max(onHand(l.lot_id), 0)} on hand.`;
  }
  return e;
}

export function validateTransfer(toRepId: string, lines: LotQuantity[], onHand: (lotId: string) => number): FormErrors {
  const e = validateOutflow(lines, onHand);
  if (!toRepId) e.to_rep_id = 'Choose the colleague who receives the samples.';
  return e;
}

export interface LossForm {
  kind: 'loss' | 'theft';
  discovered_on: string;
  reason: string;
  police_report: string;
}

export function validateLoss(f: LossForm, lines: LotQuantity[], onHand: (lotId: string) => number, today: string): FormErrors {
  const e = validateOutflow(lines, onHand);
  if (!f.reason.trim()) e.reason = 'Say what happened.';
  if (f.kind === 'theft' && !f.police_report.trim()) e.police_report = 'A theft needs the police report reference.';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(f.discovered_on)) e.discovered_on = 'Enter the date it was discovered.';
  else if (f.discovered_on > today) e.discovered_on = 'The date cannot be in the future.';
  return e;
}

export function validateCount(lines: LotQuantity[]): FormErrors {
  const e: FormErrors = {};
  if (lines.length === 0) e.lines = 'There is no lot to count.';
  for (const l of lines) if (!quantityOk(l.quantity, true)) e[lotKey(l.lot_id)] = 'Enter the units counted (0 or more).';
  return e;
}

/** A whole number typed in a quantity field (NaN when it is not one). */
export function parseQuantity(text: string): number {
  const t = text.trim();
  if (t === '') return 0;
  return /^\d+$/.test(t) ? Number(t) : NaN;
}

const KIND_LABEL: Record<PendingEntry['kind'], string> = {
  receipt: 'Received',
  transfer_in: 'Transfer in',
  transfer_out: 'Transfer out',
  return: 'Returned',
  destruction: 'Destroyed',
  disbursement: 'Given',
  loss: 'Lost',
  theft: 'Stolen',
  count: 'Counted',
  request: 'Requested',
};

export function kindLabel(kind: PendingEntry['kind']): string {
  return KIND_LABEL[kind] ?? kind;
}

/** +1 when units come in, -1 when they leave, 0 when nothing moves (a count, a request). */
export function kindSign(kind: PendingEntry['kind']): number {
  if (kind === 'receipt' || kind === 'transfer_in') return 1;
  if (kind === 'count' || kind === 'request') return 0;
  return -1;
}

// ---------------------------------------------------------------------------------------
// What the rep may pick
// ---------------------------------------------------------------------------------------

/** Units of a SKU in usable lots on `on` (not expired, something on hand). */
export function usableOnHand(lots: Pick<LotView, 'sku_id' | 'on_hand' | 'expires_on'>[], skuId: string, on: string): number {
  return lots.filter((l) => l.sku_id === skuId && l.on_hand > 0 && l.expires_on >= on).reduce((n, l) => n + l.on_hand, 0);
}

/** SKUs the rep can give on `on` (usable stock), those of `preferred` products first, then by name and strength. */
export function skuChoices(
  book: Pick<SampleBook, 'skus'> & { lots: Pick<LotView, 'sku_id' | 'on_hand' | 'expires_on'>[] },
  on: string,
  preferred: string[] = [],
): { sku: SkuFacts; on_hand: number }[] {
  return book.skus
    .map((sku) => ({ sku: sku as SkuFacts, on_hand: usableOnHand(book.lots, sku.sku_id, on) }))
    .filter((x) => x.on_hand > 0)
    .sort(
      (a, b) =>
        Number(!preferred.includes(a.sku.product_id)) - Number(!preferred.includes(b.sku.product_id)) ||
        a.sku.product_name.localeCompare(b.sku.product_name) ||
        a.sku.strength.localeCompare(b.sku.strength, undefined, { numeric: true }),
    );
}

/** "Neurvanta 10 mg" */
export function skuLabel(sku: Pick<SkuFacts, 'product_name' | 'strength'> | undefined): string {
  return sku ? `${sku.product_name} ${sku.strength}`.trim() : 'Unknown product';
}
