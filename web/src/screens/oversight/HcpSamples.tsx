import { useState } from 'preact/hooks';
import type { DeaRegistration, DeaSchedule, Hcp } from '../../api/types';
import { useApp } from '../../context';
import { shortDate } from '../../lib/format';
import {
  canOverseeSamples,
  reviewsSampleCompliance,
  isoDay,
  oversightHref,
  ownsSamplePolicy,
} from '../../lib/oversight';
import { Empty, Section } from '../../components/bits';
import { errorText, FieldError, fieldErrorsOf, FormFooter } from './common';
import { RecordList } from './Records';
import './oversight.css';

/** The compliance blacklist entry of an HCP (no calls, no samples), or a quiet line saying there is none. */
export function BlacklistBanner({ h }: { h: Hcp }) {
  const b = h.blacklist ?? null;
  return (
    <div
      class={b ? 'blacklist-banner on' : 'blacklist-banner off'}
      data-testid="profile-blacklist"
      data-blacklisted={b ? 'true' : 'false'}
      role={b ? 'alert' : undefined}
    >
      {b ? (
        <>
          <strong>Blacklisted by compliance: no calls, no samples.</strong>{' '}
          <span data-testid="blacklist-reason">{b.reason}</span>
          <span class="small">
            {' '}
            — set by {b.set_by} on {shortDate(b.set_at)}
          </span>
        </>
      ) : (
        <>Not on the compliance blacklist.</>
      )}
    </div>
  );
}

/** Compliance's control: blacklist the HCP with a reason, or clear the entry. */
export function BlacklistControl({ h, onChanged }: { h: Hcp; onChanged: (h: Hcp) => void }) {
  const { api, me } = useApp();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!reviewsSampleCompliance(me)) return null;
  const on = !!h.blacklist;
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    if (!on && !reason.trim()) {
      setError('Give the reason (e.g. excluded by the OIG list).');
      return;
    }
    setBusy(true);
    try {
      onChanged(on ? await api.clearBlacklist(h.id) : await api.blacklistHcp(h.id, reason.trim()));
      setReason('');
    } catch (err) {
      setError(fieldErrorsOf(err).reason ?? errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      class="dnc-control blacklist-control"
      onSubmit={submit}
      noValidate
      data-testid="blacklist-control"
    >
      {!on && (
        <input
          type="text"
          placeholder="Blacklist reason (e.g. OIG exclusion)"
          aria-label="Blacklist reason"
          value={reason}
          maxLength={500}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'blacklist-error' : undefined}
          onInput={(e) => {
            setReason(e.currentTarget.value);
            setError(null);
          }}
          data-testid="blacklist-reason-input"
        />
      )}
      <button
        type="submit"
        class={on ? 'btn' : 'btn btn-primary'}
        disabled={busy}
        data-testid="blacklist-submit"
      >
        {on ? 'Clear blacklist' : 'Blacklist'}
      </button>
      <FieldError id="blacklist-error" message={error} testid="blacklist-error" />
    </form>
  );
}

const SCHEDULES: DeaSchedule[] = ['II', 'III', 'IV', 'V'];

