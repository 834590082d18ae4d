import { useMemo, useState } from 'preact/hooks';
import { useOffline } from '../offline/context';
import { queueSample } from '../offline/actions';
import {
  allocationOf,
  expiryStatus,
  inventoryByProduct,
  kindLabel,
  kindSign,
  localDay,
  lotKey,
  onHandOf,
  parseQuantity,
  receiptDiffers,
  skuLabel,
  validateCount,
  validateLoss,
  validateOutflow,
  validateReceive,
  validateTransfer,
  type BookLot,
  type EffectiveBook,
  type FormErrors,
  type LossForm,
} from '../offline/sampleBook';
import { useSampleBook } from '../offline/useSamples';
import type { LotQuantity, ShipmentView } from '../offline/types';
import { uuidv7 } from '../offline/uuid';
import { callWhen, shortDate } from '../lib/format';
import { Empty, Section } from '../components/bits';
import { SyncGate } from './Today';
import '../samples.css';

type Action = 'transfer' | 'return' | 'loss' | 'count';

const ACTIONS: { key: Action; label: string }[] = [
  { key: 'transfer', label: 'Transfer to a colleague' },
  { key: 'return', label: 'Return to HQ' },
  { key: 'loss', label: 'Report loss or theft' },
  { key: 'count', label: 'Physical count' },
];

/** The rep's samples, offline: stock by product and lot, allocations, shipments to acknowledge,
 * transfers, returns, losses, counts and the recent ledger. Every record goes through the outbox. */
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
                  {rejected} sample record{rejected > 1 ? 's were' : ' was'} rejected by the server. <a href="#/sync">Review on the Sync screen</a>.
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
              {action === 'transfer' && <MoveForm key="transfer" book={book} kind="transfer" onDone={finish} onCancel={() => setAction(null)} />}
              {action === 'return' && <MoveForm key="return" book={book} kind="return" onDone={finish} onCancel={() => setAction(null)} />}
              {action === 'loss' && <LossReportForm book={book} onDone={finish} onCancel={() => setAction(null)} />}
              {action === 'count' && <CountForm book={book} onDone={finish} onCancel={() => setAction(null)} />}
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

function ExpiryBadge({ expiresOn, today }: { expiresOn: string; today: string }) {
  if (!expiresOn) return null;
  const st = expiryStatus(expiresOn, today);
  if (st === 'expired')
    return (
      <span class="badge exp-expired" data-testid="lot-expired">
        Expired
      </span>
    );
  if (st === 'soon')
    return (
      <span class="badge exp-soon" data-testid="lot-expiring">
        Expires soon
      </span>
    );
  return null;
}

function lotName(book: EffectiveBook, lotId: string): string {
  const l = book.lots.find((x) => x.lot_id === lotId);
  if (!l) return `Lot ${lotId.slice(0, 8)} (details after sync)`;
  return l.known === false ? `Lot ${l.lot_number} (details after sync)` : `${l.product_name} ${l.strength} · lot ${l.lot_number}`;
}

// ---- Inventory ---------------------------------------------------------------------------

