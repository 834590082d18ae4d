/** Duplicate detection on the device: a line-for-line mirror of the server's matcher
 * (crates/domain/src/matching/mod.rs) — how two person records compare field by field
 * (`compare`), which records are compared at all (`blockingKeys`) — kept in step by
 * crates/domain/vectors/matching_rules.json (web/test/matching_rules.test.ts). The model that
 * turns a comparison into a score is ./matchModel.ts. */
import type { components } from '../api/schema';
import { equivalent, formalNames } from './nicknames';
import { jaroWinkler, soundex } from './strsim';
import { transliterate } from './translit';

export type MatchRecord = components['schemas']['MatchRecord'];

/** The fields the model weighs, in the order of `Comparison.levels`. */
export const FIELDS = [
  'last_name',
  'first_name',
  'specialty',
  'street',
  'locality',
  'phone',
  'affiliation',
] as const;
export type MatchField = (typeof FIELDS)[number];

/** Each field's agreement levels, strongest first; the last is "disagrees". */
export const LEVELS: Record<MatchField, readonly string[]> = {
  last_name: ['exact', 'similar', 'different'],
  first_name: ['exact', 'nickname', 'similar', 'initial', 'different'],
  specialty: ['same', 'different'],
  street: ['exact', 'similar', 'different'],
  locality: ['same_zip', 'same_city', 'different'],
  phone: ['same', 'different'],
  affiliation: ['shared', 'different'],
};

/** How two records agree: a level per field (null where either lacks it), names crosswise,
 * and the fields a shared blocking key forces to agree. */
export interface Comparison {
  levels: (number | null)[];
  swapped: boolean;
  blocked: boolean[];
}

/** The fields agreeing because two records share a blocking key of this kind. */
function fieldsForcedBy(key: string): readonly MatchField[] {
  switch (key.split(':')[0]) {
    case 'n':
      return FIELDS;
    case 'p':
      return ['phone'];
    case 's':
      return ['last_name', 'first_name'];
    case 'y':
      return ['last_name', 'first_name', 'locality'];
    case 'z':
      return ['locality', 'first_name'];
    case 'a':
      return ['street', 'locality'];
    default:
      return [];
  }
}

const NAME_SIMILAR = 0.88;
const STREET_SIMILAR = 0.88;

/** Lower-case ASCII letters only: transliterated, accents, spaces, hyphens and apostrophes removed. */
export function normalizeName(s: string): string {
  return transliterate(s)
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

const STREET_WORDS: Record<string, string> = {
  street: 'st',
  avenue: 'ave',
  av: 'ave',
  road: 'rd',
  drive: 'dr',
  boulevard: 'blvd',
  lane: 'ln',
  court: 'ct',
  place: 'pl',
  parkway: 'pkwy',
  highway: 'hwy',
  suite: 'ste',
  apartment: 'ste',
  apt: 'ste',
  north: 'n',
  south: 's',
  east: 'e',
  west: 'w',
};

/** A street line in one spelling: transliterated, lower case, punctuation dropped, USPS
 * abbreviations ("12 North Main Street, Suite 4" → "12 n main st ste 4"). */
export function normalizeStreet(s: string): string {
  return transliterate(s)
    .replace(/[^A-Za-z0-9]/g, ' ')
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => (Object.hasOwn(STREET_WORDS, w) ? STREET_WORDS[w] : w))
    .join(' ');
}

/** The last ten digits of a phone number, or null when it has fewer than seven. */
export function normalizePhone(s: string): string | null {
  const digits = s.replace(/[^0-9]/g, '');
  return digits.length >= 7 ? digits.slice(Math.max(0, digits.length - 10)) : null;
}

/** Upper case of the ASCII letters only (Rust's `to_ascii_uppercase`). */
const asciiUpper = (s: string) => s.replace(/[a-z]/g, (c) => c.toUpperCase());

function present(v: string | null | undefined): string | null {
  const t = v?.trim();
  return t ? t : null;
}

function zip5(v: string | null | undefined): string | null {
  const z = present(v)
    ?.replace(/[^0-9]/g, '')
    .slice(0, 5);
  return z && z.length === 5 ? z : null;
}

function lastLevel(a: string, b: string): number {
  if (a === b) return 0;
  return jaroWinkler(a, b) >= NAME_SIMILAR ? 1 : 2;
}

function firstLevel(a: string, b: string): number {
  if (a === b) return 0;
  if (equivalent(a, b)) return 1;
  if (jaroWinkler(a, b) >= NAME_SIMILAR) return 2;
  if (a && b && (a.length === 1 || b.length === 1) && a[0] === b[0]) return 3;
  return 4;
}

