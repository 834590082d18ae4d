/** "A new version is available — reload": the service worker of a new build installs in the
 * background and waits (sw/sw.js no longer skips waiting by itself); the page offers a reload,
 * which tells the waiting worker to take over and reloads once it controls the page. The old
 * worker keeps serving the old build's cached files until then, so a running page never loses
 * its assets. */

export interface WorkerLike {
  state: string;
  postMessage(message: unknown): void;
  addEventListener(type: 'statechange', listener: () => void): void;
}

export interface RegistrationLike {
  waiting: WorkerLike | null;
  installing: WorkerLike | null;
  addEventListener(type: 'updatefound', listener: () => void): void;
}

export interface ContainerLike {
  /** The worker controlling this page; null on the very first visit (nothing to update then). */
  controller: unknown | null;
  addEventListener(type: 'controllerchange', listener: () => void): void;
}

export const SKIP_WAITING = { type: 'SKIP_WAITING' } as const;

/** Calls `onWaiting` when a new worker has installed and waits to replace the one controlling the
 * page: at once if one is already waiting, else when an update finishes installing. */
export function watchForUpdate(
  container: ContainerLike,
  reg: RegistrationLike,
  onWaiting: (w: WorkerLike) => void,
): void {
  if (reg.waiting && container.controller) onWaiting(reg.waiting);
  reg.addEventListener('updatefound', () => {
    const w = reg.installing;
    if (!w) return;
    w.addEventListener('statechange', () => {
      // Without a controller this is the first install: it activates by itself, no prompt.
      if (w.state === 'installed' && container.controller) onWaiting(w);
    });
  });
}

/** Lets the waiting worker take over and reloads the page once (when it controls the page). */
export function applyUpdate(
  container: ContainerLike,
  worker: WorkerLike,
  reload: () => void = () => location.reload(),
): void {
  let reloaded = false;
  container.addEventListener('controllerchange', () => {
    if (reloaded) return;
    reloaded = true;
    reload();
  });
  worker.postMessage(SKIP_WAITING);
}

// ---- a tiny store the banner subscribes to ----------------------------------------------------

let waiting: WorkerLike | null = null;
const listeners = new Set<(w: WorkerLike | null) => void>();

export function setWaitingWorker(w: WorkerLike | null): void {
  waiting = w;
  for (const l of listeners) l(w);
}

export function waitingWorker(): WorkerLike | null {
  return waiting;
}

export function onWaitingWorker(l: (w: WorkerLike | null) => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** Registers /sw.js and wires the update prompt; checks for a new build every `checkMs`. */
export async function registerServiceWorker(checkMs = 60 * 60_000): Promise<void> {
  const container = navigator.serviceWorker;
  const reg = await container.register('/sw.js');
  watchForUpdate(container, reg, setWaitingWorker);
  // A single-page app rarely navigates, so the browser's own update check seldom runs.
  setInterval(() => {
    if (navigator.onLine) reg.update().catch(() => {});
  }, checkMs);
}
