import type { Progress } from '../offline/plan';

/** Calls logged this cycle vs target, per tier. */
export function ProgressWidget({ p, cycle }: { p: Progress; cycle: string }) {
  const pct = (d: number, t: number) => (t > 0 ? Math.min(100, Math.round((100 * d) / t)) : 0);
  return (
    <section class="card section progress" data-testid="progress" data-done={p.done} data-target={p.target}>
      <h2>
        Cycle {cycle}: <span data-testid="progress-total">{p.done} / {p.target}</span> calls
      </h2>
      {p.tiers.map((t) => (
        <div
          class="prog-row"
          key={t.tier}
          data-testid={`progress-${t.tier}`}
          data-done={t.done}
          data-target={t.target}
        >
          <span class={`badge tier tier-${t.tier.toLowerCase()}`}>{t.tier}</span>
          <div class="bar" role="progressbar" aria-valuenow={t.done} aria-valuemax={t.target} aria-label={`Tier ${t.tier}`}>
            <div style={{ width: `${pct(t.done, t.target)}%` }} />
          </div>
          <span class="prog-num">
            {t.done}/{t.target}
          </span>
        </div>
      ))}
    </section>
  );
}
