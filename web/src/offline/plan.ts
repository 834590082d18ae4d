/** Today's call plan and cycle progress: pure functions over the synced data.
 *
 * Frequency targets are calls per plan cycle per product x tier; every row in force shares one
 * cycle, a calendar month or a calendar quarter (in the device's local time; a month when there
 * are no targets). An HCP's tier is its best tier over its segments, and its target is the
 * LARGEST calls figure among the rows matching its segments (product, tier), a missing row
 * counting 0; an HCP without segments is not a target. This mirrors the server's
 * `pharmacrm_domain::targeting::hcp_target`; both are checked against
 * `crates/domain/vectors/targeting_rules.json`. Target rows of the old shape (per tier, without a
 * product) may still sit on a device: they are ignored. */
import type { Hcp } from '../api/types';
import type { CallInput, CycleKind, FrequencyTarget, Tier } from './types';

export const TIERS: Tier[] = ['A', 'B', 'C'];

type HcpLike = Pick<Hcp, 'id' | 'status' | 'do_not_call' | 'blacklist' | 'segments'>;
type CallLike = Pick<CallInput, 'id' | 'hcp_ids' | 'called_at'>;
/** A segment as the rule needs it: the product and the tier. */
export type SegmentLike = { product_id: string; tier: string };
/** A frequency row as the rule needs it (a `FrequencyTarget` or a version's `VersionFrequency`). */
export type FrequencyRow = { product_id: string; tier: string; calls: number };

const isTier = (t: unknown): t is Tier => typeof t === 'string' && (TIERS as string[]).includes(t);

/** Best (lowest letter) tier over the HCP's product segments, like the server's `top_tier`. */
export function topTier(h: Pick<Hcp, 'segments'>): Tier | null {
  let best: Tier | null = null;
  for (const s of h.segments ?? []) {
    if (isTier(s.tier) && (best === null || s.tier < best)) best = s.tier;
  }
  return best;
}

/** A frequency row of the current shape (product x tier); old per-tier rows are not. */
export function isFrequencyRow(t: unknown): t is FrequencyRow {
  if (!t || typeof t !== 'object') return false;
  const r = t as Partial<FrequencyRow>;
  return (
    typeof r.product_id === 'string' &&
    r.product_id !== '' &&
    isTier(r.tier) &&
    typeof r.calls === 'number'
  );
}

/** The plan cycle of the targets in force: their `cycle`, a month when there are none. */
export function planCycleKind(targets: Iterable<Partial<FrequencyTarget>>): CycleKind {
  for (const t of targets) {
    if (isFrequencyRow(t) && (t.cycle === 'month' || t.cycle === 'quarter' || t.cycle === 'year'))
      return t.cycle;
  }
  return 'month';
}

/** One cycle `[from, to)` in local time, with its label: `2026-11`, `2026-Q4` or `2026`. */
export interface PlanCycle {
  kind: CycleKind;
  label: string;
  from: Date;
  to: Date;
}

const MONTHS: Record<CycleKind, number> = { month: 1, quarter: 3, year: 12 };

/** The calendar month, quarter or year containing the day (local time). */
export function cycleOf(kind: CycleKind, d: Date | string | number): PlanCycle {
  const x = new Date(d);
  const n = MONTHS[kind];
  const y = x.getFullYear();
  const start = x.getMonth() - (x.getMonth() % n);
  const from = new Date(y, start, 1);
  const to = new Date(y, start + n, 1);
  const label =
    kind === 'month'
      ? `${y}-${String(start + 1).padStart(2, '0')}`
      : kind === 'quarter'
        ? `${y}-Q${start / 3 + 1}`
        : String(y);
  return { kind, label, from, to };
}

/** The label of the cycle containing a time: "YYYY-MM" (month, the default) or "YYYY-Qn" (quarter). */
export function cycleKey(d: Date | string | number, kind: CycleKind = 'month'): string {
  return cycleOf(kind, d).label;
}

/** An HCP the rep may call at all (not DNC, not blacklisted, not deceased/retired). */
export function callable(h: Pick<Hcp, 'status' | 'do_not_call' | 'blacklist'>): boolean {
  return h.status === 'active' && !h.do_not_call && !h.blacklist;
}

export interface CallStats {
  /** Calls in the current cycle per HCP id. */
  thisCycle: Map<string, number>;
  /** Latest call time (ms) per HCP id, any cycle. */
  last: Map<string, number>;
}

