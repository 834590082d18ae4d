/** Pure helpers for the Data quality screens (HCP master data stewardship): who sees them, their
 * sections and links, how a match score reads (probability, bits, per-field agreement), the two
 * records of a duplicate pair side by side, the default survivor of a merge and the thresholds
 * form's checks. */

import type { FieldEvidence, MatchField, MovedCount, PairSide, Thresholds } from '../api/types';
import { may, type Permitted } from './permissions';

// ---------------------------------------------------------------------------------------
// Who and where
// ---------------------------------------------------------------------------------------

/** Data stewards (the server answers 403 to everyone else). */
export function canSteward(me: Permitted): boolean {
  return may(me, 'steward_master_data');
}

export type StewardshipSection = 'requests' | 'duplicates' | 'merges' | 'matching';

export const STEWARDSHIP_SECTIONS: StewardshipSection[] = [
  'requests',
  'duplicates',
  'merges',
  'matching',
];

export const STEWARDSHIP_LABELS: Record<StewardshipSection, string> = {
  requests: 'Requests',
  duplicates: 'Duplicates',
  merges: 'Merges',
  matching: 'Matching model',
};

export function isStewardshipSection(s: string): s is StewardshipSection {
  return (STEWARDSHIP_SECTIONS as string[]).includes(s);
}

export function stewardshipHref(
  section: StewardshipSection,
  params: Record<string, string | null | undefined> = {},
): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const qs = q.toString();
  return `#/stewardship/${section}${qs ? `?${qs}` : ''}`;
}

/** `value` when it is one of `allowed`, else the first of them (a status filter from the URL). */
export function pickStatus<T extends string>(
  value: string | null | undefined,
  allowed: readonly T[],
): T {
  return (allowed as readonly string[]).includes(value ?? '') ? (value as T) : allowed[0];
}

// ---------------------------------------------------------------------------------------
// Scores
// ---------------------------------------------------------------------------------------

/** A probability as a percentage, with enough digits near 0 and 1 to tell pairs apart. */
export function percent(p: number | null | undefined): string {
  if (p == null || !Number.isFinite(p)) return '–';
  if (p >= 1) return '100%';
  if (p <= 0) return '0%';
  const x = p * 100;
  if (x >= 99) {
    const s = x.toFixed(2);
    return s === '100.00' ? '>99.99%' : `${s}%`;
  }
  if (x < 1) {
    const s = x.toFixed(2);
    return s === '0.00' ? '<0.01%' : `${s}%`;
  }
  return `${x.toFixed(1)}%`;
}

/** A weight in bits with its sign: "+5.8", "−5.7", "0". */
export function signedBits(w: number): string {
  if (!Number.isFinite(w)) return '–';
  const r = Math.round(w * 10) / 10;
  if (r === 0) return '0';
  return `${r > 0 ? '+' : '−'}${Math.abs(r).toFixed(1)}`;
}

/** How a field compares in a pair: fully, partly (a similar spelling, a nickname, the same city), not at all, or unknown. */
export type Agreement = 'agrees' | 'partly' | 'disagrees' | 'missing';

const FULL_LEVELS = new Set(['exact', 'same', 'same_zip', 'shared']);

/** The agreement a level of the model names (levels as the server's `Field::levels`). */
export function agreement(level: string): Agreement {
  if (level === 'missing') return 'missing';
  if (level === 'different') return 'disagrees';
  return FULL_LEVELS.has(level) ? 'agrees' : 'partly';
}

export const AGREEMENT_LABELS: Record<Agreement, string> = {
  agrees: 'agrees',
  partly: 'partly',
  disagrees: 'disagrees',
  missing: 'missing',
};

export const FIELD_LABELS: Record<MatchField, string> = {
  last_name: 'Last name',
  first_name: 'First name',
  specialty: 'Specialty',
  street: 'Street',
  locality: 'ZIP / city',
  phone: 'Phone',
  affiliation: 'Affiliation',
};

export function fieldLabel(f: string): string {
  return (FIELD_LABELS as Record<string, string>)[f] ?? f;
}

const LEVEL_LABELS: Record<string, string> = {
  exact: 'exact',
  similar: 'similar spelling',
  nickname: 'nickname',
  initial: 'initial only',
  different: 'different',
  same: 'same',
  same_zip: 'same ZIP',
  same_city: 'same city, other ZIP',
  shared: 'a shared account',
  missing: 'missing on one side',
};

export function levelLabel(level: string): string {
  return LEVEL_LABELS[level] ?? level.replace(/_/g, ' ');
}

// ---------------------------------------------------------------------------------------
// A duplicate pair side by side
// ---------------------------------------------------------------------------------------

