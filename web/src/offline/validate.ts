/** Client-side call checks (the server re-checks everything). */
import type { Hcp } from '../api/types';
import type { CallInput } from './types';

type HcpLike = Pick<Hcp, 'status' | 'do_not_call' | 'blacklist' | 'first_name' | 'last_name'>;

/** Why this HCP cannot be called at all, or null. Shown before the rep starts the form. */
export function callBlockReason(
  h: Pick<HcpLike, 'status' | 'do_not_call' | 'blacklist'>,
): string | null {
  if (h.blacklist) return `Blacklisted by compliance: ${h.blacklist.reason}`;
  if (h.do_not_call) return `Do not call: ${h.do_not_call.reason}`;
  if (h.status === 'deceased') return 'This HCP is deceased.';
  return null;
}

/** Same limits as the server (crates/domain/src/call.rs). */
export const MAX_NOTES = 2000;
const FUTURE_SLACK_MS = 10 * 60_000;

export type CallDraft = Omit<CallInput, 'corrects' | 'correction_reason'>;

/** Local calendar date "YYYY-MM-DD" of an RFC 3339 timestamp. */
export function localDate(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Field -> message; empty when the call may be submitted. */
export function validateCall(
  c: CallDraft,
  hcpsById: Map<string, HcpLike>,
  now: Date = new Date(),
): Record<string, string> {
  const e: Record<string, string> = {};
  if (c.hcp_ids.length === 0) e.hcp_ids = 'Choose the HCP you called.';
  for (const id of c.hcp_ids) {
    const h = hcpsById.get(id);
    if (!h) {
      e.hcp_ids = 'An attendee is not in your territory data.';
      break;
    }
    const why = callBlockReason(h);
    if (why) {
      e.hcp_ids = `${h.first_name} ${h.last_name}: ${why}`;
      break;
    }
  }
  if (c.call_type === 'group') {
    if (c.hcp_ids.length < 2) e.hcp_ids = e.hcp_ids ?? 'A group call needs at least 2 attendees.';
    if (!c.account_id) e.account_id = 'A group call needs an account.';
  } else if (c.hcp_ids.length > 1) {
    e.hcp_ids = e.hcp_ids ?? 'Only a group call has several attendees.';
  }
  if (new Set(c.hcp_ids).size !== c.hcp_ids.length)
    e.hcp_ids = e.hcp_ids ?? 'An HCP is listed twice.';
  if (!c.called_at || Number.isNaN(Date.parse(c.called_at)))
    e.called_at = 'Date and time are required.';
  else if (Date.parse(c.called_at) > now.getTime() + FUTURE_SLACK_MS)
    e.called_at = 'The call cannot be in the future.';
  if (c.notes && [...c.notes].length > MAX_NOTES)
    e.notes = `Notes can have at most ${MAX_NOTES} characters.`;
  if (!c.outcome) e.outcome = 'Choose an outcome.';
  if (!c.next_step) e.next_step = 'Choose a next step.';
  if (c.next_step_date) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(c.next_step_date))
      e.next_step_date = 'Use a date (YYYY-MM-DD).';
    else if (!e.called_at && c.next_step_date < localDate(c.called_at))
      e.next_step_date = 'The next-step date cannot be before the call.';
  }
  return e;
}
