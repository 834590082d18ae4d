/** The rep's Samples screen (offline): the page around the inventory, shipments to acknowledge, the
 * record actions (transfer, return, witnessed destruction, loss, count) and the ledger, whose parts
 * live under samples/. */
import { useState } from 'preact/hooks';
import { useOffline } from '../offline/context';
import type { EffectiveBook } from '../offline/sampleBook';
import { useSampleBook } from '../offline/useSamples';
import { SyncGate } from './Today';
import { CountForm } from './samples/CountForm';
import { DestroyForm } from './samples/DestroyForm';
import { Incoming } from './samples/Incoming';
import { Inventory } from './samples/Inventory';
import { Ledger } from './samples/Ledger';
import { LossReportForm, MoveForm } from './samples/MoveForms';
import '../samples.css';

type Action = 'transfer' | 'return' | 'destroy' | 'loss' | 'count';

const ACTIONS: { key: Action; label: string }[] = [
  { key: 'transfer', label: 'Transfer to a colleague' },
  { key: 'return', label: 'Return to HQ' },
  { key: 'destroy', label: 'Witnessed destruction' },
  { key: 'loss', label: 'Report loss or theft' },
  { key: 'count', label: 'Physical count' },
];

/** The rep's samples, offline: stock by product and lot, allocations, shipments to acknowledge,
 * transfers, returns, witnessed destructions, losses, counts and the recent ledger. Every record goes through the outbox. */
export function Samples() {
  const { sync, calls } = useOffline();
  const book = useSampleBook();
  const [action, setAction] = useState<Action | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const rejected = sync.rejected.filter((o) => o.kind.startsWith('sample.')).length;
  const finish = (msg: string) => {
    setAction(null);
    setDone(msg);
    window.scrollTo(0, 0);
  };
  return (
    <div class="screen" data-testid="samples-screen">
      <div class="screen-head">
        <h1>Samples</h1>
        {book && waiting(book) > 0 && (
          <span class="badge pending" data-testid="samples-pending">
            {waiting(book)} waiting to sync
          </span>
        )}
      </div>
      <SyncGate>
        {!book || !calls ? (
          <p class="notice" data-testid="samples-no-book">
            Your sample inventory is not on this device yet. Connect once to sync it.
          </p>
        ) : (
          <>
            {rejected > 0 && (
              <p class="error" data-testid="samples-rejected">
                <span>
                  {rejected} sample record{rejected > 1 ? 's were' : ' was'} rejected by the server.{' '}
                  <a href="#/sync">Review on the Sync screen</a>.
                </span>
              </p>
            )}
            {done && (
              <p class="done-msg" role="status" data-testid="samples-done">
                {done}
              </p>
            )}
            <Incoming book={book} onDone={finish} />
            <Inventory book={book} />
            <section class="card section" data-testid="sample-actions">
              <h2>Record</h2>
              <div class="sample-actions">
                {ACTIONS.map((a) => (
                  <button
                    type="button"
                    key={a.key}
                    class={action === a.key ? 'pick on' : 'pick'}
                    aria-pressed={action === a.key}
                    onClick={() => {
                      setDone(null);
                      setAction(action === a.key ? null : a.key);
                    }}
                    data-testid={`action-${a.key}`}
                  >
                    {a.label}
                  </button>
                ))}
              </div>
              {action === 'transfer' && (
                <MoveForm
                  key="transfer"
                  book={book}
                  kind="transfer"
                  onDone={finish}
                  onCancel={() => setAction(null)}
                />
              )}
              {action === 'return' && (
                <MoveForm
                  key="return"
                  book={book}
                  kind="return"
                  onDone={finish}
                  onCancel={() => setAction(null)}
                />
              )}
              {action === 'destroy' && (
                <DestroyForm book={book} onDone={finish} onCancel={() => setAction(null)} />
              )}
              {action === 'loss' && (
                <LossReportForm book={book} onDone={finish} onCancel={() => setAction(null)} />
              )}
              {action === 'count' && (
                <CountForm book={book} onDone={finish} onCancel={() => setAction(null)} />
              )}
            </section>
            <Ledger book={book} />
          </>
        )}
      </SyncGate>
    </div>
  );
}

/** Sample records of this device not sent yet. */
function waiting(book: EffectiveBook): number {
  return new Set(book.pending.filter((p) => p.state === 'pending').map((p) => p.mutation_id)).size;
}
