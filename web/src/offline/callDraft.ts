/** The call form's rules as pure functions (no hooks, no DOM): a new draft, what the rep's picks
 * change in it, the products and attendees offered, the samples' errors and the submitted disbursement. */
import type { Hcp } from '../api/types';
import type { DisbursementState } from '../components/CallSamples';
import { primaryAccountId } from './local';
import type { SampleLineDraft, SamplesDraft } from './records';
import type { CallType, KeyMessage, PickItem, Product } from './types';
import { uuidv7 } from './uuid';
import type { CallDraft } from './validate';

/** Call types offered before the pick lists are synced. */
export const DEFAULT_CALL_TYPES: PickItem[] = [
  { code: 'in_person', label: 'In person' },
  { code: 'remote_video', label: 'Video' },
  { code: 'phone', label: 'Phone' },
  { code: 'group', label: 'Group' },
];

function nowMinute(): string {
  const d = new Date();
  d.setSeconds(0, 0);
  return d.toISOString();
}

/** A new call with `h` now, at their primary account, detailing the products they are segmented for. */
export function newDraft(h: Hcp, callType: CallType = 'in_person'): CallDraft {
  return {
    id: uuidv7(),
    call_type: callType,
    hcp_ids: [h.id],
    account_id: primaryAccountId(h),
    called_at: nowMinute(),
    product_ids: [...new Set((h.segments ?? []).map((s) => s.product_id))],
    outcome: '',
    next_step: '',
    next_step_date: null,
    notes: null,
    key_message_ids: [],
    disbursement: null,
  };
}

/** `list` with `id` added, or removed when it is there. */
export function toggled(list: string[], id: string): string[] {
  return list.includes(id) ? list.filter((x) => x !== id) : [...list, id];
}

/** The change when the rep picks a call type: a one-to-one call keeps only the lead HCP. */
export function callTypePick(draft: CallDraft, code: string, leadId: string): Partial<CallDraft> {
  return { call_type: code as CallType, hcp_ids: code === 'group' ? draft.hcp_ids : [leadId] };
}

/** The change when the rep ticks or unticks a product; its key messages go with an untick. */
export function productToggle(
  draft: CallDraft,
  id: string,
  keyMessages: KeyMessage[],
): Partial<CallDraft> {
  if (!draft.product_ids.includes(id)) return { product_ids: [...draft.product_ids, id] };
  const gone = new Set(keyMessages.filter((m) => m.product_id === id).map((m) => m.id));
  return {
    product_ids: draft.product_ids.filter((x) => x !== id),
    key_message_ids: (draft.key_message_ids ?? []).filter((m) => !gone.has(m)),
  };
}

/** Attendees a group call may list: the HCPs affiliated with its account (none for a one-to-one call). */
export function groupAttendees(hcps: Hcp[], callType: CallType, accountId: string | null): Hcp[] {
  if (callType !== 'group' || !accountId) return [];
  return hcps.filter((h) => (h.affiliations ?? []).some((a) => a.account_id === accountId));
}

/** The product chips: the lead HCP's segment products and the ones the draft details, named by brand. */
export function detailedProducts(
  lead: Hcp | undefined,
  productIds: string[],
  products: Map<string, Product>,
): { id: string; name: string }[] {
  const ids = new Set([...(lead?.segments ?? []).map((s) => s.product_id), ...productIds]);
  return [...ids].map((id) => ({
    id,
    name:
      products.get(id)?.brand ??
      lead?.segments.find((s) => s.product_id === id)?.product_name ??
      id,
  }));
}

/** Field -> message for the samples: they need one HCP, no blocking finding, confirmed warnings and a signature. */
export function sampleErrors(
  samples: SamplesDraft | null,
  ds: DisbursementState | null,
  oneToOne: boolean,
): Record<string, string> {
  const e: Record<string, string> = {};
  if (!samples || samples.lines.length === 0 || !ds) return e;
  if (!oneToOne)
    e.samples = 'Samples are given in a one-to-one call only: remove them or change the call type.';
  else if (ds.blocked) e.samples = 'The samples break a rule (see above): change or remove them.';
  else if (ds.warnings.length > 0 && !samples.warnings_acknowledged)
    e.samples_ack = 'Confirm the warnings to give these samples.';
  else if (!ds.signed) e.signature = 'The HCP must sign for the samples before you submit.';
  return e;
}

/** The lines signed for, each with its lot pinned (a later sync must not re-pick them). */
export function pinnedLines(ds: DisbursementState): SampleLineDraft[] {
  return ds.expanded.lines.map((l) => ({
    sku_id: l.sku_id,
    lot_id: l.lot_id ?? null,
    quantity: l.quantity,
  }));
}

/** The disbursement submitted with the call: the signed samples, or null when none are given. */
export function submittedDisbursement(
  samples: SamplesDraft | null,
  ds: DisbursementState | null,
): CallDraft['disbursement'] {
  if (!samples || samples.lines.length === 0 || !ds || !samples.signature) return null;
  return {
    id: samples.id,
    lines: pinnedLines(ds),
    signature: samples.signature,
    warnings_acknowledged: samples.warnings_acknowledged,
  };
}
