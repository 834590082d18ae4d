import { useEffect, useState } from 'preact/hooks';
import type { AccountSummary } from '../api/types';
import { useApp } from '../context';
import { useDebounced, usePaged } from '../hooks';
import {
  ACCOUNT_FILTER_KEYS,
  activeFilterCount,
  parseFilters,
  toQueryString,
  type AccountFilters,
} from '../lib/query';
import { accountHref } from '../lib/router';
import { accountTypeLabel, cityState } from '../lib/format';
import { TerritorySelect } from '../components/bits';
import { ListFooter } from '../components/ListFooter';

export const ACCOUNT_TYPES = [
  'hospital',
  'clinic',
  'pharmacy',
  'drug_store',
  'distributor',
  'idn',
] as const;

export function AccountList({ initialQuery }: { initialQuery: string }) {
  const { api, me } = useApp();
  const initial = parseFilters(initialQuery, ACCOUNT_FILTER_KEYS) as AccountFilters;
  const [q, setQ] = useState(initial.q ?? '');
  const [city, setCity] = useState(initial.city ?? '');
  const [type, setType] = useState(initial.type ?? '');
  const [territory, setTerritory] = useState(initial.territory ?? '');
  const dq = useDebounced(q, 300);
  const dcity = useDebounced(city, 400);

  const filters: AccountFilters = { q: dq, city: dcity, type, territory };
  const key = toQueryString({ ...filters });
  useEffect(() => {
    const hash = key ? `#/accounts?${key}` : '#/accounts';
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }, [key]);

  const paged = usePaged<AccountSummary>((cursor) => api.listAccounts(filters, cursor, 50), key);
  const territories = me.territories ?? [];
  const nActive = activeFilterCount({ city, type, territory });

  return (
    <div class="screen">
      <div class="screen-head">
        <h1>Accounts</h1>
      </div>
      <div class="searchbar">
        <input
          type="search"
          placeholder="Search by name"
          aria-label="Search accounts by name"
          value={q}
          onInput={(e) => setQ(e.currentTarget.value)}
          data-testid="account-search"
        />
      </div>
      <details class="filters" open={nActive > 0 ? true : undefined}>
        <summary>Filters{nActive > 0 && <span class="pill">{nActive}</span>}</summary>
        <div class="filter-grid">
          <label>
            Type
            <select
              value={type}
              onChange={(e) => setType(e.currentTarget.value)}
              data-testid="filter-type"
            >
              <option value="">All types</option>
              {ACCOUNT_TYPES.map((t) => (
                <option key={t} value={t}>
                  {accountTypeLabel(t)}
                </option>
              ))}
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
          <TerritorySelect
            territories={territories}
            value={territory}
            onChange={setTerritory}
            testid="filter-territory"
          />
          {nActive > 0 && (
            <button
              type="button"
              class="btn btn-ghost"
              onClick={() => {
                setCity('');
                setType('');
                setTerritory('');
              }}
            >
              Clear filters
            </button>
          )}
        </div>
      </details>
      <ul
        class="cards"
        data-testid="account-list"
        data-loaded-key={paged.loadedKey ?? undefined}
        aria-busy={paged.loading}
      >
        {paged.list.items.map((a) => (
          <li key={a.id} class="card row" data-testid="account-card" data-id={a.id}>
            <a class="row-link" href={accountHref(a.id)}>
              <div class="row-main">
                <div class="row-title">{a.name}</div>
                <div class="row-sub muted">
                  {cityState(a)}
                  {a.territory && (
                    <>
                      {' · '}
                      <span class="terr" title={a.territory.name}>
                        {a.territory.code}
                      </span>
                    </>
                  )}
                </div>
              </div>
              <div class="row-badges">
                <span class={`badge type type-${a.account_type}`}>
                  {accountTypeLabel(a.account_type)}
                </span>
              </div>
            </a>
          </li>
        ))}
      </ul>
      <ListFooter paged={paged} noun="accounts" />
    </div>
  );
}
