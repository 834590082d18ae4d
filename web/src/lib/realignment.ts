/** Pure helpers for the Realignment screen: who runs cycles, labels, the publication timing rule
 * (mirroring `pharmacrm_domain::realignment::timing_issues`, for the hint; the server decides),
 * draft line errors per row and which way a move goes for the reader. */

import type {
  DraftLine,
  MarkKind,
  MovingHcp,
  RealignmentStatus,
  Resolution,
  TerritoryRef,
} from '../api/types';
import { may, type Permitted } from './permissions';
import { isIsoDay, isoDay } from './oversight';

/** Those who run realignment cycles (draft, open for review, publish); the field reviews them. */
export function canRunRealignment(me: Permitted): boolean {
  return may(me, 'manage_alignments');
}

export const STATUS_LABELS: Record<RealignmentStatus, string> = {
  draft: 'Draft',
  review: 'In field review',
  published: 'Published',
  cancelled: 'Cancelled',
};

export const MARK_LABELS: Record<MarkKind, string> = {
  key_relationship: 'Key relationship',
  escalation: 'Escalation',
};

export const RESOLUTION_LABELS: Record<Resolution, string> = {
  accepted: 'Accepted: the draft stands',
  changed: 'Changed: the draft was changed',
};

/** The upload a draft takes: a ZIP or an account per row. */
export const LINES_LAYOUT = {
  header: 'zip,account_external_id,territory_code',
  notes:
    'Header row required; columns in any order. Fill either the ZIP (moves every HCP and account of the ZIP) or the account ' +
    "external id (an override for that account), and the territory's code.",
};

/** Days of notice a realignment needs unless overridden (`NOTICE_DAYS`). */
export const NOTICE_DAYS = 30;

const DAY_MS = 86_400_000;
const utc = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

export function addDays(iso: string, n: number): string {
  return new Date(utc(iso) + n * DAY_MS).toISOString().slice(0, 10);
}

export function isQuarterStart(iso: string): boolean {
  const [, m, d] = iso.split('-').map(Number);
  return d === 1 && (m - 1) % 3 === 0;
}

/** The first quarter start (1 Jan, Apr, Jul, Oct) at least 30 days after `today`: a date that needs no override. */
export function nextQuarterStart(today: string): string {
  const earliest = addDays(today, NOTICE_DAYS);
  let [y, m] = earliest.split('-').map(Number);
  const d = Number(earliest.slice(8, 10));
  if (!(d === 1 && (m - 1) % 3 === 0)) {
    m = m - ((m - 1) % 3) + 3;
    if (m > 12) {
      m -= 12;
      y += 1;
    }
  }
  return `${y}-${String(m).padStart(2, '0')}-01`;
}

/** Why a date needs an override reason (or cannot be used), in words; empty when it is fine. */
export function timingIssues(today: string, date: string): string[] {
  if (!isIsoDay(date)) return ['Enter a date'];
  const out: string[] = [];
  const days = Math.round((utc(date) - utc(today)) / DAY_MS);
  if (days < 0) out.push('is in the past: it cannot be published');
  else if (days < NOTICE_DAYS) out.push(`is less than ${NOTICE_DAYS} days from today`);
  if (!isQuarterStart(date))
    out.push('is not the first day of a quarter (1 Jan, 1 Apr, 1 Jul, 1 Oct)');
  return out;
}

export const todayIso = (): string => isoDay(new Date());

/** A draft line being edited: saved ones keep their key; new ones have an editable key. */
export interface EditLine extends DraftLine {
  saved: boolean;
}

/** Server field errors of a lines PUT (`zips[0].key`, `accounts[2].territory_id`) per list, row and field. */
export function lineErrors(fieldErrors: Record<string, string>): {
  zips: Record<number, Record<string, string>>;
  accounts: Record<number, Record<string, string>>;
  other: Record<string, string>;
} {
  const out = {
    zips: {} as Record<number, Record<string, string>>,
    accounts: {} as Record<number, Record<string, string>>,
    other: {} as Record<string, string>,
  };
  for (const [field, message] of Object.entries(fieldErrors)) {
    const m = /^(zips|accounts)\[(\d+)\]\.(\w+)$/.exec(field);
    if (!m) {
      out.other[field] = message;
      continue;
    }
    const list = out[m[1] as 'zips' | 'accounts'];
    (list[Number(m[2])] ??= {})[m[3]] = message;
  }
  return out;
}

/** Territory code by id ("—" for none, the id when unknown). */
export function territoryCode(territories: TerritoryRef[], id: string | null | undefined): string {
  if (!id) return '—';
  return territories.find((t) => t.id === id)?.code ?? id;
}

/** Whether a move takes the HCP out of one of the reader's territories (else it comes in). */
export function moveDirection(m: Pick<MovingHcp, 'from_territory'>, mine: string[]): 'out' | 'in' {
  return m.from_territory && mine.includes(m.from_territory) ? 'out' : 'in';
}
