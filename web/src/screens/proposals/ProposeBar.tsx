/** Under the HCP search (reps and managers): "Can't find them? Propose a new HCP" (the name
 * searched for pre-filled) and the user's data requests. */
import { newHcpHref } from '../../lib/router';
import './proposals.css';

export function ProposeBar({ q }: { q: string }) {
  return (
    <div class="propose-bar">
      <a href={newHcpHref(/\d/.test(q) ? '' : q)} data-testid="propose-hcp">
        Can't find them? Propose a new HCP
      </a>
      <a href="#/requests" class="muted" data-testid="my-requests-link">
        My data requests
      </a>
    </div>
  );
}
