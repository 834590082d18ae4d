import type { Me } from '../api/types';
import { navItems, roleLabel, territorySummary } from '../lib/nav';
import { SyncIndicator } from './SyncIndicator';
import { useOfflineMaybe } from '../offline/context';

export function TopBar({
  me,
  active,
  onLogout,
}: {
  me: Me;
  active: string | null;
  onLogout: () => void;
}) {
  const items = navItems(me);
  const offline = useOfflineMaybe();
  const pending = offline?.sync.pending ?? 0;
  const logout = () => {
    // Unsent calls stay in this device's outbox and are sent after the next sign-in.
    if (
      pending > 0 &&
      !confirm(
        `${pending} call(s) or sample record(s) have not been sent yet. They stay on this device and are sent when you sign in again. Log out?`,
      )
    )
      return;
    onLogout();
  };
  const allTerritories = (me.territories ?? []).map((t) => `${t.code} ${t.name}`).join(', ');
  return (
    <header class="topbar">
      <div class="topbar-row">
        <div class="brand" aria-label="PharmaCRM">
          Pharma<span>CRM</span>
        </div>
        <div class="who" data-testid="who">
          <div class="who-name" data-testid="user-name">
            {me.display_name}
          </div>
          <div class="who-meta">
            <span data-testid="user-role">{roleLabel(me.role)}</span>
            {' · '}
            <span data-testid="user-territories" title={allTerritories}>
              {territorySummary(me)}
            </span>
          </div>
        </div>
        <button type="button" class="btn btn-ghost" onClick={logout} data-testid="logout">
          Log out
        </button>
      </div>
      <div class="tabs-row">
        <nav class="tabs" aria-label="Main">
          {items.map((n) => (
            <a
              key={n.key}
              href={n.href}
              class={active === n.key ? 'tab active' : 'tab'}
              aria-current={active === n.key ? 'page' : undefined}
            >
              {n.label}
            </a>
          ))}
        </nav>
        <SyncIndicator />
      </div>
    </header>
  );
}
