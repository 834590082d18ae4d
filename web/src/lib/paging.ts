/** Cursor paging: accumulating pages of `{items, next_cursor}`. */

export interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}

export interface PagedState<T> {
  items: T[];
  /** Cursor for the next page; null when the last page was reached. */
  nextCursor: string | null;
  /** True once at least one page was loaded. */
  started: boolean;
}

export function emptyPaged<T>(): PagedState<T> {
  return { items: [], nextCursor: null, started: false };
}

/** Appends a page, skipping items whose id was already shown (a cursor may overlap after concurrent edits). */
export function appendPage<T extends { id: string }>(
  state: PagedState<T>,
  page: Page<T>,
): PagedState<T> {
  const seen = new Set(state.items.map((i) => i.id));
  const fresh = page.items.filter((i) => {
    if (seen.has(i.id)) return false;
    seen.add(i.id);
    return true;
  });
  return { items: state.items.concat(fresh), nextCursor: page.next_cursor ?? null, started: true };
}

export function hasMore<T>(state: PagedState<T>): boolean {
  return !state.started || state.nextCursor !== null;
}

/**
 * Fetches every page by following next_cursor. Stops after `maxPages` to
 * guard against a server that keeps returning the same cursor.
 */
export async function fetchAll<T>(
  fetchPage: (cursor: string | null) => Promise<Page<T>>,
  maxPages = 1000,
): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  const seenCursors = new Set<string>();
  for (let i = 0; i < maxPages; i++) {
    const page = await fetchPage(cursor);
    out.push(...page.items);
    const next = page.next_cursor ?? null;
    if (next === null) return out;
    if (seenCursors.has(next)) throw new Error(`cursor repeated: ${next}`);
    seenCursors.add(next);
    cursor = next;
  }
  throw new Error(`more than ${maxPages} pages`);
}
