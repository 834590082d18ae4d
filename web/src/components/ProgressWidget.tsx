/** Calls logged in the plan cycle (a month or a quarter) vs target, per tier. */
import type { PlanCycle, Progress } from '../offline/plan';

const KIND: Record<PlanCycle['kind'], string> = {
  month: 'Month',
  quarter: 'Quarter',
  year: 'Year',
};

export function ProgressWidget({ p, cycle }: { p: Progress; cycle: PlanCycle }) {
  const pct = (d: number, t: number) => (t > 0 ? Math.min(100, Math.round((100 * d) / t)) : 0);
  return (
    <section
      class="card section progress"
      data-testid="progress"
      data-done={p.done}
      data-target={p.target}
      data-cycle={cycle.label}
      data-cycle-kind={cycle.kind}
    >
      <h2>
        <span data-testid="progress-cycle">
          {KIND[cycle.kind]} {cycle.label}
        </span>
        :{' '}
        <span data-testid="progress-total">
          {p.done} / {p.target}
        </span>{' '}
        calls
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
          <div
            class="bar"
            role="progressbar"
            aria-valuenow={t.done}
            aria-valuemax={t.target}
            aria-label={`Tier ${t.tier}`}
          >
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
