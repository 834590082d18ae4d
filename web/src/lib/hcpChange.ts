/** The "propose a change" form of an HCP profile: specialty, office address, phone, status and a
 * new affiliation. Only what differs from the profile is sent (`HcpChange`); nothing changes on
 * the record until a data steward approves. Also how a change reads as "field: from → to". */
import type { Hcp } from '../api/types';
import type { HcpChange } from '../offline/types';
import { normalizePhone } from '../offline/matching';
import { MAX_NOTE, phoneProblem } from './hcpProposal';
import { stateProblem, zipProblem } from './usStates';

export type HcpStatus = Hcp['status'];

export interface ChangeForm {
  specialty_code: string;
  line1: string;
  city: string;
  state: string;
  zip: string;
  phone: string;
  status: HcpStatus;
  account_id: string;
  role: string;
  note: string;
}

export type ChangeErrors = Partial<Record<keyof ChangeForm | 'changes', string>>;

/** The form as the profile stands (nothing changed yet). */
export function changeFormOf(h: Hcp): ChangeForm {
  return {
    specialty_code: h.specialty_code,
    line1: h.address.line1,
    city: h.address.city,
    state: h.address.state,
    zip: h.address.zip,
    phone: h.phone ?? '',
    status: h.status,
    account_id: '',
    role: '',
    note: '',
  };
}

const addressChanged = (h: Hcp, f: ChangeForm) =>
  f.line1.trim() !== h.address.line1 ||
  f.city.trim() !== h.address.city ||
  f.state.trim().toUpperCase() !== h.address.state ||
  f.zip.trim() !== h.address.zip;

/** The change to send: only the fields that differ from the profile. */
export function toHcpChange(h: Hcp, f: ChangeForm): HcpChange {
  const c: HcpChange = {};
  if (f.specialty_code && f.specialty_code !== h.specialty_code)
    c.specialty_code = f.specialty_code;
  if (addressChanged(h, f)) {
    c.address = {
      ...h.address,
      line1: f.line1.trim(),
      city: f.city.trim(),
      state: f.state.trim().toUpperCase(),
      zip: f.zip.trim(),
    };
  }
  if ((normalizePhone(f.phone) ?? f.phone.trim()) !== (h.phone ?? '')) c.phone = f.phone.trim();
  if (f.status !== h.status) c.status = f.status;
  if (f.account_id) c.affiliation = { account_id: f.account_id, role: f.role.trim() };
  return c;
}

/** Field -> message, empty when the change may be sent. */
export function validateChange(h: Hcp, f: ChangeForm): ChangeErrors {
  const e: ChangeErrors = {};
  const c = toHcpChange(h, f);
  if (c.address) {
    if (!f.line1.trim()) e.line1 = 'The street address is required.';
    if (!f.city.trim()) e.city = 'The city is required.';
    if (stateProblem(f.state)) e.state = 'Use a US state code such as MA.';
    if (zipProblem(f.zip)) e.zip = 'Use a 5-digit ZIP code.';
  }
  if (c.phone !== undefined && phoneProblem(f.phone)) e.phone = 'Use a 10-digit US phone number.';
  if (c.phone === '') e.phone = 'A phone number cannot be removed this way; ask your data steward.';
  if ((h.affiliations ?? []).some((a) => a.account_id === f.account_id))
    e.account_id = 'This account is already an affiliation.';
  if ([...f.note.trim()].length > MAX_NOTE) e.note = `At most ${MAX_NOTE} characters.`;
  if (Object.keys(c).length === 0) e.changes = 'Change at least one field.';
  return e;
}

/** The form field a server error names (`address.zip` → `zip`, `affiliation.account_id` → `account_id`). */
export function changeFieldOf(serverField: string): keyof ChangeForm | 'changes' {
  const f = serverField
    .replace(/^changes\./, '')
    .replace(/^address\./, '')
    .replace(/^affiliation\./, '');
  const known = [
    'specialty_code',
    'line1',
    'city',
    'state',
    'zip',
    'phone',
    'status',
    'account_id',
    'role',
    'note',
  ];
  return known.includes(f) ? (f as keyof ChangeForm) : 'changes';
}

/** "field: from → to" lines of a change not yet answered by the server (the server's own lines
 * come with each synced request). `accountName` names an account id. */
export function describeChange(
  h: Hcp,
  c: HcpChange,
  accountName: (id: string) => string,
): { field: string; from: string; to: string }[] {
  const out: { field: string; from: string; to: string }[] = [];
  const addr = (a: Hcp['address']) => `${a.line1}, ${a.city}, ${a.state} ${a.zip}`;
  if (c.specialty_code)
    out.push({ field: 'specialty_code', from: h.specialty_code, to: c.specialty_code });
  if (c.address) out.push({ field: 'address', from: addr(h.address), to: addr(c.address) });
  if (c.phone != null)
    out.push({ field: 'phone', from: h.phone ?? '', to: normalizePhone(c.phone) ?? c.phone });
  if (c.status) out.push({ field: 'status', from: h.status, to: c.status });
  if (c.affiliation)
    out.push({
      field: 'affiliation',
      from: '',
      to: `${accountName(c.affiliation.account_id)}${c.affiliation.role ? ` (${c.affiliation.role})` : ''}`,
    });
  return out;
}