/** Compares two records field by field. */
export function compare(a: MatchRecord, b: MatchRecord): Comparison {
  const [af, al] = [normalizeName(a.first_name), normalizeName(a.last_name)];
  const [bf, bl] = [normalizeName(b.first_name), normalizeName(b.last_name)];
  const straight = [lastLevel(al, bl), firstLevel(af, bf)];
  const crossed = [lastLevel(al, bf), firstLevel(af, bl)];
  const swapped = crossed[0] + crossed[1] < straight[0] + straight[1];
  const [last, first] = swapped ? crossed : straight;

  const [sa, sb] = [present(a.specialty_code), present(b.specialty_code)];
  const specialty = sa && sb ? (asciiUpper(sa) === asciiUpper(sb) ? 0 : 1) : null;
  const [ta, tb] = [present(a.street), present(b.street)];
  let street: number | null = null;
  if (ta && tb) {
    const [x, y] = [normalizeStreet(ta), normalizeStreet(tb)];
    street = x === y ? 0 : jaroWinkler(x, y) >= STREET_SIMILAR ? 1 : 2;
  }
  const [za, zb] = [zip5(a.zip), zip5(b.zip)];
  const cityOf = (r: MatchRecord) => {
    const [c, s] = [present(r.city), present(r.state)];
    return c && s ? `${normalizeName(c)}|${asciiUpper(s)}` : null;
  };
  const [ca, cb] = [cityOf(a), cityOf(b)];
  let locality: number | null = null;
  if (za && zb && za === zb) locality = 0;
  else if (ca && cb && ca === cb) locality = 1;
  else if ((za && zb) || (ca && cb)) locality = 2;
  const [pa, pb] = [phoneOf(a), phoneOf(b)];
  const phone = pa && pb ? (pa === pb ? 0 : 1) : null;
  const [fa, fb] = [a.affiliations ?? [], b.affiliations ?? []];
  const affiliation =
    fa.length === 0 || fb.length === 0 ? null : fa.some((x) => fb.includes(x)) ? 0 : 1;

  const blocked = FIELDS.map(() => false);
  const bKeys = new Set(blockingKeys(b));
  for (const key of blockingKeys(a)) {
    if (!bKeys.has(key)) continue;
    for (const f of fieldsForcedBy(key)) blocked[FIELDS.indexOf(f)] = true;
  }
  return {
    levels: [last, first, specialty, street, locality, phone, affiliation],
    swapped,
    blocked,
  };
}

function phoneOf(r: MatchRecord): string | null {
  const p = present(r.phone);
  return p ? normalizePhone(p) : null;
}

/** Whether both records carry the same NPI (which decides a match on its own). */
export function sameNpi(a: MatchRecord, b: MatchRecord): boolean {
  const [x, y] = [present(a.npi), present(b.npi)];
  return !!x && x === y;
}

/** The street line without its suite or unit, for blocking ("12 n main st ste 4" → "12 n main st"). */
function streetKey(line: string): string {
  const street = normalizeStreet(line);
  const i = street.indexOf(' ste ');
  return i >= 0 ? street.slice(0, i) : street;
}

/** The keys under which a record is filed for candidate search (two records are compared only
 * when they share one): NPI; phone; the sound of the last name with the initial of each formal
 * first name (both name orders; the sound alone without a first name); the ZIP with each formal
 * first name; the ZIP with the sound of each name; the ZIP with the street line. Sorted. */
export function blockingKeys(r: MatchRecord): string[] {
  const keys = new Set<string>();
  const npi = present(r.npi);
  if (npi) keys.add(`n:${npi}`);
  const phone = phoneOf(r);
  if (phone) keys.add(`p:${phone}`);
  const [first, last] = [normalizeName(r.first_name), normalizeName(r.last_name)];
  for (const [surname, given] of [
    [last, first],
    [first, last],
  ]) {
    const code = soundex(surname);
    if (!code) continue;
    for (const formal of formalNames(given)) keys.add(`s:${code}:${formal.slice(0, 1)}`);
  }
  const zip = zip5(r.zip);
  if (zip) {
    for (const formal of formalNames(first)) if (formal) keys.add(`z:${zip}:${formal}`);
    for (const name of [first, last]) {
      const code = soundex(name);
      if (code) keys.add(`y:${zip}:${code}`);
    }
    const t = present(r.street);
    const street = t ? streetKey(t) : '';
    if (street) keys.add(`a:${zip}:${street}`);
  }
  return [...keys].sort();
}
