import type { Me } from '../api/types';
import { hasPermissionList } from './permissions';

const TOKEN_KEY = 'pharmacrm.token';
const USER_KEY = 'pharmacrm.user';

function storage(): Storage | null {
  try {
    return typeof localStorage !== 'undefined' ? localStorage : null;
  } catch {
    return null;
  }
}

export function loadToken(): string | null {
  return storage()?.getItem(TOKEN_KEY) ?? null;
}

/** The user cached at the last sign-in or `/me`. */
export interface StoredUser {
  user: Me;
  /** Cached by an app from before `/me` sent permissions: the user has none (shown as such) until
   * `/me` answers again. */
  stale: boolean;
}

export function loadUser(): StoredUser | null {
  const raw = storage()?.getItem(USER_KEY);
  if (!raw) return null;
  try {
    const u = JSON.parse(raw) as Me | null;
    if (typeof u !== 'object' || u === null) return null;
    if (hasPermissionList(u)) return { user: u, stale: false };
    return { user: { ...u, permissions: [] }, stale: true };
  } catch {
    return null;
  }
}

export function saveSession(token: string, user: Me): void {
  storage()?.setItem(TOKEN_KEY, token);
  storage()?.setItem(USER_KEY, JSON.stringify(user));
}

export function saveUser(user: Me): void {
  storage()?.setItem(USER_KEY, JSON.stringify(user));
}

export function clearSession(): void {
  storage()?.removeItem(TOKEN_KEY);
  storage()?.removeItem(USER_KEY);
}
