/** Reps and managers: the cycles open for field review (and those published), and the caller's
 * notices (a rep's come from the synced data; a manager has no local store and asks the API). */
import { useState } from 'preact/hooks';
import type { Notice } from '../../api/types';
import { useApp } from '../../context';
import { useLoad } from '../../hooks';
import { useOfflineMaybe } from '../../offline/context';
import { Loading } from '../../components/bits';
import { NoticeList } from '../../components/Notices';
import { LoadError } from './common';
import { CycleItems } from './CycleList';

export function FieldList() {
  const { api } = useApp();
  const local = useOfflineMaybe()?.data;
  const [gen, setGen] = useState(0);
  const list = useLoad(() => api.realignments(), [api, gen]);
  const remote = useLoad<Notice[]>(
    () => (local ? Promise.resolve([]) : api.notices()),
    [api, !!local],
  );
  const notices = local ? local.notices : remote.state === 'ok' ? remote.data : [];
  const review = list.state === 'ok' ? list.data.filter((r) => r.status === 'review') : [];
  const published = list.state === 'ok' ? list.data.filter((r) => r.status === 'published') : [];
  return (
    <>
      <section class="card section" data-testid="field-cycles">
        <h2>Open for your review</h2>
        <p class="muted small">
          Proposed territory changes that move HCPs out of or into your territory. Mark a key
          relationship or escalate before ops publish.
        </p>
        {list.state === 'loading' ? (
          <Loading />
        ) : list.state === 'error' ? (
          <LoadError error={list.error} onRetry={() => setGen((g) => g + 1)} />
        ) : review.length === 0 ? (
          <p class="muted empty" data-testid="no-review">
            Nothing to review.
          </p>
        ) : (
          <CycleItems cycles={review} />
        )}
      </section>
      <NoticeList notices={notices} />
      {published.length > 0 && (
        <section class="card section" data-testid="published-cycles">
          <h2>Published</h2>
          <CycleItems cycles={published} />
        </section>
      )}
    </>
  );
}
