import { useEffect, useMemo, useState } from 'preact/hooks';
import type { FrequencyReport, TerritoryFrequency, TierFrequency } from '../api/types';
import { useApp } from '../context';
import { useLoad } from '../hooks';
import { toQueryString } from '../lib/query';
import { hcpHref } from '../lib/router';
import {
  barWidth,
  cycleRange,
  cycleElapsed,
  daysLeftText,
  isMonthKey,
  monthKey,
  monthLabel,
  moreGapsText,
  percent,
  recentMonths,
  tierASignal,
  towardText,
} from '../lib/coverage';
import { defaultPeriod, periodFromQuery } from '../lib/callsByUnit';
import { ErrorBox, Loading, TerritorySelect, TierBadge } from '../components/bits';
import { CallsByUnit } from '../components/CallsByUnit';

/**
 * Frequency tracking: calls against tier targets per territory for a monthly cycle; below it,
 * the calls of a longer period by territory, district and region (components/CallsByUnit).
 */
export function Coverage({ initialQuery }: { initialQuery: string }) {
  const { api, me } = useApp();
  const sp = new URLSearchParams(initialQuery);
  const thisMonth = monthKey(new Date());
  const [cycle, setCycle] = useState(() =>
    isMonthKey(sp.get('cycle')) ? sp.get('cycle')! : thisMonth,
  );
  const territories = me.territories ?? [];
  const [territory, setTerritory] = useState(() => {
    const t = sp.get('territory');
    return t && territories.some((x) => x.id === t) ? t : '';
  });

  const months = useMemo(() => {
    const ms = recentMonths(new Date(), 12);
    return ms.includes(cycle) ? ms : [...ms, cycle].sort().reverse();
  }, [cycle]);

  // The calls-by-unit period is kept in the URL unless it is the default (year to date).
  const [period, setPeriod] = useState(() => periodFromQuery(sp, new Date()));
  const byDefault = useMemo(() => defaultPeriod(new Date()), []);
  const ownPeriod = period.from !== byDefault.from || period.to !== byDefault.to;

  const key = toQueryString({
    cycle: cycle === thisMonth ? undefined : cycle,
    territory,
    from: ownPeriod ? period.from : undefined,
    to: ownPeriod ? period.to : undefined,
  });
  useEffect(() => {
    const hash = key ? `#/coverage?${key}` : '#/coverage';
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }, [key]);

  const wanted = `cycle=${cycle}&territory=${territory}`;
  // The key travels with the data, so data-loaded-key never names a report that is not shown yet.
  const res = useLoad(
    () => api.frequencyReport(cycle, territory || null).then((report) => ({ key: wanted, report })),
    [cycle, territory],
  );
  const loadedKey = res.state === 'ok' && res.data.key === wanted ? res.data.key : undefined;

  return (
    <div class="screen coverage" data-testid="coverage" data-loaded-key={loadedKey}>
      <div class="screen-head">
        <h1>Coverage</h1>
        <span class="muted small">Calls vs. frequency targets</span>
      </div>
      <div class="cov-controls">
        <label>
          Cycle
          <select
            value={cycle}
            onChange={(e) => setCycle(e.currentTarget.value)}
            data-testid="coverage-cycle"
          >
            {months.map((m) => (
              <option key={m} value={m}>
                {monthLabel(m)}
                {m === thisMonth ? ' (this month)' : ''}
              </option>
            ))}
          </select>
        </label>
        <TerritorySelect
          territories={territories}
          value={territory}
          onChange={setTerritory}
          testid="coverage-territory-filter"
        />
      </div>

      {res.state === 'loading' && <Loading />}
      {res.state === 'error' && <ErrorBox error={res.error} />}
      {res.state === 'ok' && <ReportView report={res.data.report} filtered={!!territory} />}
      <CallsByUnit period={period} onPeriod={setPeriod} />
    </div>
  );
}

function ReportView({ report, filtered }: { report: FrequencyReport; filtered: boolean }) {
  const elapsed = cycleElapsed(report.cycle.from, report.cycle.to, report.days_left);
  return (
    <>
      <p class="cov-cycle muted small" data-testid="coverage-cycle-range">
        {cycleRange(report.cycle.from, report.cycle.to)} ·{' '}
        <strong>{daysLeftText(report.days_left)}</strong>
      </p>
      <section class="card section" data-testid="coverage-totals">
        <h2>
          {filtered
            ? 'This territory'
            : report.territories.length === 1
              ? 'Total'
              : `All territories (${report.territories.length})`}
        </h2>
        <TierGrid tiers={report.totals} />
      </section>
      <details class="cov-method" data-testid="coverage-method">
        <summary>How these numbers are computed</summary>
        <p>{report.method}</p>
        <p class="muted small">
          Adherence bar: calls toward target / target calls. Coverage bar: HCPs reached / HCPs. Gaps
          list each target HCP with fewer calls than the tier's target, tier A first, furthest
          behind first. A territory is flagged “Tier A behind” when its tier A adherence is below
          half the share of the cycle elapsed (on pace is adherence equal to that share).
        </p>
      </details>
      {report.territories.length === 0 ? (
        <p class="muted empty">No territories in your scope.</p>
      ) : (
        <ul class="cards cov-cards" data-testid="coverage-territories">
          {report.territories.map((t) => (
            <TerritoryCard
              key={t.territory.id}
              t={t}
              daysLeft={report.days_left}
              elapsed={elapsed}
              open={report.territories.length === 1}
            />
          ))}
        </ul>
      )}
    </>
  );
}