function Inventory({ book }: { book: EffectiveBook }) {
  const today = localDay();
  const products = inventoryByProduct(book);
  // Products with an allocation this cycle but nothing on hand still show their allocation.
  const allocated = book.allocations
    .filter((a) => a.period_from <= today && today <= a.period_to && !products.some((p) => p.product_id === a.product_id))
    .map((a) => a.product_id);
  const productName = (id: string) => book.skus.find((s) => s.product_id === id)?.product_name ?? book.manufacturers.find((m) => m.product_id === id)?.name ?? 'Product';
  return (
    <Section title="Inventory" testid="inventory">
      {products.length === 0 && allocated.length === 0 && <Empty>You hold no samples.</Empty>}
      {products.map((p) => {
        const alloc = allocationOf(book, p.product_id, today);
        return (
          <div class="inv-product" key={p.product_id} data-testid="inv-product" data-product={p.product_id}>
            <h3>
              <span>{p.product_name}</span>
              <span class="muted small" data-testid="inv-product-total">
                {p.on_hand} on hand
              </span>
            </h3>
            <p class="inv-alloc" data-testid="inv-alloc">
              {alloc ? (
                <>
                  Allocation this cycle: <strong data-testid="alloc-left">{alloc.left}</strong> of {alloc.quantity} left ({alloc.period_from} – {alloc.period_to})
                </>
              ) : (
                <span class="muted">No allocation this cycle.</span>
              )}
            </p>
            {p.skus.map((s) => (
              <div class="inv-sku" key={s.sku_id} data-testid="inv-sku" data-sku={s.sku_id}>
                <div class="inv-sku-head">
                  {s.strength} <span class="muted small mono">NDC {s.ndc}</span> · {s.on_hand} on hand
                </div>
                <div class="table-wrap">
                  <table class="table">
                    <thead>
                      <tr>
                        <th>Lot</th>
                        <th>Expires</th>
                        <th class="num">On hand</th>
                      </tr>
                    </thead>
                    <tbody>
                      {s.lots.map((l) => {
                        const st = l.expires_on ? expiryStatus(l.expires_on, today) : 'ok';
                        const synced = book.syncedOnHand.get(l.lot_id) ?? 0;
                        return (
                          <tr
                            key={l.lot_id}
                            class={st === 'expired' ? 'lot-row-expired' : st === 'soon' ? 'lot-row-soon' : undefined}
                            data-testid="inv-lot"
                            data-lot={l.lot_number}
                            data-expiry={st}
                            data-on-hand={l.on_hand}
                          >
                            <td class="mono">{l.lot_number}</td>
                            <td>
                              {l.expires_on || '—'} <ExpiryBadge expiresOn={l.expires_on} today={today} />
                            </td>
                            <td class="num">
                              {l.on_hand}
                              {synced !== l.on_hand && (
                                <span class="pending-delta" title="Records on this device not synced yet">
                                  ({l.on_hand - synced > 0 ? '+' : ''}
                                  {l.on_hand - synced} pending)
                                </span>
                              )}
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
              </div>
            ))}
          </div>
        );
      })}
      {allocated.map((pid) => {
        const alloc = allocationOf(book, pid, today)!;
        return (
          <div class="inv-product" key={pid} data-testid="inv-product" data-product={pid}>
            <h3>
              <span>{productName(pid)}</span>
              <span class="muted small">0 on hand</span>
            </h3>
            <p class="inv-alloc">
              Allocation this cycle: <strong>{alloc.left}</strong> of {alloc.quantity} left ({alloc.period_from} – {alloc.period_to})
            </p>
          </div>
        );
      })}
    </Section>
  );
}

// ---- Incoming shipments and transfers ----------------------------------------------------

function Incoming({ book, onDone }: { book: EffectiveBook; onDone: (msg: string) => void }) {
  if (book.incoming.length === 0 && book.receiving.length === 0) return null;
  return (
    <Section title={`To acknowledge (${book.incoming.length})`} testid="incoming">
      {book.incoming.map((s) => (
        <ReceiveForm key={s.id} book={book} shipment={s} onDone={onDone} />
      ))}
      {book.receiving.map((s) => (
        <div class="shipment" key={s.id} data-testid="receiving">
          <strong>{s.kind === 'transfer' ? `Transfer from ${s.sender}` : `Shipment from ${s.sender}`}</strong> · acknowledged{' '}
          <span class="badge pending">Pending sync</span>
        </div>
      ))}
    </Section>
  );
}

function ReceiveForm({ book, shipment, onDone }: { book: EffectiveBook; shipment: ShipmentView; onDone: (msg: string) => void }) {
  const { engine } = useOffline();
  const [qty, setQty] = useState<Record<string, string>>(() => Object.fromEntries(shipment.lines.map((l) => [l.lot_id, String(l.quantity)])));
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const got: LotQuantity[] = shipment.lines.map((l) => ({ lot_id: l.lot_id, quantity: parseQuantity(qty[l.lot_id] ?? '') }));
  const differs = got.every((l) => Number.isInteger(l.quantity)) && receiptDiffers(shipment.lines, got);
  const submit = async () => {
    const e = validateReceive(shipment, got, note);
    setErrors(e);
    if (Object.keys(e).length) return;
    setBusy(true);
    await queueSample(engine, 'sample.receive', {
      shipment_id: shipment.id,
      received_at: new Date().toISOString(),
      lines: got,
      note: note.trim() || null,
    });
    const n = got.reduce((a, l) => a + l.quantity, 0);
    onDone(`Receipt recorded: ${n} units added to your inventory. It syncs automatically.`);
  };
  return (
    <div class="shipment" data-testid="shipment" data-id={shipment.id} data-kind={shipment.kind}>
      <strong>{shipment.kind === 'transfer' ? `Transfer from ${shipment.sender}` : `Shipment from ${shipment.sender}`}</strong>
      <span class="muted small"> · sent {shortDate(shipment.sent_at)}</span>
      {shipment.note && <p class="muted small">“{shipment.note}”</p>}
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th>Product · lot</th>
              <th class="num">Sent</th>
              <th class="num">Received</th>
            </tr>
          </thead>
          <tbody>
            {shipment.lines.map((l) => (
              <tr key={l.lot_id} data-testid="shipment-line">
                <td>
                  {lotName(book, l.lot_id)}
                  {errors[lotKey(l.lot_id)] && <p class="field-error">{errors[lotKey(l.lot_id)]}</p>}
                </td>
                <td class="num">{l.quantity}</td>
                <td class="num">
                  <input
                    class="qty-input"
                    type="number"
                    inputMode="numeric"
                    min={0}
                    value={qty[l.lot_id] ?? ''}
                    onInput={(e) => setQty({ ...qty, [l.lot_id]: e.currentTarget.value })}
                    aria-label={`Units received of ${lotName(book, l.lot_id)}`}
                    aria-invalid={errors[lotKey(l.lot_id)] ? true : undefined}
                    data-testid="receive-qty"
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <label>
        Discrepancy note{differs ? ' (required: the quantities differ from the packing list)' : ' (only if something differs)'}
        <textarea rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} data-testid="receive-note" aria-invalid={errors.note ? true : undefined} />
      </label>
      {errors.note && (
        <p class="field-error" data-testid="error-note">
          {errors.note}
        </p>
      )}
      {errors.lines && <p class="field-error">{errors.lines}</p>}
      <div class="form-actions">
        <button type="button" class="btn btn-primary" disabled={busy} onClick={submit} data-testid="receive-submit">
          Acknowledge receipt
        </button>
      </div>
    </div>
  );
}

// ---- Lot quantities (transfer, return, loss, count) -------------------------------------

function LotTable({
  book,
  lots,
  qty,
  onQty,
  errors,
  showOnHand = true,
}: {
  book: EffectiveBook;
  lots: BookLot[];
  qty: Record<string, string>;
  onQty: (lotId: string, v: string) => void;
  errors: FormErrors;
  showOnHand?: boolean;
}) {
  const today = localDay();
  if (lots.length === 0) return <Empty>No lots on hand.</Empty>;
  return (
    <div class="table-wrap">
      <table class="table" data-testid="lot-table">
        <thead>
          <tr>
            <th>Product · lot</th>
            <th>Expires</th>
            {showOnHand && <th class="num">On hand</th>}
            <th class="num">Units</th>
          </tr>
        </thead>
        <tbody>
          {lots.map((l) => (
            <tr key={l.lot_id} data-testid="lot-row" data-lot={l.lot_number}>
              <td>
                {l.known === false ? lotName(book, l.lot_id) : `${skuLabel(book.skus.find((s) => s.sku_id === l.sku_id) ?? l)} · ${l.lot_number}`}
                {errors[lotKey(l.lot_id)] && (
                  <p class="field-error" data-testid="error-lot">
                    {errors[lotKey(l.lot_id)]}
                  </p>
                )}
              </td>
              <td>
                {l.expires_on || '—'} <ExpiryBadge expiresOn={l.expires_on} today={today} />
              </td>
              {showOnHand && <td class="num">{l.on_hand}</td>}
              <td class="num">
                <input
                  class="qty-input"
                  type="number"
                  inputMode="numeric"
                  min={0}
                  value={qty[l.lot_id] ?? ''}
                  onInput={(e) => onQty(l.lot_id, e.currentTarget.value)}
                  aria-label={`Units of lot ${l.lot_number}`}
                  aria-invalid={errors[lotKey(l.lot_id)] ? true : undefined}
                  data-testid="lot-qty"
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The lines typed in a lot table: lots with a quantity (or every lot, for a count). */
function linesOf(lots: BookLot[], qty: Record<string, string>, all = false): LotQuantity[] {
  return lots
    .map((l) => ({ lot_id: l.lot_id, quantity: parseQuantity(qty[l.lot_id] ?? '') }))
    .filter((l) => all || l.quantity !== 0);
}

function FormButtons({ busy, label, onSubmit, onCancel, testid }: { busy: boolean; label: string; onSubmit: () => void; onCancel: () => void; testid: string }) {
  return (
    <div class="form-actions">
      <button type="button" class="btn" onClick={onCancel} disabled={busy}>
        Cancel
      </button>
      <button type="button" class="btn btn-primary" onClick={onSubmit} disabled={busy} data-testid={testid}>
        {label}
      </button>
    </div>
  );
}

function FieldError({ errors, field }: { errors: FormErrors; field: string }) {
  return errors[field] ? (
    <p class="field-error" data-testid={`error-${field}`}>
      {errors[field]}
    </p>
  ) : null;
}

function MoveForm({ book, kind, onDone, onCancel }: { book: EffectiveBook; kind: 'transfer' | 'return'; onDone: (m: string) => void; onCancel: () => void }) {
  const { engine } = useOffline();
  const today = localDay();
  const lots = useMemo(() => book.lots.filter((l) => l.on_hand > 0).sort(byProductAndExpiry(book)), [book]);
  // A return usually takes the expired stock back: those lots come prefilled.
  const [qty, setQty] = useState<Record<string, string>>(() =>
    kind === 'return' ? Object.fromEntries(lots.filter((l) => l.expires_on && l.expires_on < today).map((l) => [l.lot_id, String(l.on_hand)])) : {},
  );
  const [to, setTo] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const lines = linesOf(lots, qty);
    const onHand = (id: string) => onHandOf(book, id);
    const e = kind === 'transfer' ? validateTransfer(to, lines, onHand) : validateOutflow(lines, onHand);
    setErrors(e);
    if (Object.keys(e).length) return;
    setBusy(true);
    const n = lines.reduce((a, l) => a + l.quantity, 0);
    if (kind === 'transfer') {
      await queueSample(engine, 'sample.transfer', { id: uuidv7(), occurred_at: new Date().toISOString(), to_rep_id: to, lines, note: note.trim() || null });
      onDone(`Transfer of ${n} units to ${book.colleagues.find((c) => c.id === to)?.name ?? 'your colleague'} recorded. It syncs automatically.`);
    } else {
      await queueSample(engine, 'sample.return', { id: uuidv7(), occurred_at: new Date().toISOString(), to_rep_id: null, lines, note: note.trim() || null });
      onDone(`Return of ${n} units to headquarters recorded. It syncs automatically.`);
    }
  };
  return (
    <div class="form-grid" data-testid={`${kind}-form`}>
      <h3>{kind === 'transfer' ? 'Transfer samples to a colleague' : 'Return samples to headquarters'}</h3>
      {kind === 'transfer' && (
        <label>
          Colleague *
          <select value={to} onChange={(e) => setTo(e.currentTarget.value)} data-testid="transfer-to" aria-invalid={errors.to_rep_id ? true : undefined}>
            <option value="">Choose…</option>
            {book.colleagues.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <FieldError errors={errors} field="to_rep_id" />
      <LotTable book={book} lots={lots} qty={qty} onQty={(id, v) => setQty({ ...qty, [id]: v })} errors={errors} />
      <FieldError errors={errors} field="lines" />
      <label>
        Note (optional)
        <textarea rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} data-testid="move-note" />
      </label>
      <FormButtons busy={busy} label={kind === 'transfer' ? 'Transfer' : 'Return'} onSubmit={submit} onCancel={onCancel} testid={`${kind}-submit`} />
    </div>
  );
}

function LossReportForm({ book, onDone, onCancel }: { book: EffectiveBook; onDone: (m: string) => void; onCancel: () => void }) {
  const { engine } = useOffline();
  const today = localDay();
  const lots = useMemo(() => book.lots.filter((l) => l.on_hand > 0).sort(byProductAndExpiry(book)), [book]);
  const [f, setF] = useState<LossForm>({ kind: 'loss', discovered_on: today, reason: '', police_report: '' });
  const [qty, setQty] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<LossForm>) => setF({ ...f, ...patch });
  const submit = async () => {
    const lines = linesOf(lots, qty);
    const e = validateLoss(f, lines, (id) => onHandOf(book, id), today);
    setErrors(e);
    if (Object.keys(e).length) return;
    setBusy(true);
    await queueSample(engine, 'sample.loss', {
      id: uuidv7(),
      kind: f.kind,
      discovered_on: f.discovered_on,
      reason: f.reason.trim(),
      police_report: f.police_report.trim() || null,
      lines,
    });
    onDone(
      `${f.kind === 'theft' ? 'Theft' : 'Loss'} report recorded. Compliance is notified when it syncs (FDA notice within 5 working days of discovery).`,
    );
  };
  return (
    <div class="form-grid" data-testid="loss-form">
      <h3>Report a loss or theft</h3>
      <div class="chip-pick" role="radiogroup" aria-label="Loss or theft">
        {(['loss', 'theft'] as const).map((k) => (
          <button
            type="button"
            key={k}
            role="radio"
            aria-checked={f.kind === k}
            class={f.kind === k ? 'pick on' : 'pick'}
            onClick={() => set({ kind: k })}
            data-testid={`loss-kind-${k}`}
          >
            {k === 'loss' ? 'Loss' : 'Theft'}
          </button>
        ))}
      </div>
      <div class="form-grid two">
        <label>
          Discovered on *
          <input
            type="date"
            value={f.discovered_on}
            max={today}
            onChange={(e) => set({ discovered_on: e.currentTarget.value })}
            aria-invalid={errors.discovered_on ? true : undefined}
            data-testid="loss-discovered"
          />
          <FieldError errors={errors} field="discovered_on" />
        </label>
        {f.kind === 'theft' && (
          <label>
            Police report reference *
            <input
              type="text"
              value={f.police_report}
              onInput={(e) => set({ police_report: e.currentTarget.value })}
              aria-invalid={errors.police_report ? true : undefined}
              data-testid="loss-police"
            />
            <FieldError errors={errors} field="police_report" />
          </label>
        )}
      </div>
      <label>
        What happened *
        <textarea rows={2} value={f.reason} onInput={(e) => set({ reason: e.currentTarget.value })} aria-invalid={errors.reason ? true : undefined} data-testid="loss-reason" />
      </label>
      <FieldError errors={errors} field="reason" />
      <LotTable book={book} lots={lots} qty={qty} onQty={(id, v) => setQty({ ...qty, [id]: v })} errors={errors} />
      <FieldError errors={errors} field="lines" />
      <FormButtons busy={busy} label="Report" onSubmit={submit} onCancel={onCancel} testid="loss-submit" />
    </div>
  );
}

function CountForm({ book, onDone, onCancel }: { book: EffectiveBook; onDone: (m: string) => void; onCancel: () => void }) {
  const { engine } = useOffline();
  const lots = useMemo(() => book.lots.filter((l) => l.on_hand !== 0).sort(byProductAndExpiry(book)), [book]);
  // Prefilled with what the book says is on hand: the rep corrects what differs.
  const [qty, setQty] = useState<Record<string, string>>(() => Object.fromEntries(lots.map((l) => [l.lot_id, String(Math.max(l.on_hand, 0))])));
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const lines = linesOf(lots, qty, true);
  const diff = lines.filter((l) => l.quantity !== onHandOf(book, l.lot_id)).length;
  const submit = async () => {
    const e = validateCount(lines);
    setErrors(e);
    if (Object.keys(e).length) return;
    setBusy(true);
    await queueSample(engine, 'sample.count', { id: uuidv7(), counted_at: new Date().toISOString(), lines });
    onDone(`Physical count of ${lines.length} lots recorded${diff ? ` (${diff} differ from the book: compliance reconciles them)` : ''}. It syncs automatically.`);
  };
  return (
    <div class="form-grid" data-testid="count-form">
      <h3>Physical count</h3>
      <p class="muted small">Count what you hold and correct the units that differ.</p>
      <LotTable book={book} lots={lots} qty={qty} onQty={(id, v) => setQty({ ...qty, [id]: v })} errors={errors} />
      <FieldError errors={errors} field="lines" />
      {diff > 0 && (
        <p class="notice small" data-testid="count-diff">
          {diff} lot{diff > 1 ? 's differ' : ' differs'} from the book.
        </p>
      )}
      <FormButtons busy={busy} label="Record count" onSubmit={submit} onCancel={onCancel} testid="count-submit" />
    </div>
  );
}

function byProductAndExpiry(book: EffectiveBook) {
  const name = (l: BookLot) => skuLabel(book.skus.find((s) => s.sku_id === l.sku_id) ?? l);
  return (a: BookLot, b: BookLot) => name(a).localeCompare(name(b)) || (a.expires_on || '9999').localeCompare(b.expires_on || '9999');
}

// ---- Ledger --------------------------------------------------------------------------------

const SHOW = 30;

function Ledger({ book }: { book: EffectiveBook }) {
  const [n, setN] = useState(SHOW);
  const what = (lotId: string | null, skuId: string | null) => {
    if (lotId) return lotName(book, lotId);
    return skuLabel(book.skus.find((s) => s.sku_id === skuId));
  };
  const qty = (kind: Parameters<typeof kindSign>[0], q: number) => {
    const s = kindSign(kind);
    return <span class={s > 0 ? 'ledger-in' : s < 0 ? 'ledger-out' : undefined}>{s > 0 ? `+${q}` : s < 0 ? `−${q}` : q}</span>;
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
              <strong>{kindLabel(e.kind)}</strong> {qty(e.kind, e.quantity)} · {what(e.lot_id, e.sku_id)}
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
