/** Shared bits of the Targeting screens: the version state badge, the products (grid rows) and a
 * CSV file picker with its column help. */
import type { ComponentChildren } from 'preact';
import type { Product, VersionState } from '../../api/types';
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
  return useLoad(() => api.products().then((ps) => [...ps].sort((a, b) => a.brand.localeCompare(b.brand))), [api]);
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
