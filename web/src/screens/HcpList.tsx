import { useEffect, useState } from 'preact/hooks';
import type { HcpSummary, Specialty } from '../api/types';
import { useApp } from '../context';
import { useDebounced, usePaged } from '../hooks';
import {
  activeFilterCount,
  HCP_FILTER_KEYS,
  parseFilters,
  toQueryString,
  type HcpFilters,
} from '../lib/query';
import { HcpCard } from '../components/HcpCard';
import { TerritorySelect } from '../components/bits';
import { ListFooter } from '../components/ListFooter';
import { canProposeHcpData } from '../lib/hcpProposal';
import { ProposeBar } from './proposals/ProposeBar';

export const PAGE_SIZE = 50;

export function HcpList({ initialQuery }: { initialQuery: string }) {
  const { api, me, specialties } = useApp();
  const initial = parseFilters(initialQuery, HCP_FILTER_KEYS) as HcpFilters;
  const [q, setQ] = useState(initial.q ?? '');
  const [filters, setFilters] = useState<HcpFilters>({ ...initial, q: undefined });
  const [specs, setSpecs] = useState<Specialty[]>([]);
  const debouncedQ = useDebounced(q, 300);

  useEffect(() => {
    specialties().then(setSpecs, () => setSpecs([]));
  }, [specialties]);

  const all: HcpFilters = { ...filters, q: debouncedQ };
  const key = toQueryString({ ...all });

  // Keep the filters in the URL so back-navigation from a profile restores them.
  useEffect(() => {
    const hash = key ? `#/hcps?${key}` : '#/hcps';
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }, [key]);

  const paged = usePaged<HcpSummary>((cursor) => api.listHcps(all, cursor, PAGE_SIZE), key);
  const set = (k: keyof HcpFilters) => (e: Event) =>
    setFilters((f) => ({ ...f, [k]: (e.currentTarget as HTMLInputElement).value || undefined }));
  const [city, setCity] = useState(filters.city ?? '');
  const debouncedCity = useDebounced(city, 400);
  useEffect(() => {
    setFilters((f) =>
      f.city === (debouncedCity || undefined) ? f : { ...f, city: debouncedCity || undefined },
    );
  }, [debouncedCity]);

  const territories = me.territories ?? [];
  const nActive = activeFilterCount(filters as Record<string, string | undefined>);

  return (
    <div class="screen">
      <div class="screen-head">
        <h1>HCPs</h1>
      </div>
      <div class="searchbar">
        <input
          type="search"
          placeholder="Search by name"
          aria-label="Search HCPs by name"
          value={q}
          onInput={(e) => setQ(e.currentTarget.value)}
          data-testid="hcp-search"
        />
      </div>
      <details class="filters" open={nActive > 0 ? true : undefined}>
        <summary>Filters{nActive > 0 && <span class="pill">{nActive}</span>}</summary>
        <div class="filter-grid">
          <label>
            Specialty
            <select
              value={filters.specialty ?? ''}
              onChange={set('specialty')}
              data-testid="filter-specialty"
            >
              <option value="">All specialties</option>
              {specs.map((s) => (
                <option key={s.code} value={s.code}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Tier
            <select value={filters.tier ?? ''} onChange={set('tier')} data-testid="filter-tier">
              <option value="">Any tier</option>
              <option value="A">A</option>
              <option value="B">B</option>
              <option value="C">C</option>
            </select>
          </label>
          <label>
            City
            <input
              type="text"
              value={city}
              placeholder="Any city"
              onInput={(e) => setCity(e.currentTarget.value)}
              data-testid="filter-city"
            />
          </label>
          <label>
            Status
            <select
              value={filters.status ?? ''}
              onChange={set('status')}
              data-testid="filter-status"
            >
              <option value="">Any status</option>
              <option value="active">Active</option>
              <option value="retired">Retired</option>
              <option value="deceased">Deceased</option>
            </select>
          </label>
          <TerritorySelect
            territories={territories}
            value={filters.territory ?? ''}
            onChange={(id) => setFilters((f) => ({ ...f, territory: id || undefined }))}
            testid="filter-territory"
          />
          {nActive > 0 && (
            <button
              type="button"
              class="btn btn-ghost"
              onClick={() => {
                setCity('');
                setFilters({});
              }}
            >
              Clear filters
            </button>
          )}
        </div>
      </details>
      {canProposeHcpData(me) && <ProposeBar q={q} />}

      <ul
        class="cards"
        data-testid="hcp-list"
        data-loaded-key={paged.loadedKey ?? undefined}
        aria-busy={paged.loading}
      >
        {paged.list.items.map((h) => (
          <HcpCard key={h.id} h={h} />
        ))}
      </ul>
      <ListFooter paged={paged} noun="HCPs" />
    </div>
  );
}
