/** A witnessed destruction of samples (typically expired or damaged lots): the expired lots come
 * prefilled with all they hold, the witness and the method are required, and the record is queued
 * in the outbox as `sample.destroy` (the server writes `destruction` ledger lines). */
import { useMemo, useState } from 'preact/hooks';
import { useOffline } from '../../offline/context';
import { queueSample } from '../../offline/actions';
import {
  localDay,
  onHandOf,
  validateDestruction,
  type EffectiveBook,
  type FormErrors,
} from '../../offline/sampleBook';
import { uuidv7 } from '../../offline/uuid';
import {
  byProductAndExpiry,
  expiredPrefill,
  FieldError,
  FormButtons,
  linesOf,
  LotTable,
} from './common';

export function DestroyForm({
  book,
  onDone,
  onCancel,
}: {
  book: EffectiveBook;
  onDone: (m: string) => void;
  onCancel: () => void;
}) {
  const { engine } = useOffline();
  const today = localDay();
  const lots = useMemo(
    () => book.lots.filter((l) => l.on_hand > 0).sort(byProductAndExpiry(book)),
    [book],
  );
  const [qty, setQty] = useState<Record<string, string>>(() => expiredPrefill(lots, today));
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const lines = linesOf(lots, qty);
    const e = validateDestruction(note, lines, (id) => onHandOf(book, id));
    setErrors(e);
    if (Object.keys(e).length) return;
    setBusy(true);
    const n = lines.reduce((a, l) => a + l.quantity, 0);
    await queueSample(engine, 'sample.destroy', {
      id: uuidv7(),
      occurred_at: new Date().toISOString(),
      to_rep_id: null,
      lines,
      note: note.trim(),
    });
    onDone(
      `Destruction of ${n} units recorded (witnessed: ${note.trim()}). It syncs automatically.`,
    );
  };
  return (
    <div class="form-grid" data-testid="destroy-form">
      <h3>Record a witnessed destruction</h3>
      <p class="muted small">
        Expired lots are filled in with all you hold. Add damaged units, or clear what was not
        destroyed.
      </p>
      <LotTable
        book={book}
        lots={lots}
        qty={qty}
        onQty={(id, v) => setQty({ ...qty, [id]: v })}
        errors={errors}
      />
      <FieldError errors={errors} field="lines" />
      <label>
        Witness and method *
        <textarea
          rows={2}
          value={note}
          placeholder="e.g. Witnessed by J. Smith (district manager); incinerated at the regional depot"
          onInput={(e) => setNote(e.currentTarget.value)}
          aria-invalid={errors.note ? true : undefined}
          data-testid="destroy-note"
        />
      </label>
      <FieldError errors={errors} field="note" />
      <FormButtons
        busy={busy}
        label="Record destruction"
        onSubmit={submit}
        onCancel={onCancel}
        testid="destroy-submit"
      />
    </div>
  );
}
