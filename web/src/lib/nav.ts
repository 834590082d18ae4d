import type { Me, Role } from '../api/types';
import { canOverseeSamples } from './oversight';
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

/** Roles that may read HCP/account data (all current roles). */
const DATA_ROLES: readonly Role[] = ['rep', 'manager', 'ops', 'marketing', 'compliance', 'admin'];

export function canSeeData(role: Role): boolean {
  return DATA_ROLES.includes(role);
}

/** Roles with the Coverage screen (frequency tracking); reps have their progress widget on Today. */
const COVERAGE_ROLES: readonly Role[] = ['manager', 'ops', 'admin', 'marketing', 'compliance'];

export function canSeeCoverage(role: Role): boolean {
  return COVERAGE_ROLES.includes(role);
}

/** Roles with the Targeting screen (targeting versions, CSV uploads): commercial ops self-service;
 * marketing reads the versions (src/lib/targeting.ts `canEditTargeting` says who edits). */
const TARGETING_ROLES: readonly Role[] = ['ops', 'admin', 'marketing'];

export function canSeeTargeting(role: Role): boolean {
  return TARGETING_ROLES.includes(role);
}

/** Roles with the Realignment screen: ops and admin run the cycles; reps and managers review them. */
const REALIGNMENT_ROLES: readonly Role[] = ['ops', 'admin', 'rep', 'manager'];

export function canSeeRealignment(role: Role): boolean {
  return REALIGNMENT_ROLES.includes(role);
}

/** Roles with the Completeness screen (data entry shares per unit and month): everyone but reps. */
const COMPLETENESS_ROLES: readonly Role[] = ['manager', 'ops', 'admin', 'compliance', 'marketing'];

export function canSeeCompleteness(role: Role): boolean {
  return COMPLETENESS_ROLES.includes(role);
}

export function navItems(role: Role): NavItem[] {
  const items: NavItem[] = [];
  // Reps work from the offline field app: today's plan first.
  if (role === 'rep') items.push({ key: 'today', label: 'Today', href: '#/today' });
  if (canSeeData(role)) {
    items.push({ key: 'hcps', label: 'HCPs', href: '#/hcps' });
    items.push({ key: 'accounts', label: 'Accounts', href: '#/accounts' });
  }
  // The rep's sample inventory, receipts, transfers, returns, losses and counts (offline).
  if (role === 'rep') items.push({ key: 'samples', label: 'Samples', href: '#/samples' });
  if (canSeeCoverage(role)) items.push({ key: 'coverage', label: 'Coverage', href: '#/coverage' });
  if (canSeeTargeting(role))
    items.push({ key: 'targeting', label: 'Targeting', href: '#/targeting' });
  if (canSeeRealignment(role))
    items.push({ key: 'realignment', label: 'Realignment', href: '#/realignment' });
  // Sample accountability for managers, ops, compliance and admin (exceptions, reconciliation, policy).
  if (canOverseeSamples(role))
    items.push({ key: 'oversight', label: 'Samples', href: '#/oversight' });
  if (canSeeCompleteness(role))
    items.push({ key: 'completeness', label: 'Completeness', href: '#/completeness' });
  // HCP master data stewardship for ops and admin: requests, duplicates, merges, the matching model.
  if (canSteward(role))
    items.push({ key: 'stewardship', label: 'Data quality', href: '#/stewardship' });
  if (role === 'admin') items.push({ key: 'users', label: 'Users', href: '#/users' });
  return items;
}

/** Roles that get the offline field app (local data, call logging, sync). */
export function isFieldRole(role: Role): boolean {
  return role === 'rep';
}

/** First screen after login. */
export function homeHref(role: Role): string {
  return navItems(role)[0]?.href ?? '#/';
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

/** Roles that see every territory: the top bar names no single territory for them. */
export function seesAllTerritories(role: Role): boolean {
  return role === 'ops' || role === 'admin' || role === 'marketing' || role === 'compliance';
}

/** Short territory description for the top bar. */
export function territorySummary(me: Pick<Me, 'role' | 'territories'>, maxNames = 2): string {
  const ts = me.territories ?? [];
  if (seesAllTerritories(me.role)) return `All territories (${ts.length})`;
  if (ts.length === 0) return 'No territory';
  if (ts.length <= maxNames) return ts.map((t) => t.name).join(', ');
  return `${ts
    .slice(0, maxNames)
    .map((t) => t.name)
    .join(', ')} +${ts.length - maxNames}`;
}
