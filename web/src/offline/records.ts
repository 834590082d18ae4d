/** The records the offline app keeps besides the synced data: queued mutations (the outbox) and the
 * samples of a call being written. Types only (and a guard), so every offline module can import them. */
import type { MutationKind, MutationPayloads, MutationResult, Signature } from './types';

export type OutboxStatus = 'pending' | 'applied' | 'applied_with_flag' | 'rejected' | 'superseded';

interface OutboxBase {
  /** Mutation id (UUIDv7): the push order. */
  id: string;
  client_ts: string;
  status: OutboxStatus;
  attempts: number;
  result: MutationResult | null;
  /** Last transport error (network, 5xx), if the last attempt failed. */
  last_error: string | null;
  updated_at: string;
}

/** A queued mutation of one kind. */
export type OutboxItemOf<K extends MutationKind> = OutboxBase & {
  kind: K;
  payload: MutationPayloads[K];
};
/** A queued mutation: a call report or a sample record. */
export type OutboxItem = { [K in MutationKind]: OutboxItemOf<K> }[MutationKind];
export type CallOutboxItem = OutboxItemOf<'call.submit'>;

export function isCallItem(o: OutboxItem): o is CallOutboxItem {
  return o.kind === 'call.submit';
}

/** A line as the rep enters it: SKU and quantity; the lot is picked first-expiry-first unless chosen. */
export interface SampleLineDraft {
  sku_id: string;
  quantity: number;
  /** null: first-expiry-first (`pickLots`), possibly over several lots. */
  lot_id: string | null;
}

/** Samples being given during a call, kept with the draft. */
export interface SamplesDraft {
  /** The disbursement id (also the signed record's id). */
  id: string;
  lines: SampleLineDraft[];
  warnings_acknowledged: boolean;
  signature: Signature | null;
}
