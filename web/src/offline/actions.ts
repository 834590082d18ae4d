/** Local writes of the rep app (drafts, submit to outbox, fixing rejected calls, sample records). */
import type { CallOutboxItem, OutboxItem, OutboxItemOf, SamplesDraft } from './records';
import type { SyncEngine } from './engine';
import { newMutationItem, newOutboxItem, resend } from './outbox';
import type { CallInput, MutationPayloads, SampleMutationKind } from './types';
import type { CallDraft } from './validate';
import { uuidv7 } from './uuid';

export function toCallInput(d: CallDraft): CallInput {
  return {
    ...d,
    // Drafts saved by an older version of the app lack the sample fields.
    key_message_ids: d.key_message_ids ?? [],
    disbursement: d.disbursement ?? null,
    notes: d.notes?.trim() ? d.notes.trim() : null,
    corrects: null,
    correction_reason: null,
  };
}

export async function saveDraft(
  engine: SyncEngine,
  d: CallDraft,
  fromMutation: string | null = null,
  samples: SamplesDraft | null = null,
): Promise<void> {
  const db = engine.db;
  const prev = await db.drafts.get(d.id);
  await db.drafts.put({
    id: d.id,
    draft: { ...d, disbursement: null },
    updated_at: new Date().toISOString(),
    from_mutation: fromMutation ?? prev?.from_mutation ?? null,
    samples,
  });
  await engine.localChanged();
}

/** Queues a sample record (receipt, transfer, return, destruction, loss, count, request) and starts a push. */
export async function queueSample<K extends SampleMutationKind>(
  engine: SyncEngine,
  kind: K,
  payload: MutationPayloads[K],
): Promise<OutboxItemOf<K>> {
  const item = newMutationItem(kind, payload);
  await engine.db.outbox.add(item as OutboxItem);
  await engine.localChanged(true);
  return item;
}

/** Drops a rejected sample record (it had no effect on the server); it stays in the outbox as superseded. */
export async function discardRejected(engine: SyncEngine, item: OutboxItem): Promise<void> {
  if (item.status !== 'rejected') return;
  await engine.db.outbox.put({
    ...item,
    status: 'superseded',
    updated_at: new Date().toISOString(),
  });
  await engine.localChanged();
}

export async function deleteDraft(engine: SyncEngine, id: string): Promise<void> {
  await engine.db.drafts.delete(id);
  await engine.localChanged();
}

/** Queues the call (one transaction: the draft goes, the outbox item comes) and starts a push. */
export async function submitCall(engine: SyncEngine, d: CallDraft): Promise<CallOutboxItem> {
  const db = engine.db;
  const item = newOutboxItem(toCallInput(d));
  await db.transaction('rw', db.outbox, db.drafts, async () => {
    await db.outbox.add(item);
    await db.drafts.delete(d.id);
  });
  await engine.localChanged(true);
  return item;
}

/** Opens a rejected call as an editable draft again (the rejected mutation is superseded). Samples
 * given during the call come back with their lots and signature (kept while nothing signed changes). */
export async function reopenRejected(engine: SyncEngine, item: CallOutboxItem): Promise<string> {
  const db = engine.db;
  const { corrects: _c, correction_reason: _r, disbursement, ...payload } = item.payload;
  // duplicate_call means the server already has a call with this id: the fixed call needs a new one.
  const draft: CallDraft = {
    ...payload,
    key_message_ids: payload.key_message_ids ?? [],
    disbursement: null,
    id: item.result?.code === 'duplicate_call' ? uuidv7() : payload.id,
  };
  const samples: SamplesDraft | null = disbursement
    ? {
        id: disbursement.id,
        lines: disbursement.lines.map((l) => ({
          sku_id: l.sku_id,
          lot_id: l.lot_id ?? null,
          quantity: l.quantity,
        })),
        warnings_acknowledged: disbursement.warnings_acknowledged ?? false,
        signature: disbursement.signature,
      }
    : null;
  await db.transaction('rw', db.outbox, db.drafts, async () => {
    await db.drafts.put({
      id: draft.id,
      draft,
      updated_at: new Date().toISOString(),
      from_mutation: item.id,
      samples,
    });
    await db.outbox.put({ ...item, status: 'superseded', updated_at: new Date().toISOString() });
  });
  await engine.localChanged();
  return draft.id;
}

/** Sends a rejected call or sample record again unchanged, as a new mutation (new id). */
export async function resendRejected(engine: SyncEngine, item: OutboxItem): Promise<void> {
  const db = engine.db;
  const [old, fresh] = resend(item);
  await db.transaction('rw', db.outbox, async () => {
    await db.outbox.put(old);
    await db.outbox.add(fresh);
  });
  await engine.localChanged(true);
}
