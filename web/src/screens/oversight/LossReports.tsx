import { useEffect, useState } from 'preact/hooks';
import type { LossReport, LossReportUpdate } from '../../api/types';
import { useApp } from '../../context';
import { useLoad } from '../../hooks';
import {
  deadlineText,
  reviewsSampleCompliance,
  isoDay,
  oversightHref,
  plural,
  when,
} from '../../lib/oversight';
import { Empty, ErrorBox, Loading } from '../../components/bits';
import {
  errorText,
  FieldError,
  fieldErrorsOf,
  LotLines,
  OtherErrors,
  useCatalog,
  type Catalog,
} from './common';

type Filter = 'open' | 'closed' | 'all';

/** Loss and theft reports with the FDA deadlines (21 CFR 203.37(c)): notice within 5 working days, written report within 30 days. */
export function LossReportsSection({ query }: { query: string }) {
  const { api } = useApp();
  const catalog = useCatalog();
  const [filter, setFilter] = useState<Filter>(() => {
    const f = new URLSearchParams(query).get('show');
    return f === 'closed' || f === 'all' ? f : 'open';
  });
  const [gen, setGen] = useState(0);
  const [updated, setUpdated] = useState<Record<string, LossReport>>({});
  useEffect(() => {
    const hash = oversightHref('losses', { show: filter === 'open' ? null : filter });
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }, [filter]);
  const res = useLoad(() => api.lossReports(), [gen]);

  const all = res.state === 'ok' ? res.data.map((r) => updated[r.id] ?? r) : [];
  // A report changed here stays in view (e.g. just closed under "Open and overdue") until the filter changes.
  const shown = all.filter(
    (r) =>
      r.id in updated ||
      (filter === 'all'
        ? true
        : filter === 'closed'
          ? r.status === 'closed'
          : r.status !== 'closed'),
  );
  const overdue = all.filter((r) => r.status === 'overdue').length;

  return (
    <section data-testid="losses">
      <p class="muted small">
        A loss or theft of samples is reported to FDA within 5 working days of discovery and
        followed by a written report within 30 days. A report can be closed once both dates are
        recorded.
      </p>
      <div class="seg">
        <label>
          Show
          <select
            value={filter}
            onChange={(e) => {
              setFilter(e.currentTarget.value as Filter);
              setUpdated({});
              setGen((g) => g + 1);
            }}
            data-testid="loss-filter"
          >
            <option value="open">Open and overdue</option>
            <option value="closed">Closed</option>
            <option value="all">All</option>
          </select>
        </label>
        {res.state === 'ok' && overdue > 0 && (
          <span class="badge overdue" data-testid="loss-overdue-count">
            {overdue} overdue
          </span>
        )}
      </div>
      {(res.state === 'loading' || catalog.state === 'loading') && <Loading />}
      {res.state === 'error' && <ErrorBox error={res.error} onRetry={() => setGen((g) => g + 1)} />}
      {catalog.state === 'error' && <ErrorBox error={catalog.error} />}
      {res.state === 'ok' &&
        catalog.state === 'ok' &&
        (shown.length === 0 ? (
          <Empty>
            {filter === 'closed'
              ? 'No closed reports.'
              : filter === 'open'
                ? 'No open loss or theft reports.'
                : 'No loss or theft reports.'}
          </Empty>
        ) : (
          <ul class="cards" data-testid="loss-list">
            {shown.map((r) => (
              <LossCard
                key={r.id}
                r={r}
                catalog={catalog.data}
                onSaved={(n) => setUpdated((u) => ({ ...u, [n.id]: n }))}
              />
            ))}
          </ul>
        ))}
    </section>
  );
}

