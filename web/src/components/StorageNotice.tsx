import { useEffect, useState } from 'preact/hooks';

/** Asks for persistent storage once; warns if refused or if storage is > 80% full. */
export function StorageNotice() {
  const [msg, setMsg] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    (async () => {
      const st = navigator.storage;
      if (!st) return;
      const notes: string[] = [];
      try {
        const persisted = (await st.persisted?.()) || (await st.persist?.());
        if (persisted === false)
          notes.push(
            'The browser may clear offline data when space runs low (persistent storage was refused). Sync often.',
          );
      } catch {
        /* not supported */
      }
      try {
        const e = await st.estimate?.();
        if (e?.quota && e.usage !== undefined && e.usage / e.quota > 0.8)
          notes.push(
            `Device storage for this app is ${Math.round((100 * e.usage) / e.quota)}% full.`,
          );
      } catch {
        /* not supported */
      }
      if (live && notes.length) setMsg(notes.join(' '));
    })();
    return () => {
      live = false;
    };
  }, []);
  if (!msg) return null;
  return (
    <p class="notice" data-testid="storage-notice">
      {msg}
    </p>
  );
}
