import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../api/problem';
import type { Hcp } from '../api/types';
import { useApp } from '../context';
import { useLoad } from '../hooks';
import { accountHref, backIfPossible } from '../lib/router';
import {
  accountTypeLabel,
  addressLines,
  dayLabel,
  hcpName,
  languageLabel,
  shortDate,
  sortCallWindows,
  titleCase,
} from '../lib/format';
import {
  Empty,
  ErrorBox,
  Field,
  Loading,
  ProposedBadge,
  Section,
  StatusBadge,
  TierBadge,
} from '../components/bits';
import { CallHistory } from '../components/CallHistory';
import {
  BlacklistBanner,
  BlacklistControl,
  DeaSection,
  HcpSampleRecord,
} from './oversight/HcpSamples';
import { canProposeHcpData } from '../lib/hcpProposal';
import { mayFlagDoNotCall } from '../lib/permissions';
import { HcpDataSection } from './proposals/HcpDataSection';

export function HcpProfile({ id }: { id: string }) {
  const { api, me } = useApp();
  const res = useLoad(() => api.getHcp(id), [id]);
  const [changed, setChanged] = useState<Hcp | null>(null);
  return (
    <div class="screen">
      <a class="back" href="#/hcps" onClick={backIfPossible('#/hcps')}>
        ‹ HCPs
      </a>
      {res.state === 'loading' && <Loading />}
      {res.state === 'error' && <ErrorBox error={res.error} />}
      {res.state === 'ok' && (
        <HcpDetail h={changed ?? res.data}>
          {mayFlagDoNotCall(me) && (
            <DoNotCallControl h={changed ?? res.data} onChanged={setChanged} />
          )}
          <BlacklistBanner h={changed ?? res.data} />
          <BlacklistControl h={changed ?? res.data} onChanged={setChanged} />
          <CallHistory api={api} hcpId={res.data.id} />
          {canProposeHcpData(me) && <HcpDataSection h={changed ?? res.data} />}
          <DeaSection h={changed ?? res.data} onChanged={setChanged} />
          <HcpSampleRecord hcpId={res.data.id} />
        </HcpDetail>
      )}
    </div>
  );
}

