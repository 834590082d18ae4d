import type { Hcp } from '../api/types';
import { blocks, checkSamples, type Finding, type SignedRecord } from '../offline/samples';
import {
  allocationOf,
  buildRecord,
  buildSampleContext,
  expandLines,
  expiryStatus,
  findingsByLine,
  signatureMatches,
  skuChoices,
  skuLabel,
  utcDate,
  type EffectiveBook,
  type ExpandedLines,
} from '../offline/sampleBook';
import type { SampleLineDraft, SamplesDraft } from '../offline/records';
import { localDate } from '../offline/validate';
import { uuidv7 } from '../offline/uuid';
import { callWhen } from '../lib/format';
import { pathViewBox } from '../lib/signaturePath';
import { Findings } from './Findings';
import '../samples.css';

/** Everything the call report needs to know about the samples being given. */
export interface DisbursementState {
  expanded: ExpandedLines;
  findings: Finding[];
  general: Finding[];
  perLine: Finding[][];
  blocked: boolean;
  warnings: Finding[];
  /** The record the HCP signs (without name, time and meaning). */
  record: SignedRecord;
  /** A signature is there and still signs exactly these samples. */
  signed: boolean;
  /** A signature is there but the samples (or the call's date, place) changed after it. */
  stale: boolean;
}

/** The guardrails and the record for `samples` given to `hcp` during a call at `calledAt` in `state`. */
export function disbursementState(
  book: EffectiveBook,
  hcp: Hcp,
  samples: SamplesDraft,
  state: string,
  calledAt: string,
): DisbursementState {
  const when = Number.isNaN(Date.parse(calledAt)) ? new Date().toISOString() : calledAt;
  const on = utcDate(when);
  const expanded = expandLines(samples.lines, book.lots, on);
  const ctx = buildSampleContext(book, hcp, { mode: 'disbursement', state, on });
  const findings = checkSamples(ctx, expanded.lines);
  const { general, lines } = findingsByLine(findings, expanded.owner, samples.lines.length);
  const record = buildRecord({
    type: 'sample_disbursement',
    record_id: samples.id,
    hcp,
    state,
    on,
    date: localDate(when),
    lines: expanded.lines,
    book,
  });
  const signed = signatureMatches(samples.signature, record);
  return {
    expanded,
    findings,
    general,
    perLine: lines,
    blocked: blocks(findings),
    warnings: findings.filter((f) => f.severity === 'warning'),
    record,
    signed,
    stale: !!samples.signature && !signed,
  };
}

/** A new samples section: one line of the first SKU the rep can give (of a detailed product if any). */
export function newSamples(book: EffectiveBook, on: string, preferred: string[]): SamplesDraft {
  const first = skuChoices(book, on, preferred)[0];
  return {
    id: uuidv7(),
    lines: first ? [{ sku_id: first.sku.sku_id, quantity: 1, lot_id: null }] : [],
    warnings_acknowledged: false,
    signature: null,
  };
}

