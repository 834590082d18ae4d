/** What a cycle does to each territory it touches: HCPs before, out, in and after, the workload
 * (target calls per cycle before → after), accounts out and in, the reps, the key losses, and how
 * the figures are computed. */
import { useState } from 'preact/hooks';
import type { MovingHcp } from '../../api/types';
import { useApp } from '../../context';
import { useLoad } from '../../hooks';
import { Loading, TierBadge } from '../../components/bits';
import { LoadError } from './common';

export function ImpactCard({ id }: { id: string }) {
  const { api } = useApp();
  const [gen, setGen] = useState(0);
  const impact = useLoad(() => api.realignmentImpact(id), [api, id, gen]);
  if (impact.state === 'loading')
    return (
      <section class="card section" data-testid="impact" aria-busy="true">
        <h2>Impact</h2>
        <Loading />
      </section>
    );
  if (impact.state === 'error')
    return <LoadError error={impact.error} onRetry={() => setGen((g) => g + 1)} />;
  const x = impact.data;
  return (
    <section
      class="card section"
      data-testid="impact"
      aria-busy="false"
      data-hcps-moving={x.hcps_moving}
      data-accounts-moving={x.accounts_moving}
    >
      <h2>Impact</h2>
      <p class="small" data-testid="impact-summary">
        <strong>{x.hcps_moving}</strong> HCP(s) and <strong>{x.accounts_moving}</strong> account(s)
        move · figures as of {x.as_of}
      </p>
      {x.territories.length === 0 ? (
        <p class="muted empty">No territory changes yet: add lines above.</p>
      ) : (
        <div class="table-wrap">
          <table class="table impact-table" data-testid="impact-table">
            <thead>
              <tr>
                <th>Territory</th>
                <th>Rep(s)</th>
                <th class="num" title="HCPs aligned today">
                  HCPs before
                </th>
                <th class="num">Out</th>
                <th class="num">In</th>
                <th class="num">After</th>
                <th class="num" title="Target calls per plan cycle">
                  Workload
                </th>
                <th class="num">Accounts out / in</th>
              </tr>
            </thead>
            {x.territories.map((t) => (
              <tbody
                key={t.territory.id}
                data-testid="impact-row"
                data-territory={t.territory.id}
                data-code={t.territory.code}
                data-hcps-before={t.hcps_before}
                data-hcps-out={t.hcps_out}
                data-hcps-in={t.hcps_in}
                data-hcps-after={t.hcps_after}
                data-calls-before={t.target_calls_before}
                data-calls-after={t.target_calls_after}
              >
                <tr>
                  <th scope="row">
                    <span class="terr">{t.territory.code}</span> {t.territory.name}
                  </th>
                  <td>{t.reps.length ? t.reps.join(', ') : <span class="muted">vacant</span>}</td>
                  <td class="num">{t.hcps_before}</td>
                  <td class="num">{t.hcps_out > 0 ? `−${t.hcps_out}` : 0}</td>
                  <td class="num">{t.hcps_in > 0 ? `+${t.hcps_in}` : 0}</td>
                  <td class="num">{t.hcps_after}</td>
                  <td class="num" data-testid="impact-workload">
                    {t.target_calls_before} → {t.target_calls_after}
                  </td>
                  <td class="num">
                    {t.accounts_out} / {t.accounts_in}
                  </td>
                </tr>
                {t.key_losses.length > 0 && (
                  <tr class="key-losses">
                    <td colSpan={8}>
                      <KeyLosses losses={t.key_losses} />
                    </td>
                  </tr>
                )}
              </tbody>
            ))}
          </table>
        </div>
      )}
      <details class="cov-method" data-testid="impact-method">
        <summary>How these figures are computed</summary>
        <p>{x.method}</p>
      </details>
    </section>
  );
}

function KeyLosses({ losses }: { losses: MovingHcp[] }) {
  return (
    <div class="small">
      <span class="muted">Key losses: </span>
      <ul class="key-loss-list">
        {losses.map((m) => (
          <li key={m.hcp_id} data-testid="key-loss" data-hcp={m.hcp_id}>
            <TierBadge tier={m.tier} /> {m.name}{' '}
            <span class="muted">
              · decile {m.decile} · {m.calls_last_year} call(s) last year
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
