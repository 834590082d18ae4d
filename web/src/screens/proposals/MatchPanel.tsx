/** The likely existing HCPs found while a new one is typed: name, specialty, address, the match
 * probability and the fields that agreed, each with "Open"; the hint that a match exists outside
 * the user's territories (never shown itself); offline, what the device could and could not check. */
import type { HcpMatch } from '../../api/proposals';
import { hcpHref } from '../../lib/router';
import type { CheckResult } from './backend';

const FIELD_LABEL: Record<string, string> = {
  last_name: 'last name',
  first_name: 'first name',
  specialty: 'specialty',
  street: 'street',
  locality: 'ZIP',
  phone: 'phone',
  affiliation: 'account',
};

/** The fields that agreed, in words: "last name, first name (nickname), ZIP". */
export function agreedFields(m: Pick<HcpMatch, 'score'>): string[] {
  const out: string[] = [];
  if (m.score.npi_match) out.push('NPI');
  for (const f of m.score.fields) {
    if (f.level === 'missing' || f.level === 'different') continue;
    if (f.field === 'locality') {
      out.push(f.level === 'same_zip' ? 'ZIP' : 'city');
      continue;
    }
    const strongest = f.level === 'exact' || f.level === 'same' || f.level === 'shared';
    out.push(strongest ? FIELD_LABEL[f.field] : `${FIELD_LABEL[f.field]} (${f.level})`);
  }
  if (m.score.swapped_names) out.push('names swapped');
  return out;
}

/** A probability as a whole percentage ("87%"). */
export const percent = (p: number) => `${Math.round(p * 100)}%`;

export type CheckState =
  | { state: 'idle' }
  | { state: 'checking'; last: CheckResult | null }
  | { state: 'done'; result: CheckResult }
  | { state: 'error'; message: string };

export function MatchPanel({ check }: { check: CheckState }) {
  if (check.state === 'idle')
    return (
      <p class="muted small" data-testid="match-idle">
        Type a last name or an NPI to look for HCPs already on file.
      </p>
    );
  if (check.state === 'error')
    return (
      <p class="notice" data-testid="match-error">
        Could not check for existing HCPs: {check.message}
      </p>
    );
  const result = check.state === 'done' ? check.result : check.last;
  return (
    <section
      class="card section match-panel"
      data-testid="matches"
      aria-busy={check.state === 'checking'}
      data-source={result?.source ?? ''}
    >
      <h2>Already on file?</h2>
      {check.state === 'checking' && !result && (
        <p class="muted small">Looking for existing HCPs…</p>
      )}
      {result?.source === 'none' && (
        <p class="notice" data-testid="match-unavailable">
          You are offline and the matching data has not been downloaded yet: your data steward will
          check for duplicates.
        </p>
      )}
      {result && result.source !== 'none' && (
        <>
          {result.check.matches.length === 0 ? (
            <p class="muted small" data-testid="no-matches">
              No likely match in your territories.
            </p>
          ) : (
            <ul class="dup-list">
              {result.check.matches.map((m) => (
                <MatchItem key={m.id} m={m} />
              ))}
            </ul>
          )}
          {result.source === 'server' && result.check.match_outside_scope && (
            <p class="notice" data-testid="outside-hint">
              A likely match exists outside your territories — your data steward will check.
            </p>
          )}
          {result.source === 'device' && (
            <p class="muted small" data-testid="device-check-note">
              Checked offline against the {result.compared} HCPs on this device. The check outside
              your territories happens when you are online.
            </p>
          )}
        </>
      )}
    </section>
  );
}

function MatchItem({ m }: { m: HcpMatch }) {
  const same = m.score.outcome === 'same_record';
  return (
    <li
      class="dup-match"
      data-testid="match"
      data-id={m.id}
      data-outcome={m.score.outcome}
      data-probability={m.score.probability}
    >
      <div class="dup-head">
        <strong data-testid="match-name">{m.display_name}</strong>
        <span
          class={same ? 'badge match-same' : 'badge match-maybe'}
          data-testid="match-score"
          title="Probability this is the same person"
        >
          {percent(m.score.probability)}
        </span>
      </div>
      <div class="small">
        {m.specialty_name}
        {m.master_status === 'proposed' && <span class="badge proposed">Proposed</span>}
      </div>
      <div class="small muted">
        {m.street}, {m.city}, {m.state} {m.zip}
      </div>
      <div class="small" data-testid="match-agreed">
        {same ? 'Same person? ' : 'Possible match. '}Agrees on: {agreedFields(m).join(', ') || '—'}
      </div>
      <a class="btn btn-small" href={hcpHref(m.id)} data-testid="match-open">
        Open
      </a>
    </li>
  );
}
