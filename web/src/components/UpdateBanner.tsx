import { useEffect, useState } from 'preact/hooks';
import { applyUpdate, onWaitingWorker, waitingWorker, type WorkerLike } from '../lib/swUpdate';

/** Shown when a new version of the app is installed and waiting: reload to use it. */
export function UpdateBanner() {
  const [w, setW] = useState<WorkerLike | null>(waitingWorker());
  const [busy, setBusy] = useState(false);
  useEffect(() => onWaitingWorker(setW), []);
  if (!w) return null;
  return (
    <div class="update-banner" role="status" data-testid="update-banner">
      <span>A new version of PharmaCRM is available.</span>
      <button
        type="button"
        class="btn btn-small btn-primary"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          applyUpdate(navigator.serviceWorker, w);
        }}
        data-testid="update-reload"
      >
        {busy ? 'Reloading…' : 'Reload'}
      </button>
    </div>
  );
}
