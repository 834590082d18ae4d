/** Shipments and transfers waiting for the rep to acknowledge: the quantities received per lot and a
 * note when they differ from the packing list; acknowledged ones wait here until they sync. */
import { useState } from 'preact/hooks';
import { useOffline } from '../../offline/context';
import { queueSample } from '../../offline/actions';
import {
  lotKey,
  parseQuantity,
  receiptDiffers,
  validateReceive,
  type EffectiveBook,
  type FormErrors,
} from '../../offline/sampleBook';
import type { LotQuantity, ShipmentView } from '../../offline/types';
import { shortDate } from '../../lib/format';
import { Section } from '../../components/bits';
import { lotName } from './common';

export function Incoming({ book, onDone }: { book: EffectiveBook; onDone: (msg: string) => void }) {
  if (book.incoming.length === 0 && book.receiving.length === 0) return null;
  return (
    <Section title={`To acknowledge (${book.incoming.length})`} testid="incoming">
      {book.incoming.map((s) => (
        <ReceiveForm key={s.id} book={book} shipment={s} onDone={onDone} />
      ))}
      {book.receiving.map((s) => (
        <div class="shipment" key={s.id} data-testid="receiving">
          <strong>
            {s.kind === 'transfer' ? `Transfer from ${s.sender}` : `Shipment from ${s.sender}`}
          </strong>{' '}
          · acknowledged <span class="badge pending">Pending sync</span>
        </div>
      ))}
    </Section>
  );
}

function ReceiveForm({
  book,
  shipment,
  onDone,
}: {
  book: EffectiveBook;
  shipment: ShipmentView;
  onDone: (msg: string) => void;
}) {
  const { engine } = useOffline();
  const [qty, setQty] = useState<Record<string, string>>(() =>
    Object.fromEntries(shipment.lines.map((l) => [l.lot_id, String(l.quantity)])),
  );
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const got: LotQuantity[] = shipment.lines.map((l) => ({
    lot_id: l.lot_id,
    quantity: parseQuantity(qty[l.lot_id] ?? ''),
  }));
  const differs =
    got.every((l) => Number.isInteger(l.quantity)) && receiptDiffers(shipment.lines, got);
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
      <strong>
        {shipment.kind === 'transfer'
          ? `Transfer from ${shipment.sender}`
          : `Shipment from ${shipment.sender}`}
      </strong>
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
                  {errors[lotKey(l.lot_id)] && (
                    <p class="field-error">{errors[lotKey(l.lot_id)]}</p>
                  )}
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
        Discrepancy note
        {differs
          ? ' (required: the quantities differ from the packing list)'
          : ' (only if something differs)'}
        <textarea
          rows={2}
          value={note}
          onInput={(e) => setNote(e.currentTarget.value)}
          data-testid="receive-note"
          aria-invalid={errors.note ? true : undefined}
        />
      </label>
      {errors.note && (
        <p class="field-error" data-testid="error-note">
          {errors.note}
        </p>
      )}
      {errors.lines && <p class="field-error">{errors.lines}</p>}
      <div class="form-actions">
        <button
          type="button"
          class="btn btn-primary"
          disabled={busy}
          onClick={submit}
          data-testid="receive-submit"
        >
          Acknowledge receipt
        </button>
      </div>
    </div>
  );
}
