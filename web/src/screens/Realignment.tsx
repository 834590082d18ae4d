/** Realignment (`#/realignment`, `#/realignment/<id>`). Those who manage alignments (ops, admin) run cycles: draft ZIP moves
 * and account overrides, see the impact, open field review, resolve marks and publish. Reps (on a
 * phone) and managers review the cycles open to them and mark key relationships or escalate.
 * It needs the network: offline, a message says so (a rep still sees the notices synced). */
import { useApp } from '../context';
import { canRunRealignment } from '../lib/realignment';
import { useOfflineMaybe } from '../offline/context';
import { NoticeList } from '../components/Notices';
import './planning.css';
import { OfflineMessage, useOnline } from './realignment/common';
import { CycleList } from './realignment/CycleList';
import { CyclePage } from './realignment/CyclePage';
import { FieldList } from './realignment/FieldList';
import { FieldReviewPage } from './realignment/FieldReview';

export function Realignment({ id }: { id: string | null }) {
  const { me } = useApp();
  const online = useOnline();
  const local = useOfflineMaybe()?.data;
  const runs = canRunRealignment(me);
  let body;
  if (!online) {
    body = (
      <>
        <OfflineMessage />
        {local && <NoticeList notices={local.notices} />}
      </>
    );
  } else if (runs) body = id ? <CyclePage id={id} /> : <CycleList />;
  else body = id ? <FieldReviewPage id={id} /> : <FieldList />;
  return (
    <div class="screen realignment" data-testid="realignment" data-view={runs ? 'ops' : 'field'}>
      <div class="screen-head">
        <h1>Realignment</h1>
        <span class="muted small">{runs ? 'Cycles, impact, publication' : 'Field review'}</span>
      </div>
      {body}
    </div>
  );
}
