/** Filter state for the list screens and its (de)serialisation. */

export interface HcpFilters {
  q?: string;
  specialty?: string;
  tier?: string;
  city?: string;
  territory?: string;
  status?: string;
}

export interface AccountFilters {
  q?: string;
  type?: string;
  city?: string;
  territory?: string;
}

export const HCP_FILTER_KEYS = ['q', 'specialty', 'tier', 'city', 'territory', 'status'] as const;
export const ACCOUNT_FILTER_KEYS = ['q', 'type', 'city', 'territory'] as const;

type Primitive = string | number | boolean | null | undefined;

/**
 * Drops empty values (undefined, null, blank strings) and trims strings so the
 * API never sees `?city=` or `?q=%20`. Numbers and booleans pass through.
 */
export function cleanQuery<T extends Record<string, Primitive>>(params: T): Partial<Record<keyof T, string | number | boolean>> {
  const out: Partial<Record<keyof T, string | number | boolean>> = {};
  for (const key of Object.keys(params) as (keyof T)[]) {
    const v = params[key];
    if (v === undefined || v === null) continue;
    if (typeof v === 'string') {
      const t = v.trim();
      if (t) out[key] = t;
    } else if (typeof v === 'number') {
      if (Number.isFinite(v)) out[key] = v;
    } else {
      out[key] = v;
    }
  }
  return out;
}

/** Query string (without "?") for the given params, keys in a stable order. */
export function toQueryString(params: Record<string, Primitive>): string {
  const clean = cleanQuery(params);
  const sp = new URLSearchParams();
  for (const key of Object.keys(clean).sort()) sp.set(key, String(clean[key]));
  return sp.toString();
}

/** Reads the allowed filter keys from a query string (unknown keys ignored). */
export function parseFilters<K extends string>(qs: string, keys: readonly K[]): Partial<Record<K, string>> {
  const sp = new URLSearchParams(qs.startsWith('?') ? qs.slice(1) : qs);
  const out: Partial<Record<K, string>> = {};
  for (const k of keys) {
    const v = sp.get(k);
    if (v !== null && v.trim()) out[k] = v;
  }
  return out;
}

/** Number of active (non-empty) filters, not counting free-text search. */
export function activeFilterCount(filters: Record<string, Primitive>): number {
  return Object.entries(cleanQuery(filters)).filter(([k]) => k !== 'q').length;
}
