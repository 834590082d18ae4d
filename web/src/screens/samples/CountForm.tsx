/** The physical count: every lot the book holds, prefilled with its on-hand units for the rep to
 * correct, and how many lots differ from the book. */
import { useMemo, useState } from 'preact/hooks';
import { useOffline } from '../../offline/context';
import { queueSample } from '../../offline/actions';
import {
  onHandOf,
  validateCount,
  type EffectiveBook,
  type FormErrors,
} from '../../offline/sampleBook';
import { uuidv7 } from '../../offline/uuid';
import { byProductAndExpiry, FieldError, FormButtons, linesOf, LotTable } from './common';

export function CountForm({
  book,
  onDone,
  onCancel,
}: {
  book: EffectiveBook;
  onDone: (m: string) => void;
  onCancel: () => void;
}) {
  const { engine } = useOffline();
  const lots = useMemo(
    () => book.lots.filter((l) => l.on_hand !== 0).sort(byProductAndExpiry(book)),
    [book],
  );
  // Prefilled with what the book says is on hand: the rep corrects what differs.
  const [qty, setQty] = useState<Record<string, string>>(() =>
    Object.fromEntries(lots.map((l) => [l.lot_id, String(Math.max(l.on_hand, 0))])),
  );
  const [explanation, setExplanation] = useState('');
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const lines = linesOf(lots, qty, true);
  const diff = lines.filter((l) => l.quantity !== onHandOf(book, l.lot_id)).length;
  const submit = async () => {
    const e = validateCount(lines, diff, explanation);
    setErrors(e);
    if (Object.keys(e).length) return;
    setBusy(true);
    await queueSample(engine, 'sample.count', {
      id: uuidv7(),
      counted_at: new Date().toISOString(),
      lines,
      explanation: diff > 0 ? explanation.trim() : null,
    });
    onDone(
      `Physical count of ${lines.length} lots recorded${diff ? ` (${diff} differ from the book: compliance reconciles them)` : ''}. It syncs automatically.`,
    );
  };
  return (
    <div class="form-grid" data-testid="count-form">
      <h3>Physical count</h3>
      <p class="muted small">Count what you hold and correct the units that differ.</p>
      <LotTable
        book={book}
        lots={lots}
        qty={qty}
        onQty={(id, v) => setQty({ ...qty, [id]: v })}
        errors={errors}
      />
      <FieldError errors={errors} field="lines" />
      {diff > 0 && (
        <>
          <p class="notice small" data-testid="count-diff">
            {diff} lot{diff > 1 ? 's differ' : ' differs'} from the book.
          </p>
          <label>
            Explanation (required when the count differs from the book)
            <textarea
              value={explanation}
              onInput={(e) => setExplanation(e.currentTarget.value)}
              data-testid="count-explanation"
            />
          </label>
          <FieldError errors={errors} field="explanation" />
        </>
      )}
      <FormButtons
        busy={busy}
        label="Record count"
        onSubmit={submit}
        onCancel={onCancel}
        testid="count-submit"
      />
    </div>
  );
}
