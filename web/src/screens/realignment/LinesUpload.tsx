/** Lines of a realignment draft from a CSV file (`zip,account_external_id,territory_code`, a ZIP
 * or an account per row), with the import report and its rejected rows. */
import { useApp } from '../../context';
import { LINES_LAYOUT } from '../../lib/realignment';
import { CsvUploadForm } from '../targeting/common';

export function LinesUpload({ id, onUploaded }: { id: string; onUploaded: () => void }) {
  const { api } = useApp();
  return (
    <details class="lines-upload">
      <summary>Upload lines from a CSV file</summary>
      <CsvUploadForm
        help={LINES_LAYOUT}
        upload={(file) => api.uploadRealignment(id, file)}
        onUploaded={onUploaded}
        title="Realignment lines"
        kind="realignment"
        testid={{ columns: 'realign-columns', file: 'realign-file', submit: 'realign-upload' }}
      />
    </details>
  );
}