function LossCard({
  r,
  catalog,
  onSaved,
}: {
  r: LossReport;
  catalog: Catalog;
  onSaved: (r: LossReport) => void;
}) {
  const { me } = useApp();
  const today = isoDay(new Date());
  const fda = deadlineText(r.fda_notice_due, r.fda_notified_on, today);
  const written = deadlineText(r.written_report_due, r.written_report_on, today);
  const units = r.lines.reduce((s, l) => s + l.quantity, 0);
  return (
    <li
      class={`card section loss loss-${r.status}`}
      data-testid="loss-report"
      data-id={r.id}
      data-status={r.status}
    >
      <div class="exc-head">
        <div>
          <span class={`badge ${r.kind === 'theft' ? 'dnc' : 'type'}`}>
            {r.kind === 'theft' ? 'Theft' : 'Loss'}
          </span>{' '}
          <strong>{r.rep_name}</strong> · {plural(units, 'unit')}
        </div>
        <span class={`badge status-badge st-${r.status}`} data-testid="loss-status">
          {r.status}
        </span>
      </div>
      <p class="small">
        Discovered {r.discovered_on} · reported {when(r.reported_at)}
        {r.police_report && (
          <>
            {' '}
            · police report <span class="mono">{r.police_report}</span>
          </>
        )}
      </p>
      <p>{r.reason}</p>
      <LotLines lines={r.lines} catalog={catalog} />
      <dl class="deadlines">
        <div class={fda.late ? 'late' : undefined} data-testid="loss-fda">
          <dt>FDA notice</dt>
          <dd>
            due {r.fda_notice_due} <span class="muted">(5 working days)</span> ·{' '}
            <strong>{fda.text}</strong>
          </dd>
        </div>
        <div class={written.late ? 'late' : undefined} data-testid="loss-written">
          <dt>Written report</dt>
          <dd>
            due {r.written_report_due} <span class="muted">(30 days)</span> ·{' '}
            <strong>{written.text}</strong>
          </dd>
        </div>
      </dl>
      {r.note && <p class="small">Note: {r.note}</p>}
      {r.closed_at && (
        <p class="small" data-testid="loss-closed">
          Closed by <strong>{r.closed_by}</strong> on {when(r.closed_at)}.
        </p>
      )}
      {!r.closed_at && reviewsSampleCompliance(me) && (
        <LossForm r={r} today={today} onSaved={onSaved} />
      )}
    </li>
  );
}

function LossForm({
  r,
  today,
  onSaved,
}: {
  r: LossReport;
  today: string;
  onSaved: (r: LossReport) => void;
}) {
  const { api } = useApp();
  const [fda, setFda] = useState(r.fda_notified_on ?? '');
  const [written, setWritten] = useState(r.written_report_on ?? '');
  const [note, setNote] = useState(r.note ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const id = (f: string) => `loss-${r.id}-${f}`;

  const save = async (close: boolean) => {
    setBusy(true);
    setErrors({});
    setError(null);
    setSaved(false);
    const update: LossReportUpdate = {
      fda_notified_on: fda || null,
      written_report_on: written || null,
      note: note.trim() ? note.trim() : null,
      close,
    };
    try {
      const n = await api.updateLossReport(r.id, update);
      setSaved(true);
      onSaved(n);
    } catch (e) {
      const fe = fieldErrorsOf(e);
      setErrors(fe);
      if (Object.keys(fe).length === 0) setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const input = (
    field: string,
    label: string,
    value: string,
    set: (v: string) => void,
    locked: boolean,
  ) => (
    <label>
      {label}
      <input
        type="date"
        id={id(field)}
        value={value}
        min={r.discovered_on}
        max={today}
        disabled={locked}
        aria-invalid={errors[field] ? true : undefined}
        aria-describedby={errors[field] ? `${id(field)}-error` : undefined}
        onInput={(e) => {
          set(e.currentTarget.value);
          setErrors(({ [field]: _, ...rest }) => rest);
        }}
        data-testid={`loss-${field}`}
      />
      <FieldError
        id={`${id(field)}-error`}
        message={errors[field]}
        testid={`loss-${field}-error`}
      />
    </label>
  );
  return (
    <form
      class="loss-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save(false);
      }}
      data-testid="loss-form"
    >
      <div class="filter-grid">
        {input('fda_notified_on', 'FDA notified on', fda, setFda, !!r.fda_notified_on)}
        {input(
          'written_report_on',
          'Written report sent on',
          written,
          setWritten,
          !!r.written_report_on,
        )}
      </div>
      <label>
        Note
        <textarea
          rows={2}
          value={note}
          onInput={(e) => setNote(e.currentTarget.value)}
          data-testid="loss-note"
        />
      </label>
      <FieldError id={`${id('close')}-error`} message={errors.close} testid="loss-close-error" />
      <OtherErrors errors={errors} shown={['fda_notified_on', 'written_report_on', 'close']} />
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      {saved && (
        <p class="muted small" role="status" data-testid="loss-saved">
          Saved.
        </p>
      )}
      <div class="form-actions">
        <button type="submit" class="btn btn-small" disabled={busy} data-testid="loss-save">
          Save dates
        </button>
        <button
          type="button"
          class="btn btn-primary btn-small"
          disabled={busy}
          onClick={() => void save(true)}
          data-testid="loss-close"
        >
          Save and close
        </button>
      </div>
    </form>
  );
}
