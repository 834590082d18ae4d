/** Pure helpers for the sample oversight screens (exceptions, reconciliation, loss reports, sample
 * record, policy, shipments): money, periods, CSV download URLs, how figures are computed. */

import type {
  AnnualInventory,
  Balance,
  LimitMeasure,
  LimitWindow,
  MovementLine,
  SampleLimit,
  Severity,
  TxnKind,
} from '../api/types';
import { may, mayAny, type Permitted } from './permissions';

// ---------------------------------------------------------------------------------------
// Sections and who sees them (the server enforces the same)
// ---------------------------------------------------------------------------------------

export type OversightSection =
  'exceptions' | 'reconciliation' | 'losses' | 'records' | 'shipments' | 'policy' | 'screening';

export const SECTION_LABELS: Record<OversightSection, string> = {
  exceptions: 'Exceptions',
  reconciliation: 'Reconciliation',
  losses: 'Loss & theft',
  records: 'Sample record',
  shipments: 'Lots & shipments',
  policy: 'Policy',
  screening: 'Exclusion screening',
};

/** Those who oversee reps' samples: every rep's (ops, compliance, admin) or their team's (managers). */
export function canOverseeSamples(me: Permitted): boolean {
  return mayAny(me, 'oversee_all_samples', 'oversee_team_samples');
}

/** Those who configure sample policy, create lots and ship them. */
export function ownsSamplePolicy(me: Permitted): boolean {
  return may(me, 'manage_sample_policy');
}

/** Those who close exceptions, track loss reports, screen exclusions and maintain the blacklist. */
export function reviewsSampleCompliance(me: Permitted): boolean {
  return may(me, 'review_sample_compliance');
}

/** The oversight sections the user gets, in tab order. */
export function oversightSections(me: Permitted): OversightSection[] {
  if (!canOverseeSamples(me)) return [];
  const all: OversightSection[] = [
    'exceptions',
    'reconciliation',
    'losses',
    'records',
    'shipments',
  ];
  const withPolicy: OversightSection[] = ownsSamplePolicy(me) ? [...all, 'policy'] : all;
  return reviewsSampleCompliance(me) ? [...withPolicy, 'screening'] : withPolicy;
}

/** The section the user lands on: whoever runs the policy without reviewing compliance (ops) works
 * lots and shipments, everyone else the exceptions queue. */
export function defaultSection(me: Permitted): OversightSection | null {
  const s = oversightSections(me);
  if (s.length === 0) return null;
  return ownsSamplePolicy(me) && !reviewsSampleCompliance(me) ? 'shipments' : s[0];
}

export function isOversightSection(s: string): s is OversightSection {
  return s in SECTION_LABELS;
}

export function oversightHref(
  section: OversightSection,
  params: Record<string, string | null | undefined> = {},
): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const qs = q.toString();
  return `#/oversight/${section}${qs ? `?${qs}` : ''}`;
}

/** Link to the sample record of an HCP (or of a rep when the record has no HCP), one record highlighted. */
export function recordHref(x: {
  hcp_id?: string | null;
  rep_id?: string | null;
  record_id?: string | null;
}): string {
  if (x.hcp_id) return oversightHref('records', { hcp: x.hcp_id, record: x.record_id });
  return oversightHref('records', { rep: x.rep_id, record: x.record_id });
}

// ---------------------------------------------------------------------------------------
// Money
// ---------------------------------------------------------------------------------------

