import { useEffect, useState } from 'preact/hooks';
import type { Lot, ShipmentView } from '../../api/types';
import { useApp } from '../../context';
import { useLoad } from '../../hooks';
import { isoDay, oversightHref, ownsSamplePolicy, parseWhole, when } from '../../lib/oversight';
import { Empty, ErrorBox, Loading } from '../../components/bits';
import {
  errorText,
  FieldError,
  fieldErrorsOf,
  LotLines,
  OtherErrors,
  useCatalog,
  type Catalog,
} from './common';

/** Lots made by headquarters and shipments of them to reps (the rep acknowledges on the device). */
export function ShipmentsSection({ query }: { query: string }) {
  const { me } = useApp();
  const catalog = useCatalog();
  const [extraLots, setExtraLots] = useState<Lot[]>([]);
  const [shipped, setShipped] = useState<ShipmentView | null>(null);
  const [gen, setGen] = useState(0);
  if (catalog.state === 'loading') return <Loading />;
  if (catalog.state === 'error') return <ErrorBox error={catalog.error} />;
  const cat = catalog.data;
  const lots = [...cat.lots, ...extraLots.filter((l) => !cat.lots.some((x) => x.id === l.id))];
  const withLots: Catalog = extraLots.length
    ? {
        ...cat,
        lots,
        lotName: (id) => lotLabel(lots, cat, id),
        lot: (id) => lots.find((l) => l.id === id),
      }
    : cat;
  const owner = ownsSamplePolicy(me);
  return (
    <section data-testid="shipments">
      {owner && (
        <ShipForm
          catalog={withLots}
          onShipped={(s) => {
            setShipped(s);
            setGen((g) => g + 1);
          }}
        />
      )}
      {shipped && (
        <p class="notice ok-notice" role="status" data-testid="ship-done">
          Shipped to {shipped.recipient}; in transit until the rep acknowledges it on the device.
        </p>
      )}
      <ShipmentList key={gen} catalog={withLots} query={query} />
      <LotsTable catalog={withLots} />
      {owner && <LotForm catalog={withLots} onCreated={(l) => setExtraLots((x) => [...x, l])} />}
    </section>
  );
}

function lotLabel(lots: Lot[], cat: Catalog, id: string): string {
  const l = lots.find((x) => x.id === id);
  return l ? `${cat.skuName(l.sku_id)} · lot ${l.lot_number}` : id;
}