function TerritoryCard({
  t,
  daysLeft,
  elapsed,
  open,
}: {
  t: TerritoryFrequency;
  daysLeft: number;
  elapsed: number;
  open: boolean;
}) {
  const signal = tierASignal(t.tiers, daysLeft, elapsed);
  const more = moreGapsText(t.gaps.length, t.gaps_total);
  return (
    <li
      class="card section cov-card"
      data-testid="coverage-territory"
      data-id={t.territory.id}
      data-code={t.territory.code}
    >
      <div class="cov-card-head">
        <div>
          <span class="terr badge" data-testid="coverage-territory-code">
            {t.territory.code}
          </span>{' '}
          <strong data-testid="coverage-territory-name">{t.territory.name}</strong>
        </div>
        <span
          class="muted small"
          title="Every HCP attendance at a call attributed to this territory in the cycle, target or not"
        >
          {t.calls_attributed} calls
        </span>
      </div>
      {signal && (
        <p class="cov-signal" role="status" data-testid="coverage-signal">
          {signal}
        </p>
      )}
      <TierGrid tiers={t.tiers} />
      {t.gaps_total === 0 ? (
        <p class="muted small cov-nogaps" data-testid="coverage-no-gaps">
          Every target is on plan.
        </p>
      ) : (
        <details
          class="cov-gaps"
          open={open || undefined}
          data-testid="coverage-gaps"
          data-total={t.gaps_total}
        >
          <summary>
            Behind plan: <strong>{t.gaps_total}</strong> {t.gaps_total === 1 ? 'HCP' : 'HCPs'}
          </summary>
          <ul class="gap-list">
            {t.gaps.map((g) => (
              <li key={g.hcp_id} data-testid="coverage-gap" data-id={g.hcp_id} data-tier={g.tier}>
                <TierBadge tier={g.tier} />
                <a href={hcpHref(g.hcp_id)}>{g.name}</a>
                <span class="gap-num" title="Calls this cycle / target">
                  {g.calls}/{g.target}
                </span>
              </li>
            ))}
          </ul>
          {more && (
            <p class="muted small" data-testid="coverage-gaps-more">
              {more}
            </p>
          )}
        </details>
      )}
    </li>
  );
}

/** Per tier: adherence and coverage, each with a bar, a percentage and the counts behind it. */
function TierGrid({ tiers }: { tiers: TierFrequency[] }) {
  return (
    <div class="tier-grid">
      {tiers.map((t) => {
        const none = t.hcps === 0;
        return (
          <div
            key={t.tier}
            class="tier-block"
            data-testid={`tier-${t.tier}`}
            data-tier={t.tier}
            title={`Tier ${t.tier}: ${t.hcps} HCPs, ${t.target_calls} target calls this cycle (each HCP's largest calls per cycle over its products); ${t.calls} calls in all`}
          >
            <div class="tier-badge">
              <TierBadge tier={t.tier} />
            </div>
            <div class="metric">
              <div class="metric-head">
                <span>Adherence</span>
                <strong data-testid="tier-adherence">{none ? '–' : percent(t.adherence)}</strong>
              </div>
              <Bar ratio={none ? 0 : t.adherence} label={`Tier ${t.tier} adherence`} />
              <div class="metric-num">
                <span data-testid="tier-toward">{towardText(t)}</span> calls
              </div>
            </div>
            <div class="metric">
              <div class="metric-head">
                <span>Coverage</span>
                <strong data-testid="tier-coverage">{none ? '–' : percent(t.coverage)}</strong>
              </div>
              <Bar ratio={none ? 0 : t.coverage} label={`Tier ${t.tier} coverage`} />
              <div class="metric-num">
                <span data-testid="tier-reached">
                  {t.reached} / {t.hcps}
                </span>{' '}
                HCPs reached
              </div>
            </div>
          </div>
        );
      })}
    </div>
  );
}

function Bar({ ratio, label }: { ratio: number; label: string }) {
  const w = barWidth(ratio);
  return (
    <div
      class="bar"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(w)}
    >
      <div style={{ width: `${w}%` }} />
    </div>
  );
}
