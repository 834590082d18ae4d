/** The rep's recent sample movements: records on this device not synced yet, then the synced ledger
 * (the last 120 days), newest first, shown a page at a time. */
import { useState } from 'preact/hooks';
import { kindLabel, kindSign, skuLabel, type EffectiveBook } from '../../offline/sampleBook';
import { callWhen } from '../../lib/format';
import { Empty, Section } from '../../components/bits';
import { lotName } from './common';

const SHOW = 30;

export function Ledger({ book }: { book: EffectiveBook }) {
  const [n, setN] = useState(SHOW);
  const what = (lotId: string | null, skuId: string | null) => {
    if (lotId) return lotName(book, lotId);
    return skuLabel(book.skus.find((s) => s.sku_id === skuId));
  };
  const qty = (kind: Parameters<typeof kindSign>[0], q: number) => {
    const s = kindSign(kind);
    return (
      <span class={s > 0 ? 'ledger-in' : s < 0 ? 'ledger-out' : undefined}>
        {s > 0 ? `+${q}` : s < 0 ? `−${q}` : q}
      </span>
    );
  };
  const total = book.pending.length + book.recent.length;
  return (
    <Section title="Recent movements" testid="ledger">
      {total === 0 ? (
        <Empty>No movements in the last 120 days.</Empty>
      ) : (
        <ul class="links calls">
          {book.pending.map((p, i) => (
            <li key={`p${i}`} data-testid="ledger-pending" data-kind={p.kind}>
              <strong>{kindLabel(p.kind)}</strong> {qty(p.kind, p.quantity)}
              {p.kind === 'count' ? ' units' : ` · ${what(p.lot_id, p.sku_id)}`}
              <span class="badge pending">{p.state === 'pending' ? 'Pending sync' : 'Sent'}</span>
              <div class="muted small">
                {callWhen(p.occurred_at)} · {p.counterparty}
              </div>
            </li>
          ))}
          {book.recent.slice(0, n).map((e) => (
            <li key={e.id} data-testid="ledger-entry" data-kind={e.kind}>
              <strong>{kindLabel(e.kind)}</strong> {qty(e.kind, e.quantity)} ·{' '}
              {what(e.lot_id, e.sku_id)}
              <div class="muted small">
                {callWhen(e.occurred_at)} · {e.counterparty}
              </div>
            </li>
          ))}
        </ul>
      )}
      {book.recent.length > n && (
        <button type="button" class="btn btn-block more" onClick={() => setN(n + SHOW)}>
          Show more ({book.recent.length - n})
        </button>
      )}
    </Section>
  );
}