/** Cents as US dollars: 123456 -> "$1,234.56", -5 -> "-$0.05". */
export function formatCents(cents: number): string {
  if (!Number.isFinite(cents)) return '–';
  const neg = cents < 0;
  const abs = Math.abs(Math.round(cents));
  const dollars = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}$${dollars}.${String(abs % 100).padStart(2, '0')}`;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** "12", "12.5", "$1,234.56" -> cents. At most two decimals, not negative. */
export function parseDollars(input: string): Parsed<number> {
  const s = input.trim().replace(/^\$/, '').replace(/,/g, '');
  if (!s) return { ok: false, error: 'is required' };
  if (!/^\d+(\.\d{1,2})?$/.test(s))
    return { ok: false, error: 'enter an amount in dollars, e.g. 150 or 149.99' };
  const [whole, frac = ''] = s.split('.');
  const cents = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  if (!Number.isSafeInteger(cents)) return { ok: false, error: 'is too large' };
  return { ok: true, value: cents };
}

/** A whole number within [min, max]. */
export function parseWhole(input: string, min = 0, max = 1_000_000_000): Parsed<number> {
  const s = input.trim();
  if (!s) return { ok: false, error: 'is required' };
  if (!/^-?\d+$/.test(s)) return { ok: false, error: 'enter a whole number' };
  const n = Number(s);
  if (n < min) return { ok: false, error: `must be at least ${min}` };
  if (n > max) return { ok: false, error: `must be at most ${max}` };
  return { ok: true, value: n };
}

// ---------------------------------------------------------------------------------------
// Dates and periods (local calendar days as `YYYY-MM-DD`)
// ---------------------------------------------------------------------------------------

const pad = (n: number) => String(n).padStart(2, '0');

export function isoDay(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function isIsoDay(s: string | null | undefined): s is string {
  if (!s || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number);
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

export interface Period {
  /** First day. */
  from: string;
  /** Last day (inclusive). */
  to: string;
  label: string;
}

/** The calendar quarter containing `d`, `quarters` quarters back (0 = this one). */
export function quarterOf(d: Date, back = 0): Period {
  const q0 = Math.floor(d.getMonth() / 3) - back;
  const start = new Date(d.getFullYear(), q0 * 3, 1);
  const end = new Date(start.getFullYear(), start.getMonth() + 3, 0);
  return {
    from: isoDay(start),
    to: isoDay(end),
    label: `Q${Math.floor(start.getMonth() / 3) + 1} ${start.getFullYear()}`,
  };
}

/** This quarter and the `count - 1` before it, newest first. */
export function recentQuarters(d: Date, count = 8): Period[] {
  return Array.from({ length: count }, (_, i) => quarterOf(d, i));
}

/** Whole days from `a` to `b` (both `YYYY-MM-DD`); positive when b is later. */
export function daysBetween(a: string, b: string): number {
  const t = (s: string) => {
    const [y, m, d] = s.split('-').map(Number);
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((t(b) - t(a)) / 86_400_000);
}

/** One deadline of a loss or theft report, in words. */
export function deadlineText(
  due: string,
  done: string | null | undefined,
  today: string,
): { text: string; late: boolean } {
  if (done) {
    const late = daysBetween(due, done) > 0;
    return {
      text: `done ${done}${late ? ` (${plural(daysBetween(due, done), 'day')} late)` : ''}`,
      late: false,
    };
  }
  const left = daysBetween(today, due);
  if (left < 0) return { text: `overdue by ${plural(-left, 'day')}`, late: true };
  if (left === 0) return { text: 'due today', late: false };
  return { text: `${plural(left, 'day')} left`, late: false };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "2026-11-25T10:04:00Z" -> local "2026-11-25 10:04" (other strings unchanged). */
export function when(iso: string | null | undefined): string {
  if (!iso) return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${isoDay(d)} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// ---------------------------------------------------------------------------------------
// CSV downloads
// ---------------------------------------------------------------------------------------

/** Absolute URL of a CSV export: the path with its non-empty params and `format=csv`. */
export function csvUrl(
  baseUrl: string,
  path: string,
  params: Record<string, string | null | undefined>,
): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v != null && v !== '') q.set(k, v);
  q.set('format', 'csv');
  return `${baseUrl.replace(/\/$/, '')}${path}?${q}`;
}

/** The file name from a Content-Disposition header, else `fallback`. */
export function filenameFromDisposition(
  header: string | null | undefined,
  fallback: string,
): string {
  if (!header) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      /* fall through */
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/i.exec(header);
  const name = (plain?.[1] ?? plain?.[2] ?? '').trim();
  return name || fallback;
}

// ---------------------------------------------------------------------------------------
// Reconciliation: how each figure is computed
// ---------------------------------------------------------------------------------------

export const BALANCE_COLUMNS: { key: keyof Balance; label: string; title: string }[] = [
  {
    key: 'opening',
    label: 'Opening',
    title:
      'The last physical count before the period plus the movements since it; for a lot that count did not list, every movement before the period',
  },
  {
    key: 'received',
    label: 'Received',
    title: 'Shipments from headquarters acknowledged in the period',
  },
  { key: 'transferred_in', label: 'Transfer in', title: 'Received from other reps' },
  { key: 'disbursed', label: 'Disbursed', title: 'Given to practitioners against a signature' },
  { key: 'transferred_out', label: 'Transfer out', title: 'Sent to other reps' },
  { key: 'returned', label: 'Returned', title: 'Returned to headquarters' },
  { key: 'destroyed', label: 'Destroyed', title: 'Destroyed (expired or damaged)' },
  { key: 'lost', label: 'Lost', title: 'Reported lost' },
  { key: 'stolen', label: 'Stolen', title: 'Reported stolen' },
  {
    key: 'expected',
    label: 'Expected',
    title:
      'At the period end: opening + received + transferred in − (disbursed + transferred out + returned + destroyed) − (lost + stolen)',
  },
  {
    key: 'expected_at_count',
    label: 'Expected at count',
    title: "opening + the period's movements up to the closing count's time",
  },
  {
    key: 'counted',
    label: 'Counted',
    title:
      'The closing physical count (latest in the period); "not counted" when a lot held was left out',
  },
  { key: 'discrepancy', label: 'Discrepancy', title: 'counted − expected at count' },
];

/** "59 counted at 2026-01-10 + −4 moved before the period = 55", or "book before the period". */
export function openingFormula(b: Balance): string {
  if (b.opening_source === 'count' && b.opening_counted != null)
    return `${b.opening_counted} counted at the opening count + ${b.moved_before_period} moved between that count and the period's start = ${b.opening} opening`;
  return `${b.opening} opening: every movement before the period (no earlier count listed this lot)`;
}

