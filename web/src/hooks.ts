import { useEffect, useRef, useState } from 'preact/hooks';
import { appendPage, emptyPaged, type Page, type PagedState } from './lib/paging';

export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export type Load<T> =
  { state: 'loading' } | { state: 'error'; error: Error } | { state: 'ok'; data: T };

/** Runs `fn` whenever `deps` change; ignores responses of superseded runs. */
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]): Load<T> {
  const [res, setRes] = useState<Load<T>>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    setRes({ state: 'loading' });
    fn().then(
      (data) => live && setRes({ state: 'ok', data }),
      (error: Error) => live && setRes({ state: 'error', error }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's deps stand for fn
  }, deps);
  return res;
}

export interface Paged<T> {
  list: PagedState<T>;
  /** The `key` whose first page is currently shown (null before the first load). */
  loadedKey: string | null;
  loading: boolean;
  error: unknown;
  loadMore: () => void;
  reload: () => void;
}

/** Cursor-paged list that restarts whenever `key` changes (e.g. serialized filters). */
export function usePaged<T extends { id: string }>(
  fetchPage: (cursor: string | null) => Promise<Page<T>>,
  key: string,
): Paged<T> {
  const [list, setList] = useState<PagedState<T>>(emptyPaged);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [gen, setGen] = useState(0);
  const [loadedKey, setLoadedKey] = useState<string | null>(null);
  const seq = useRef(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  const run = (cursor: string | null, base: PagedState<T>, forKey: string) => {
    const my = ++seq.current;
    setLoading(true);
    setError(null);
    fetchRef.current(cursor).then(
      (page) => {
        if (my !== seq.current) return;
        setList(appendPage(base, page));
        setLoadedKey(forKey);
        setLoading(false);
      },
      (e) => {
        if (my !== seq.current) return;
        setError(e);
        setLoading(false);
      },
    );
  };

  useEffect(() => {
    const empty = emptyPaged<T>();
    setList(empty);
    run(null, empty, key);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- key (and gen) stand for fetchPage and run, rebuilt every render
  }, [key, gen]);

  return {
    list,
    loadedKey,
    loading,
    error,
    loadMore: () => {
      if (!loading && list.nextCursor) run(list.nextCursor, list, key);
    },
    reload: () => setGen((g) => g + 1),
  };
}
