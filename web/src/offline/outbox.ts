/** Outbox state machine (pure). pending --push--> applied | applied_with_flag | rejected;
 * a transport failure keeps it pending (attempts+1); a rejected item is superseded when the rep
 * reopens it as a draft or resends it (a resend is a NEW mutation id with the same call). */
import type { CallOutboxItem, OutboxItem, OutboxItemOf } from './records';
import { CODE_TEXT } from '../lib/codes';
import {
  mutationStatus,
  type CallInput,
  type Mutation,
  type MutationKind,
  type MutationPayloads,
  type MutationResult,
} from './types';
import { uuidv7 } from './uuid';

/** A new pending mutation of `kind`. */
export function newMutationItem<K extends MutationKind>(
  kind: K,
  payload: MutationPayloads[K],
  now: Date = new Date(),
  id: string = uuidv7(now.getTime()),
): OutboxItemOf<K> {
  return {
    id,
    client_ts: now.toISOString(),
    kind,
    payload,
    status: 'pending',
    attempts: 0,
    result: null,
    last_error: null,
    updated_at: now.toISOString(),
  } as OutboxItemOf<K>;
}

export function newOutboxItem(
  payload: CallInput,
  now: Date = new Date(),
  id: string = uuidv7(now.getTime()),
): CallOutboxItem {
  return newMutationItem('call.submit', payload, now, id);
}

/** The items to send next, in mutation-id order (UUIDv7 = creation order). */
export function pushBatch<T extends OutboxItem>(items: T[], max = 50): T[] {
  return items
    .filter((i) => i.status === 'pending')
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, max);
}

export function toMutation(i: OutboxItem): Mutation {
  return { id: i.id, client_ts: i.client_ts, kind: i.kind, payload: i.payload } as Mutation;
}

/** State after the server answered for this item. */
export function withResult<T extends OutboxItem>(
  i: T,
  r: MutationResult,
  now: Date = new Date(),
): T {
  if (i.status !== 'pending') return i; // results only move pending items (replies are idempotent)
  const status = mutationStatus(r.status);
  if (!status) return withFailure(i, `unknown result status ${r.status}`, now);
  return {
    ...i,
    status,
    result: r,
    attempts: i.attempts + 1,
    last_error: null,
    updated_at: now.toISOString(),
  };
}

/** State after a transport failure (offline, 5xx, timeout): stays pending for a retry. */
export function withFailure<T extends OutboxItem>(i: T, error: string, now: Date = new Date()): T {
  if (i.status !== 'pending') return i;
  return { ...i, attempts: i.attempts + 1, last_error: error, updated_at: now.toISOString() };
}

/** Resending a rejected item: the old one is superseded; a new pending one (new mutation id) is queued. */
export function resend<T extends OutboxItem>(
  i: T,
  now: Date = new Date(),
  payload: T['payload'] = i.payload,
): [T, T] {
  if (i.status !== 'rejected')
    throw new Error(`only a rejected item can be resent (status ${i.status})`);
  return [
    { ...i, status: 'superseded', updated_at: now.toISOString() },
    newMutationItem(i.kind, payload as never, now) as T,
  ];
}

/** Retry delay after `failures` consecutive transport failures: 2 s doubling up to 60 s. */
export function backoffMs(failures: number): number {
  return Math.min(60_000, 2000 * 2 ** Math.max(0, failures - 1));
}

/** A rejection in words: the known code's text, then the server's message and field errors. */
export function rejectionText(r: MutationResult | null): string {
  if (!r) return '';
  const parts: string[] = [];
  const known = r.code ? CODE_TEXT[r.code] : undefined;
  if (known) parts.push(known);
  if (r.message && r.message !== known) parts.push(`Server: ${r.message}.`);
  for (const e of r.errors ?? []) parts.push(`${e.field}: ${e.message}`);
  if (parts.length === 0) parts.push(r.code ? `Rejected (${r.code}).` : 'Rejected by the server.');
  return parts.join(' ');
}