/** "expected = 0 opening + 40 received + … = 28", with the balance's own numbers. */
export function expectedFormula(b: Balance): string {
  const outs = `(${b.disbursed} disbursed + ${b.transferred_out} transferred out + ${b.returned} returned + ${b.destroyed} destroyed)`;
  return (
    `${b.opening} opening + ${b.received} received + ${b.transferred_in} transferred in − ${outs} − ` +
    `(${b.lost} lost + ${b.stolen} stolen) = ${b.expected} expected`
  );
}

/** "27 counted − 28 expected at the count = −1", or why there is no discrepancy. */
export function discrepancyFormula(b: Balance): string {
  if (b.not_counted) return 'held at the count but not counted: no discrepancy can be computed';
  if (b.counted == null || b.discrepancy == null || b.expected_at_count == null)
    return 'no physical count in the period';
  return `${b.counted} counted − ${b.expected_at_count} expected at the count = ${signed(b.discrepancy)}`;
}

/** Where a rep stands with the annual inventory, in words. */
export function annualText(a: AnnualInventory): string {
  const last = a.last_count_at ? `last count ${a.last_count_at.slice(0, 10)}` : 'never counted';
  if (a.status === 'not_due') return `${last}; no samples held yet, nothing to count`;
  const due = a.due_on ? `due ${a.due_on}` : '';
  return a.status === 'overdue' ? `${last}; OVERDUE since ${due.slice(4)}` : `${last}; next ${due}`;
}

/** Recomputes `expected` from the parts (a check that the figures shown add up). */
export function computeExpected(b: Balance): number {
  return (
    b.opening +
    b.received +
    b.transferred_in -
    (b.disbursed + b.transferred_out + b.returned + b.destroyed) -
    (b.lost + b.stolen)
  );
}

export function hasDiscrepancy(b: Balance): boolean {
  return b.discrepancy != null && b.discrepancy !== 0;
}

/** "+2", "−1", "0". */
export function signed(n: number): string {
  if (n > 0) return `+${n}`;
  if (n < 0) return `−${-n}`;
  return '0';
}

export const TXN_LABELS: Record<TxnKind, string> = {
  receipt: 'Receipt',
  transfer_in: 'Transfer in',
  transfer_out: 'Transfer out',
  return: 'Return',
  destruction: 'Destruction',
  disbursement: 'Disbursement',
  loss: 'Loss',
  theft: 'Theft',
};

/** Distributions grouped by kind (disbursements, transfers out, returns, destructions), with unit totals. */
export function groupByKind(
  lines: MovementLine[],
): { kind: TxnKind; lines: MovementLine[]; units: number }[] {
  const order: TxnKind[] = [
    'disbursement',
    'transfer_out',
    'return',
    'destruction',
    'receipt',
    'transfer_in',
    'loss',
    'theft',
  ];
  const groups = new Map<TxnKind, MovementLine[]>();
  for (const l of lines) groups.set(l.kind, [...(groups.get(l.kind) ?? []), l]);
  return order
    .filter((k) => groups.has(k))
    .map((kind) => {
      const ls = groups.get(kind)!;
      return { kind, lines: ls, units: ls.reduce((s, l) => s + l.quantity, 0) };
    });
}

// ---------------------------------------------------------------------------------------
// Sample limit templates
// ---------------------------------------------------------------------------------------

export const WINDOW_LABELS: Record<LimitWindow, string> = {
  call: 'Per call',
  month: 'Calendar month',
  quarter: 'Calendar quarter',
  year: 'Calendar year',
  rolling: 'Rolling days',
  from_first: 'Windows from the first sample',
};

export function needsWindowDays(w: LimitWindow): boolean {
  return w === 'rolling' || w === 'from_first';
}