/** DEA registrations (needed for samples of a controlled product); compliance, ops and admin add or renew one. */
export function DeaSection({ h, onChanged }: { h: Hcp; onChanged: (h: Hcp) => void }) {
  const { me } = useApp();
  const regs = h.dea_registrations ?? [];
  const today = isoDay(new Date());
  const [editing, setEditing] = useState<DeaRegistration | null>(null);
  return (
    <Section title="DEA registrations" testid="section-dea">
      {regs.length === 0 ? (
        <Empty>No DEA registration on file: no samples of controlled products.</Empty>
      ) : (
        <table class="table">
          <thead>
            <tr>
              <th>Number</th>
              <th>State</th>
              <th>Schedules</th>
              <th>Expires</th>
              {ownsSamplePolicy(me) && <th />}
            </tr>
          </thead>
          <tbody>
            {regs.map((r) => (
              <tr key={r.number} data-testid="dea-registration" data-number={r.number}>
                <td class="mono">{r.number}</td>
                <td>{r.state}</td>
                <td>{r.schedules.join(', ')}</td>
                <td>
                  {r.expires_on < today ? (
                    <span class="field-error">{r.expires_on} (expired)</span>
                  ) : (
                    r.expires_on
                  )}
                </td>
                {ownsSamplePolicy(me) && (
                  <td class="actions">
                    <button type="button" class="btn btn-small" onClick={() => setEditing(r)}>
                      Edit
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {ownsSamplePolicy(me) &&
        (editing ? (
          <DeaForm
            key={editing.number || 'new'}
            h={h}
            initial={editing}
            onDone={(n) => {
              setEditing(null);
              if (n) onChanged(n);
            }}
          />
        ) : (
          <div class="form-actions">
            <button
              type="button"
              class="btn btn-small"
              onClick={() =>
                setEditing({ number: '', state: h.address.state, schedules: [], expires_on: '' })
              }
              data-testid="dea-new"
            >
              Add a DEA registration
            </button>
          </div>
        ))}
    </Section>
  );
}

function DeaForm({
  h,
  initial,
  onDone,
}: {
  h: Hcp;
  initial: DeaRegistration;
  onDone: (h: Hcp | null) => void;
}) {
  const { api } = useApp();
  const [d, setD] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    const number = d.number.trim().toUpperCase();
    if (!/^[A-Z]{2}\d{7}$/.test(number))
      errs.number = 'two letters and seven digits, e.g. AB1234563';
    if (!/^[A-Za-z]{2}$/.test(d.state.trim())) errs.state = 'use a two-letter state';
    if (d.schedules.length === 0) errs.schedules = 'name at least one schedule';
    if (!d.expires_on) errs.expires_on = 'is required';
    setErrors(errs);
    setError(null);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      onDone(
        await api.putDeaRegistration(h.id, { ...d, number, state: d.state.trim().toUpperCase() }),
      );
    } catch (err) {
      const fe = fieldErrorsOf(err);
      setErrors(fe);
      if (!Object.keys(fe).length) setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const toggle = (s: DeaSchedule) =>
    setD((x) => ({
      ...x,
      schedules: x.schedules.includes(s)
        ? x.schedules.filter((y) => y !== s)
        : SCHEDULES.filter((y) => y === s || x.schedules.includes(y)),
    }));
  return (
    <form class="policy-form" onSubmit={submit} noValidate data-testid="dea-form">
      <div class="filter-grid">
        <label>
          DEA number
          <input
            type="text"
            value={d.number}
            onInput={(e) => setD({ ...d, number: e.currentTarget.value })}
            aria-invalid={errors.number ? true : undefined}
            data-testid="dea-number"
          />
          <FieldError id="dea-number-error" message={errors.number} testid="dea-number-error" />
        </label>
        <label>
          State
          <input
            type="text"
            maxLength={2}
            value={d.state}
            onInput={(e) => setD({ ...d, state: e.currentTarget.value })}
            aria-invalid={errors.state ? true : undefined}
            data-testid="dea-state"
          />
          <FieldError id="dea-state-error" message={errors.state} />
        </label>
        <label>
          Expires on
          <input
            type="date"
            value={d.expires_on}
            onInput={(e) => setD({ ...d, expires_on: e.currentTarget.value })}
            aria-invalid={errors.expires_on ? true : undefined}
            data-testid="dea-expires"
          />
          <FieldError id="dea-expires-error" message={errors.expires_on} />
        </label>
        <fieldset class="chip-pick" aria-label="Schedules">
          {SCHEDULES.map((s) => (
            <label key={s} class="check">
              <input type="checkbox" checked={d.schedules.includes(s)} onChange={() => toggle(s)} />{' '}
              {s}
            </label>
          ))}
          <FieldError id="dea-schedules-error" message={errors.schedules} />
        </fieldset>
      </div>
      <FormFooter
        errors={errors}
        shown={['number', 'state', 'expires_on', 'schedules']}
        error={error}
        busy={busy}
        onCancel={() => onDone(null)}
        save="Save registration"
        testid="dea-save"
      />
    </form>
  );
}

/** The HCP's signed sample record, on their profile (roles that oversee samples). */
export function HcpSampleRecord({ hcpId }: { hcpId: string }) {
  const { me } = useApp();
  const [open, setOpen] = useState(false);
  if (!canOverseeSamples(me)) return null;
  return (
    <section class="card section" data-testid="section-sample-record">
      <h2>Sample record</h2>
      <details
        onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
        data-testid="sample-record-toggle"
      >
        <summary class="btn-link">Show the signed disbursements and requests</summary>
        {open && <RecordList filter={{ hcp_id: hcpId }} compact />}
      </details>
      <p class="small">
        <a href={oversightHref('records', { hcp: hcpId })} data-testid="sample-record-link">
          Open the full sample record ›
        </a>
      </p>
    </section>
  );
}
