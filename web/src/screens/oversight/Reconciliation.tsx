import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type {
  Balance,
  Colleague,
  CountCheck,
  InventoryRollup,
  MovementLine,
  ReconciliationReport,
} from '../../api/types';
import { useApp } from '../../context';
import { useLoad } from '../../hooks';
import {
  annualText,
  BALANCE_COLUMNS,
  discrepancyFormula,
  expectedFormula,
  groupByKind,
  hasDiscrepancy,
  isIsoDay,
  isoDay,
  openingFormula,
  oversightHref,
  plural,
  quarterOf,
  recentQuarters,
  signed,
  TXN_LABELS,
  when,
} from '../../lib/oversight';
import { Empty, ErrorBox, Loading } from '../../components/bits';
import { DownloadButton } from './common';

/** The reconciliation of a rep's sample inventory over a period (21 CFR 203.31(d)). */
export function ReconciliationSection({ query }: { query: string }) {
  const { api } = useApp();
  const reps = useLoad(() => api.sampleReps(), [api]);
  return (
    <section data-testid="reconciliation">
      {reps.state === 'loading' && <Loading />}
      {reps.state === 'error' && <ErrorBox error={reps.error} />}
      {reps.state === 'ok' &&
        (reps.data.length === 0 ? (
          <Empty>No reps in your oversight.</Empty>
        ) : (
          <Reconciliation reps={reps.data} query={query} />
        ))}
    </section>
  );
}

