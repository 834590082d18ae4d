/** The exclusion screening section of the Samples screen (compliance, admin): uploads the HHS-OIG
 * LEIE file, which blacklists HCPs matched by NPI, and lists the name-and-state matches for
 * compliance to confirm on each HCP's profile. */
import { useState } from 'preact/hooks';
import type { PossibleMatch, ScreeningReport } from '../../api/types';
import { RowErrorTable } from '../../components/RowErrorTable';
import { useApp } from '../../context';
import { useLoad } from '../../hooks';
import { hcpHref } from '../../lib/router';
import { firstOf, hcpMatchLabel, LEIE_COLUMNS, screeningSummary } from '../../lib/screening';
import { fileWarning } from '../../lib/targeting';
import { ErrorBox } from '../../components/bits';
import { FieldError, fieldErrorsOf, OtherErrors } from './common';

/** Upload form and the last report. */
export function ScreeningSection() {
  const { api } = useApp();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<{ name: string; report: ScreeningReport } | null>(null);
  const fieldErrors = fieldErrorsOf(error);
  const fileError = fieldErrors.file ?? (file ? fileWarning(file.name) : null);

  const upload = async (e: Event) => {
    e.preventDefault();
    if (!file) {
      setError(new Error('Choose the LEIE file first.'));
      return;
    }
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult({ name: file.name, report: await api.screenLeie(file) });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section data-testid="screening">
      <p class="muted small" data-testid="screening-help">
        Screens HCPs against the HHS-OIG List of Excluded Individuals/Entities (LEIE). An excluded
        individual whose NPI matches an HCP is blacklisted automatically, with the exclusion as the
        reason: no calls, no samples, and reps' devices get the flag at their next sync. A match by
        name and state only is not flagged, because names are not unique: open the HCP's profile and
        confirm it with the Blacklist control. Reinstated entries and entities (business names) are
        skipped; running the same file again changes nothing.
      </p>
      <form
        class="card section upload-form"
        onSubmit={upload}
        noValidate
        data-testid="screening-form"
      >
        <h2>Upload the LEIE file</h2>
        <div class="upload-help" data-testid="screening-columns">
          <span class="muted small">OIG's UPDATED.csv, header row first; columns</span>
          <code>{LEIE_COLUMNS.join(',')}</code>
          <span class="muted small">Dates as YYYYMMDD; an NPI of 0000000000 means none.</span>
        </div>
        <label for="screening-file">LEIE file (CSV)</label>
        <input
          id="screening-file"
          type="file"
          accept=".csv,text/csv"
          aria-invalid={fieldErrors.file ? true : undefined}
          aria-describedby={fileError ? 'screening-file-error' : undefined}
          onChange={(e) => {
            setFile(e.currentTarget.files?.[0] ?? null);
            setError(null);
          }}
          data-testid="screening-file"
        />
        <FieldError id="screening-file-error" message={fileError} testid="screening-file-error" />
        <div>
          <button
            type="submit"
            class="btn btn-primary"
            disabled={busy || !file}
            data-testid="screening-submit"
          >
            {busy ? 'Screening…' : 'Screen HCPs'}
          </button>
        </div>
      </form>
      {error != null && !fieldErrors.file && <ErrorBox error={error} />}
      <OtherErrors errors={fieldErrors} shown={['file']} testid="screening-errors" />
      {result && <ReportView name={result.name} report={result.report} />}
    </section>
  );
}

function ReportView({ name, report }: { name: string; report: ScreeningReport }) {
  const matches = firstOf(report.possible_matches);
  const errors = firstOf(report.errors);
  return (
    <div
      class="card section import-report screening-report"
      role="status"
      data-testid="screening-report"
      data-flagged={report.flagged}
      data-matches={report.possible_matches.length}
    >
      <h3>
        Screening report: <span class="muted">{name}</span>
      </h3>
      <ul class="screening-summary" data-testid="screening-summary">
        {screeningSummary(report).map((l) => (
          <li key={l.key} class={`tone-${l.tone}`} data-testid={`screening-${l.key}`}>
            {l.text}
          </li>
        ))}
      </ul>
      {matches.shown.length > 0 && (
        <>
          <h4>Possible matches (name and state only)</h4>
          <p class="muted small">
            Not blacklisted. Open each HCP below, check the exclusion against the profile (middle
            name, address, specialty) and blacklist it there if it is the same person.
          </p>
          <ul class="cards screening-matches" data-testid="screening-matches">
            {matches.shown.map((m) => (
              <MatchCard key={`${m.line}`} m={m} />
            ))}
          </ul>
          {matches.more && <p class="muted small">{matches.more}</p>}
        </>
      )}
      {errors.shown.length > 0 && (
        <RowErrorTable
          title="Rows not read"
          rows={errors.shown}
          more={errors.more}
          testid={{ table: 'screening-row-errors', row: 'screening-row-error' }}
        />
      )}
    </div>
  );
}

function MatchCard({ m }: { m: PossibleMatch }) {
  return (
    <li class="screening-match" data-testid="screening-match" data-line={m.line}>
      <div>
        <strong data-testid="screening-match-name">{m.excluded_name}</strong>{' '}
        <span class="badge">{m.state}</span> <span class="muted small">line {m.line}</span>
      </div>
      <div class="small">{m.exclusion}</div>
      <ul class="screening-candidates">
        {m.hcp_ids.map((id) => (
          <li key={id}>
            <CandidateLink id={id} />
          </li>
        ))}
      </ul>
    </li>
  );
}

/** A link to a candidate HCP's profile, named once the HCP has loaded (the link works before). */
function CandidateLink({ id }: { id: string }) {
  const { api } = useApp();
  const res = useLoad(() => api.getHcp(id), [api, id]);
  const h = res.state === 'ok' ? res.data : null;
  return (
    <>
      <a href={hcpHref(id)} data-testid="screening-match-hcp" data-id={id}>
        {h ? hcpMatchLabel(h) : 'Open the HCP profile'}
      </a>
      {h?.blacklist && (
        <>
          {' '}
          <span class="badge sev sev-error" title={h.blacklist.reason}>
            already blacklisted
          </span>
        </>
      )}
    </>
  );
}
