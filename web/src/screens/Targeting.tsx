import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/problem';
import type { FrequencyTarget, ImportReport, Tier } from '../api/types';
import { useApp } from '../context';
import {
  columnsHelp,
  DEFAULT_IMPORT_KIND,
  fileWarning,
  IMPORT_KINDS,
  IMPORT_LAYOUTS,
  isImportKind,
  MAX_CALLS_PER_MONTH,
  parseCallsPerMonth,
  rejectedRows,
  reportSummary,
  sortTargets,
  type ImportKind,
} from '../lib/targeting';
import { ErrorBox, Loading, TierBadge } from '../components/bits';
import { RowErrorTable } from '../components/RowErrorTable';

/** Commercial-ops self-service: frequency targets per tier and CSV uploads (ops, admin). */
export function Targeting() {
  return (
    <div class="screen targeting" data-testid="targeting">
      <div class="screen-head">
        <h1>Targeting</h1>
        <span class="muted small">Targets and uploads</span>
      </div>
      <TargetsSection />
      <UploadSection />
    </div>
  );
}

function errorText(e: unknown): string {
  return e instanceof ApiError ? e.detail : e instanceof Error ? e.message : String(e);
}

function TargetsSection() {
  const { api } = useApp();
  const [targets, setTargets] = useState<FrequencyTarget[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [gen, setGen] = useState(0);

  useEffect(() => {
    let live = true;
    setLoadError(null);
    api.targets().then(
      (ts) => live && setTargets(sortTargets(ts)),
      (e) => live && setLoadError(e),
    );
    return () => {
      live = false;
    };
  }, [api, gen]);

  return (
    <section class="card section" data-testid="targets">
      <h2>Frequency targets</h2>
      <p class="muted small">
        Calls per month each active, callable HCP of a tier should receive (by the HCP's best tier over all products).
        Reps' plans and progress follow a change at their next sync.
      </p>
      {loadError ? (
        <ErrorBox error={loadError} onRetry={() => setGen((g) => g + 1)} />
      ) : !targets ? (
        <Loading />
      ) : targets.length === 0 ? (
        <p class="muted empty">No targets defined.</p>
      ) : (
        <ul class="target-list" data-testid="target-list">
          {targets.map((t) => (
            <TargetRow key={t.tier} t={t} onSaved={(ts) => setTargets(sortTargets(ts))} />
          ))}
        </ul>
      )}
    </section>
  );
}

function TargetRow({ t, onSaved }: { t: FrequencyTarget; onSaved: (ts: FrequencyTarget[]) => void }) {
  const { api } = useApp();
  const [value, setValue] = useState(String(t.calls_per_month));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const inputId = `target-${t.tier}`;
  // The saved value (from the server's answer) replaces what was typed.
  useEffect(() => setValue(String(t.calls_per_month)), [t.calls_per_month]);
  const dirty = value.trim() !== String(t.calls_per_month);

  const save = async (e: Event) => {
    e.preventDefault();
    const parsed = parseCallsPerMonth(value);
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const ts = await api.setTarget(t.tier as Tier, parsed.value);
      setSaved(true);
      onSaved(ts);
    } catch (err) {
      const field = err instanceof ApiError ? err.fieldErrors.calls_per_month ?? err.fieldErrors.tier : undefined;
      setError(field ?? errorText(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <li class="target-row" data-testid="target-row" data-tier={t.tier} data-value={t.calls_per_month}>
      <form onSubmit={save} noValidate>
        <TierBadge tier={t.tier} />
        <label for={inputId} class="target-label">
          Tier {t.tier} <span class="muted small">calls / month</span>
        </label>
        <input
          id={inputId}
          type="number"
          inputMode="numeric"
          min={0}
          max={MAX_CALLS_PER_MONTH}
          step={1}
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${inputId}-error` : undefined}
          onInput={(e) => {
            setValue(e.currentTarget.value);
            setError(null);
            setSaved(false);
          }}
          data-testid="target-input"
        />
        <button type="submit" class="btn btn-primary btn-small" disabled={saving || !dirty} data-testid="target-save">
          {saving ? 'Saving…' : 'Save'}
        </button>
      </form>
      {error && (
        <p class="field-error" id={`${inputId}-error`} data-testid="target-error">
          {error}
        </p>
      )}
      {saved && !dirty && !error && (
        <p class="muted small" role="status" data-testid="target-saved">
          Saved.
        </p>
      )}
    </li>
  );
}

function UploadSection() {
  const { api } = useApp();
  const [kind, setKind] = useState<ImportKind>(DEFAULT_IMPORT_KIND);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<{ kind: ImportKind; name: string; report: ImportReport } | null>(null);
  const help = columnsHelp(kind);
  const warning = file ? fileWarning(file.name) : null;

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
      <h2>Upload a CSV file</h2>
      <form class="upload-form" onSubmit={upload}>
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
        <div class="upload-help" data-testid="upload-columns">
          <span class="muted small">Columns</span>
          <code>{help.header}</code>
          <span class="muted small">{help.notes}</span>
        </div>
        <label>
          File
          <input
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              setFile(e.currentTarget.files?.[0] ?? null);
              setError(null);
            }}
            data-testid="upload-file"
          />
        </label>
        {warning && <p class="field-error">{warning}</p>}
        <button type="submit" class="btn btn-primary" disabled={busy || !file} data-testid="upload-submit">
          {busy ? 'Uploading…' : 'Upload'}
        </button>
      </form>
      {error != null && <ErrorBox error={error} />}
      {error instanceof ApiError && Object.keys(error.fieldErrors).length > 0 && (
        <ul class="field-error" data-testid="upload-errors">
          {Object.entries(error.fieldErrors).map(([f, m]) => (
            <li key={f} data-field={f}>
              <code>{f}</code>: {m}
            </li>
          ))}
        </ul>
      )}
      {result && <ReportView {...result} />}
    </section>
  );
}

function ReportView({ kind, name, report }: { kind: ImportKind; name: string; report: ImportReport }) {
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
        {IMPORT_LAYOUTS[kind].label}: <span class="muted">{name}</span>
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
        <RowErrorTable title="Rejected rows" rows={rows} more={more} testid={{ table: 'report-errors', row: 'report-error', more: 'report-errors-more' }} />
      )}
    </div>
  );
}
