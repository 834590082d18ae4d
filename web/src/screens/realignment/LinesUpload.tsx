/** Lines of a realignment draft from a CSV file (`zip,account_external_id,territory_code`, a ZIP
 * or an account per row), with the import report and its rejected rows. */
import { useState } from 'preact/hooks';
import { ApiError } from '../../api/problem';
import type { ImportReport } from '../../api/types';
import { useApp } from '../../context';
import { LINES_LAYOUT } from '../../lib/realignment';
import { ErrorBox } from '../../components/bits';
import { ImportReportView } from '../../components/ImportReportView';
import { OtherErrors } from '../oversight/common';
import { CsvPicker, FileWarning } from '../targeting/common';

export function LinesUpload({ id, onUploaded }: { id: string; onUploaded: () => void }) {
  const { api } = useApp();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<{ name: string; report: ImportReport } | null>(null);
  const upload = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult({ name: file.name, report: await api.uploadRealignment(id, file) });
      onUploaded();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <details class="lines-upload">
      <summary>Upload lines from a CSV file</summary>
      <form class="upload-form" onSubmit={upload}>
        <CsvPicker help={LINES_LAYOUT} onFile={setFile} testid={{ columns: 'realign-columns', file: 'realign-file' }} />
        <FileWarning file={file} />
        <button type="submit" class="btn btn-primary" disabled={busy || !file} data-testid="realign-upload">
          {busy ? 'Uploading…' : 'Upload into this draft'}
        </button>
      </form>
      {error != null && <ErrorBox error={error} />}
      {error instanceof ApiError && <OtherErrors errors={error.fieldErrors} shown={[]} />}
      {result && <ImportReportView title="Realignment lines" name={result.name} report={result.report} kind="realignment" />}
    </details>
  );
}
