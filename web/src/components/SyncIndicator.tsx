import { useOfflineMaybe } from '../offline/context';

export function timeAgo(iso: string | null, now = Date.now()): string {
  if (!iso) return 'never';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  const d = new Date(iso);
  const hm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  return s < 86_400 ? `at ${hm}` : `${d.toISOString().slice(0, 10)} ${hm}`;
}

/** Top-bar sync status for reps: offline/syncing, pending count, rejected count, last sync. */
export function SyncIndicator() {
  const o = useOfflineMaybe();
  if (!o || o.sync.unsupported) return null;
  const s = o.sync;
  const busy = s.pulling || s.pushing;
  const state = !s.online
    ? 'offline'
    : s.rejected.length
      ? 'rejected'
      : busy
        ? 'syncing'
        : s.error
          ? 'error'
          : 'ok';
  const label = !s.online ? 'Offline' : busy ? 'Syncing…' : s.error ? 'Sync error' : 'Synced';
  return (
    <a
      href="#/sync"
      class={`sync-ind sync-${state}`}
      data-testid="sync-indicator"
      data-pending={s.pending}
      data-rejected={s.rejected.length}
      data-state={state}
      data-online={s.online ? 'true' : 'false'}
      data-events={s.events}
      data-last-sync={s.lastSyncAt ?? ''}
      title={`Last sync ${timeAgo(s.lastSyncAt)}`}
    >
      <span class="dot" aria-hidden="true" />
      <span class="sync-label">{label}</span>
      <span
        class="sync-count"
        data-testid="sync-pending"
        title={`${s.pending} calls and sample records waiting to be sent`}
      >
        {s.pending}
        <span class="sync-word"> pending</span>
      </span>
      {s.rejected.length > 0 && (
        <span class="sync-rej" title={`${s.rejected.length} records rejected by the server`}>
          {s.rejected.length}
          <span class="sync-word"> rejected</span>
          <span class="sync-short">!</span>
        </span>
      )}
    </a>
  );
}
