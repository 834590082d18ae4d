import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Me } from '../api/types';
import { RepDb, userDbName } from './db';
import { initialSyncMark, SyncEngine, type SyncState } from './engine';
import { loadLocalCalls, loadLocalData, type LocalCalls, type LocalData } from './local';
import { withProposals } from './proposals';

export interface OfflineCtx {
  engine: SyncEngine;
  sync: SyncState;
  data: LocalData | null;
  calls: LocalCalls | null;
  me: Me;
}

const Ctx = createContext<OfflineCtx | null>(null);

/** Changes per pull page: 500 unless localStorage `pharmacrm.syncPageLimit` says otherwise (tests use it
 * to make small checkpoints span several pages). */
function pageLimitSetting(): number {
  try {
    const n = Number(localStorage.getItem('pharmacrm.syncPageLimit'));
    return Number.isInteger(n) && n >= 1 && n <= 2000 ? n : 500;
  } catch {
    return 500;
  }
}

export function useOffline(): OfflineCtx {
  const c = useContext(Ctx);
  if (!c) throw new Error('OfflineCtx missing');
  return c;
}

export function useOfflineMaybe(): OfflineCtx | null {
  return useContext(Ctx);
}

export function OfflineProvider({
  me,
  getToken,
  onUnauthorized,
  children,
}: {
  me: Me;
  getToken: () => string | null;
  onUnauthorized: () => void;
  children: ComponentChildren;
}) {
  const engine = useMemo(
    () =>
      new SyncEngine({
        db: new RepDb(userDbName(me.id)),
        getToken,
        onUnauthorized,
        pageLimit: pageLimitSetting(),
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one engine (and database) per signed-in user
    [me.id],
  );
  const [sync, setSync] = useState<SyncState>(engine.state);
  const [data, setData] = useState<LocalData | null>(null);
  const [calls, setCalls] = useState<LocalCalls | null>(null);
  const loadedOnce = useRef(false);

  useEffect(() => {
    const off = engine.subscribe(setSync);
    setSync(engine.state);
    void engine.start();
    return () => {
      off();
      engine.stop();
      engine.db.close();
    };
  }, [engine]);

  useEffect(() => {
    if (!sync.ready) return;
    let live = true;
    loadLocalData(engine.db).then((d) => {
      if (!live) return;
      if (!loadedOnce.current) initialSyncMark('loaded');
      loadedOnce.current = true;
      setData(d);
    });
    return () => {
      live = false;
    };
  }, [engine, sync.ready, sync.dataVersion]);

  useEffect(() => {
    let live = true;
    loadLocalCalls(engine.db, me.id).then((c) => live && setCalls(c));
    return () => {
      live = false;
    };
  }, [engine, me.id, sync.callsVersion]);

  // HCPs proposed on this device are usable at once (until the pulled record replaces them).
  const shown = useMemo(() => (data && calls ? withProposals(data, calls) : data), [data, calls]);
  const value = useMemo(
    () => ({ engine, sync, data: shown, calls, me }),
    [engine, sync, shown, calls, me],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}
