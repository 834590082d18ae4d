/** On an HCP profile (reps and managers): the user's data requests about this HCP and "Propose a
 * change" (not for an HCP still proposed: the steward decides on it as a whole first). */
import { useState } from 'preact/hooks';
import type { Hcp } from '../../api/types';
import { HcpRequests } from './DataRequests';
import { ProposeChange } from './ProposeChange';

export function HcpDataSection({ h }: { h: Hcp }) {
  const [sent, setSent] = useState(0);
  return (
    <>
      <HcpRequests hcpId={h.id} reload={sent} />
      {h.master_status !== 'proposed' && (
        <ProposeChange key={h.updated_at} h={h} onSent={() => setSent((n) => n + 1)} />
      )}
    </>
  );
}
