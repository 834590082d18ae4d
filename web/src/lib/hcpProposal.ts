/** The "propose a new HCP" form (reps and managers): its fields, the checks made before sending
 * (the server re-checks everything and names fields like `address.zip`), and what it becomes —
 * the matcher's record while typing, the `HcpProposal` when submitted. */
import type { HcpInput, HcpProposal } from '../offline/types';
import type { MatchRecord } from '../offline/matching';
import { normalizePhone } from '../offline/matching';
import { npiProblem } from './npi';
import { may, type Permitted } from './permissions';
import { stateProblem, zipProblem } from './usStates';

export interface ProposalForm {
  npi: string;
  first_name: string;
  last_name: string;
  credentials: string;
  specialty_code: string;
  line1: string;
  city: string;
  state: string;
  zip: string;
  phone: string;
  note: string;
}

export type FormErrors = Partial<Record<keyof ProposalForm, string>>;

/** Longest note (crates/domain/src/stewardship.rs `MAX_NOTE`). */
export const MAX_NOTE = 500;

/** An empty form; a search typed in the HCP list pre-fills the name ("Jane Doe" or "Doe"). */
export function emptyProposalForm(search = ''): ProposalForm {
  const words = search
    .trim()
    .split(/\s+/)
    .filter((w) => w && !/\d/.test(w));
  const last = words.length > 0 ? words[words.length - 1] : '';
  const first = words.length > 1 ? words.slice(0, -1).join(' ') : '';
  return {
    npi: '',
    first_name: first,
    last_name: last,
    credentials: '',
    specialty_code: '',
    line1: '',
    city: '',
    state: '',
    zip: '',
    phone: '',
    note: '',
  };
}

/** A phone problem (optional field: blank is fine), or null. */
export function phoneProblem(phone: string): string | null {
  if (!phone.trim()) return null;
  return normalizePhone(phone)?.length === 10 ? null : 'must be a 10-digit US phone number';
}

/** Field -> message, empty when the proposal may be sent. */
export function validateProposal(f: ProposalForm): FormErrors {
  const e: FormErrors = {};
  const need = (k: keyof ProposalForm, what: string) => {
    if (!f[k].trim()) e[k] = `${what} is required.`;
  };
  const npi = npiProblem(f.npi);
  if (!f.npi.trim()) e.npi = 'The NPI is required.';
  else if (npi) e.npi = `The NPI ${npi}.`;
  need('first_name', 'The first name');
  need('last_name', 'The last name');
  need('specialty_code', 'The specialty');
  need('line1', 'The street address');
  need('city', 'The city');
  if (!f.state.trim()) e.state = 'The state is required.';
  else if (stateProblem(f.state)) e.state = 'Use a US state code such as MA.';
  if (!f.zip.trim()) e.zip = 'The ZIP code is required.';
  else if (zipProblem(f.zip)) e.zip = 'Use a 5-digit ZIP code.';
  if (phoneProblem(f.phone)) e.phone = 'Use a 10-digit US phone number, or leave it blank.';
  if ([...f.note.trim()].length > MAX_NOTE) e.note = `At most ${MAX_NOTE} characters.`;
  return e;
}

const blank = (s: string) => (s.trim() ? s.trim() : null);

export function toHcpInput(f: ProposalForm): HcpInput {
  return {
    npi: f.npi.trim(),
    first_name: f.first_name.trim(),
    last_name: f.last_name.trim(),
    credentials: f.credentials.trim(),
    specialty_code: f.specialty_code,
    address: {
      line1: f.line1.trim(),
      line2: null,
      city: f.city.trim(),
      state: f.state.trim().toUpperCase(),
      zip: f.zip.trim(),
    },
    phone: blank(f.phone),
  };
}

export function toProposal(
  f: ProposalForm,
  ids: { id: string; hcp_id: string },
  confirmedDifferent: boolean,
): HcpProposal {
  return {
    ...ids,
    hcp: toHcpInput(f),
    note: blank(f.note),
    confirmed_different: confirmedDifferent,
  };
}

/** What the matcher compares while the rep types (blank fields are missing, not different). */
export function toMatchRecord(f: ProposalForm): MatchRecord {
  return {
    npi: blank(f.npi),
    first_name: f.first_name.trim(),
    last_name: f.last_name.trim(),
    specialty_code: blank(f.specialty_code),
    street: blank(f.line1),
    city: blank(f.city),
    state: blank(f.state),
    zip: blank(f.zip),
    phone: blank(f.phone),
    affiliations: [],
  };
}

/** Matches are looked for once a last name or an NPI is there. */
export function matchReady(f: Pick<ProposalForm, 'last_name' | 'npi'>): boolean {
  return !!(f.last_name.trim() || f.npi.trim());
}

/** The form field a server error names (`address.zip` → `zip`), or null for one the form lacks. */
export function formFieldOf(serverField: string): keyof ProposalForm | null {
  const f = serverField.replace(/^hcp\./, '').replace(/^address\./, '');
  const known: (keyof ProposalForm)[] = [
    'npi',
    'first_name',
    'last_name',
    'credentials',
    'specialty_code',
    'line1',
    'city',
    'state',
    'zip',
    'phone',
    'note',
  ];
  return (known as string[]).includes(f) ? (f as keyof ProposalForm) : null;
}

/** Those who propose new HCPs and changes through data requests: the server lets them propose, and
 * they do not steward master data (a steward's HCP goes straight into master data). */
export function canProposeHcpData(me: Permitted): boolean {
  return may(me, 'propose_master_data') && !may(me, 'steward_master_data');
}
