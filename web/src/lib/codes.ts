/** What each server code means to a user: one message per `Code` of the server's vocabulary
 * (crates/domain/src/code.rs). The record is exhaustive, so a code added on the server fails
 * the type check here until it has a message. */
import type { components } from '../api/schema';

export type Code = components['schemas']['Code'];

export const CODE_TEXT: Record<Code, string> = {
  validation_failed: 'Some details are invalid.',
  malformed_json: 'The app sent something the server cannot read (update the app).',
  malformed_body: 'The app sent something the server cannot read (update the app).',
  unsupported_media_type: 'The app sent something the server cannot read (update the app).',
  payload_too_large: 'This is too large to send.',
  request_timeout: 'The connection is too slow to send this; it will be retried.',
  method_not_allowed: 'The server does not allow this (update the app).',
  not_found: 'The record was not found, or is not yours.',
  unauthenticated: 'Your session has ended: sign in again.',
  invalid_credentials: 'The username or the password is wrong.',
  forbidden: 'Your role may not record this.',
  database_unavailable: 'The server cannot reach its database; it will be retried.',
  internal: 'The server failed; it will be retried.',
  duplicate_npi: 'An HCP with this NPI already exists.',
  duplicate: 'This record already exists.',
  conflict: 'The records changed meanwhile (e.g. acknowledged on another device).',
  likely_duplicate: 'This looks like an HCP who already exists.',
  already_decided: 'This request was already decided.',
  hcp_merged: 'The HCP was merged into another record meanwhile.',
  already_undone: 'This merge was already undone.',
  already_received: 'This shipment was already acknowledged.',
  unknown_kind: 'The server does not know this kind of record (update the app).',
  duplicate_call: 'This call was already logged (same HCP and time).',
  duplicate_record: 'This sample record was already sent.',
  linked: 'The HCP already exists: your proposal was linked to that record.',
  hcp_not_in_scope: 'The HCP is not in your territory (any more).',
  hcp_inactive: 'The HCP is not active (retired or deceased).',
  blacklisted: 'The HCP is blacklisted by compliance.',
  do_not_call: 'The HCP is on the do-not-call list.',
  hcp_realigned_since_call: 'The HCP moved to another territory after the call.',
  blacklisted_after_call: 'Compliance blacklisted the HCP after the call.',
  do_not_call_set_after_call: 'The HCP was flagged do-not-call after the call.',
  fair_balance: 'A key message was delivered without its fair-balance message.',
  no_lines: 'Add at least one sample.',
  quantity_invalid: 'A quantity is not valid.',
  unknown_sku: 'A sample product is not known.',
  lot_required: 'Choose the lot each sample came from.',
  lot_mismatch: 'A lot is not of that product or not in your inventory.',
  lot_expired: 'A lot has expired.',
  insufficient_inventory: 'You do not hold that many units of a lot.',
  allocation_exceeded: 'Your allocation for the period is used up.',
  sample_limit: "The HCP's sample limit is reached.",
  no_active_licence: 'The HCP holds no active licence in this state.',
  credential_not_eligible: "The HCP's credential is not eligible for this product.",
  dea_required: "A controlled substance needs the HCP's DEA registration.",
  signature_invalid: 'The signature is missing or does not match the samples.',
  signer_mismatch:
    'The signed record does not name this HCP, or the signer may not sign it; compliance has been told.',
  signature_copied:
    'The drawing is identical to the signature on another record; compliance has been told.',
  receipt_discrepancy: 'The quantities received differ from what was sent.',
  count_discrepancy:
    'The count differs from the book at the time of the count: compliance reviews the explanation.',
  total_out_of_range: 'A total is too large to report.',
};
