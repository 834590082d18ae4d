/**
 * The Coverage screen's "Calls by territory, district and region" section: the calls of a
 * period (default year to date) counted where each HCP belonged on the call's date
 * (GET /api/v1/reports/calls-by-unit, scoped by the server), as a region → district →
 * territory table with each unit's share of all the period's calls.
 */
import { useMemo, useState } from 'preact/hooks';
import { ApiError } from '../api/problem';
import type { AttributionReport } from '../api/types';
import { useApp } from '../context';
import { useLoad } from '../hooks';
import {
  childLevelName,
  nestUnits,
  periodPresets,
  presetOf,
  shareText,
  shareTitle,
  type DayRange,
  type UnitRow,
} from '../lib/callsByUnit';
import { isIsoDay } from '../lib/oversight';
import { ErrorBox, Loading } from './bits';

const LEVEL_LABEL = { region: 'Region', district: 'District', territory: 'Territory' } as const;

/** `period` is the one shown first (from the URL or the default); `onPeriod` hears every change. */
export function CallsByUnit({
  period: initial,
  onPeriod,
}: {
  period: DayRange;
  onPeriod: (p: DayRange) => void;
}) {
  const { api } = useApp();
  const presets = useMemo(() => periodPresets(new Date()), []);
  const [period, setPeriodState] = useState(initial);
  const [custom, setCustom] = useState(() => presetOf(presets, initial) === null);
  const setPeriod = (p: DayRange) => {
    setPeriodState(p);
    if (isIsoDay(p.from) && isIsoDay(p.to)) onPeriod(p);
  };

  const complete = isIsoDay(period.from) && isIsoDay(period.to);
  const key = `from=${period.from}&to=${period.to}`;
  // The key travels with the data, so data-loaded-key never names a report that is not shown yet.
  const res = useLoad(
    () =>
      complete
        ? api.callsByUnit(period.from, period.to).then((report) => ({ key, report }))
        : Promise.resolve(null),
    [key],
  );
  const loadedKey = res.state === 'ok' && res.data?.key === key ? key : undefined;

  const apiErrors =
    res.state === 'error' && res.error instanceof ApiError ? res.error.fieldErrors : {};
  const errors = {
    from: isIsoDay(period.from) ? apiErrors.from : 'Enter the first day',
    to: isIsoDay(period.to) ? apiErrors.to : 'Enter the last day',
  };
  const fieldError = !!(apiErrors.from || apiErrors.to);
  const showDates = custom || fieldError;

  return (
    <section class="card section units" data-testid="calls-by-unit" data-loaded-key={loadedKey}>
      <h2>Calls by territory, district and region</h2>
      <div class="cov-controls">
        <label>
          Period
          <select
            value={custom ? 'custom' : (presetOf(presets, period) ?? 'custom')}
            onChange={(e) => {
              const p = presets.find((x) => x.id === e.currentTarget.value);
              setCustom(!p);
              if (p) setPeriod({ from: p.from, to: p.to });
            }}
            data-testid="units-period"
          >
            {presets.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
            <option value="custom">Custom dates…</option>
          </select>
        </label>
        {showDates && (
          <>
            <DateField
              label="From"
              value={period.from}
              error={errors.from}
              testid="units-from"
              onChange={(from) => setPeriod({ ...period, from })}
            />
            <DateField
              label="To (inclusive)"
              value={period.to}
              error={errors.to}
              testid="units-to"
              onChange={(to) => setPeriod({ ...period, to })}
            />
          </>
        )}
      </div>
      {res.state === 'loading' && <Loading />}
      {res.state === 'error' && !fieldError && <ErrorBox error={res.error} />}
      {res.state === 'ok' && res.data && <UnitTable report={res.data.report} />}
    </section>
  );
}

function DateField(props: {
  label: string;
  value: string;
  error?: string;
  testid: string;
  onChange: (v: string) => void;
}) {
  const errId = `${props.testid}-error`;
  return (
    <label>
      {props.label}
      <input
        type="date"
        value={props.value}
        onChange={(e) => props.onChange(e.currentTarget.value)}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? errId : undefined}
        data-testid={props.testid}
      />
      {props.error && (
        <span class="field-error" id={errId} data-testid={errId}>
          {props.error}
        </span>
      )}
    </label>
  );
}

function UnitTable({ report }: { report: AttributionReport }) {
  const rows = nestUnits(report);
  const total = report.total;
  return (
    <>
      <p class="muted small" data-testid="units-range">
        {report.from} to {report.to} (inclusive) ·{' '}
        <strong data-testid="units-total">{total}</strong> {total === 1 ? 'call' : 'calls'}
      </p>
      {rows.length === 0 ? (
        <p class="muted empty">No territories in your scope.</p>
      ) : (
        <div class="table-wrap">
          <table class="table units-table" data-testid="units-table">
            <thead>
              <tr>
                <th scope="col">Region → district → territory</th>
                <th scope="col" class="num">
                  Calls
                </th>
                <th scope="col" class="num" title="The unit's calls / all calls in the period">
                  Share
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <Row key={r.unit.id} row={r} total={total} />
              ))}
            </tbody>
            <tfoot>
              {report.unattributed > 0 && (
                <tr
                  data-testid="units-unattributed"
                  title="Calls whose HCP was in no territory on the call's date"
                >
                  <th scope="row">Unattributed</th>
                  <td class="num">{report.unattributed}</td>
                  <td class="num" title={shareTitle(report.unattributed, total)}>
                    {shareText(report.unattributed, total)}
                  </td>
                </tr>
              )}
              <tr>
                <th scope="row">All calls</th>
                <td class="num">{total}</td>
                <td class="num">{shareText(total, total)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
      <p class="muted small">
        Share = the unit's calls / all {total} calls of the period
        {report.unattributed > 0 ? `, the ${report.unattributed} unattributed included` : ''}. Each
        level adds up on its own: a call counts once per level.
      </p>
      <p class="small units-method" data-testid="units-method">
        {report.method}
      </p>
    </>
  );
}

function Row({ row, total }: { row: UnitRow; total: number }) {
  const { unit, level, depth, childCalls } = row;
  const differs = childCalls !== null && childCalls !== unit.calls;
  return (
    <tr
      class={`unit-${level}`}
      data-testid="unit-row"
      data-level={level}
      data-id={unit.id}
      data-code={unit.code}
    >
      <th
        scope="row"
        style={{ paddingLeft: `${0.25 + depth * 1.1}rem` }}
        title={LEVEL_LABEL[level]}
      >
        <span class="terr badge">{unit.code}</span> <span data-testid="unit-name">{unit.name}</span>
        {differs && (
          <span
            class="muted small units-note"
            data-testid="unit-children-sum"
            title="Calls count where each unit stood on the call's date: after a realignment, a unit's count can differ from the sum of the units it has now."
          >
            {childLevelName(level)} listed below: {childCalls}
          </span>
        )}
      </th>
      <td class="num" data-testid="unit-calls">
        {unit.calls}
      </td>
      <td class="num" data-testid="unit-share" title={shareTitle(unit.calls, total)}>
        {shareText(unit.calls, total)}
      </td>
    </tr>
  );
}
