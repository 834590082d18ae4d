/** The rows of an uploaded file that could not be used: line, field and message. */
import type { RowError } from '../api/types';

export function RowErrorTable({
  title,
  rows,
  more,
  testid,
}: {
  title: string;
  rows: RowError[];
  more: string | null;
  testid: { table: string; row: string; more?: string };
}) {
  return (
    <>
      <h4>{title}</h4>
      <div class="table-wrap">
        <table class="table" data-testid={testid.table}>
          <thead>
            <tr>
              <th>Line</th>
              <th>Field</th>
              <th>Message</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr
                key={`${r.line}:${r.field}:${i}`}
                data-testid={testid.row}
                data-line={r.line}
                data-field={r.field}
              >
                <td>{r.line}</td>
                <td>
                  <code>{r.field}</code>
                </td>
                <td>{r.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {more && (
        <p class="muted small" data-testid={testid.more}>
          {more}
        </p>
      )}
    </>
  );
}
