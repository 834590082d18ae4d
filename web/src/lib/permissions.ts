/** What the signed-in user may do: the permissions `/api/v1/me` sends (the server's one
 * permission table, `pharmacrm_domain::permission`). Every "may this user do or see X" in the app
 * asks here, never the role: the role is only shown (its label). A user cached before the server
 * sent permissions has none until `/me` answers again. */

import type { Me, Permission } from '../api/types';

/** Anything carrying the user's permissions (a cached user from an older app may lack them). */
export type Permitted = { readonly permissions?: readonly Permission[] | null };

/** The user's permissions; none when unknown. */
export function permissionsOf(me: Permitted | null | undefined): readonly Permission[] {
  return Array.isArray(me?.permissions) ? me.permissions : [];
}

/** Whether the server grants `permission` to the user. */
export function may(me: Permitted | null | undefined, permission: Permission): boolean {
  return permissionsOf(me).includes(permission);
}

/** Whether the server grants the user at least one of `permissions`. */
export function mayAny(me: Permitted | null | undefined, ...permissions: Permission[]): boolean {
  return permissions.some((p) => may(me, p));
}

/** Whether a stored user carries permissions at all (one cached by an older app does not). */
export function hasPermissionList(u: unknown): boolean {
  return typeof u === 'object' && u !== null && Array.isArray((u as Partial<Me>).permissions);
}

/** The offline field app (local data, call logging with samples, sync): for users who report calls
 * and hold a sample inventory. */
export function usesFieldApp(me: Permitted): boolean {
  return may(me, 'report_calls') && may(me, 'hold_samples');
}

/** Users who report calls work inside the territories assigned to them (a rep's territory, a
 * manager's district); everyone else sees every territory. The server applies the scope; this
 * only words the top bar and keeps headquarters' screens for headquarters. */
export function worksInTerritories(me: Permitted): boolean {
  return may(me, 'report_calls');
}

/** Those who flag or clear an HCP's do-not-call (the server enforces the same). */
export function mayFlagDoNotCall(me: Permitted): boolean {
  return may(me, 'flag_do_not_call');
}