/** Compliance's control: flag the HCP do-not-call with a reason, or clear the flag. */
function DoNotCallControl({ h, onChanged }: { h: Hcp; onChanged: (h: Hcp) => void }) {
  const { api } = useApp();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<Hcp>) => {
    setBusy(true);
    setError(null);
    try {
      onChanged(await action());
      setReason('');
    } catch (e) {
      setError(e instanceof ApiError ? (e.fieldErrors.reason ?? e.detail) : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      class="dnc-control"
      data-testid="dnc-control"
      onSubmit={(e) => {
        e.preventDefault();
        void run(() =>
          h.do_not_call ? api.clearDoNotCall(h.id) : api.flagDoNotCall(h.id, reason),
        );
      }}
    >
      {!h.do_not_call && (
        <input
          type="text"
          placeholder="Reason (e.g. excluded by the OIG list)"
          aria-label="Do-not-call reason"
          value={reason}
          onInput={(e) => setReason(e.currentTarget.value)}
          data-testid="dnc-reason"
        />
      )}
      <button
        type="submit"
        class={h.do_not_call ? 'btn' : 'btn btn-primary'}
        disabled={busy}
        data-testid="dnc-submit"
      >
        {h.do_not_call ? 'Clear do-not-call' : 'Flag do-not-call'}
      </button>
      {error && <p class="field-error">{error}</p>}
    </form>
  );
}

export function HcpDetail({ h, children }: { h: Hcp; children?: ComponentChildren }) {
  const dnc = h.do_not_call ?? null;
  const licences = h.licences ?? [];
  const windows = sortCallWindows(h.preferred_call_times ?? []);
  const segments = h.segments ?? [];
  const affs = h.affiliations ?? [];
  return (
    <article data-testid="hcp-profile">
      <header class="profile-head">
        <h1 data-testid="profile-name">{hcpName(h)}</h1>
        <p class="muted">
          <span data-testid="profile-specialty">{h.specialty_name}</span>
          {' · NPI '}
          <span data-testid="profile-npi">{h.npi}</span>
        </p>
        <div class="row-badges">
          <StatusBadge status={h.status} />
          <ProposedBadge masterStatus={h.master_status} />
        </div>
      </header>

      <div
        class={dnc ? 'dnc-banner on' : 'dnc-banner off'}
        data-testid="profile-dnc"
        data-dnc={dnc ? 'true' : 'false'}
        role={dnc ? 'alert' : undefined}
      >
        {dnc ? (
          <>
            <strong>Do not call.</strong> {dnc.reason}
            <span class="muted small">
              {' '}
              — set by {dnc.set_by} on {shortDate(dnc.set_at)}
            </span>
          </>
        ) : (
          <>OK to contact (no do-not-call flag)</>
        )}
      </div>

      {children}

      <Section title="Identity" testid="section-identity">
        <dl class="fields">
          <Field label="First name">{h.first_name}</Field>
          {h.middle_name && <Field label="Middle name">{h.middle_name}</Field>}
          <Field label="Last name">{h.last_name}</Field>
          {h.suffix && <Field label="Suffix">{h.suffix}</Field>}
          <Field label="Credentials">{h.credentials || '—'}</Field>
          <Field label="NPI">{h.npi}</Field>
          <Field label="Specialty">
            {h.specialty_name} <span class="muted">({h.specialty_code})</span>
          </Field>
          <Field label="Status" testid="profile-status">
            {titleCase(h.status)}
          </Field>
          <Field label="Language" testid="profile-language">
            {languageLabel(h.language)}
          </Field>
          <Field label="Territory" testid="profile-territory">
            {h.territory ? `${h.territory.code} · ${h.territory.name}` : '—'}
          </Field>
        </dl>
      </Section>

      <Section title="Address" testid="section-address">
        <address>
          {addressLines(h.address).map((l) => (
            <div key={l}>{l}</div>
          ))}
        </address>
      </Section>

      <Section title="Preferred call times" testid="section-call-times">
        {windows.length === 0 ? (
          <Empty>No preference recorded.</Empty>
        ) : (
          <ul class="chips">
            {windows.map((w, i) => (
              <li key={i} class="chip">
                <strong>{dayLabel(w.day)}</strong> {w.from}–{w.to}
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section title="Segmentation" testid="section-segments">
        {segments.length === 0 ? (
          <Empty>Not segmented for any product.</Empty>
        ) : (
          <table class="table">
            <thead>
              <tr>
                <th>Product</th>
                <th>Tier</th>
                <th>Decile</th>
                <th>Set on</th>
              </tr>
            </thead>
            <tbody>
              {segments.map((s) => (
                <tr key={s.product_id}>
                  <td>{s.product_name}</td>
                  <td>
                    <TierBadge tier={s.tier} />
                  </td>
                  <td>{s.decile}</td>
                  <td>{shortDate(s.set_on)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>

      <Section title="Licences" testid="section-licences">
        {licences.length === 0 ? (
          <Empty>No licences on file.</Empty>
        ) : (
          <table class="table">
            <thead>
              <tr>
                <th>State</th>
                <th>Number</th>
                <th>Expires</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {licences.map((l) => (
                <tr key={`${l.state}-${l.number}`}>
                  <td>{l.state}</td>
                  <td class="mono">{l.number}</td>
                  <td>{shortDate(l.expires_on)}</td>
                  <td>{l.active ? 'Active' : <span class="muted">Inactive</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>

      <Section title="Affiliations" testid="section-affiliations">
        {affs.length === 0 ? (
          <Empty>No affiliations.</Empty>
        ) : (
          <ul class="links">
            {affs.map((a) => (
              <li key={a.account_id + a.role}>
                <a href={accountHref(a.account_id)}>{a.account_name}</a>
                {a.primary && <span class="badge primary">Primary</span>}
                <div class="muted small">
                  {accountTypeLabel(a.account_type)} · {a.role}
                </div>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <p class="muted small meta">
        Created {shortDate(h.created_at)} · Updated {shortDate(h.updated_at)}
      </p>
    </article>
  );
}
