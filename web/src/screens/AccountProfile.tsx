import type { Account } from '../api/types';
import { useApp } from '../context';
import { useLoad } from '../hooks';
import { accountHref, backIfPossible, hcpHref } from '../lib/router';
import { accountTypeLabel, addressLines } from '../lib/format';
import { Empty, ErrorBox, Field, Loading, Section } from '../components/bits';

export function AccountProfile({ id }: { id: string }) {
  const { api } = useApp();
  const res = useLoad(() => api.getAccount(id), [id]);
  return (
    <div class="screen">
      <a class="back" href="#/accounts" onClick={backIfPossible('#/accounts')}>
        ‹ Accounts
      </a>
      {res.state === 'loading' && <Loading />}
      {res.state === 'error' && <ErrorBox error={res.error} />}
      {res.state === 'ok' && <AccountDetail a={res.data} />}
    </div>
  );
}

function AccountDetail({ a }: { a: Account }) {
  const children = a.children ?? [];
  const hcps = a.affiliated_hcps ?? [];
  return (
    <article data-testid="account-profile">
      <header class="profile-head">
        <h1 data-testid="profile-name">{a.name}</h1>
        <p class="muted">
          <span class={`badge type type-${a.account_type}`}>
            {accountTypeLabel(a.account_type)}
          </span>
        </p>
      </header>
      <Section title="Details">
        <dl class="fields">
          <Field label="Type">{accountTypeLabel(a.account_type)}</Field>
          {a.external_id && (
            <Field label="External ID">
              <span class="mono">{a.external_id}</span>
            </Field>
          )}
          <Field label="Parent">
            {a.parent ? <a href={accountHref(a.parent.id)}>{a.parent.name}</a> : '—'}
          </Field>
          <Field label="Territory">
            {a.territory ? `${a.territory.code} · ${a.territory.name}` : '—'}
          </Field>
          <Field label="Address">
            <address>
              {addressLines(a.address).map((l) => (
                <div key={l}>{l}</div>
              ))}
            </address>
          </Field>
        </dl>
      </Section>
      <Section title={`Child accounts (${children.length})`}>
        {children.length === 0 ? (
          <Empty>None.</Empty>
        ) : (
          <ul class="links">
            {children.map((c) => (
              <li key={c.id}>
                <a href={accountHref(c.id)}>{c.name}</a>
                <div class="muted small">{accountTypeLabel(c.account_type)}</div>
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title={`Affiliated HCPs (${hcps.length})`} testid="section-affiliated-hcps">
        {hcps.length === 0 ? (
          <Empty>None.</Empty>
        ) : (
          <ul class="links">
            {hcps.map((h) => (
              <li key={h.hcp_id + h.role}>
                <a href={hcpHref(h.hcp_id)}>{h.name}</a>
                {h.primary && <span class="badge primary">Primary</span>}
                <div class="muted small">
                  {h.specialty_name} · {h.role}
                </div>
              </li>
            ))}
          </ul>
        )}
      </Section>
    </article>
  );
}