function Reconciliation({ reps, query }: { reps: Colleague[]; query: string }) {
  const { api } = useApp();
  const sp = new URLSearchParams(query);
  const quarters = useMemo(() => recentQuarters(new Date(), 8), []);
  const [rep, setRep] = useState(() => {
    const r = sp.get('rep');
    return r && reps.some((x) => x.id === r) ? r : reps[0].id;
  });
  const [period, setPeriod] = useState(() => {
    const from = sp.get('from');
    const to = sp.get('to');
    if (isIsoDay(from) && isIsoDay(to)) return { from, to };
    const q = quarterOf(new Date());
    return { from: q.from, to: q.to };
  });
  const preset = quarters.find((q) => q.from === period.from && q.to === period.to);
  const [custom, setCustom] = useState(!preset);
  const valid = isIsoDay(period.from) && isIsoDay(period.to) && period.from <= period.to;

  const key = `${rep}|${period.from}|${period.to}`;
  useEffect(() => {
    if (!valid) return;
    const hash = oversightHref('reconciliation', { rep, from: period.from, to: period.to });
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }, [rep, period.from, period.to, valid]);

  const res = useLoad(
    () =>
      valid
        ? api.reconciliation(rep, period.from, period.to).then((report) => ({ key, report }))
        : Promise.resolve(null),
    [key, valid],
  );
  const loadedKey = res.state === 'ok' && res.data?.key === key ? key : undefined;

  return (
    <div data-loaded-key={loadedKey} data-testid="recon">
      <InventoryStatus onPick={setRep} />
      <div class="cov-controls no-print">
        <label>
          Rep
          <select
            value={rep}
            onChange={(e) => setRep(e.currentTarget.value)}
            data-testid="recon-rep"
          >
            {reps.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Period
          <select
            value={custom ? 'custom' : `${period.from}|${period.to}`}
            onChange={(e) => {
              const v = e.currentTarget.value;
              if (v === 'custom') {
                setCustom(true);
                return;
              }
              const [from, to] = v.split('|');
              setCustom(false);
              setPeriod({ from, to });
            }}
            data-testid="recon-period"
          >
            {quarters.map((q, i) => (
              <option key={q.from} value={`${q.from}|${q.to}`}>
                {q.label}
                {i === 0 ? ' (this quarter)' : ''}
              </option>
            ))}
            <option value="custom">Custom dates…</option>
          </select>
        </label>
        {custom && (
          <>
            <label>
              From
              <input
                type="date"
                value={period.from}
                max={period.to || undefined}
                onChange={(e) => setPeriod((p) => ({ ...p, from: e.currentTarget.value }))}
                data-testid="recon-from"
              />
            </label>
            <label>
              To (inclusive)
              <input
                type="date"
                value={period.to}
                min={period.from || undefined}
                onChange={(e) => setPeriod((p) => ({ ...p, to: e.currentTarget.value }))}
                data-testid="recon-to"
              />
            </label>
          </>
        )}
      </div>
      {!valid && <p class="field-error">Choose a first day on or before the last day.</p>}
      {res.state === 'loading' && <Loading />}
      {res.state === 'error' && <ErrorBox error={res.error} />}
      {res.state === 'ok' && res.data && <ReportView report={res.data.report} />}
    </div>
  );
}

function ReportView({ report }: { report: ReconciliationReport }) {
  const { api } = useApp();
  const flagged = report.per_lot.filter((l) => hasDiscrepancy(l.balance)).length;
  const today = isoDay(new Date());
  return (
    <article
      class="recon-report"
      data-testid="recon-report"
      data-rep={report.rep_id}
      data-from={report.from}
      data-to={report.to}
    >
      <header class="recon-head">
        <div>
          <h2 class="recon-title">
            Sample reconciliation · <span data-testid="recon-rep-name">{report.rep_name}</span>
          </h2>
          <p class="muted small">
            {report.from} to {report.to} (inclusive) ·{' '}
            {report.count ? (
              <span data-testid="recon-count">
                Closing count of {when(report.count.counted_at)}
              </span>
            ) : (
              <span data-testid="recon-count">
                No physical count in the period: counted and discrepancy are blank
              </span>
            )}{' '}
            ·{' '}
            <span data-testid="recon-opening-count">
              {report.opening_count
                ? `Opening from the count of ${when(report.opening_count.counted_at)}`
                : 'No count before the period: opening from the book'}
            </span>
          </p>
          <p
            class={report.annual.status === 'overdue' ? 'small field-error' : 'muted small'}
            data-testid="recon-annual"
            data-status={report.annual.status}
          >
            Annual inventory: {annualText(report.annual)}
          </p>
        </div>
        <div class="recon-actions no-print">
          <DownloadButton
            fetchFile={() => api.reconciliationCsv(report.rep_id, report.from, report.to)}
            testid="recon-csv"
          />
          <button
            type="button"
            class="btn btn-small"
            onClick={() => window.print()}
            data-testid="recon-print"
          >
            Print
          </button>
        </div>
      </header>
      {flagged > 0 && (
        <p class="recon-alert" role="status" data-testid="recon-flagged">
          {plural(flagged, 'lot')} with a discrepancy between the count and the expected balance.
        </p>
      )}
      <details class="cov-method" open data-testid="recon-method">
        <summary>How these numbers are computed</summary>
        <p data-testid="recon-method-text">{report.method}</p>
        <p class="muted small no-print">
          Point at a column heading for its meaning; each product's sum is written out below the
          summary.
        </p>
      </details>

      <section class="card section">
        <h2>Per product and strength</h2>
        {report.per_product.length === 0 ? (
          <Empty>No movements and no stock in this period.</Empty>
        ) : (
          <>
            <BalanceTable
              testid="recon-products"
              rows={report.per_product.map((p) => ({
                id: p.sku_id,
                label: [p.product, p.strength],
                balance: p.balance,
              }))}
              head={['Product', 'Strength']}
            />
            <ul class="recon-formulas small" data-testid="recon-formulas">
              {report.per_product.map((p) => (
                <li key={p.sku_id} data-sku={p.sku_id} data-testid="recon-formula">
                  <strong>
                    {p.product} {p.strength}
                  </strong>
                  : {expectedFormula(p.balance)}; {discrepancyFormula(p.balance)}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section class="card section">
        <h2>Per lot</h2>
        {report.per_lot.length === 0 ? (
          <Empty>No lots.</Empty>
        ) : (
          <BalanceTable
            testid="recon-lots"
            rows={report.per_lot.map((l) => ({
              id: l.lot_id,
              label: [
                `${l.product} ${l.strength}`,
                <>
                  <span class="mono">{l.lot_number}</span>
                  {l.expires_on && (
                    <div class={l.expires_on < today ? 'small field-error' : 'muted small'}>
                      {l.expires_on < today ? 'expired' : 'exp.'} {l.expires_on}
                    </div>
                  )}
                </>,
              ],
              balance: l.balance,
            }))}
            head={['Product', 'Lot']}
          />
        )}
      </section>

      <CountChecks counts={report.counts} />

      <Movements
        title="Receipts"
        testid="recon-receipts"
        lines={report.receipts}
        party="Sender"
        empty="Nothing received in the period."
      />
      <section class="card section" data-testid="recon-distributions">
        <h2>Distributions</h2>
        {report.distributions.length === 0 ? (
          <Empty>Nothing distributed in the period.</Empty>
        ) : (
          groupByKind(report.distributions).map((g) => (
            <div
              key={g.kind}
              class="recon-group"
              data-kind={g.kind}
              data-testid="recon-distribution-group"
            >
              <h3>
                {TXN_LABELS[g.kind]}s <span class="muted small">({plural(g.units, 'unit')})</span>
              </h3>
              <MovementTable
                lines={g.lines}
                party={g.kind === 'disbursement' ? 'Recipient (practitioner)' : 'Recipient'}
              />
            </div>
          ))
        )}
      </section>
      <Movements
        title="Losses and thefts"
        testid="recon-losses"
        lines={report.losses}
        party="Details"
        empty="No losses or thefts in the period."
      />
    </article>
  );
}

function BalanceTable({
  rows,
  head,
  testid,
}: {
  rows: { id: string; label: ComponentChildren[]; balance: Balance }[];
  head: string[];
  testid: string;
}) {
  return (
    <div class="table-wrap">
      <table class="table recon-table" data-testid={testid}>
        <thead>
          <tr>
            {head.map((h) => (
              <th key={h}>{h}</th>
            ))}
            {BALANCE_COLUMNS.map((c) => (
              <th key={c.key} class="num" title={c.title} scope="col">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const off = hasDiscrepancy(r.balance);
            return (
              <tr
                key={r.id}
                class={off ? 'discrepancy' : undefined}
                data-id={r.id}
                data-testid="recon-row"
                data-discrepancy={off ? 'true' : 'false'}
              >
                {r.label.map((l, i) => (
                  <td key={i}>{l}</td>
                ))}
                {BALANCE_COLUMNS.map((c) => {
                  const v = r.balance[c.key];
                  const title =
                    c.key === 'expected'
                      ? expectedFormula(r.balance)
                      : c.key === 'opening'
                        ? openingFormula(r.balance)
                        : c.key === 'discrepancy' || c.key === 'counted'
                          ? discrepancyFormula(r.balance)
                          : c.title;
                  const shown =
                    c.key === 'counted' && r.balance.not_counted
                      ? 'not counted'
                      : v == null
                        ? '—'
                        : c.key === 'discrepancy'
                          ? signed(v as number)
                          : String(v);
                  return (
                    <td
                      key={c.key}
                      class={`num col-${c.key}`}
                      title={title}
                      data-testid={`bal-${c.key}`}
                      data-value={v ?? ''}
                    >
                      {shown}
                      {c.key === 'opening' && r.balance.opening_source === 'count' && (
                        <div class="muted small">from count</div>
                      )}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Movements({
  title,
  lines,
  party,
  empty,
  testid,
}: {
  title: string;
  lines: MovementLine[];
  party: string;
  empty: string;
  testid: string;
}) {
  return (
    <section class="card section" data-testid={testid}>
      <h2>{title}</h2>
      {lines.length === 0 ? <Empty>{empty}</Empty> : <MovementTable lines={lines} party={party} />}
    </section>
  );
}

function MovementTable({ lines, party }: { lines: MovementLine[]; party: string }) {
  return (
    <div class="table-wrap">
      <table class="table">
        <thead>
          <tr>
            <th>When</th>
            <th>Type</th>
            <th>Product</th>
            <th>Lot</th>
            <th class="num">Units</th>
            <th>{party}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((m, i) => (
            <tr key={i} data-testid="recon-movement" data-kind={m.kind}>
              <td>{when(m.occurred_at)}</td>
              <td>{TXN_LABELS[m.kind]}</td>
              <td>
                {m.product} {m.strength}
              </td>
              <td class="mono">{m.lot_number}</td>
              <td class="num">{m.quantity}</td>
              <td>{m.counterparty}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Every count in the period, lot by lot, against the book as of the count's time. */
function CountChecks({ counts }: { counts: CountCheck[] }) {
  return (
    <section class="card section" data-testid="recon-counts">
      <h2>Physical counts against the book at their time</h2>
      {counts.length === 0 ? (
        <Empty>No physical count in the period.</Empty>
      ) : (
        counts.map((c) => (
          <div key={c.id} class="recon-group" data-testid="recon-count-check" data-id={c.id}>
            <h3>
              {when(c.counted_at)}{' '}
              <span class="muted small">
                ({plural(c.lots_differing, 'lot')} differing, net {signed(c.net_difference)};{' '}
                {plural(c.lots_not_counted, 'lot')} not counted)
              </span>
            </h3>
            {c.lots_differing > 0 && (
              <p class="small" data-testid="recon-explanation">
                Explanation: {c.explanation ?? <em>none recorded</em>}
              </p>
            )}
            <div class="table-wrap">
              <table class="table">
                <thead>
                  <tr>
                    <th>Product</th>
                    <th>Lot</th>
                    <th class="num" title="Units found by the count">
                      Counted
                    </th>
                    <th class="num" title="Every movement up to and including the count's time">
                      Book at count
                    </th>
                    <th class="num" title="counted − book">
                      Difference
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {c.lines.map((l) => {
                    const off = l.difference != null && l.difference !== 0;
                    return (
                      <tr
                        key={l.lot_id}
                        class={off || l.status === 'not_counted' ? 'discrepancy' : undefined}
                        data-testid="recon-count-line"
                        data-status={l.status}
                      >
                        <td>
                          {l.product} {l.strength}
                        </td>
                        <td class="mono">{l.lot_number}</td>
                        <td class="num" data-testid="count-counted">
                          {l.counted ?? 'not counted'}
                        </td>
                        <td class="num" data-testid="count-book">
                          {l.book}
                        </td>
                        <td
                          class="num"
                          data-testid="count-difference"
                          title={
                            l.counted == null
                              ? 'not counted'
                              : `${l.counted} counted − ${l.book} book = ${signed(l.difference ?? 0)}`
                          }
                        >
                          {l.difference == null ? '—' : signed(l.difference)}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </div>
        ))
      )}
    </section>
  );
}

/** The annual inventory of every rep the caller oversees, overdue ones highlighted. */
function InventoryStatus({ onPick }: { onPick: (rep: string) => void }) {
  const { api } = useApp();
  const res = useLoad(() => api.inventoryStatus(), [api]);
  if (res.state === 'loading') return <Loading />;
  if (res.state === 'error') return <ErrorBox error={res.error} />;
  return <RollupTable rollup={res.data} onPick={onPick} />;
}

function RollupTable({
  rollup,
  onPick,
}: {
  rollup: InventoryRollup;
  onPick: (rep: string) => void;
}) {
  const { api } = useApp();
  const t = rollup.totals;
  const num = (v: number | null | undefined) => (v == null ? '—' : v);
  return (
    <section class="card section no-print" data-testid="inventory-status">
      <header class="recon-head">
        <h2>Annual physical inventory · as of {rollup.as_of}</h2>
        <DownloadButton fetchFile={() => api.inventoryStatusCsv()} testid="inventory-status-csv" />
      </header>
      {t.overdue > 0 && (
        <p class="recon-alert" role="status" data-testid="inventory-overdue">
          {plural(t.overdue, 'rep')} overdue for the annual count.
        </p>
      )}
      <details class="cov-method">
        <summary>How these numbers are computed</summary>
        <p>{rollup.method}</p>
      </details>
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th>Rep</th>
              <th>Last count</th>
              <th>Next due</th>
              <th class="num" title="Exceptions raised by counts, not yet closed by compliance">
                Open discrepancies
              </th>
              <th class="num" title="Units on the book today">
                On hand
              </th>
              <th class="num" title="Units found by the last count">
                Counted
              </th>
              <th class="num" title="Book of the lots counted, as of the count's time">
                Book at count
              </th>
              <th class="num" title="counted − book at count">
                Difference
              </th>
              <th class="num" title="Lots held at the last count that it does not list">
                Not counted
              </th>
            </tr>
          </thead>
          <tbody>
            {rollup.reps.map((r) => (
              <tr
                key={r.rep_id}
                class={r.annual.status === 'overdue' ? 'discrepancy' : undefined}
                data-testid="inventory-rep"
                data-rep={r.rep_id}
                data-status={r.annual.status}
              >
                <td>
                  <button type="button" class="btn-link" onClick={() => onPick(r.rep_id)}>
                    {r.rep_name}
                  </button>
                </td>
                <td>{r.annual.last_count_at ? when(r.annual.last_count_at) : 'never'}</td>
                <td>
                  {r.annual.due_on ?? '—'}
                  {r.annual.status === 'overdue' && <strong class="field-error"> overdue</strong>}
                </td>
                <td class="num">{r.open_discrepancies}</td>
                <td class="num">{r.on_hand}</td>
                <td class="num">{num(r.last_counted)}</td>
                <td class="num">{num(r.last_book)}</td>
                <td class="num">{r.last_difference == null ? '—' : signed(r.last_difference)}</td>
                <td class="num">{r.lots_not_counted}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr data-testid="inventory-totals">
              <th>
                Total ({plural(t.reps, 'rep')}; {t.overdue} overdue, {t.never_counted} never
                counted)
              </th>
              <td />
              <td />
              <td class="num">{t.open_discrepancies}</td>
              <td class="num">{t.on_hand}</td>
              <td class="num">{t.last_counted}</td>
              <td class="num">{t.last_book}</td>
              <td class="num">{signed(t.last_difference)}</td>
              <td class="num">{t.lots_not_counted}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    </section>
  );
}