function ShipmentList({ catalog, query }: { catalog: Catalog; query: string }) {
  const { api } = useApp();
  const [rep, setRep] = useState(() => new URLSearchParams(query).get('rep') ?? '');
  useEffect(() => {
    const hash = oversightHref('shipments', { rep });
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }, [rep]);
  const res = useLoad(() => api.shipments(rep || null), [rep]);
  return (
    <section class="card section" data-testid="shipment-list">
      <h2>Shipments and transfers</h2>
      <div class="cov-controls">
        <label>
          Rep
          <select
            value={rep}
            onChange={(e) => setRep(e.currentTarget.value)}
            data-testid="shipments-rep"
          >
            <option value="">All reps ({catalog.reps.length})</option>
            {catalog.reps.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {res.state === 'loading' && <Loading />}
      {res.state === 'error' && <ErrorBox error={res.error} />}
      {res.state === 'ok' &&
        (res.data.length === 0 ? (
          <Empty>No shipments.</Empty>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th>Sent</th>
                  <th>From → to</th>
                  <th>Lots</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {res.data.map((s) => (
                  <tr key={s.id} data-testid="shipment" data-id={s.id} data-status={s.status}>
                    <td>
                      {when(s.sent_at)}
                      <div class="muted small">
                        {s.kind === 'transfer' ? 'Transfer' : 'Shipment'}
                      </div>
                    </td>
                    <td>
                      {s.sender} → <strong>{s.recipient}</strong>
                      {s.note && <div class="muted small">{s.note}</div>}
                    </td>
                    <td>
                      <LotLines lines={s.lines} catalog={catalog} />
                    </td>
                    <td>
                      <span class={`badge st-${s.status}`}>
                        {s.status === 'in_transit' ? 'In transit' : 'Received'}
                      </span>
                      {s.received_at && <div class="muted small">{when(s.received_at)}</div>}
                      {receiptDiffs(s).length > 0 && (
                        <ul class="small field-error lot-lines" data-testid="shipment-differs">
                          {receiptDiffs(s).map((d) => (
                            <li key={d.lot_id}>
                              {catalog.lotName(d.lot_id)}: sent {d.sent}, received {d.received}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}

/** Lots whose received quantity differs from what was sent (the rep noted why on the device). */
function receiptDiffs(s: ShipmentView): { lot_id: string; sent: number; received: number }[] {
  if (!s.received_lines) return [];
  const sum = (ls: { lot_id: string; quantity: number }[]) => {
    const m = new Map<string, number>();
    for (const l of ls) m.set(l.lot_id, (m.get(l.lot_id) ?? 0) + l.quantity);
    return m;
  };
  const sent = sum(s.lines);
  const got = sum(s.received_lines);
  return [...new Set([...sent.keys(), ...got.keys()])]
    .map((lot_id) => ({ lot_id, sent: sent.get(lot_id) ?? 0, received: got.get(lot_id) ?? 0 }))
    .filter((d) => d.sent !== d.received);
}

interface Line {
  lot_id: string;
  quantity: string;
}

function ShipForm({
  catalog,
  onShipped,
}: {
  catalog: Catalog;
  onShipped: (s: ShipmentView) => void;
}) {
  const { api } = useApp();
  const today = isoDay(new Date());
  const usable = catalog.lots
    .filter((l) => l.expires_on >= today)
    .sort((a, b) => catalog.lotName(a.id).localeCompare(catalog.lotName(b.id)));
  const [rep, setRep] = useState('');
  const [lines, setLines] = useState<Line[]>([{ lot_id: '', quantity: '' }]);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!rep) errs.rep_id = 'choose a rep';
    const out = lines.map((l, i) => {
      if (!l.lot_id) errs[`lines[${i}].lot_id`] = 'choose a lot';
      const q = parseWhole(l.quantity, 1, 100_000);
      if (!q.ok) errs[`lines[${i}].quantity`] = q.error;
      return { lot_id: l.lot_id, quantity: q.ok ? q.value : 0 };
    });
    setErrors(errs);
    setError(null);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      const s = await api.ship({ rep_id: rep, lines: out, note: note.trim() || null });
      setLines([{ lot_id: '', quantity: '' }]);
      setNote('');
      onShipped(s);
    } catch (err) {
      const fe = fieldErrorsOf(err);
      setErrors(fe);
      if (!Object.keys(fe).length) setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const set = (i: number, patch: Partial<Line>) =>
    setLines((ls) => ls.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  const shown = [
    'rep_id',
    ...lines.flatMap((_, i) => [`lines[${i}].lot_id`, `lines[${i}].quantity`]),
  ];
  return (
    <form class="card section ship-form" onSubmit={submit} noValidate data-testid="ship-form">
      <h2>Ship lots to a rep</h2>
      <label>
        Rep
        <select
          value={rep}
          onChange={(e) => setRep(e.currentTarget.value)}
          aria-invalid={errors.rep_id ? true : undefined}
          aria-describedby={errors.rep_id ? 'ship-rep-error' : undefined}
          data-testid="ship-rep"
        >
          <option value="">Choose a rep…</option>
          {catalog.reps.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </label>
      <FieldError id="ship-rep-error" message={errors.rep_id} />
      {lines.map((l, i) => (
        <div key={i} class="ship-line" data-testid="ship-line">
          <label>
            Lot
            <select
              value={l.lot_id}
              onChange={(e) => set(i, { lot_id: e.currentTarget.value })}
              aria-invalid={errors[`lines[${i}].lot_id`] ? true : undefined}
              data-testid="ship-lot"
            >
              <option value="">Choose a lot…</option>
              {usable.map((lot) => (
                <option key={lot.id} value={lot.id}>
                  {catalog.lotName(lot.id)} (exp. {lot.expires_on})
                </option>
              ))}
            </select>
            <FieldError id={`ship-lot-${i}-error`} message={errors[`lines[${i}].lot_id`]} />
          </label>
          <label>
            Units
            <input
              type="number"
              min={1}
              step={1}
              inputMode="numeric"
              value={l.quantity}
              onInput={(e) => set(i, { quantity: e.currentTarget.value })}
              aria-invalid={errors[`lines[${i}].quantity`] ? true : undefined}
              data-testid="ship-qty"
            />
            <FieldError id={`ship-qty-${i}-error`} message={errors[`lines[${i}].quantity`]} />
          </label>
          {lines.length > 1 && (
            <button
              type="button"
              class="btn btn-small"
              onClick={() => setLines((ls) => ls.filter((_, j) => j !== i))}
              aria-label="Remove line"
            >
              Remove
            </button>
          )}
        </div>
      ))}
      <button
        type="button"
        class="btn btn-small"
        onClick={() => setLines((ls) => [...ls, { lot_id: '', quantity: '' }])}
        data-testid="ship-add-line"
      >
        Add a lot
      </button>
      <label>
        Note (optional)
        <input
          type="text"
          value={note}
          onInput={(e) => setNote(e.currentTarget.value)}
          data-testid="ship-note"
        />
      </label>
      <FieldError id="ship-lines-error" message={errors.lines} />
      <OtherErrors errors={errors} shown={[...shown, 'lines']} />
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="ship-submit">
          {busy ? 'Shipping…' : 'Ship'}
        </button>
      </div>
    </form>
  );
}

function LotsTable({ catalog }: { catalog: Catalog }) {
  const today = isoDay(new Date());
  const lots = [...catalog.lots].sort((a, b) =>
    catalog.lotName(a.id).localeCompare(catalog.lotName(b.id)),
  );
  return (
    <section class="card section" data-testid="lots">
      <h2>Lots</h2>
      {lots.length === 0 ? (
        <Empty>No lots yet.</Empty>
      ) : (
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                <th>Product</th>
                <th>Lot</th>
                <th>Expires</th>
              </tr>
            </thead>
            <tbody>
              {lots.map((l) => (
                <tr
                  key={l.id}
                  data-testid="lot"
                  data-id={l.id}
                  class={l.expires_on < today ? 'expired' : undefined}
                >
                  <td>{catalog.skuName(l.sku_id)}</td>
                  <td class="mono">{l.lot_number}</td>
                  <td>
                    {l.expires_on}
                    {l.expires_on < today && <span class="badge dnc"> expired</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function LotForm({ catalog, onCreated }: { catalog: Catalog; onCreated: (l: Lot) => void }) {
  const { api } = useApp();
  const skus = catalog.products.flatMap((p) =>
    p.sample_skus.map((s) => ({ id: s.id, label: `${p.brand} ${s.strength} (${s.ndc})` })),
  );
  const [sku, setSku] = useState('');
  const [number, setNumber] = useState('');
  const [expires, setExpires] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<Lot | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!sku) errs.sku_id = 'choose a sample SKU';
    if (!number.trim()) errs.lot_number = 'is required';
    if (!expires) errs.expires_on = 'is required';
    setErrors(errs);
    setError(null);
    setCreated(null);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      const lot = await api.createLot({
        sku_id: sku,
        lot_number: number.trim(),
        expires_on: expires,
      });
      setCreated(lot);
      setNumber('');
      onCreated(lot);
    } catch (err) {
      const fe = fieldErrorsOf(err);
      setErrors(fe);
      if (!Object.keys(fe).length) setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card section" onSubmit={submit} noValidate data-testid="lot-form">
      <h2>New lot</h2>
      <div class="filter-grid">
        <label>
          Sample SKU
          <select
            value={sku}
            onChange={(e) => setSku(e.currentTarget.value)}
            aria-invalid={errors.sku_id ? true : undefined}
            data-testid="lot-sku"
          >
            <option value="">Choose…</option>
            {skus.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </select>
          <FieldError id="lot-sku-error" message={errors.sku_id} />
        </label>
        <label>
          Lot number
          <input
            type="text"
            value={number}
            onInput={(e) => setNumber(e.currentTarget.value)}
            aria-invalid={errors.lot_number ? true : undefined}
            data-testid="lot-number"
          />
          <FieldError id="lot-number-error" message={errors.lot_number} />
        </label>
        <label>
          Expires on
          <input
            type="date"
            value={expires}
            onInput={(e) => setExpires(e.currentTarget.value)}
            aria-invalid={errors.expires_on ? true : undefined}
            data-testid="lot-expires"
          />
          <FieldError id="lot-expires-error" message={errors.expires_on} />
        </label>
      </div>
      <OtherErrors errors={errors} shown={['sku_id', 'lot_number', 'expires_on']} />
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      {created && (
        <p class="muted small" role="status" data-testid="lot-created">
          Lot {created.lot_number} created.
        </p>
      )}
      <div class="form-actions">
        <button
          type="submit"
          class="btn btn-primary btn-small"
          disabled={busy}
          data-testid="lot-submit"
        >
          Create lot
        </button>
      </div>
    </form>
  );
}
