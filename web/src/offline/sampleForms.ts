/** Checks of the rep's inventory forms (receipt, transfer, return, destruction, loss, count),
 * made like the server makes them: errors keyed by field, a lot's quantity by `lotKey`. Also the
 * words and signs of the ledger's movement kinds. */
import type { PendingEntry } from './effectiveBook';
import type { LotQuantity, ShipmentView } from './types';

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
  return (
    [...s].some(([lot, q]) => (g.get(lot) ?? 0) !== q) || [...g.keys()].some((lot) => !s.has(lot))
  );
}

export function validateReceive(
  shipment: Pick<ShipmentView, 'lines'>,
  got: LotQuantity[],
  note: string,
): FormErrors {
  const e: FormErrors = {};
  for (const l of got)
    if (!quantityOk(l.quantity, true))
      e[lotKey(l.lot_id)] = 'Enter the units that arrived (0 or more).';
  if (got.length === 0) e.lines = 'The shipment has no lines.';
  if (Object.keys(e).length === 0 && receiptDiffers(shipment.lines, got) && !note.trim())
    e.note = 'What arrived differs from the packing list: describe the discrepancy.';
  return e;
}

/** Lines leaving the inventory (transfer, return, destruction, loss): at least one, each within what is on hand. */
export function validateOutflow(
  lines: LotQuantity[],
  onHand: (lotId: string) => number,
): FormErrors {
  const e: FormErrors = {};
  if (lines.length === 0) e.lines = 'Enter the units of at least one lot.';
  for (const l of lines) {
    if (!quantityOk(l.quantity, false)) e[lotKey(l.lot_id)] = 'Enter a whole number of units.';
    else if (l.quantity > onHand(l.lot_id))
      e[lotKey(l.lot_id)] = `Only ${Math.max(onHand(l.lot_id), 0)} on hand.`;
  }
  return e;
}

export function validateTransfer(
  toRepId: string,
  lines: LotQuantity[],
  onHand: (lotId: string) => number,
): FormErrors {
  const e = validateOutflow(lines, onHand);
  if (!toRepId) e.to_rep_id = 'Choose the colleague who receives the samples.';
  return e;
}

/** A witnessed destruction: lines within what is on hand, and a note naming the witness and the method. */
export function validateDestruction(
  note: string,
  lines: LotQuantity[],
  onHand: (lotId: string) => number,
): FormErrors {
  const e = validateOutflow(lines, onHand);
  if (!note.trim()) e.note = 'Name the witness and how the samples were destroyed.';
  return e;
}

export interface LossForm {
  kind: 'loss' | 'theft';
  discovered_on: string;
  reason: string;
  police_report: string;
}

export function validateLoss(
  f: LossForm,
  lines: LotQuantity[],
  onHand: (lotId: string) => number,
  today: string,
): FormErrors {
  const e = validateOutflow(lines, onHand);
  if (!f.reason.trim()) e.reason = 'Say what happened.';
  if (f.kind === 'theft' && !f.police_report.trim())
    e.police_report = 'A theft needs the police report reference.';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(f.discovered_on))
    e.discovered_on = 'Enter the date it was discovered.';
  else if (f.discovered_on > today) e.discovered_on = 'The date cannot be in the future.';
  return e;
}

/** Longest explanation of a count's differences (the server's limit). */
export const MAX_EXPLANATION_CHARS = 2000;

/** A count's errors: every lot counted (0 or more), and an explanation when `differing` lots
 * differ from the book (the server refuses a differing count without one). */
export function validateCount(lines: LotQuantity[], differing = 0, explanation = ''): FormErrors {
  const e: FormErrors = {};
  if (lines.length === 0) e.lines = 'There is no lot to count.';
  for (const l of lines)
    if (!quantityOk(l.quantity, true)) e[lotKey(l.lot_id)] = 'Enter the units counted (0 or more).';
  if (differing > 0 && explanation.trim() === '')
    e.explanation = 'Say why the count differs from the book.';
  if ([...explanation.trim()].length > MAX_EXPLANATION_CHARS)
    e.explanation = `At most ${MAX_EXPLANATION_CHARS} characters.`;
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
