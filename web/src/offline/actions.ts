/** Local writes of the rep app (drafts, submit to outbox, fixing rejected calls). */
import type { OutboxItem } from './db';
import type { SyncEngine } from './engine';
import { newOutboxItem, resend } from './outbox';
import type { CallInput } from './types';
import type { CallDraft } from './validate';
import { uuidv7 } from './uuid';

export function toCallInput(d: CallDraft): CallInput {
  return { ...d, notes: d.notes?.trim() ? d.notes.trim() : null, corrects: null, correction_reason: null };
}

export async function saveDraft(engine: SyncEngine, d: CallDraft, fromMutation: string | null = null): Promise<void> {
  const db = engine.db;
  const prev = await db.drafts.get(d.id);
  await db.drafts.put({
    id: d.id,
    draft: d,
    updated_at: new Date().toISOString(),
    from_mutation: fromMutation ?? prev?.from_mutation ?? null,
  });
  await engine.localChanged();
}

export async function deleteDraft(engine: SyncEngine, id: string): Promise<void> {
  await engine.db.drafts.delete(id);
  await engine.localChanged();
}

/** Queues the call (one transaction: the draft goes, the outbox item comes) and starts a push. */
export async function submitCall(engine: SyncEngine, d: CallDraft): Promise<OutboxItem> {
  const db = engine.db;
  const item = newOutboxItem(toCallInput(d));
  await db.transaction('rw', db.outbox, db.drafts, async () => {
    await db.outbox.add(item);
    await db.drafts.delete(d.id);
  });
  await engine.localChanged(true);
  return item;
}

/** Opens a rejected call as an editable draft again (the rejected mutation is superseded). */
export async function reopenRejected(engine: SyncEngine, item: OutboxItem): Promise<string> {
  const db = engine.db;
  const { corrects: _c, correction_reason: _r, ...payload } = item.payload;
  // duplicate_call means the server already has a call with this id: the fixed call needs a new one.
  const draft = item.result?.code === 'duplicate_call' ? { ...payload, id: uuidv7() } : payload;
  await db.transaction('rw', db.outbox, db.drafts, async () => {
    await db.drafts.put({ id: draft.id, draft, updated_at: new Date().toISOString(), from_mutation: item.id });
    await db.outbox.put({ ...item, status: 'superseded', updated_at: new Date().toISOString() });
  });
  await engine.localChanged();
  return draft.id;
}

/** Sends a rejected call again unchanged, as a new mutation (new id). */
export async function resendRejected(engine: SyncEngine, item: OutboxItem): Promise<void> {
  const db = engine.db;
  const [old, fresh] = resend(item);
  await db.transaction('rw', db.outbox, async () => {
    await db.outbox.put(old);
    await db.outbox.add(fresh);
  });
  await engine.localChanged(true);
}
