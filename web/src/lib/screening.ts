/** Pure helpers for exclusion screening (compliance, admin): the HHS-OIG LEIE file layout and
 * the screening report in plain words. */

import type { Hcp, ScreeningReport } from '../api/types';

/** The columns of OIG's UPDATED.csv, in the order OIG publishes them. */
export const LEIE_COLUMNS = [
  'LASTNAME',
  'FIRSTNAME',
  'MIDNAME',
  'BUSNAME',
  'GENERAL',
  'SPECIALTY',
  'UPIN',
  'NPI',
  'DOB',
  'ADDRESS',
  'CITY',
  'STATE',
  'ZIP',
  'EXCLTYPE',
  'EXCLDATE',
  'REINDATE',
  'WAIVERDATE',
  'WVRSTATE',
] as const;

/** `n` and the word, singular or plural: count(1, 'HCP') -> "1 HCP", count(2, 'entry', 'entries') -> "2 entries". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export type SummaryTone = 'flagged' | 'info' | 'review' | 'bad';

/** One line of the report summary; `key` names the count it states (for tests and styling). */
export interface SummaryLine {
  key: 'rows' | 'flagged' | 'already_flagged' | 'reinstated' | 'possible_matches' | 'errors';
  text: string;
  tone: SummaryTone;
}

/** The report's counts in plain words, one line each (lines with nothing to say are left out). */
export function screeningSummary(r: ScreeningReport): SummaryLine[] {
  const lines: SummaryLine[] = [
    { key: 'rows', text: `${count(r.rows, 'entry', 'entries')} read from the file.`, tone: 'info' },
    {
      key: 'flagged',
      text: `${count(r.flagged, 'HCP')} blacklisted by NPI match${r.flagged > 0 ? ': no calls, no samples from now on' : ''}.`,
      tone: r.flagged > 0 ? 'flagged' : 'info',
    },
  ];
  if (r.already_flagged > 0) {
    lines.push({
      key: 'already_flagged',
      text: `${count(r.already_flagged, 'HCP')} matched by NPI ${r.already_flagged === 1 ? 'was' : 'were'} already on the blacklist (left as ${r.already_flagged === 1 ? 'it was' : 'they were'}).`,
      tone: 'info',
    });
  }
  if (r.reinstated > 0) {
    lines.push({
      key: 'reinstated',
      text: `${count(r.reinstated, 'entry', 'entries')} skipped: reinstated by OIG.`,
      tone: 'info',
    });
  }
  const m = r.possible_matches.length;
  lines.push({
    key: 'possible_matches',
    text:
      m > 0
        ? `${count(m, 'possible match', 'possible matches')} by name and state only, not blacklisted: confirm on the HCP's profile.`
        : 'No possible matches by name and state.',
    tone: m > 0 ? 'review' : 'info',
  });
  if (r.errors.length > 0) {
    lines.push({
      key: 'errors',
      text: `${count(r.errors.length, 'row')} could not be read.`,
      tone: 'bad',
    });
  }
  return lines;
}

/** The first `max` items to show and the "and N more" text for the rest (null when none left). */
export function firstOf<T>(items: T[], max = 200): { shown: T[]; more: string | null } {
  const shown = items.slice(0, max);
  const rest = items.length - shown.length;
  return { shown, more: rest > 0 ? `and ${rest} more` : null };
}

/** "Jane Q. Doe, MD · Springfield, IL · NPI 1234567893" — what tells one candidate from another. */
export function hcpMatchLabel(
  h: Pick<Hcp, 'first_name' | 'middle_name' | 'last_name' | 'credentials' | 'npi' | 'address'>,
): string {
  const name = [h.first_name, h.middle_name, h.last_name].filter((s) => s && s.trim()).join(' ');
  const where = [h.address?.city, h.address?.state].filter(Boolean).join(', ');
  return [h.credentials ? `${name}, ${h.credentials}` : name, where, h.npi ? `NPI ${h.npi}` : '']
    .filter(Boolean)
    .join(' · ');
}
