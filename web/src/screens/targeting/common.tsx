/** Shared bits of the Targeting and Realignment screens: the version state badge, the products
 * (grid rows), a CSV file picker with its column help and a CSV upload into a draft. */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../../api/problem';
import type { ImportReport, Product, VersionState } from '../../api/types';
import { ErrorBox } from '../../components/bits';
import { ImportReportView } from '../../components/ImportReportView';
import { OtherErrors } from '../oversight/common';
import { useApp } from '../../context';
import { useLoad, type Load } from '../../hooks';
import { fileWarning, STATE_LABELS } from '../../lib/targeting';

export function StateBadge({ state }: { state: VersionState }) {
  return (
    <span class={`badge vstate vstate-${state}`} data-testid="version-state" data-state={state}>
      {STATE_LABELS[state] ?? state}
    </span>
  );
}

/** The products (by brand), the rows of a frequency grid. */
export function useProducts(): Load<Product[]> {
  const { api } = useApp();
  return useLoad(
    () => api.products().then((ps) => [...ps].sort((a, b) => a.brand.localeCompare(b.brand))),
    [api],
  );
}

/** A CSV file input with the expected header row and notes above it. */
export function CsvPicker({
  help,
  onFile,
  testid,
  children,
}: {
  help: { header: string; notes: string };
  onFile: (f: File | null) => void;
  testid: { columns: string; file: string };
  children?: ComponentChildren;
}) {
  return (
    <>
      {children}
      <div class="upload-help" data-testid={testid.columns}>
        <span class="muted small">Columns</span>
        <code>{help.header}</code>
        <span class="muted small">{help.notes}</span>
      </div>
      <label>
        File
        <input
          type="file"
          accept=".csv,text/csv"
          onChange={(e) => onFile(e.currentTarget.files?.[0] ?? null)}
          data-testid={testid.file}
        />
      </label>
    </>
  );
}

export function FileWarning({ file }: { file: File | null }) {
  const warning = file ? fileWarning(file.name) : null;
  return warning ? <p class="field-error">{warning}</p> : null;
}

/** A CSV upload into a draft: file picker with column help, submit, and the import report
 * (every row accounted for) or the problem. `upload` sends the file. */
export function CsvUploadForm({
  help,
  upload,
  onUploaded,
  title,
  kind,
  testid,
}: {
  help: { header: string; notes: string };
  upload: (file: File) => Promise<ImportReport>;
  onUploaded: () => void;
  title: string;
  kind: string;
  testid: { columns: string; file: string; submit: string; form?: string };
}) {
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<{ name: string; report: ImportReport } | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult({ name: file.name, report: await upload(file) });
      onUploaded();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <form class="upload-form" onSubmit={submit} data-testid={testid.form}>
        <CsvPicker
          help={help}
          onFile={(f) => {
            setFile(f);
            setError(null);
          }}
          testid={testid}
        />
        <FileWarning file={file} />
        <button
          type="submit"
          class="btn btn-primary"
          disabled={busy || !file}
          data-testid={testid.submit}
        >
          {busy ? 'Uploading…' : 'Upload into this draft'}
        </button>
      </form>
      {error != null && <ErrorBox error={error} />}
      {error instanceof ApiError && <OtherErrors errors={error.fieldErrors} shown={[]} />}
      {result && (
        <ImportReportView title={title} name={result.name} report={result.report} kind={kind} />
      )}
    </>
  );
}
