/** Today's call plan and cycle progress: pure functions over the synced data. The cycle is the
 * calendar month in the device's local time; frequency targets are calls per month per tier. */
import type { Hcp } from '../api/types';
import type { CallInput, FrequencyTarget, Tier } from './types';

export const TIERS: Tier[] = ['A', 'B', 'C'];

type HcpLike = Pick<Hcp, 'id' | 'status' | 'do_not_call' | 'blacklist' | 'segments'>;
type CallLike = Pick<CallInput, 'id' | 'hcp_ids' | 'called_at'>;

/** Best (lowest letter) tier over the HCP's product segments, like the server's `top_tier`. */
export function topTier(h: Pick<Hcp, 'segments'>): Tier | null {
  let best: Tier | null = null;
  for (const s of h.segments ?? []) {
    const t = s.tier as Tier;
    if (TIERS.includes(t) && (best === null || t < best)) best = t;
  }
  return best;
}

/** "YYYY-MM" of a timestamp in local time. */
export function cycleKey(d: Date | string | number): string {
  const x = new Date(d);
  return `${x.getFullYear()}-${String(x.getMonth() + 1).padStart(2, '0')}`;
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

export function callStats(calls: Iterable<CallLike>, now: Date): CallStats {
  const key = cycleKey(now);
  const thisCycle = new Map<string, number>();
  const last = new Map<string, number>();
  for (const c of calls) {
    const t = Date.parse(c.called_at);
    if (Number.isNaN(t)) continue;
    const inCycle = cycleKey(t) === key;
    for (const h of c.hcp_ids) {
      if (inCycle) thisCycle.set(h, (thisCycle.get(h) ?? 0) + 1);
      if (t > (last.get(h) ?? -Infinity)) last.set(h, t);
    }
  }
  return { thisCycle, last };
}

export function targetsByTier(targets: Iterable<FrequencyTarget>): Map<Tier, number> {
  const m = new Map<Tier, number>();
  for (const t of targets) m.set(t.tier, t.calls_per_month);
  return m;
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
  const per = targetsByTier(targets);
  const stats = callStats(calls, now);
  const out: PlanItem<H>[] = [];
  for (const h of hcps) {
    if (!callable(h)) continue;
    const tier = topTier(h);
    if (!tier) continue;
    const target = per.get(tier) ?? 0;
    const done = stats.thisCycle.get(h.id) ?? 0;
    if (target - done <= 0) continue;
    out.push({ hcp: h, tier, target, done, due: target - done, lastCallAt: stats.last.get(h.id) ?? null });
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
  /** Sum of the tier's calls_per_month over the callable HCPs of this tier. */
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
  const per = targetsByTier(targets);
  const stats = callStats(calls, now);
  const rows = new Map<Tier, TierProgress>(TIERS.map((t) => [t, { tier: t, done: 0, target: 0, hcps: 0 }]));
  for (const h of hcps) {
    const tier = topTier(h);
    if (!tier) continue;
    const row = rows.get(tier)!;
    row.done += stats.thisCycle.get(h.id) ?? 0;
    if (callable(h)) {
      row.target += per.get(tier) ?? 0;
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
