import type { HcpSummary } from '../api/types';
import { cityState, hcpName } from '../lib/format';
import { hcpHref } from '../lib/router';
import { DncBadge, ProposedBadge, StatusBadge, TierBadge } from './bits';

/** What an HCP card shows: the list summary, plus middle name and suffix when known. */
export type HcpCardData = Pick<
  HcpSummary,
  | 'id'
  | 'npi'
  | 'first_name'
  | 'last_name'
  | 'credentials'
  | 'specialty_name'
  | 'city'
  | 'state'
  | 'status'
  | 'do_not_call'
  | 'top_tier'
  | 'territory'
> & { middle_name?: string | null; suffix?: string | null; master_status?: string };

/** One HCP in a list (the online list and the rep's offline list). */
export function HcpCard({ h }: { h: HcpCardData }) {
  return (
    <li
      class="card row"
      data-testid="hcp-card"
      data-npi={h.npi}
      data-id={h.id}
      data-territory={h.territory?.code ?? ''}
      data-master-status={h.master_status ?? 'verified'}
    >
      <a class="row-link" href={hcpHref(h.id)}>
        <div class="row-main">
          <div class="row-title">
            <span data-testid="hcp-name">{hcpName(h)}</span>
          </div>
          <div class="row-sub">{h.specialty_name}</div>
          <div class="row-sub muted">
            {cityState(h)}
            {h.territory && (
              <>
                {' · '}
                <span class="terr" data-testid="hcp-territory" title={h.territory.name}>
                  {h.territory.code}
                </span>
              </>
            )}
          </div>
        </div>
        <div class="row-badges">
          <TierBadge tier={h.top_tier} />
          {h.do_not_call && <DncBadge />}
          <StatusBadge status={h.status} />
          <ProposedBadge masterStatus={h.master_status} />
        </div>
      </a>
    </li>
  );
}
