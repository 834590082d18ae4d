/** The rep app's sync engine: pull (staged, applied atomically per checkpoint), push (outbox),
 * and the server's event stream (a `poke` triggers a pull). Never blocks the UI: everything runs
 * in the background and reports through `subscribe`. */
import { ApiError, problemFromResponse } from '../api/problem';
import { applyStaged, clientId, type RepDb } from './db';
import type { OutboxItem } from './records';
import { backoffMs, pushBatch, toMutation, withFailure, withResult } from './outbox';
import { SseParser } from './sse';
import { isKnownChange, type PushRequest, type PushResult, type SyncPage } from './types';

export interface SyncState {
  online: boolean;
  /** A complete checkpoint has been applied at least once (local data is usable). */
  ready: boolean;
  pulling: boolean;
  pushing: boolean;
  /** Pages received in the running pull. */
  pulledPages: number;
  pending: number;
  rejected: OutboxItem[];
  /** Last time a push or pull completed. */
  lastSyncAt: string | null;
  error: string | null;
  events: 'off' | 'connecting' | 'connected';
  /** Bumps after a pull changed the synced tables. */
  dataVersion: number;
  /** Bumps after local calls/outbox/drafts changed (or a pull did). */
  callsVersion: number;
  /** The server has no sync endpoints (404): the app falls back to the online screens. */
  unsupported: boolean;
}

export interface EngineOptions {
  db: RepDb;
  baseUrl?: string;
  getToken: () => string | null;
  onUnauthorized?: () => void;
  fetch?: typeof fetch;
  pageLimit?: number;
}

class Unauthorized extends Error {}

const PERIODIC_MS = 5 * 60_000;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });

/** `pharmacrm:initial-sync-<step>` User Timing mark (the last one of each step is kept). */
export function initialSyncMark(step: string): void {
  if (typeof performance === 'undefined' || typeof performance.mark !== 'function') return;
  const name = `pharmacrm:initial-sync-${step}`;
  performance.clearMarks?.(name);
  performance.mark(name);
}

export class SyncEngine {
  readonly db: RepDb;
  state: SyncState;
  private opts: EngineOptions;
  private listeners = new Set<(s: SyncState) => void>();
  private wantPush = false;
  private wantPull = false;
  private running = false;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private periodic: ReturnType<typeof setInterval> | null = null;
  private stopped = false;
  private sseAbort: AbortController | null = null;
  private wake: AbortController = new AbortController();
  private onOnline = () => this.setOnline(true);
  private onOffline = () => this.setOnline(false);

  constructor(opts: EngineOptions) {
    this.opts = opts;
    this.db = opts.db;
    this.state = {
      online: typeof navigator === 'undefined' ? true : navigator.onLine,
      ready: false,
      pulling: false,
      pushing: false,
      pulledPages: 0,
      pending: 0,
      rejected: [],
      lastSyncAt: null,
      error: null,
      events: 'off',
      dataVersion: 0,
      callsVersion: 0,
      unsupported: false,
    };
  }

  subscribe(fn: (s: SyncState) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private set(patch: Partial<SyncState>) {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l(this.state);
  }

  async start(): Promise<void> {
    const [cursor, lastSyncAt] = await Promise.all([
      this.db.getMeta<string>('cursor'),
      this.db.getMeta<string>('last_sync_at'),
    ]);
    this.set({ ready: !!cursor, lastSyncAt: lastSyncAt ?? null });
    await this.refreshOutbox();
    if (typeof window !== 'undefined') {
      addEventListener('online', this.onOnline);
      addEventListener('offline', this.onOffline);
    }
    this.request(true, true);
    void this.listen();
    // A missed poke only delays a pull until the next trigger; this is the slowest one.
    this.periodic = setInterval(() => this.request(true, true), PERIODIC_MS);
  }

  stop(): void {
    this.stopped = true;
    this.sseAbort?.abort();
    this.wake.abort();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.periodic) clearInterval(this.periodic);
    if (typeof window !== 'undefined') {
      removeEventListener('online', this.onOnline);
      removeEventListener('offline', this.onOffline);
    }
    this.listeners.clear();
  }