/** One row of the side-by-side table. `values` is null on a row whose cells the row above spans. */
export interface PairRow {
  key: string;
  label: string;
  values: [string, string] | null;
  /** Rows the value cells span (1: each row shows its own values). */
  span: number;
  evidence: FieldEvidence | null;
  /** From the evidence; `info` for what the model does not weigh (NPI, territory, status). */
  agreement: Agreement | 'info';
}

/** (207) 000-0268 for ten digits, else as stored. */
export function formatPhone(p: string | null | undefined): string {
  if (!p) return '';
  const d = p.replace(/\D/g, '');
  return d.length === 10 ? `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}` : p;
}

export function locality(s: Pick<PairSide, 'city' | 'state' | 'zip'>): string {
  return `${s.city}, ${s.state} ${s.zip}`;
}

export function countOf(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The rows comparing two records: the weighed fields with their evidence, then NPI, territory and record status. */
export function pairRows(
  a: PairSide,
  b: PairSide,
  fields: FieldEvidence[],
  npiMatch = false,
): PairRow[] {
  const ev = new Map(fields.map((f) => [f.field as string, f]));
  const weighed = (key: MatchField, values: [string, string] | null, span = 1): PairRow => {
    const e = ev.get(key) ?? null;
    return {
      key,
      label: fieldLabel(key),
      values,
      span,
      evidence: e,
      agreement: e ? agreement(e.level) : 'info',
    };
  };
  const info = (
    key: string,
    label: string,
    values: [string, string],
    agree: Agreement | 'info' = 'info',
  ): PairRow => ({
    key,
    label,
    values,
    span: 1,
    evidence: null,
    agreement: agree,
  });
  const both = (f: (s: PairSide) => string): [string, string] => [f(a), f(b)];
  return [
    weighed(
      'last_name',
      both((s) => s.last_name),
    ),
    weighed(
      'first_name',
      both((s) => s.first_name),
    ),
    weighed(
      'specialty',
      both((s) => `${s.specialty_name} (${s.specialty_code})`),
    ),
    weighed(
      'street',
      both((s) => s.street),
    ),
    weighed('locality', both(locality)),
    weighed(
      'phone',
      both((s) => formatPhone(s.phone)),
    ),
    weighed(
      'affiliation',
      both((s) => countOf(s.affiliations, 'affiliation')),
    ),
    info(
      'npi',
      'NPI',
      both((s) => s.npi),
      npiMatch ? 'agrees' : 'info',
    ),
    info(
      'territory',
      'Territory',
      both((s) => (s.territory ? `${s.territory.code} · ${s.territory.name}` : 'none')),
    ),
    info(
      'master_status',
      'Record',
      both((s) => s.master_status),
    ),
  ];
}

/** The record a merge keeps by default: the verified one, then the one with more affiliations, else `a`. */
export function defaultSurvivor(a: PairSide, b: PairSide): 'a' | 'b' {
  const va = a.master_status === 'verified';
  const vb = b.master_status === 'verified';
  if (va !== vb) return va ? 'a' : 'b';
  return b.affiliations > a.affiliations ? 'b' : 'a';
}

/** "12 calls, 1 segment" (kinds with rows only), or "nothing" when the merged record had none. */
export function movedText(moved: MovedCount[]): string {
  const parts = moved
    .filter((m) => m.rows > 0)
    .map((m) => `${m.rows} ${m.rows === 1 ? m.what.replace(/s$/, '') : m.what}`);
  return parts.length ? parts.join(', ') : 'nothing';
}

// ---------------------------------------------------------------------------------------
// The matching thresholds form
// ---------------------------------------------------------------------------------------

export type ThresholdErrors = Partial<Record<keyof Thresholds, string>>;

function probability(input: string): { value: number } | { error: string } {
  const s = input.trim();
  if (!s) return { error: 'Enter a probability between 0 and 1' };
  const n = Number(s);
  if (!Number.isFinite(n)) return { error: 'Enter a number between 0 and 1, e.g. 0.95' };
  if (n < 0 || n > 1) return { error: 'Must be between 0 and 1' };
  return { value: n };
}

/** The form's values checked as the server does: both within [0, 1], review not above link. */
export function checkThresholds(
  link: string,
  review: string,
): { ok: true; value: Thresholds } | { ok: false; errors: ThresholdErrors } {
  const l = probability(link);
  const r = probability(review);
  const errors: ThresholdErrors = {};
  if ('error' in l) errors.link = l.error;
  if ('error' in r) errors.review = r.error;
  else if ('value' in l && r.value > l.value)
    errors.review = 'Must not be above the link threshold';
  if ('value' in l && 'value' in r && !errors.review)
    return { ok: true, value: { link: l.value, review: r.value } };
  return { ok: false, errors };
}
