/** Pure helpers for the alignment read by date (`#/alignment?on=…`): who reads it, the question
 * in the URL (day, territory, ZIP, kind) and how a row or a scheduled change is worded. The
 * server decides what the reader may see (their territories) and checks the question; its field
 * errors are shown on the fields. */

import type { AlignedKind, AlignedOn, ScheduledChange } from '../api/types';
import { may, type Permitted } from './permissions';
import { isIsoDay } from './oversight';

/** Those who read the alignment as of a date and the changes scheduled (within their scope). */
export function canReadAlignment(me: Permitted): boolean {
  return may(me, 'read_alignments');
}

/** The question: the day (`YYYY-MM-DD`) and the optional filters, as typed. */
export interface AsOfQuery {
  on: string;
  territory: string;
  zip: string;
  kind: '' | AlignedKind;
}

export const KIND_LABELS: Record<AlignedKind, string> = {
  zip: 'ZIP',
  account: 'Account override',
};

/** The question in a `#/alignment?…` query string; the day defaults to `today`. */
export function parseAsOf(qs: string, today: string): AsOfQuery {
  const sp = new URLSearchParams(qs.startsWith('?') ? qs.slice(1) : qs);
  const on = sp.get('on')?.trim() ?? '';
  const kind = sp.get('kind');
  return {
    on: on || today,
    territory: sp.get('territory')?.trim() ?? '',
    zip: sp.get('zip')?.trim() ?? '',
    kind: kind === 'zip' || kind === 'account' ? kind : '',
  };
}

/** `#/alignment?…` for a question, blank filters left out, keys in a stable order. */
export function alignmentHref(q: Partial<AsOfQuery> = {}): string {
  const sp = new URLSearchParams();
  for (const key of ['kind', 'on', 'territory', 'zip'] as const) {
    const v = q[key]?.trim();
    if (v) sp.set(key, v);
  }
  const qs = sp.toString();
  return qs ? `#/alignment?${qs}` : '#/alignment';
}

/** What the browser can tell before asking (the server checks the rest): a day is required. */
export function asOfErrors(q: AsOfQuery): Record<string, string> {
  return isIsoDay(q.on) ? {} : { on: 'Enter a date (YYYY-MM-DD)' };
}

/** "10001" for a ZIP, "St. Mary's (H-001)" for an account override. */
export function keyLabel(row: Pick<AlignedOn, 'kind' | 'key' | 'account'>): string {
  if (row.kind === 'zip' || !row.account) return row.key;
  return row.account.external_id
    ? `${row.account.name} (${row.account.external_id})`
    : row.account.name;
}

/** "from 2027-04-01", "2027-01-16 to 2027-04-01". */
export function periodLabel(row: Pick<AlignedOn, 'since' | 'until'>): string {
  return row.until ? `${row.since} to ${row.until}` : `from ${row.since}`;
}

/** "T01 → T04" ("—" for a key that was not aligned). */
export function moveLabel(c: Pick<ScheduledChange, 'from_territory' | 'to_territory'>): string {
  return `${c.from_territory?.code ?? '—'} → ${c.to_territory.code}`;
}