/** The call report's optional "Samples" section (one-to-one calls): lines, findings, confirmation, signature. */
export function CallSamples({
  book,
  samples,
  onChange,
  ds,
  on,
  preferred,
  errors,
  onSign,
}: {
  book: EffectiveBook;
  samples: SamplesDraft;
  onChange: (s: SamplesDraft | null) => void;
  ds: DisbursementState;
  on: string;
  preferred: string[];
  errors: Record<string, string>;
  onSign: () => void;
}) {
  const choices = skuChoices(book, on, preferred);
  const sku = (id: string) => book.skus.find((s) => s.sku_id === id);
  const setLine = (i: number, patch: Partial<SampleLineDraft>) =>
    onChange({
      ...samples,
      lines: samples.lines.map((l, k) => (k === i ? { ...l, ...patch } : l)),
    });
  const unused =
    choices.find((c) => !samples.lines.some((l) => l.sku_id === c.sku.sku_id)) ?? choices[0];
  const needsAck = ds.warnings.length > 0;
  const canSign =
    samples.lines.length > 0 && !ds.blocked && (!needsAck || samples.warnings_acknowledged);
  const err = (f: string) =>
    errors[f] ? (
      <p class="field-error" data-testid={`error-${f}`}>
        {errors[f]}
      </p>
    ) : null;

  return (
    <div data-testid="samples-section">
      <Findings findings={ds.general} testid="samples-findings" />
      <div class="sample-lines">
        {samples.lines.map((line, i) => {
          const s = sku(line.sku_id);
          const lots = book.lots
            .filter((l) => l.sku_id === line.sku_id && (l.on_hand > 0 || l.lot_id === line.lot_id))
            .sort(
              (a, b) =>
                a.expires_on.localeCompare(b.expires_on) ||
                a.lot_number.localeCompare(b.lot_number),
            );
          const picked = ds.expanded.lines.filter((_, k) => ds.expanded.owner[k] === i);
          const alloc = s ? allocationOf(book, s.product_id, on) : null;
          const options = choices.some((c) => c.sku.sku_id === line.sku_id)
            ? choices
            : [...(s ? [{ sku: s, on_hand: 0 }] : []), ...choices];
          return (
            <div class="sample-line" key={i} data-testid="sample-line" data-sku={line.sku_id}>
              <div class="sample-line-row">
                <label>
                  Product
                  <select
                    value={line.sku_id}
                    onChange={(e) => setLine(i, { sku_id: e.currentTarget.value, lot_id: null })}
                    data-testid={`sample-sku-${i}`}
                  >
                    {options.map((c) => (
                      <option key={c.sku.sku_id} value={c.sku.sku_id}>
                        {skuLabel(c.sku)}
                        {c.sku.dea_schedule ? ` (C-${c.sku.dea_schedule})` : ''} · {c.on_hand} on
                        hand
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  Quantity
                  <input
                    type="number"
                    inputMode="numeric"
                    min={1}
                    step={1}
                    value={line.quantity > 0 ? String(line.quantity) : ''}
                    onInput={(e) => {
                      const q = Number(e.currentTarget.value);
                      setLine(i, { quantity: Number.isInteger(q) && q > 0 ? q : 0 });
                    }}
                    aria-invalid={
                      ds.perLine[i]?.some(
                        (f) => f.severity === 'error' && /quantity/.test(f.field),
                      ) || undefined
                    }
                    data-testid={`sample-qty-${i}`}
                  />
                </label>
                <button
                  type="button"
                  class="btn btn-small btn-ghost"
                  onClick={() =>
                    onChange({ ...samples, lines: samples.lines.filter((_, k) => k !== i) })
                  }
                  aria-label="Remove this product"
                  data-testid={`sample-remove-${i}`}
                >
                  Remove
                </button>
              </div>
              <label class="lot-row">
                Lot
                <select
                  value={line.lot_id ?? ''}
                  onChange={(e) => setLine(i, { lot_id: e.currentTarget.value || null })}
                  data-testid={`sample-lot-${i}`}
                >
                  <option value="">First to expire (automatic)</option>
                  {lots.map((l) => {
                    const st = expiryStatus(l.expires_on, on);
                    return (
                      <option key={l.lot_id} value={l.lot_id}>
                        {l.lot_number} · exp. {l.expires_on}
                        {st === 'expired'
                          ? ' (expired)'
                          : st === 'soon'
                            ? ' (expires soon)'
                            : ''} · {l.on_hand} on hand
                      </option>
                    );
                  })}
                </select>
              </label>
              {!line.lot_id && picked.some((p) => p.lot_id) && (
                <p class="lot-auto" data-testid={`sample-picked-${i}`}>
                  {picked
                    .filter((p) => p.lot_id)
                    .map((p) => {
                      const l = book.lots.find((x) => x.lot_id === p.lot_id);
                      return `Lot ${l?.lot_number ?? '?'} (exp. ${l?.expires_on ?? '?'}) × ${p.quantity}`;
                    })
                    .join(' + ')}
                </p>
              )}
              {alloc && (
                <p class="muted small" data-testid={`sample-alloc-${i}`}>
                  Your {s?.product_name} allocation: {alloc.left} of {alloc.quantity} left this
                  cycle.
                </p>
              )}
              <Findings findings={ds.perLine[i] ?? []} testid={`sample-findings-${i}`} />
            </div>
          );
        })}
      </div>
      {samples.lines.length === 0 && <p class="muted small">No samples added.</p>}
      {choices.length === 0 && samples.lines.length === 0 && (
        <p class="notice small" data-testid="samples-none">
          You hold no samples that can be given today.
        </p>
      )}
      <div class="form-actions">
        {unused && (
          <button
            type="button"
            class="btn btn-small"
            onClick={() =>
              onChange({
                ...samples,
                lines: [...samples.lines, { sku_id: unused.sku.sku_id, quantity: 1, lot_id: null }],
              })
            }
            data-testid="sample-add-line"
          >
            + Another product
          </button>
        )}
        <button
          type="button"
          class="btn btn-small btn-ghost"
          onClick={() => onChange(null)}
          data-testid="remove-samples"
        >
          No samples
        </button>
      </div>
      {needsAck && (
        <label class="check" data-testid="samples-ack-label">
          <input
            type="checkbox"
            checked={samples.warnings_acknowledged}
            onChange={(e) =>
              onChange({ ...samples, warnings_acknowledged: e.currentTarget.checked })
            }
            data-testid="samples-ack"
          />
          I confirm: I have read the warnings above and give these samples anyway.
        </label>
      )}
      {err('samples_ack')}
      {ds.signed && samples.signature ? (
        <div class="signed-box" data-testid="samples-signed">
          Signed by <strong>{samples.signature.record.signer_name}</strong> ·{' '}
          {callWhen(samples.signature.record.signed_at)}
          <svg
            viewBox={pathViewBox(samples.signature.image)}
            preserveAspectRatio="xMinYMid meet"
            aria-hidden="true"
          >
            <path
              d={samples.signature.image}
              fill="none"
              stroke="#1e6b3c"
              stroke-width="3"
              stroke-linecap="round"
            />
          </svg>
        </div>
      ) : (
        <>
          {ds.stale && (
            <p class="notice small" data-testid="samples-stale">
              The samples or the call changed after the HCP signed: the HCP must sign again.
            </p>
          )}
          <button
            type="button"
            class="btn btn-block"
            disabled={!canSign}
            onClick={onSign}
            data-testid="samples-sign"
          >
            Hand over for signature
          </button>
          {!canSign && samples.lines.length > 0 && (
            <p class="muted small">
              {ds.blocked ? 'Resolve the blocking findings first.' : 'Confirm the warnings first.'}
            </p>
          )}
        </>
      )}
      {err('samples')}
      {err('signature')}
    </div>
  );
}
