import { useMemo } from 'preact/hooks';
import { hcpName } from '../lib/format';
import { useOffline } from './context';
import { effectiveBook, type EffectiveBook } from './sampleBook';

/** The sample book with this device's unsynced records applied (null before the first sync). */
export function useSampleBook(): EffectiveBook | null {
  const { data, calls } = useOffline();
  return useMemo(() => {
    if (!data?.book || !calls) return null;
    const name = (id: string) => {
      const h = data.byId.get(id);
      return h ? hcpName(h) : 'HCP';
    };
    return effectiveBook(data.book, calls.outbox, calls.lastPullAt, name);
  }, [data, calls]);
}
