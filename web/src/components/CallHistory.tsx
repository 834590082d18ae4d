import type { Api } from '../api/client';
import type { Call, Picklists, Product } from '../api/types';
import { useLoad } from '../hooks';
import { callWhen, titleCase } from '../lib/format';
import { Empty, ErrorBox, Loading, Section } from './bits';

export interface CallLookups {
  products: Map<string, Product>;
  picklists: Picklists | null;
}

const lookupCache = new WeakMap<Api, Promise<CallLookups>>();

/** Product names and pick-list labels, loaded once per session (the pick lists are optional:
 * without them codes are shown as words). */
export function callLookups(api: Api): Promise<CallLookups> {
  let p = lookupCache.get(api);
  if (!p) {
    p = Promise.all([api.products(), api.picklists().catch(() => null)]).then(
      ([products, picklists]) => ({
        products: new Map(products.map((x) => [x.id, x])),
        picklists,
      }),
    );
    p.catch(() => lookupCache.delete(api));
    lookupCache.set(api, p);
  }
  return p;
}

export function pickLabel(
  list: { code: string; label: string }[] | undefined,
  code: string,
): string {
  return list?.find((x) => x.code === code)?.label ?? titleCase(code);
}

/** The online HCP profile's call history (GET /api/v1/hcps/{id}/calls, newest first, scoped). */
export function CallHistory({ api, hcpId }: { api: Api; hcpId: string }) {
  const res = useLoad(() => Promise.all([api.hcpCalls(hcpId), callLookups(api)]), [api, hcpId]);
  const n = res.state === 'ok' ? res.data[0].length : null;
  return (
    <Section
      title={n === null ? 'Call history' : `Call history (${n})`}
      testid="section-call-history"
    >
      {res.state === 'loading' && <Loading />}
      {res.state === 'error' && <ErrorBox error={res.error} />}
      {res.state === 'ok' &&
        (res.data[0].length === 0 ? (
          <Empty>No calls recorded.</Empty>
        ) : (
          <CallHistoryList calls={res.data[0]} lookups={res.data[1]} />
        ))}
    </Section>
  );
}

export function CallHistoryList({ calls, lookups }: { calls: Call[]; lookups: CallLookups }) {
  const pl = lookups.picklists;
  return (
    <ul class="links calls" data-testid="call-history" data-count={calls.length}>
      {calls.map((c) => {
        const products = c.product_ids
          .map((id) => lookups.products.get(id)?.brand ?? id)
          .join(', ');
        return (
          <li key={c.id} data-testid="history-row" data-id={c.id}>
            <strong data-testid="history-when">{callWhen(c.called_at)}</strong> ·{' '}
            {pickLabel(pl?.call_types, c.call_type)}
            {c.hcp_ids.length > 1 && <span class="muted"> · {c.hcp_ids.length} attendees</span>}
            {c.corrects && <span class="badge">Correction</span>}
            {c.flags.length > 0 && (
              <span class="badge dnc">{c.flags.map(titleCase).join(', ')}</span>
            )}
            <div class="small">
              {products || 'No products'} · {pickLabel(pl?.outcomes, c.outcome)} →{' '}
              {pickLabel(pl?.next_steps, c.next_step)}
              {c.next_step_date ? ` (${c.next_step_date})` : ''}
            </div>
            <div class="muted small">
              By{' '}
              <span title={c.rep_id} data-testid="history-rep">
                {c.rep_name || 'you (not yet synced)'}
              </span>
              {c.correction_reason ? ` · corrected: ${c.correction_reason}` : ''}
            </div>
            {c.notes && <div class="muted small">“{c.notes}”</div>}
          </li>
        );
      })}
    </ul>
  );
}
