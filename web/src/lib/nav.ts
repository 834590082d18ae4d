import type { Me, Role } from '../api/types';
import { canOverseeSamples } from './oversight';
import { may, mayAny, usesFieldApp, worksInTerritories, type Permitted } from './permissions';
import { canSteward } from './stewardship';

export interface NavItem {
  key:
    | 'today'
    | 'hcps'
    | 'accounts'
    | 'samples'
    | 'coverage'
    | 'targeting'
    | 'realignment'
    | 'oversight'
    | 'completeness'
    | 'stewardship'
    | 'users';
  label: string;
  href: string;
}

/** HCP and account data: every signed-in user reads it, within the scope the server applies. */
export function canSeeData(_me: Permitted): boolean {
  return true;
}

/** The Coverage screen (frequency tracking); the field app shows its progress widget on Today. */
export function canSeeCoverage(me: Permitted): boolean {
  return !usesFieldApp(me);
}

/** The Targeting screen (targeting versions, CSV uploads): headquarters' self-service, for those who
 * read targeting versions (src/lib/targeting.ts `canEditTargeting` says who edits). Managers may
 * read versions too but work from Coverage: the screen stays with those who see every territory. */
export function canSeeTargeting(me: Permitted): boolean {
  return may(me, 'read_targeting') && !worksInTerritories(me);
}

/** The Realignment screen: those who run the cycles and those who review them in the field. */
export function canSeeRealignment(me: Permitted): boolean {
  return mayAny(me, 'manage_alignments', 'review_realignments');
}

/** The Completeness screen (data entry shares per unit and month): everyone but the field app. */
export function canSeeCompleteness(me: Permitted): boolean {
  return !usesFieldApp(me);
}

export function navItems(me: Permitted): NavItem[] {
  const items: NavItem[] = [];
  // The offline field app opens on today's plan.
  if (usesFieldApp(me)) items.push({ key: 'today', label: 'Today', href: '#/today' });
  if (canSeeData(me)) {
    items.push({ key: 'hcps', label: 'HCPs', href: '#/hcps' });
    items.push({ key: 'accounts', label: 'Accounts', href: '#/accounts' });
  }
  // The user's own sample inventory, receipts, transfers, returns, losses and counts (offline).
  if (usesFieldApp(me)) items.push({ key: 'samples', label: 'Samples', href: '#/samples' });
  if (canSeeCoverage(me)) items.push({ key: 'coverage', label: 'Coverage', href: '#/coverage' });
  if (canSeeTargeting(me))
    items.push({ key: 'targeting', label: 'Targeting', href: '#/targeting' });
  if (canSeeRealignment(me))
    items.push({ key: 'realignment', label: 'Realignment', href: '#/realignment' });
  // Sample accountability (exceptions, reconciliation, policy) for those who oversee reps' samples.
  if (canOverseeSamples(me))
    items.push({ key: 'oversight', label: 'Samples', href: '#/oversight' });
  if (canSeeCompleteness(me))
    items.push({ key: 'completeness', label: 'Completeness', href: '#/completeness' });
  // HCP master data stewardship: requests, duplicates, merges, the matching model.
  if (canSteward(me))
    items.push({ key: 'stewardship', label: 'Data quality', href: '#/stewardship' });
  if (may(me, 'manage_users')) items.push({ key: 'users', label: 'Users', href: '#/users' });
  return items;
}

/** First screen after login. */
export function homeHref(me: Permitted): string {
  return navItems(me)[0]?.href ?? '#/';
}

export const ROLE_LABELS: Record<Role, string> = {
  rep: 'Sales rep',
  manager: 'District manager',
  ops: 'Sales ops',
  marketing: 'Marketing',
  compliance: 'Compliance',
  admin: 'Administrator',
};

export function roleLabel(role: string): string {
  return (ROLE_LABELS as Record<string, string>)[role] ?? role;
}

/** Short territory description for the top bar: those who work inside assigned territories get
 * their names, everyone else sees every territory. */
export function territorySummary(me: Permitted & Pick<Me, 'territories'>, maxNames = 2): string {
  const ts = me.territories ?? [];
  if (!worksInTerritories(me)) return `All territories (${ts.length})`;
  if (ts.length === 0) return 'No territory';
  if (ts.length <= maxNames) return ts.map((t) => t.name).join(', ');
  return `${ts
    .slice(0, maxNames)
    .map((t) => t.name)
    .join(', ')} +${ts.length - maxNames}`;
}
