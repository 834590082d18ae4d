/** Notices for the signed-in user (what a published realignment does to their territory), newest
 * first: on the rep's Today screen (synced, offline) and on the Realignment screen. */
import type { Notice } from '../api/types';
import '../screens/planning.css';

/** The notices as given (newest first): title and body. */
export function NoticeList({ notices }: { notices: Notice[] }) {
  if (notices.length === 0) return null;
  return (
    <section class="card section notices" data-testid="notices">
      <h2>Notices</h2>
      <ul class="notice-list">
        {notices.map((n) => (
          <li
            key={n.id}
            data-testid="notice"
            data-id={n.id}
            data-kind={n.kind}
            data-subject={n.subject_id}
          >
            <div class="notice-title" data-testid="notice-title">
              {n.title}
            </div>
            <div class="notice-body" data-testid="notice-body">
              {n.body}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
