/** Filter state for the list screens and its (de)serialisation. */

import type { operations } from '../api/schema';

type ListQuery<Op extends keyof operations> = NonNullable<operations[Op]['parameters']['query']>;

/** The HCP list's filters, as the OpenAPI document declares them (paging aside). */
export type HcpFilters = Omit<ListQuery<'list_hcps'>, 'cursor' | 'limit'>;

/** The account list's filters, as the OpenAPI document declares them (paging aside). */
export type AccountFilters = Omit<ListQuery<'list_accounts'>, 'cursor' | 'limit'>;

export const HCP_FILTER_KEYS = ['q', 'specialty', 'tier', 'city', 'territory', 'status'] as const;
export const ACCOUNT_FILTER_KEYS = ['q', 'type', 'city', 'territory'] as const;

type Primitive = string | number | boolean | null | undefined;

/**
 * Drops empty values (undefined, null, blank strings) and trims strings so the
 * API never sees `?city=` or `?q=%20`. Numbers and booleans pass through.
 */
export function cleanQuery<T extends Record<string, Primitive>>(
  params: T,
): { [K in keyof T]?: Exclude<T[K], null> } {
  const out: { [K in keyof T]?: Exclude<T[K], null> } = {};
  for (const key of Object.keys(params) as (keyof T)[]) {
    const v = params[key];
    if (v === undefined || v === null) continue;
    if (typeof v === 'string') {
      const t = v.trim();
      if (t) out[key] = t as Exclude<T[typeof key], null>;
    } else if (typeof v === 'number') {
      if (Number.isFinite(v)) out[key] = v as Exclude<T[typeof key], null>;
    } else {
      out[key] = v as Exclude<T[typeof key], null>;
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
export function parseFilters<K extends string>(
  qs: string,
  keys: readonly K[],
): Partial<Record<K, string>> {
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
