/** What an uploaded CSV file did: the counts, a one-line summary and the rejected rows
 * (Targeting's bulk uploads, a draft version's segmentation, a realignment draft's lines). */
import type { ImportReport } from '../api/types';
import { rejectedRows, reportSummary } from '../lib/targeting';
import { RowErrorTable } from './RowErrorTable';

export function ImportReportView({
  title,
  name,
  report,
  kind,
}: {
  title: string;
  name: string;
  report: ImportReport;
  kind?: string;
}) {
  const { rows, more } = rejectedRows(report.errors);
  const nums: [string, number][] = [
    ['rows', report.rows],
    ['created', report.created],
    ['updated', report.updated],
    ['unchanged', report.unchanged],
    ['rejected', report.rejected],
  ];
  return (
    <div class="import-report" data-testid="import-report" data-kind={kind} role="status">
      <h3>
        {title}: <span class="muted">{name}</span>
      </h3>
      <p data-testid="report-summary">{reportSummary(report)}</p>
      <dl class="report-nums">
        {nums.map(([k, v]) => (
          <div key={k} class={k === 'rejected' && v > 0 ? 'bad' : undefined}>
            <dt>{k}</dt>
            <dd data-testid={`report-${k}`}>{v}</dd>
          </div>
        ))}
      </dl>
      {rows.length > 0 && (
        <RowErrorTable
          title="Rejected rows"
          rows={rows}
          more={more}
          testid={{ table: 'report-errors', row: 'report-error', more: 'report-errors-more' }}
        />
      )}
    </div>
  );
}
