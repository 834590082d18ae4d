/** Bulk uploads of master data (ops, admin): HCPs, accounts, alignment and specialties, with the
 * columns each kind expects and the import report. Segmentation goes into a targeting version. */
import { useState } from 'preact/hooks';
import { ApiError } from '../../api/problem';
import type { ImportReport } from '../../api/types';
import { useApp } from '../../context';
import {
  columnsHelp,
  DEFAULT_IMPORT_KIND,
  IMPORT_KINDS,
  IMPORT_LAYOUTS,
  isImportKind,
  type ImportKind,
} from '../../lib/targeting';
import { ErrorBox } from '../../components/bits';
import { ImportReportView } from '../../components/ImportReportView';
import { OtherErrors } from '../oversight/common';
import { CsvPicker, FileWarning } from './common';

export function BulkUpload() {
  const { api } = useApp();
  const [kind, setKind] = useState<ImportKind>(DEFAULT_IMPORT_KIND);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<{
    kind: ImportKind;
    name: string;
    report: ImportReport;
  } | null>(null);

  const upload = async (e: Event) => {
    e.preventDefault();
    if (!file) {
      setError(new Error('Choose a CSV file first.'));
      return;
    }
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const report = await api.uploadImport(kind, file);
      setResult({ kind, name: file.name, report });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card section" data-testid="upload">
      <h2>Upload master data</h2>
      <form class="upload-form" onSubmit={upload}>
        <CsvPicker
          help={columnsHelp(kind)}
          onFile={(f) => {
            setFile(f);
            setError(null);
          }}
          testid={{ columns: 'upload-columns', file: 'upload-file' }}
        >
          <label>
            Kind
            <select
              value={kind}
              onChange={(e) => {
                const v = e.currentTarget.value;
                if (isImportKind(v)) setKind(v);
              }}
              data-testid="upload-kind"
            >
              {IMPORT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {IMPORT_LAYOUTS[k].label}
                </option>
              ))}
            </select>
          </label>
        </CsvPicker>
        <FileWarning file={file} />
        <button
          type="submit"
          class="btn btn-primary"
          disabled={busy || !file}
          data-testid="upload-submit"
        >
          {busy ? 'Uploading…' : 'Upload'}
        </button>
      </form>
      {error != null && <ErrorBox error={error} />}
      {error instanceof ApiError && (
        <OtherErrors errors={error.fieldErrors} shown={[]} testid="upload-errors" />
      )}
      {result && (
        <ImportReportView
          title={IMPORT_LAYOUTS[result.kind].label}
          name={result.name}
          report={result.report}
          kind={result.kind}
        />
      )}
    </section>
  );
}