  private setOnline(online: boolean) {
    this.set({ online });
    if (online) {
      this.failures = 0;
      this.wake.abort();
      this.wake = new AbortController();
      this.request(true, true);
    } else {
      this.sseAbort?.abort();
    }
  }

  /** Local calls/outbox/drafts changed: recount and let screens re-read. */
  async localChanged(push = false): Promise<void> {
    await this.refreshOutbox();
    this.set({ callsVersion: this.state.callsVersion + 1 });
    if (push) this.request(true, false);
  }

  async refreshOutbox(): Promise<void> {
    const [pending, rejected] = await Promise.all([
      this.db.outbox.where('status').equals('pending').count(),
      this.db.outbox.where('status').equals('rejected').sortBy('id'),
    ]);
    this.set({ pending, rejected });
  }

  /** Asks for a push and/or pull; runs them one at a time in the background. */
  request(push: boolean, pull: boolean): void {
    this.wantPush ||= push;
    this.wantPull ||= pull;
    if (!this.running && !this.stopped) void this.loop();
  }

  syncNow(): void {
    this.failures = 0;
    this.request(true, true);
  }

  private async loop() {
    this.running = true;
    try {
      while ((this.wantPush || this.wantPull) && !this.stopped) {
        if (!this.state.online) return; // the `online` event restarts us
        try {
          if (this.wantPush) {
            this.wantPush = false;
            if (await this.pushOnce()) this.wantPull = true;
          } else {
            this.wantPull = false;
            await this.pullOnce();
          }
          this.failures = 0;
          this.set({ error: null });
        } catch (e) {
          if (e instanceof Unauthorized) {
            this.opts.onUnauthorized?.();
            return;
          }
          if (e instanceof ApiError && e.status === 404 && !this.state.ready) {
            this.set({ unsupported: true, error: 'This server does not offer offline sync.' });
            return;
          }
          this.failures += 1;
          this.set({ error: e instanceof Error ? e.message : String(e) });
          this.scheduleRetry();
          return;
        }
      }
    } finally {
      this.running = false;
      this.set({ pulling: false, pushing: false });
    }
  }

