/** Realignment (`#/realignment`, `#/realignment/<id>`, `#/alignment?on=…`). Those who manage alignments (ops, admin) run cycles: draft ZIP moves
 * and account overrides, see the impact, open field review, resolve marks and publish. Reps (on a
 * phone) and managers review the cycles open to them and mark key relationships or escalate.
 * Everyone who reads the alignment has a second tab: the alignment as of any date, with the
 * changes scheduled (their own territories for the field).
 * It needs the network: offline, a message says so (a rep still sees the notices synced). */
import { useApp } from '../context';
import { alignmentHref, canReadAlignment } from '../lib/alignment';
import { canRunRealignment } from '../lib/realignment';
import { realignmentHref } from '../lib/router';
import { useOfflineMaybe } from '../offline/context';
import { NoticeList } from '../components/Notices';
import './planning.css';
import './oversight/oversight.css';
import { AlignmentAsOf } from './realignment/AlignmentAsOf';
import { OfflineMessage, useOnline } from './realignment/common';
import { CycleList } from './realignment/CycleList';
import { CyclePage } from './realignment/CyclePage';
import { FieldList } from './realignment/FieldList';
import { FieldReviewPage } from './realignment/FieldReview';

/** `alignment`: the query of `#/alignment?…` when that tab is open. */
export function Realignment({ id, alignment }: { id: string | null; alignment?: string }) {
  const { me } = useApp();
  const online = useOnline();
  const local = useOfflineMaybe()?.data;
  const runs = canRunRealignment(me);
  const byDate = alignment !== undefined;
  let body;
  if (!online) {
    body = (
      <>
        <OfflineMessage />
        {local && <NoticeList notices={local.notices} />}
      </>
    );
  } else if (byDate) body = <AlignmentAsOf query={alignment} />;
  else if (runs) body = id ? <CyclePage id={id} /> : <CycleList />;
  else body = id ? <FieldReviewPage id={id} /> : <FieldList />;
  return (
    <div class="screen realignment" data-testid="realignment" data-view={runs ? 'ops' : 'field'}>
      <div class="screen-head">
        <h1>Realignment</h1>
        <span class="muted small">{runs ? 'Cycles, impact, publication' : 'Field review'}</span>
      </div>
      {canReadAlignment(me) && (
        <nav class="subtabs" aria-label="Realignment" data-testid="realignment-tabs">
          <a
            href={realignmentHref()}
            class={byDate ? 'subtab' : 'subtab active'}
            aria-current={byDate ? undefined : 'page'}
            data-testid="tab-cycles"
          >
            {runs ? 'Cycles' : 'Field review'}
          </a>
          <a
            href={alignmentHref()}
            class={byDate ? 'subtab active' : 'subtab'}
            aria-current={byDate ? 'page' : undefined}
            data-testid="tab-alignment"
          >
            Alignment by date
          </a>
        </nav>
      )}
      {body}
    </div>
  );
}
