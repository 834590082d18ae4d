import { useMemo, useState } from 'preact/hooks';
import type { Hcp } from '../api/types';
import { useOffline } from '../offline/context';
import { queueSample } from '../offline/actions';
import { blocks, checkSamples, MEANING_REQUEST } from '../offline/samples';
import {
  buildRecord,
  buildSampleContext,
  findingsByLine,
  localDay,
  practitionerAddress,
  skuLabel,
  utcDate,
  type EffectiveBook,
} from '../offline/sampleBook';
import { uuidv7 } from '../offline/uuid';
import { Findings } from './Findings';
import { SignatureStep } from './SignatureStep';
import '../samples.css';

interface RequestLine {
  sku_id: string;
  quantity: number;
}

/** The HCP asks headquarters to ship samples to the practice: lines, guardrails ('request' mode),
 * the HCP's signature, then a `sample.request` in the outbox (works offline). */
export function SampleRequest({ hcp, book }: { hcp: Hcp; book: EffectiveBook }) {
  const { engine } = useOffline();
  const [open, setOpen] = useState(false);
  const [id, setId] = useState(() => uuidv7());
  const [lines, setLines] = useState<RequestLine[]>([]);
  const [ack, setAck] = useState(false);
  const [signing, setSigning] = useState(false);
  const [tried, setTried] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const segmentProducts = (hcp.segments ?? []).map((s) => s.product_id);
  const skus = useMemo(
    () =>
      [...book.skus].sort(
        (a, b) =>
          Number(!segmentProducts.includes(a.product_id)) -
            Number(!segmentProducts.includes(b.product_id)) ||
          a.product_name.localeCompare(b.product_name) ||
          a.strength.localeCompare(b.strength, undefined, { numeric: true }),
      ),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- segmentProducts is derived from hcp
    [book, hcp],
  );
  const state = hcp.address.state;
  const on = utcDate(new Date().toISOString());
  const ctx = buildSampleContext(book, hcp, { mode: 'request', state, on });
  const sampleLines = lines.map((l) => ({ sku_id: l.sku_id, lot_id: null, quantity: l.quantity }));
  const findings = open ? checkSamples(ctx, sampleLines) : [];
  const byLine = findingsByLine(
    findings,
    lines.map((_, i) => i),
    lines.length,
  );
  const blocked = blocks(findings);
  const warnings = findings.filter((f) => f.severity === 'warning');
  const canSign = lines.length > 0 && !blocked && (warnings.length === 0 || ack);
  const shipTo = practitionerAddress(hcp.address);

  const start = () => {
    setDone(null);
    setOpen(true);
    setId(uuidv7());
    setLines(skus[0] ? [{ sku_id: skus[0].sku_id, quantity: 1 }] : []);
    setAck(false);
    setTried(false);
  };
  const setLine = (i: number, patch: Partial<RequestLine>) =>
    setLines(lines.map((l, k) => (k === i ? { ...l, ...patch } : l)));

  if (signing) {
    const record = buildRecord({
      type: 'sample_request',
      record_id: id,
      hcp,
      state,
      on,
      date: localDay(),
      lines: sampleLines,
      book,
    });
    return (
      <SignatureStep
        record={record}
        meaning={MEANING_REQUEST}
        practitioner={hcp}
        title="Request for drug samples"
        shipTo={shipTo}
        onCancel={() => setSigning(false)}
        onSigned={async (signature) => {
          setBusy(true);
          try {
            await queueSample(engine, 'sample.request', {
              id,
              hcp_id: hcp.id,
              requested_at: signature.record.signed_at,
              call_id: null,
              lines: lines.map((l) => ({ sku_id: l.sku_id, quantity: l.quantity })),
              signature,
            });
            setSigning(false);
            setOpen(false);
            setLines([]);
            setDone(`Request signed: headquarters ships it to ${shipTo}. It syncs automatically.`);
          } finally {
            setBusy(false);
          }
        }}
      />
    );
  }

  return (
    <section class="card section" data-testid="sample-request">
      <h2>Sample request</h2>
      {done && (
        <p class="done-msg" role="status" data-testid="request-done">
          {done}
        </p>
      )}
      {!open ? (
        <button
          type="button"
          class="btn btn-small"
          onClick={start}
          disabled={skus.length === 0}
          data-testid="request-start"
        >
          Request samples (shipped to the practice)
        </button>
      ) : (
        <>
          <p class="muted small">Ships to {shipTo}.</p>
          <Findings findings={byLine.general} testid="request-findings" />
          <div class="sample-lines">
            {lines.map((l, i) => (
              <div class="sample-line" key={i} data-testid="request-line">
                <div class="sample-line-row">
                  <label>
                    Product
                    <select
                      value={l.sku_id}
                      onChange={(e) => setLine(i, { sku_id: e.currentTarget.value })}
                      data-testid={`request-sku-${i}`}
                    >
                      {skus.map((s) => (
                        <option key={s.sku_id} value={s.sku_id}>
                          {skuLabel(s)}
                          {s.dea_schedule ? ` (C-${s.dea_schedule})` : ''}
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
                      value={l.quantity > 0 ? String(l.quantity) : ''}
                      onInput={(e) => {
                        const q = Number(e.currentTarget.value);
                        setLine(i, { quantity: Number.isInteger(q) && q > 0 ? q : 0 });
                      }}
                      data-testid={`request-qty-${i}`}
                    />
                  </label>
                  <button
                    type="button"
                    class="btn btn-small btn-ghost"
                    onClick={() => setLines(lines.filter((_, k) => k !== i))}
                    data-testid={`request-remove-${i}`}
                  >
                    Remove
                  </button>
                </div>
                <Findings findings={byLine.lines[i] ?? []} testid={`request-findings-${i}`} />
              </div>
            ))}
          </div>
          <div class="form-actions">
            <button
              type="button"
              class="btn btn-small"
              onClick={() =>
                setLines([
                  ...lines,
                  {
                    sku_id: (skus.find((s) => !lines.some((x) => x.sku_id === s.sku_id)) ?? skus[0])
                      .sku_id,
                    quantity: 1,
                  },
                ])
              }
              data-testid="request-add-line"
            >
              + Another product
            </button>
          </div>
          {warnings.length > 0 && (
            <label class="check">
              <input
                type="checkbox"
                checked={ack}
                onChange={(e) => setAck(e.currentTarget.checked)}
                data-testid="request-ack"
              />
              I confirm: I have read the warnings above and send this request anyway.
            </label>
          )}
          {tried && !canSign && (
            <p class="field-error" data-testid="error-request">
              {lines.length === 0
                ? 'Add at least one product.'
                : blocked
                  ? 'The request breaks a rule (see above).'
                  : 'Confirm the warnings first.'}
            </p>
          )}
          <div class="form-actions">
            <button
              type="button"
              class="btn"
              onClick={() => setOpen(false)}
              disabled={busy}
              data-testid="request-cancel"
            >
              Cancel
            </button>
            <button
              type="button"
              class="btn btn-primary"
              disabled={busy}
              onClick={() => {
                setTried(true);
                if (canSign) setSigning(true);
              }}
              data-testid="request-sign"
            >
              Hand over for signature
            </button>
          </div>
        </>
      )}
    </section>
  );
}
