/** A proposed new HCP as the rep entered it (read from the HCP record), and the existing HCPs it
 * may duplicate, each with its score, per-field evidence and a "merge into it" action. */
import { ApiError } from '../../api/problem';
import type { HcpMatch } from '../../api/types';
import { useApp } from '../../context';
import { useLoad } from '../../hooks';
import { addressLines, hcpName } from '../../lib/format';
import { hcpHref } from '../../lib/router';
import { formatPhone } from '../../lib/stewardship';
import { ErrorBox, Loading } from '../../components/bits';
import { EvidenceChips, ScoreLine } from './common';

export function ProposedRecord({ hcpId }: { hcpId: string }) {
  const { api } = useApp();
  const res = useLoad(() => api.getHcp(hcpId), [hcpId]);
  if (res.state === 'loading') return <Loading label="Loading the proposed record…" />;
  if (res.state === 'error') {
    if (res.error instanceof ApiError && res.error.status === 404)
      return <p class="muted small">The proposed record is no longer on file (merged away).</p>;
    return <ErrorBox error={res.error} />;
  }
  const h = res.data;
  return (
    <dl class="req-record" data-testid="proposed-record" data-npi={h.npi}>
      <div>
        <dt>Name</dt>
        <dd data-testid="proposed-name">{hcpName(h)}</dd>
      </div>
      <div>
        <dt>NPI</dt>
        <dd>{h.npi}</dd>
      </div>
      <div>
        <dt>Specialty</dt>
        <dd>
          {h.specialty_name} <span class="muted">({h.specialty_code})</span>
        </dd>
      </div>
      <div>
        <dt>Address</dt>
        <dd>{addressLines(h.address).join(', ')}</dd>
      </div>
      <div>
        <dt>Phone</dt>
        <dd>{formatPhone(h.phone) || <span class="muted">none</span>}</dd>
      </div>
      <div>
        <dt>Territory</dt>
        <dd>
          {h.territory ? (
            `${h.territory.code} · ${h.territory.name}`
          ) : (
            <span class="muted">none</span>
          )}
        </dd>
      </div>
      <div>
        <dt>Record</dt>
        <dd>
          {h.master_status ?? 'proposed'}, {h.status}
        </dd>
      </div>
    </dl>
  );
}

export function RequestMatches({
  matches,
  busy,
  onMerge,
}: {
  matches: HcpMatch[];
  busy: boolean;
  onMerge: (m: HcpMatch) => void;
}) {
  if (matches.length === 0) {
    return (
      <p class="muted small" data-testid="no-matches">
        No likely existing match: no HCP on file scores above the review threshold against this one.
      </p>
    );
  }
  return (
    <div class="req-matches">
      <h3>Likely existing HCPs</h3>
      <p class="muted small">
        The percentage is the chance that the proposal and the existing record are the same person,
        given how their fields agree; each field adds its weight in bits when it agrees and
        subtracts when it differs.
      </p>
      <ul class="cards one-col" data-testid="matches">
        {matches.map((m) => (
          <li key={m.id} class="match" data-testid="match" data-id={m.id}>
            <div class="exc-head">
              <a href={hcpHref(m.id)} data-testid="match-name">
                <strong>{m.display_name}</strong>
              </a>
              <span class="muted small">
                NPI {m.npi} · {m.master_status}
                {m.territory ? ` · ${m.territory.code}` : ''}
              </span>
            </div>
            <div class="small">
              {m.specialty_name} · {m.street}, {m.city}, {m.state} {m.zip}
              {m.phone ? ` · ${formatPhone(m.phone)}` : ''}
            </div>
            <ScoreLine score={m.score} />
            <EvidenceChips fields={m.score.fields} />
            <div class="form-actions">
              <button
                type="button"
                class="btn btn-small"
                disabled={busy}
                onClick={() => onMerge(m)}
                data-testid="request-merge"
              >
                Same as {m.display_name}: merge into it
              </button>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
