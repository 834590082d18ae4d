/** Shared bits of the Realignment screens: the status badge, whether the device is online (the
 * screens need the network; reps otherwise work offline) and the message shown when it is not. */
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/problem';
import type { RealignmentStatus } from '../../api/types';
import { STATUS_LABELS } from '../../lib/realignment';
import { useOfflineMaybe } from '../../offline/context';
import { ErrorBox } from '../../components/bits';

export function StatusBadge({ status }: { status: RealignmentStatus }) {
  return (
    <span class={`badge rstatus rstatus-${status}`} data-testid="cycle-status" data-status={status}>
      {STATUS_LABELS[status] ?? status}
    </span>
  );
}

/** The browser's online state, and for reps the sync engine's (which also notices a dead server). */
export function useOnline(): boolean {
  const offline = useOfflineMaybe();
  const [online, setOnline] = useState(() =>
    typeof navigator === 'undefined' ? true : navigator.onLine,
  );
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    addEventListener('online', on);
    addEventListener('offline', off);
    return () => {
      removeEventListener('online', on);
      removeEventListener('offline', off);
    };
  }, []);
  return online && (offline ? offline.sync.online : true);
}

export function OfflineMessage() {
  return (
    <p class="notice" role="status" data-testid="realignment-offline">
      You are offline. Realignment review needs a connection: reconnect to see the cycles and raise
      marks. Your calls and plan keep working offline.
    </p>
  );
}

/** A failed request: the offline message for a network error, the error otherwise. */
export function LoadError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  if (error instanceof ApiError && error.status === 0) return <OfflineMessage />;
  return <ErrorBox error={error} onRetry={onRetry} />;
}