export function callStats(
  calls: Iterable<CallLike>,
  now: Date,
  kind: CycleKind = 'month',
): CallStats {
  const cycle = cycleOf(kind, now);
  const from = cycle.from.getTime();
  const to = cycle.to.getTime();
  const thisCycle = new Map<string, number>();
  const last = new Map<string, number>();
  for (const c of calls) {
    const t = Date.parse(c.called_at);
    if (Number.isNaN(t)) continue;
    const inCycle = t >= from && t < to;
    for (const h of c.hcp_ids) {
      if (inCycle) thisCycle.set(h, (thisCycle.get(h) ?? 0) + 1);
      if (t > (last.get(h) ?? -Infinity)) last.set(h, t);
    }
  }
  return { thisCycle, last };
}

const freqKey = (productId: string, tier: string) => `${productId}:${tier}`;

/** Calls per cycle by `product_id:tier`, from the rows of the current shape. */
export function frequencyMap(rows: Iterable<unknown>): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) if (isFrequencyRow(r)) m.set(freqKey(r.product_id, r.tier), r.calls);
  return m;
}

export interface HcpTarget {
  tier: Tier;
  /** Calls per plan cycle. */
  calls: number;
}

/** The HCP's tier (best over its segments) and target calls per cycle (the largest among its
 * segments' frequency rows, 0 for a missing row); null without segments. */
export function hcpTarget(
  segments: Iterable<SegmentLike>,
  frequencies: Map<string, number>,
): HcpTarget | null {
  let tier: Tier | null = null;
  let calls = 0;
  for (const s of segments) {
    if (!isTier(s.tier)) continue;
    if (tier === null || s.tier < tier) tier = s.tier;
    calls = Math.max(calls, frequencies.get(freqKey(s.product_id, s.tier)) ?? 0);
  }
  return tier === null ? null : { tier, calls };
}

export interface PlanItem<H extends HcpLike = HcpLike> {
  hcp: H;
  tier: Tier;
  target: number;
  done: number;
  /** Calls still due this cycle (> 0). */
  due: number;
  /** ms of the last call, or null if never called. */
  lastCallAt: number | null;
}

/** HCPs due a call this cycle, tier A first, then longest since last call (never called first). */
export function computePlan<H extends HcpLike>(
  hcps: Iterable<H>,
  targets: Iterable<FrequencyTarget>,
  calls: Iterable<CallLike>,
  now: Date,
): PlanItem<H>[] {
  const list = [...targets];
  const freq = frequencyMap(list);
  const stats = callStats(calls, now, planCycleKind(list));
  const out: PlanItem<H>[] = [];
  for (const h of hcps) {
    if (!callable(h)) continue;
    const t = hcpTarget(h.segments ?? [], freq);
    if (!t) continue;
    const done = stats.thisCycle.get(h.id) ?? 0;
    if (t.calls - done <= 0) continue;
    out.push({
      hcp: h,
      tier: t.tier,
      target: t.calls,
      done,
      due: t.calls - done,
      lastCallAt: stats.last.get(h.id) ?? null,
    });
  }
  out.sort(
    (a, b) =>
      a.tier.localeCompare(b.tier) ||
      (a.lastCallAt ?? -Infinity) - (b.lastCallAt ?? -Infinity) ||
      a.hcp.id.localeCompare(b.hcp.id),
  );
  return out;
}

export interface TierProgress {
  tier: Tier;
  /** Calls logged this cycle with HCPs of this tier (a group call counts once per attendee). */
  done: number;
  /** Sum of the target calls per cycle over the callable HCPs of this tier. */
  target: number;
  hcps: number;
}

export interface Progress {
  tiers: TierProgress[];
  done: number;
  target: number;
}

export function computeProgress(
  hcps: Iterable<HcpLike>,
  targets: Iterable<FrequencyTarget>,
  calls: Iterable<CallLike>,
  now: Date,
): Progress {
  const list = [...targets];
  const freq = frequencyMap(list);
  const stats = callStats(calls, now, planCycleKind(list));
  const rows = new Map<Tier, TierProgress>(
    TIERS.map((t) => [t, { tier: t, done: 0, target: 0, hcps: 0 }]),
  );
  for (const h of hcps) {
    const t = hcpTarget(h.segments ?? [], freq);
    if (!t) continue;
    const row = rows.get(t.tier)!;
    row.done += stats.thisCycle.get(h.id) ?? 0;
    if (callable(h)) {
      row.target += t.calls;
      row.hcps += 1;
    }
  }
  const tiers = TIERS.map((t) => rows.get(t)!);
  return {
    tiers,
    done: tiers.reduce((s, r) => s + r.done, 0),
    target: tiers.reduce((s, r) => s + r.target, 0),
  };
}
