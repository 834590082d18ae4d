/** Completeness (`#/completeness?level=…&months=…`): how completely the field records its work, per
 * territory, district or region and month, in the reader's scope: call reports submitted complete
 * and on time, HCPs segmented, sample records signed. Shares under 85% are flagged (an adoption
 * problem), under 70% strongly; the method is shown as the server states it; CSV download. */
import { useEffect, useState } from 'preact/hooks';
import type { CompletenessLevel } from '../api/stewardship';
import type { CompletenessReport, Share } from '../api/types';
import { useApp } from '../context';
import { useLoad } from '../hooks';
import {
  completenessCsv,
  completenessGroups,
  MEASURES,
  shareText,
  shareTone,
} from '../lib/completeness';
import { pickStatus } from '../lib/stewardship';
import { ErrorBox, Loading } from '../components/bits';
import { saveBlob } from './oversight/common';
import './oversight/oversight.css';
import './stewardship/stewardship.css';

const LEVELS = ['territory', 'district', 'region'] as const;
const LEVEL_LABELS: Record<CompletenessLevel, string> = {
  territory: 'Territory',
  district: 'District',
  region: 'Region',
};
const MONTHS = ['6', '3', '12'] as const;

export function Completeness({ query }: { query: string }) {
  const { api } = useApp();
  const q = new URLSearchParams(query);
  const [level, setLevel] = useState<CompletenessLevel>(() => pickStatus(q.get('level'), LEVELS));
  const [months, setMonths] = useState<string>(() => pickStatus(q.get('months'), MONTHS));
  const [gen, setGen] = useState(0);
  const key = `level=${level}&months=${months}`;

  useEffect(() => {
    const hash = `#/completeness?${key}`;
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }, [key]);

  const res = useLoad(
    () => api.completeness(level, Number(months)).then((report) => ({ key, report })),
    [key, gen],
  );
  const loadedKey = res.state === 'ok' ? res.data.key : undefined;
  return (
    <div class="screen completeness" data-testid="completeness" data-loaded-key={loadedKey}>
      <div class="screen-head">
        <h1>Completeness</h1>
        <span class="muted small">Is the field recording its work?</span>
      </div>
      <section class="card section">
        <p class="muted small">
          Each figure is a share of what should be there, with the count and the total it is made
          of. Below <strong>85%</strong> data entry has an adoption problem (highlighted); below{' '}
          <strong>70%</strong> a serious one. Months run up to this one, which is still in progress.
        </p>
        <div class="seg">
          <label>
            Level
            <select
              value={level}
              onChange={(e) => setLevel(e.currentTarget.value as CompletenessLevel)}
              data-testid="cmp-level"
            >
              {LEVELS.map((l) => (
                <option key={l} value={l}>
                  {LEVEL_LABELS[l]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Months
            <select
              value={months}
              onChange={(e) => setMonths(e.currentTarget.value)}
              data-testid="cmp-months"
            >
              {['3', '6', '12'].map((m) => (
                <option key={m} value={m}>
                  Last {m}
                </option>
              ))}
            </select>
          </label>
          {res.state === 'ok' && <CsvButton report={res.data.report} />}
        </div>
        {res.state === 'loading' && <Loading />}
        {res.state === 'error' && (
          <ErrorBox error={res.error} onRetry={() => setGen((g) => g + 1)} />
        )}
        {res.state === 'ok' && <CompletenessTable report={res.data.report} />}
      </section>
      {res.state === 'ok' && (
        <section class="card section" data-testid="cmp-method">
          <h2>How the shares are computed</h2>
          <ul class="recon-formulas">
            {res.data.report.method.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function CsvButton({ report }: { report: CompletenessReport }) {
  const save = () => {
    const last = report.months[report.months.length - 1] ?? '';
    saveBlob(
      new Blob([completenessCsv(report)], { type: 'text/csv' }),
      `completeness-${report.level}-${last}.csv`,
    );
  };
  return (
    <button type="button" class="btn btn-small" onClick={save} data-testid="cmp-csv">
      Download CSV
    </button>
  );
}

function CompletenessTable({ report }: { report: CompletenessReport }) {
  const groups = completenessGroups(report);
  if (groups.length === 0) return <p class="muted empty">No territory in your scope.</p>;
  return (
    <div class="table-wrap">
      <table class="table cmp-table" data-testid="cmp-table" data-level={report.level}>
        <thead>
          <tr>
            <th>{LEVEL_LABELS[report.level as CompletenessLevel] ?? report.level}</th>
            <th>Month</th>
            {MEASURES.map((m) => (
              <th key={m.key} class="num">
                {m.label}
              </th>
            ))}
          </tr>
        </thead>
        {groups.map((g) => (
          <tbody key={g.unit?.id ?? 'total'} class={g.unit ? 'cmp-unit' : 'cmp-total'}>
            {g.rows.map(({ month, row }, i) => (
              <tr
                key={month}
                data-testid="cmp-row"
                data-unit={g.unit?.code ?? 'total'}
                data-unit-id={g.unit?.id ?? ''}
                data-month={month}
              >
                {i === 0 && (
                  <th scope="rowgroup" rowSpan={g.rows.length} data-testid="cmp-unit">
                    {g.unit ? (
                      <>
                        {g.unit.code} <span class="muted small">{g.unit.name}</span>
                      </>
                    ) : (
                      'Total (your scope)'
                    )}
                  </th>
                )}
                <td>{month}</td>
                {MEASURES.map((m) =>
                  row ? (
                    <ShareCell key={m.key} measure={m.key} s={row[m.key]} />
                  ) : (
                    <td key={m.key} class="num muted">
                      –
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </div>
  );
}

function ShareCell({ measure, s }: { measure: string; s: Share }) {
  const tone = shareTone(s);
  const title =
    tone === 'bad'
      ? 'Below 70%: a serious adoption problem'
      : tone === 'low'
        ? 'Below 85%: an adoption problem'
        : undefined;
  return (
    <td
      class={`num share share-${tone}`}
      title={title}
      data-testid={`cmp-${measure}`}
      data-count={s.count}
      data-of={s.of}
      data-tone={tone}
    >
      {shareText(s)}
    </td>
  );
}