/** "at most 4 units per HCP per calendar year", "at most $150.00 per call", … */
export function limitRule(
  l: Pick<SampleLimit, 'measure' | 'max' | 'window' | 'window_days' | 'ends_after_days'>,
): string {
  const amount = l.measure === 'value' ? formatCents(l.max) : plural(l.max, 'unit');
  const per =
    l.window === 'call'
      ? 'in one call'
      : l.window === 'month'
        ? 'per calendar month'
        : l.window === 'quarter'
          ? 'per calendar quarter'
          : l.window === 'year'
            ? 'per calendar year'
            : l.window === 'rolling'
              ? `in any ${plural(l.window_days ?? 0, 'day')}`
              : `per ${plural(l.window_days ?? 0, 'day')} counted from the first sample`;
  const ends =
    l.window === 'from_first' && l.ends_after_days
      ? `; none after ${plural(l.ends_after_days, 'day')} from the first sample`
      : '';
  return `at most ${amount} per HCP ${per}${ends}`;
}

/** The limit form's fields as typed. */
export interface LimitDraft {
  id: string | null;
  name: string;
  product_id: string;
  measure: LimitMeasure;
  /** Units, or dollars for a value limit. */
  max: string;
  window: LimitWindow;
  window_days: string;
  ends_after_days: string;
  severity: Severity;
}

export function emptyLimitDraft(productId = ''): LimitDraft {
  return {
    id: null,
    name: '',
    product_id: productId,
    measure: 'quantity',
    max: '',
    window: 'year',
    window_days: '',
    ends_after_days: '',
    severity: 'error',
  };
}

export function draftFromLimit(l: SampleLimit): LimitDraft {
  return {
    id: l.id,
    name: l.name,
    product_id: l.product_id,
    measure: l.measure,
    max: l.measure === 'value' ? (l.max / 100).toFixed(2) : String(l.max),
    window: l.window,
    window_days: l.window_days != null ? String(l.window_days) : '',
    ends_after_days: l.ends_after_days != null ? String(l.ends_after_days) : '',
    severity: l.severity,
  };
}

/**
 * The template to PUT, or field errors (the server's rules: window days only for a rolling or
 * from-first window and required there, ends-after only for from-first). Fields that do not
 * apply to the chosen window are dropped rather than refused.
 */
export function limitFromDraft(
  d: LimitDraft,
  id: string,
): Parsed<SampleLimit> & { errors?: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (!d.name.trim()) errors.name = 'is required';
  if (!d.product_id) errors.product_id = 'choose a product';
  const max = d.measure === 'value' ? parseDollars(d.max) : parseWhole(d.max, 0);
  if (!max.ok) errors.max = max.error;
  let windowDays: number | null = null;
  if (needsWindowDays(d.window)) {
    const p = parseWhole(d.window_days, 1, 3660);
    if (p.ok) windowDays = p.value;
    else
      errors.window_days =
        p.error === 'is required' ? 'is required for a rolling or from-first window' : p.error;
  }
  let endsAfter: number | null = null;
  if (d.window === 'from_first' && d.ends_after_days.trim()) {
    const p = parseWhole(d.ends_after_days, 1, 36600);
    if (p.ok) endsAfter = p.value;
    else errors.ends_after_days = p.error;
  }
  if (Object.keys(errors).length > 0 || !max.ok)
    return { ok: false, error: 'check the highlighted fields', errors };
  return {
    ok: true,
    value: {
      id,
      name: d.name.trim(),
      product_id: d.product_id,
      measure: d.measure,
      max: max.value,
      window: d.window,
      window_days: windowDays,
      ends_after_days: endsAfter,
      severity: d.severity,
    },
  };
}

// ---------------------------------------------------------------------------------------
// Findings and records
// ---------------------------------------------------------------------------------------

const FINDING_LABELS: Record<string, string> = {
  blacklisted: 'Blacklisted HCP',
  do_not_call: 'Do-not-call HCP',
  hcp_inactive: 'HCP not active',
  no_lines: 'No samples',
  quantity_invalid: 'Invalid quantity',
  unknown_sku: 'Unknown SKU',
  lot_required: 'Lot missing',
  lot_mismatch: 'Wrong lot',
  lot_expired: 'Expired lot',
  insufficient_inventory: 'Not enough inventory',
  allocation_exceeded: 'Allocation exceeded',
  sample_limit: 'Sample limit',
  no_active_licence: 'No active licence',
  credential_not_eligible: 'Credential not eligible',
  dea_required: 'DEA registration required',
  signer_mismatch: 'Signer does not match the HCP',
  signature_copied: 'Signature copied from another record',
};

export function findingLabel(code: string): string {
  return FINDING_LABELS[code] ?? code.replace(/_/g, ' ');
}

export function recordTypeLabel(t: string): string {
  return t === 'sample_request' ? 'Request' : t === 'sample_disbursement' ? 'Disbursement' : t;
}

/** First and last characters of a SHA-256, for a narrow column (the full hash is in the title and CSV). */
export function shortHash(h: string): string {
  return h.length > 16 ? `${h.slice(0, 8)}…${h.slice(-6)}` : h;
}
