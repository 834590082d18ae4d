import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Hcp } from '../api/types';
import { useOffline } from '../offline/context';
import { filterLocal, filterOptions, searchLocal } from '../offline/local';
import { topTier } from '../offline/plan';
import { parseFilters, toQueryString } from '../lib/query';
import { HcpCard, type HcpCardData } from '../components/HcpCard';
import { SyncGate } from './Today';
import { ProposeBar } from './proposals/ProposeBar';

const PAGE = 50;

/** The rep's HCP list, from IndexedDB: answers every keystroke locally (also offline). */
export function LocalHcpList({ initialQuery }: { initialQuery: string }) {
  const { data } = useOffline();
  const initial = parseFilters(initialQuery, ['q', 'tier', 'specialty', 'city']);
  const [q, setQ] = useState(initial.q ?? '');
  const [tier, setTier] = useState(initial.tier ?? '');
  const [specialty, setSpecialty] = useState(initial.specialty ?? '');
  const [city, setCity] = useState(initial.city ?? '');
  const [shown, setShown] = useState(PAGE);
  const key = toQueryString({
    q: q.trim() || undefined,
    tier: tier || undefined,
    specialty: specialty || undefined,
    city: city || undefined,
  });
  const options = useMemo(() => filterOptions(data?.hcps ?? []), [data]);

  useEffect(() => {
    const hash = key ? `#/hcps?${key}` : '#/hcps';
    if (location.hash !== hash) history.replaceState(null, '', hash);
    setShown(PAGE);
  }, [key]);

  const matches: Hcp[] = useMemo(() => {
    if (!data) return [];
    return filterLocal(
      searchLocal(data, q).map((i) => data.hcps[i]),
      { tier, specialty, city },
    );
  }, [data, q, tier, specialty, city]);

  return (
    <div class="screen">
      <div class="screen-head">
        <h1>HCPs</h1>
        {data && <span class="muted small">{data.hcps.length} in your territory · offline</span>}
      </div>
      <div class="searchbar search-row">
        <input
          type="search"
          placeholder="Search by name or NPI"
          aria-label="Search HCPs by name"
          value={q}
          onInput={(e) => setQ(e.currentTarget.value)}
          data-testid="hcp-search"
        />
        <select
          value={tier}
          onChange={(e) => setTier(e.currentTarget.value)}
          aria-label="Tier"
          data-testid="filter-tier"
        >
          <option value="">Any tier</option>
          <option value="A">Tier A</option>
          <option value="B">Tier B</option>
          <option value="C">Tier C</option>
        </select>
      </div>
      <div class="searchbar search-row">
        <select
          value={specialty}
          onChange={(e) => setSpecialty(e.currentTarget.value)}
          aria-label="Specialty"
          data-testid="filter-specialty"
        >
          <option value="">Any specialty</option>
          {options.specialties.map((o) => (
            <option key={o.code} value={o.code}>
              {o.name}
            </option>
          ))}
        </select>
        {options.cities.length > 1 && (
          <select
            value={city}
            onChange={(e) => setCity(e.currentTarget.value)}
            aria-label="City"
            data-testid="filter-city"
          >
            <option value="">Any city</option>
            {options.cities.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        )}
      </div>
      <ProposeBar q={q} />
      <SyncGate>
        <ul
          class="cards"
          data-testid="hcp-list"
          data-loaded-key={data ? key : undefined}
          aria-busy={!data}
        >
          {matches.slice(0, shown).map((h) => (
            <HcpCard key={h.id} h={cardOf(h)} />
          ))}
        </ul>
        <div class="list-footer">
          {matches.length === 0 && <p class="muted empty">No HCPs match.</p>}
          <p class="count" data-testid="shown-count" aria-live="polite">
            <strong data-testid="shown-n">{Math.min(shown, matches.length)}</strong> shown of{' '}
            {matches.length}
          </p>
          {matches.length > shown && (
            <button
              type="button"
              class="btn btn-block"
              onClick={() => setShown(shown + PAGE)}
              data-testid="load-more"
            >
              Load more
            </button>
          )}
        </div>
      </SyncGate>
    </div>
  );
}

/** The card data of a synced HCP profile. */
function cardOf(h: Hcp): HcpCardData {
  return {
    ...h,
    city: h.address.city,
    state: h.address.state,
    do_not_call: !!h.do_not_call,
    top_tier: topTier(h),
  };
}
