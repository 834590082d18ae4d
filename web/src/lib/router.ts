/** Hash routing: "#/hcps?tier=A", "#/hcps/<id>", ... (deep links work without server rewrites). */

export type Route =
  | { name: 'login' }
  | { name: 'hcps'; query: string }
  | { name: 'hcp'; id: string }
  | { name: 'hcp-new'; query: string }
  | { name: 'requests' }
  | { name: 'accounts'; query: string }
  | { name: 'account'; id: string }
  | { name: 'users' }
  | { name: 'coverage'; query: string }
  | { name: 'targeting'; id: string | null }
  | { name: 'realignment'; id: string | null }
  | { name: 'alignment'; query: string }
  | { name: 'today' }
  | { name: 'call'; id: string; query: string }
  | { name: 'sync' }
  | { name: 'samples' }
  | { name: 'oversight'; section: string; query: string }
  | { name: 'stewardship'; section: string; query: string }
  | { name: 'completeness'; query: string }
  | { name: 'home' }
  | { name: 'notfound'; path: string };

export function parseHash(hash: string): Route {
  let h = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!h.startsWith('/')) h = '/' + h;
  const qi = h.indexOf('?');
  const path = qi >= 0 ? h.slice(0, qi) : h;
  const query = qi >= 0 ? h.slice(qi + 1) : '';
  const parts = path.split('/').filter(Boolean).map(safeDecode);
  if (parts.length === 0) return { name: 'home' };
  const [head, id, ...rest] = parts;
  if (rest.length === 0) {
    if (head === 'login' && !id) return { name: 'login' };
    if (head === 'hcps' && id === 'new') return { name: 'hcp-new', query };
    if (head === 'hcps') return id ? { name: 'hcp', id } : { name: 'hcps', query };
    if (head === 'requests' && !id) return { name: 'requests' };
    if (head === 'accounts') return id ? { name: 'account', id } : { name: 'accounts', query };
    if (head === 'users' && !id) return { name: 'users' };
    if (head === 'coverage' && !id) return { name: 'coverage', query };
    if (head === 'targeting') return { name: 'targeting', id: id ?? null };
    if (head === 'realignment') return { name: 'realignment', id: id ?? null };
    if (head === 'alignment' && !id) return { name: 'alignment', query };
    if (head === 'today' && !id) return { name: 'today' };
    if (head === 'sync' && !id) return { name: 'sync' };
    if (head === 'samples' && !id) return { name: 'samples' };
    if (head === 'call' && id) return { name: 'call', id, query };
    if (head === 'oversight') return { name: 'oversight', section: id ?? '', query };
    if (head === 'stewardship') return { name: 'stewardship', section: id ?? '', query };
    if (head === 'completeness' && !id) return { name: 'completeness', query };
  }
  return { name: 'notfound', path };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function hcpHref(id: string): string {
  return `#/hcps/${encodeURIComponent(id)}`;
}

/** "#/hcps/new" (propose a new HCP), the name searched for pre-filled. */
export function newHcpHref(name = ''): string {
  return name.trim() ? `#/hcps/new?${new URLSearchParams({ name: name.trim() })}` : '#/hcps/new';
}

export function accountHref(id: string): string {
  return `#/accounts/${encodeURIComponent(id)}`;
}

let previousHash = '';

/** Remembers the hash we came from (call from the hashchange listener). */
export function notePreviousHash(oldUrl: string): void {
  const i = oldUrl.indexOf('#');
  previousHash = i >= 0 ? oldUrl.slice(i) : '';
}

/** Click handler for "back" links: uses history.back() when we came from `prefix` (keeps list filters). */
export function backIfPossible(prefix: string) {
  return (e: MouseEvent) => {
    const fromList = previousHash === prefix || previousHash.startsWith(prefix + '?');
    if (fromList && history.length > 1) {
      e.preventDefault();
      history.back();
    }
  };
}

/** "#/call/new?hcp=<id>" (a new call with this HCP) or "#/call/<call id>" (a draft). */
export function newCallHref(hcpId: string, extra: Record<string, string> = {}): string {
  return `#/call/new?${new URLSearchParams({ hcp: hcpId, ...extra })}`;
}

export function draftHref(callId: string): string {
  return `#/call/${encodeURIComponent(callId)}`;
}

/** "#/targeting" (the versions) or "#/targeting/<version id>". */
export function targetingHref(versionId?: string | null): string {
  return versionId ? `#/targeting/${encodeURIComponent(versionId)}` : '#/targeting';
}

/** "#/realignment" (the cycles) or "#/realignment/<cycle id>". */
export function realignmentHref(id?: string | null): string {
  return id ? `#/realignment/${encodeURIComponent(id)}` : '#/realignment';
}
