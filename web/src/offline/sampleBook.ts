/**
 * The rep's samples on the device. This module gathers them: the dates (`sampleDates`), the
 * book adjusted by the outbox (`effectiveBook`), the signed record of 21 CFR 203.31
 * (`sampleRecord`) and the checks of the inventory forms (`sampleForms`); it holds the
 * guardrail context for a disbursement or a request, the lines of a disbursement (lots picked
 * first-expiry-first), the fair-balance check and what the rep may pick. Pure functions; the
 * rules themselves live in `samples.ts`.
 */
import type { Hcp } from '../api/types';
import {
  pickLots,
  type Finding,
  type LotFacts,
  type PastSample,
  type RecipientFacts,
  type SampleContext,
  type SampleLine,
  type SampleMode,
  type SkuFacts,
} from './samples';
import type { SampleLineDraft } from './records';
import type { KeyMessage, LotView, SampleBook } from './types';

export * from './sampleDates';
export * from './effectiveBook';
export * from './sampleRecord';
export * from './sampleForms';

// ---------------------------------------------------------------------------------------
// Guardrail context
// ---------------------------------------------------------------------------------------

type HcpFacts = Pick<
  Hcp,
  'id' | 'status' | 'credentials' | 'blacklist' | 'do_not_call' | 'licences' | 'dea_registrations'
>;

/** What the rules know of the practitioner, from the synced profile. */
export function recipientFacts(h: HcpFacts): RecipientFacts {
  return {
    hcp_id: h.id,
    status: h.status,
    credentials: h.credentials ?? '',
    blacklisted: h.blacklist?.reason ?? null,
    do_not_call: h.do_not_call?.reason ?? null,
    licences: (h.licences ?? []).map((l) => ({
      state: l.state,
      number: l.number,
      expires_on: l.expires_on,
    })),
    dea: (h.dea_registrations ?? []).map((d) => ({
      number: d.number,
      state: d.state,
      schedules: [...d.schedules],
      expires_on: d.expires_on,
    })),
  };
}

/** The state a call takes place in: the account's, else the HCP's practice address. */
export function callState(
  accountState: string | null | undefined,
  h: Pick<Hcp, 'address'>,
): string {
  return accountState || h.address.state;
}

/** Everything `checkSamples` needs, from the (effective) book and the HCP. */
export function buildSampleContext(
  book: Pick<SampleBook, 'skus' | 'allocations' | 'limits' | 'credential_rules' | 'history'> & {
    lots: LotView[];
  },
  h: HcpFacts,
  opts: { mode: SampleMode; state: string; on: string },
): SampleContext {
  const lots: LotFacts[] = book.lots
    .filter((l) => l.sku_id)
    .map((l) => ({
      lot_id: l.lot_id,
      sku_id: l.sku_id,
      lot_number: l.lot_number,
      expires_on: l.expires_on,
      on_hand: l.on_hand,
    }));
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
export function expandLines(
  drafts: SampleLineDraft[],
  lots: Pick<LotView, 'lot_id' | 'sku_id' | 'lot_number' | 'expires_on' | 'on_hand'>[],
  on: string,
): ExpandedLines {
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
      .map((l) => ({
        lot: { id: l.lot_id, lot_number: l.lot_number, expires_on: l.expires_on },
        on_hand: l.on_hand - (taken.get(l.lot_id) ?? 0),
      }));
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
export function findingsByLine(
  findings: Finding[],
  owner: number[],
  lineCount: number,
): { general: Finding[]; lines: Finding[][] } {
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
// What the rep may pick
// ---------------------------------------------------------------------------------------

/** Units of a SKU in usable lots on `on` (not expired, something on hand). */
export function usableOnHand(
  lots: Pick<LotView, 'sku_id' | 'on_hand' | 'expires_on'>[],
  skuId: string,
  on: string,
): number {
  return lots
    .filter((l) => l.sku_id === skuId && l.on_hand > 0 && l.expires_on >= on)
    .reduce((n, l) => n + l.on_hand, 0);
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
        Number(!preferred.includes(a.sku.product_id)) -
          Number(!preferred.includes(b.sku.product_id)) ||
        a.sku.product_name.localeCompare(b.sku.product_name) ||
        a.sku.strength.localeCompare(b.sku.strength, undefined, { numeric: true }),
    );
}

/** "Neurvanta 10 mg" */
export function skuLabel(sku: Pick<SkuFacts, 'product_name' | 'strength'> | undefined): string {
  return sku ? `${sku.product_name} ${sku.strength}`.trim() : 'Unknown product';
}