  private scheduleRetry() {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const ms = backoffMs(this.failures);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.request(true, true);
    }, ms);
  }

  private url(path: string): string {
    const base = this.opts.baseUrl ?? (typeof location !== 'undefined' ? location.origin : '');
    return base + path;
  }

  private async http(path: string, init: RequestInit = {}): Promise<Response> {
    const token = this.opts.getToken();
    const headers = new Headers(init.headers);
    if (token) headers.set('Authorization', `Bearer ${token}`);
    headers.set('Accept', 'application/json, application/problem+json');
    const f = this.opts.fetch ?? fetch;
    const res = await f(this.url(path), { ...init, headers, cache: 'no-store' });
    if (res.status === 401) throw new Unauthorized('unauthorized');
    if (!res.ok) throw await problemFromResponse(res);
    return res;
  }

  /** Pulls until the checkpoint is complete, then applies it in one transaction. */
  async pullOnce(): Promise<void> {
    this.set({ pulling: true, pulledPages: 0 });
    const db = this.db;
    await db.staging.clear();
    // After a schema upgrade that asked for it (meta `resync`), pull everything again; the data
    // in use stays until the full checkpoint is applied (which clears the flag).
    let cursor = (await db.getMeta<boolean>('resync'))
      ? undefined
      : await db.getMeta<string>('cursor');
    // An initial sync leaves User Timing marks (`pharmacrm:initial-sync-*`; web/bench reads them).
    const mark = cursor ? () => {} : initialSyncMark;
    mark('start');
    const limit = this.opts.pageLimit ?? 500;
    // A page is written to `staging` while the next one is requested (the write overlaps the
    // server's time); writes stay in page order: each waits for the previous one.
    let staged: Promise<unknown> = Promise.resolve();
    try {
      for (let i = 0; ; i++) {
        const q = new URLSearchParams({ limit: String(limit) });
        if (cursor) q.set('cursor', cursor);
        const page = (await (await this.http(`/api/v1/sync/pull?${q}`)).json()) as SyncPage;
        await staged;
        // Entities this app version does not know are skipped (a newer server may send more).
        staged = db.staging.add({
          reset: page.reset,
          cursor: page.cursor,
          changes: page.changes.filter(isKnownChange),
        });
        staged.catch(() => {}); // handled (awaited) below; not an unhandled rejection meanwhile
        this.set({ pulledPages: i + 1 });
        if (!page.has_more) break;
        if (page.cursor === cursor) throw new Error('sync cursor did not advance');
        cursor = page.cursor;
      }
      await staged;
      mark('fetched');
    } catch (e) {
      await staged.catch(() => {}); // no write left running into the next pull's `staging.clear()`
      throw e;
    }
    const n = await applyStaged(db);
    mark('applied');
    const now = new Date().toISOString();
    await db.setMeta('last_sync_at', now);
    await this.refreshOutbox();
    this.set({
      ready: true,
      pulling: false,
      lastSyncAt: now,
      dataVersion: n > 0 ? this.state.dataVersion + 1 : this.state.dataVersion,
      callsVersion: this.state.callsVersion + 1,
    });
  }

  /** Sends pending outbox items in id order; true if the server applied any. */
  async pushOnce(): Promise<boolean> {
    const db = this.db;
    let appliedAny = false;
    for (;;) {
      const batch = pushBatch(await db.outbox.where('status').equals('pending').toArray());
      if (batch.length === 0) break;
      this.set({ pushing: true });
      const body: PushRequest = { client_id: await clientId(), mutations: batch.map(toMutation) };
      let result: PushResult;
      try {
        const res = await this.http('/api/v1/sync/push', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
        result = (await res.json()) as PushResult;
      } catch (e) {
        if (!(e instanceof Unauthorized)) {
          const msg = e instanceof Error ? e.message : String(e);
          await db.transaction('rw', db.outbox, async () => {
            for (const i of batch) await db.outbox.put(withFailure(i, msg));
          });
        }
        throw e;
      }
      const byId = new Map(result.results.map((r) => [r.mutation_id, r]));
      let answered = 0;
      await db.transaction('rw', db.outbox, async () => {
        for (const i of batch) {
          const r = byId.get(i.id);
          if (!r) continue;
          answered++;
          if (r.status !== 'rejected') appliedAny = true;
          await db.outbox.put(withResult(i, r));
        }
      });
      const now = new Date().toISOString();
      await db.setMeta('last_sync_at', now);
      this.set({ lastSyncAt: now });
      await this.localChanged();
      if (answered === 0) throw new Error('the server answered none of the pushed calls');
    }
    this.set({ pushing: false });
    return appliedAny;
  }

  /** Reads GET /api/v1/sync/events (fetch streaming, bearer header); reconnects with backoff. */
  private async listen(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      if (!this.state.online) {
        this.set({ events: 'off' });
        await sleep(60_000, this.wake.signal);
        continue;
      }
      const ctrl = new AbortController();
      this.sseAbort = ctrl;
      let watchdog: ReturnType<typeof setTimeout> | null = null;
      const kick = () => {
        if (watchdog) clearTimeout(watchdog);
        watchdog = setTimeout(() => ctrl.abort(), 65_000); // heartbeats come every ~20 s
      };
      try {
        this.set({ events: 'connecting' });
        const res = await this.http('/api/v1/sync/events', {
          headers: { Accept: 'text/event-stream' },
          signal: ctrl.signal,
        });
        if (!res.body) throw new Error('no event stream');
        this.set({ events: 'connected' });
        failures = 0;
        this.request(false, true); // catch up on anything missed while disconnected
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        const parser = new SseParser();
        kick();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          kick();
          for (const ev of parser.push(value)) if (ev.event === 'poke') this.request(false, true);
        }
      } catch (e) {
        if (e instanceof Unauthorized) {
          this.opts.onUnauthorized?.();
          return;
        }
        if (e instanceof ApiError && e.status === 404) {
          this.set({ events: 'off' });
          return;
        }
      } finally {
        if (watchdog) clearTimeout(watchdog);
      }
      if (this.stopped) break;
      this.set({ events: this.state.online ? 'connecting' : 'off' });
      failures += 1;
      await sleep(
        Math.min(60_000, 1000 * 2 ** Math.min(failures, 6)) * (0.75 + Math.random() * 0.5),
        this.wake.signal,
      );
    }
  }
}
