/** The signed record of 21 CFR 203.31 (who, where, title, licence, what, lot, how many, maker,
 * when): built from the HCP and the book, its gaps, its signature and whether a signature still
 * matches it. */
import type { Address, Hcp } from '../api/types';
import {
  imageDigest,
  recordHash,
  type SampleLine,
  type SignedRecord,
  type SignerRole,
} from './samples';
import type { LotView, SampleBook, Signature } from './types';

export type RecordType = 'sample_disbursement' | 'sample_request';

/** One line: "line1[, line2], city, ST zip". */
export function practitionerAddress(a: Address): string {
  const line2 = a.line2?.trim() ? `, ${a.line2.trim()}` : '';
  return `${a.line1}${line2}, ${a.city}, ${a.state} ${a.zip}`;
}

/** "First [Middle] Last[ Suffix], CREDENTIALS". */
export function practitionerName(
  h: Pick<Hcp, 'first_name' | 'middle_name' | 'last_name' | 'suffix' | 'credentials'>,
): string {
  const name = [h.first_name, h.middle_name, h.last_name].filter(Boolean).join(' ');
  const full = h.suffix ? `${name} ${h.suffix}` : name;
  return h.credentials ? `${full}, ${h.credentials}` : full;
}

/**
 * The licence shown on the record: for a controlled (scheduled) product the DEA number of a
 * registration valid on `on` in `state` (covering every schedule if one does), else the state
 * licence in `state` as "ST number" (an unexpired one first). Empty when there is none.
 */
export function licenceNumber(
  h: Pick<Hcp, 'licences' | 'dea_registrations'>,
  state: string,
  schedules: string[],
  on: string,
): string {
  const st = state.toUpperCase();
  if (schedules.length > 0) {
    const regs = (h.dea_registrations ?? []).filter(
      (d) => d.state.toUpperCase() === st && d.expires_on >= on,
    );
    const all = regs.find((d) => schedules.every((s) => (d.schedules as string[]).includes(s)));
    const some = regs.find((d) => schedules.some((s) => (d.schedules as string[]).includes(s)));
    const reg = all ?? some ?? regs[0];
    if (reg) return reg.number;
  }
  const inState = (h.licences ?? []).filter((l) => l.state.toUpperCase() === st);
  const lic = inState.find((l) => l.expires_on >= on) ?? inState[0];
  return lic ? `${lic.state} ${lic.number}` : '';
}

export interface RecordInput {
  type: RecordType;
  record_id: string;
  hcp: Pick<
    Hcp,
    | 'first_name'
    | 'middle_name'
    | 'last_name'
    | 'suffix'
    | 'credentials'
    | 'address'
    | 'licences'
    | 'dea_registrations'
  >;
  /** State of the call (disbursement) or of the practice (request). */
  state: string;
  /** Day the licence must be valid on (the day the rules judge). */
  on: string;
  /** Date printed on the record (the call's or the request's day). */
  date: string;
  lines: SampleLine[];
  book: Pick<SampleBook, 'skus' | 'manufacturers'> & {
    lots: Pick<LotView, 'lot_id' | 'lot_number' | 'ndc'>[];
  };
}

/** The record to sign, without the signer's name and time (`signRecord` adds them). */
export function buildRecord(x: RecordInput): SignedRecord {
  const skus = new Map(x.book.skus.map((s) => [s.sku_id, s]));
  const lots = new Map(x.book.lots.map((l) => [l.lot_id, l]));
  const schedules = [
    ...new Set(
      x.lines
        .map((l) => skus.get(l.sku_id)?.dea_schedule)
        .filter((s): s is NonNullable<typeof s> => !!s),
    ),
  ];
  const products = [
    ...new Set(x.lines.map((l) => skus.get(l.sku_id)?.product_id).filter((p): p is string => !!p)),
  ];
  const makers = [
    ...new Set(
      products
        .map((p) => x.book.manufacturers.find((m) => m.product_id === p)?.name)
        .filter((n): n is string => !!n),
    ),
  ];
  return {
    record_id: x.record_id,
    record_type: x.type,
    practitioner_name: practitionerName(x.hcp),
    practitioner_address: practitionerAddress(x.hcp.address),
    professional_title: x.hcp.credentials ?? '',
    licence_number: licenceNumber(x.hcp, x.state, schedules, x.on),
    lines: x.lines.map((l) => {
      const sku = skus.get(l.sku_id);
      const lot = l.lot_id ? lots.get(l.lot_id) : undefined;
      return {
        product: sku?.product_name ?? '',
        strength: sku?.strength ?? '',
        ndc: sku?.ndc || lot?.ndc || '',
        lot_number: x.type === 'sample_request' ? null : (lot?.lot_number ?? null),
        quantity: l.quantity,
      };
    }),
    manufacturer: makers.join(', '),
    date: x.date,
    signer_name: '',
    signer_role: 'practitioner',
    signed_at: '',
    meaning: '',
    image_sha256: '',
  };
}

/** Fields the server requires on a signed record that this one lacks (field -> message). */
export function recordGaps(r: SignedRecord): Record<string, string> {
  const e: Record<string, string> = {};
  if (!r.practitioner_name.trim()) e.practitioner_name = 'The HCP has no name on record.';
  if (!r.practitioner_address.trim()) e.practitioner_address = 'The HCP has no address on record.';
  if (!r.professional_title.trim())
    e.professional_title = 'The HCP has no professional title (credentials) on record.';
  if (!r.licence_number.trim())
    e.licence_number = 'The HCP has no state licence (or DEA number) for this state on record.';
  if (!r.manufacturer.trim()) e.manufacturer = 'The manufacturer of the product is unknown.';
  if (r.lines.some((l) => l.lot_number === null) && r.record_type === 'sample_disbursement')
    e.lines = 'Every line needs a lot.';
  return e;
}

/** The record as signed by `signerName` in `role`: what `signRecord` hashes, before the drawing. */
export function withSigner(
  record: SignedRecord,
  signerName: string,
  role: SignerRole,
): SignedRecord {
  return { ...record, signer_name: signerName.trim(), signer_role: role };
}

/**
 * The signature of `record` by `signerName` (the practitioner, or a designee for a receipt) at
 * `at` with the drawn `image`; the drawing's digest is part of the signed record, and the hash
 * binds both (pharmacrm-signed-record/2).
 */
export async function signRecord(
  record: SignedRecord,
  signerName: string,
  meaning: string,
  image: string,
  role: SignerRole = 'practitioner',
  at: Date = new Date(),
): Promise<Signature> {
  const signed: SignedRecord = {
    ...withSigner(record, signerName, role),
    signed_at: at.toISOString(),
    meaning,
    image_sha256: await imageDigest(image),
  };
  return { record: signed, image, hash: await recordHash(signed) };
}

/** Whether `sig` still signs `record` (everything but the signer, time, meaning and drawing the same). */
export function signatureMatches(sig: Signature | null, record: SignedRecord): boolean {
  if (!sig) return false;
  const strip = (r: SignedRecord) =>
    JSON.stringify({
      ...r,
      signer_name: '',
      signer_role: 'practitioner',
      signed_at: '',
      meaning: '',
      image_sha256: '',
    });
  return strip(sig.record as SignedRecord) === strip(record);
}
