/** Stock leaving the rep: a transfer to a colleague, a return to headquarters, and a loss or theft
 * report. Each is validated against what is on hand and queued in the outbox (a witnessed destruction
 * is in DestroyForm). */
import { useMemo, useState } from 'preact/hooks';
import { useOffline } from '../../offline/context';
import { queueSample } from '../../offline/actions';
import {
  localDay,
  onHandOf,
  validateLoss,
  validateOutflow,
  validateTransfer,
  type EffectiveBook,
  type FormErrors,
  type LossForm,
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

export function MoveForm({
  book,
  kind,
  onDone,
  onCancel,
}: {
  book: EffectiveBook;
  kind: 'transfer' | 'return';
  onDone: (m: string) => void;
  onCancel: () => void;
}) {
  const { engine } = useOffline();
  const today = localDay();
  const lots = useMemo(
    () => book.lots.filter((l) => l.on_hand > 0).sort(byProductAndExpiry(book)),
    [book],
  );
  // A return usually takes the expired stock back: those lots come prefilled.
  const [qty, setQty] = useState<Record<string, string>>(() =>
    kind === 'return' ? expiredPrefill(lots, today) : {},
  );
  const [to, setTo] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const lines = linesOf(lots, qty);
    const onHand = (id: string) => onHandOf(book, id);
    const e =
      kind === 'transfer' ? validateTransfer(to, lines, onHand) : validateOutflow(lines, onHand);
    setErrors(e);
    if (Object.keys(e).length) return;
    setBusy(true);
    const n = lines.reduce((a, l) => a + l.quantity, 0);
    if (kind === 'transfer') {
      await queueSample(engine, 'sample.transfer', {
        id: uuidv7(),
        occurred_at: new Date().toISOString(),
        to_rep_id: to,
        lines,
        note: note.trim() || null,
      });
      onDone(
        `Transfer of ${n} units to ${book.colleagues.find((c) => c.id === to)?.name ?? 'your colleague'} recorded. It syncs automatically.`,
      );
    } else {
      await queueSample(engine, 'sample.return', {
        id: uuidv7(),
        occurred_at: new Date().toISOString(),
        to_rep_id: null,
        lines,
        note: note.trim() || null,
      });
      onDone(`Return of ${n} units to headquarters recorded. It syncs automatically.`);
    }
  };
  return (
    <div class="form-grid" data-testid={`${kind}-form`}>
      <h3>
        {kind === 'transfer' ? 'Transfer samples to a colleague' : 'Return samples to headquarters'}
      </h3>
      {kind === 'transfer' && (
        <label>
          Colleague *
          <select
            value={to}
            onChange={(e) => setTo(e.currentTarget.value)}
            data-testid="transfer-to"
            aria-invalid={errors.to_rep_id ? true : undefined}
          >
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
      <LotTable
        book={book}
        lots={lots}
        qty={qty}
        onQty={(id, v) => setQty({ ...qty, [id]: v })}
        errors={errors}
      />
      <FieldError errors={errors} field="lines" />
      <label>
        Note (optional)
        <textarea
          rows={2}
          value={note}
          onInput={(e) => setNote(e.currentTarget.value)}
          data-testid="move-note"
        />
      </label>
      <FormButtons
        busy={busy}
        label={kind === 'transfer' ? 'Transfer' : 'Return'}
        onSubmit={submit}
        onCancel={onCancel}
        testid={`${kind}-submit`}
      />
    </div>
  );
}

export function LossReportForm({
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
  const [f, setF] = useState<LossForm>({
    kind: 'loss',
    discovered_on: today,
    reason: '',
    police_report: '',
  });
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
        <textarea
          rows={2}
          value={f.reason}
          onInput={(e) => set({ reason: e.currentTarget.value })}
          aria-invalid={errors.reason ? true : undefined}
          data-testid="loss-reason"
        />
      </label>
      <FieldError errors={errors} field="reason" />
      <LotTable
        book={book}
        lots={lots}
        qty={qty}
        onQty={(id, v) => setQty({ ...qty, [id]: v })}
        errors={errors}
      />
      <FieldError errors={errors} field="lines" />
      <FormButtons
        busy={busy}
        label="Report"
        onSubmit={submit}
        onCancel={onCancel}
        testid="loss-submit"
      />
    </div>
  );
}
