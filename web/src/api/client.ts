import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { ApiError, problemFromResponse } from './problem';
import { unwrap, uploadCsv } from './http';
import { planningApi } from './planning';
import { stewardshipApi } from './stewardship';
import type {
  Account,
  AccountPage,
  AttributionReport,
  Call,
  FrequencyReport,
  FrequencyTarget,
  Allocation,
  AllocationInput,
  Colleague,
  CredentialRule,
  DeaRegistration,
  KeyMessage,
  LossReport,
  LossReportUpdate,
  Lot,
  NewLot,
  ReconciliationReport,
  InventoryRollup,
  SampleException,
  SampleLimit,
  SampleRecord,
  ScreeningReport,
  ShipmentInput,
  ShipmentView,
  SkuFacts,
  SkuPolicy,
  Hcp,
  ImportReport,
  HcpPage,
  Me,
  Picklists,
  Product,
  Specialty,
  User,
} from './types';
import { cleanQuery, type AccountFilters, type HcpFilters } from '../lib/query';
import { csvUrl, filenameFromDisposition } from '../lib/oversight';

export interface ApiOptions {
  /** Absolute origin, e.g. "http://127.0.0.1:8080"; defaults to the page's origin. */
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
  getToken: () => string | null;
  /** Called when an authenticated request gets 401 (expired/revoked token). */
  onUnauthorized?: () => void;
}

export interface LoginResult {
  token: string;
  expires_at: string;
  user: Me;
}

const LOGIN_PATH = '/api/v1/auth/login';

/** Adds the bearer token and reports 401s (except from the login call itself). */
export function authMiddleware(opts: Pick<ApiOptions, 'getToken' | 'onUnauthorized'>): Middleware {
  return {
    onRequest({ request }) {
      const token = opts.getToken();
      if (token && !new URL(request.url).pathname.endsWith(LOGIN_PATH)) {
        request.headers.set('Authorization', `Bearer ${token}`);
      }
      request.headers.set('Accept', 'application/json, application/problem+json');
      return request;
    },
    onResponse({ request, response }) {
      if (response.status === 401 && !new URL(request.url).pathname.endsWith(LOGIN_PATH)) {
        opts.onUnauthorized?.();
      }
      return response;
    },
  };
}

/** GETs a CSV export with the bearer token (a plain link would lack the Authorization header). */
async function downloadFile(
  opts: ApiOptions,
  url: string,
  fallbackName: string,
): Promise<{ blob: Blob; filename: string }> {
  const headers: Record<string, string> = { Accept: 'text/csv, application/problem+json' };
  const token = opts.getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await (opts.fetch ?? globalThis.fetch)(url, { headers });
  } catch (e) {
    throw new ApiError(0, { detail: e instanceof Error ? e.message : String(e) });
  }
  if (res.status === 401) opts.onUnauthorized?.();
  if (!res.ok) throw await problemFromResponse(res);
  return {
    blob: await res.blob(),
    filename: filenameFromDisposition(res.headers.get('Content-Disposition'), fallbackName),
  };
}

/** Which records: exactly one of an HCP, a lot, a rep or a call. */
export type RecordFilter =
  { hcp_id: string } | { lot_id: string } | { rep_id: string } | { call_id: string };

export function createApi(opts: ApiOptions) {
  const baseUrl =
    opts.baseUrl ?? (typeof window !== 'undefined' ? window.location.origin : 'http://localhost');
  const client = createClient<paths>({ baseUrl, fetch: opts.fetch });
  client.use(authMiddleware(opts));

  return {
    client,
    login: (username: string, password: string): Promise<LoginResult> =>
      unwrap(() => client.POST('/api/v1/auth/login', { body: { username, password } })),
    logout: async (): Promise<void> => {
      await unwrap(() => client.POST('/api/v1/auth/logout', {}));
    },
    me: (): Promise<Me> => unwrap(() => client.GET('/api/v1/me')),
    listHcps: (filters: HcpFilters, cursor?: string | null, limit?: number): Promise<HcpPage> =>
      unwrap(() =>
        client.GET('/api/v1/hcps', {
          params: { query: cleanQuery({ ...filters, cursor, limit }) },
        }),
      ),
    getHcp: (id: string): Promise<Hcp> =>
      unwrap(() => client.GET('/api/v1/hcps/{id}', { params: { path: { id } } })),
    /** Calls with the HCP, newest first (scoped; 404 when the HCP is out of scope). */
    flagDoNotCall: (id: string, reason: string): Promise<Hcp> =>
      unwrap(() =>
        client.PUT('/api/v1/hcps/{id}/do-not-call', { params: { path: { id } }, body: { reason } }),
      ),
    clearDoNotCall: (id: string): Promise<Hcp> =>
      unwrap(() => client.DELETE('/api/v1/hcps/{id}/do-not-call', { params: { path: { id } } })),
    hcpCalls: (id: string): Promise<Call[]> =>
      unwrap(() => client.GET('/api/v1/hcps/{id}/calls', { params: { path: { id } } })),
    products: (): Promise<Product[]> => unwrap(() => client.GET('/api/v1/products')),
    /** The call report's pick lists (call types, outcomes, next steps). */
    picklists: (): Promise<Picklists> => unwrap(() => client.GET('/api/v1/picklists')),
    listAccounts: (
      filters: AccountFilters,
      cursor?: string | null,
      limit?: number,
    ): Promise<AccountPage> =>
      unwrap(() =>
        client.GET('/api/v1/accounts', {
          params: { query: cleanQuery({ ...filters, cursor, limit }) },
        }),
      ),
    getAccount: (id: string): Promise<Account> =>
      unwrap(() => client.GET('/api/v1/accounts/{id}', { params: { path: { id } } })),
    specialties: (): Promise<Specialty[]> => unwrap(() => client.GET('/api/v1/specialties')),
    users: (): Promise<User[]> => unwrap(() => client.GET('/api/v1/users')),
    /** Frequency tracking for a monthly cycle (`YYYY-MM`, default the server's current month), in scope. */
    frequencyReport: (cycle?: string | null, territory?: string | null): Promise<FrequencyReport> =>
      unwrap(() =>
        client.GET('/api/v1/reports/frequency', {
          params: { query: cleanQuery({ cycle, territory }) },
        }),
      ),
    /** Calls per territory, district and region from `from` to `to` (inclusive `YYYY-MM-DD`), in scope. */
    callsByUnit: (from: string, to: string): Promise<AttributionReport> =>
      unwrap(() =>
        client.GET('/api/v1/reports/calls-by-unit', { params: { query: { from, to } } }),
      ),
    /** Calls per plan cycle per product x tier, in force. */
    targets: (): Promise<FrequencyTarget[]> => unwrap(() => client.GET('/api/v1/targets')),
    /** Uploads a CSV file (raw body, text/csv) to an importer (ops, admin): hcps, accounts, alignment, specialties. */
    uploadImport: (kind: string, file: Blob): Promise<ImportReport> =>
      uploadCsv<ImportReport>(opts, `${baseUrl}/api/v1/imports/${encodeURIComponent(kind)}`, file),

    // Sample accountability: oversight, reports and policy.
    /** Reps whose samples the caller oversees. */
    sampleReps: (): Promise<Colleague[]> => unwrap(() => client.GET('/api/v1/samples/reps')),
    lots: (): Promise<Lot[]> => unwrap(() => client.GET('/api/v1/samples/lots')),
    createLot: (lot: NewLot): Promise<Lot> =>
      unwrap(() => client.POST('/api/v1/samples/lots', { body: lot })),
    shipments: (repId?: string | null): Promise<ShipmentView[]> =>
      unwrap(() =>
        client.GET('/api/v1/samples/shipments', {
          params: { query: cleanQuery({ rep_id: repId }) },
        }),
      ),
    ship: (input: ShipmentInput): Promise<ShipmentView> =>
      unwrap(() => client.POST('/api/v1/samples/shipments', { body: input })),
    /** Every sample SKU with what the rules need: controlled-substance schedule and unit value. */
    sampleSkus: (): Promise<SkuFacts[]> => unwrap(() => client.GET('/api/v1/samples/skus')),
    /** Sets a SKU's schedule and unit value (compliance, ops, admin); answers the SKU as saved. */
    putSkuPolicy: (id: string, policy: SkuPolicy): Promise<SkuFacts> =>
      unwrap(() =>
        client.PUT('/api/v1/samples/skus/{id}', { params: { path: { id } }, body: policy }),
      ),
    sampleLimits: (): Promise<SampleLimit[]> => unwrap(() => client.GET('/api/v1/samples/limits')),
    putSampleLimit: (limit: SampleLimit): Promise<SampleLimit> =>
      unwrap(() =>
        client.PUT('/api/v1/samples/limits/{id}', {
          params: { path: { id: limit.id } },
          body: limit,
        }),
      ),
    deleteSampleLimit: async (id: string): Promise<void> => {
      await unwrap(() =>
        client.DELETE('/api/v1/samples/limits/{id}', { params: { path: { id } } }),
      );
    },
    allocations: (repId?: string | null): Promise<Allocation[]> =>
      unwrap(() =>
        client.GET('/api/v1/samples/allocations', {
          params: { query: cleanQuery({ rep_id: repId }) },
        }),
      ),
    putAllocation: (input: AllocationInput): Promise<Allocation> =>
      unwrap(() => client.POST('/api/v1/samples/allocations', { body: input })),
    credentialRules: (): Promise<CredentialRule[]> =>
      unwrap(() => client.GET('/api/v1/samples/credential-rules')),
    putCredentialRule: (rule: CredentialRule): Promise<CredentialRule> =>
      unwrap(() =>
        client.PUT('/api/v1/samples/credential-rules/{id}', {
          params: { path: { id: rule.id } },
          body: rule,
        }),
      ),
    keyMessages: (): Promise<KeyMessage[]> => unwrap(() => client.GET('/api/v1/key-messages')),
    putKeyMessage: (m: KeyMessage): Promise<KeyMessage> =>
      unwrap(() =>
        client.PUT('/api/v1/key-messages/{id}', { params: { path: { id: m.id } }, body: m }),
      ),
    blacklistHcp: (id: string, reason: string): Promise<Hcp> =>
      unwrap(() =>
        client.PUT('/api/v1/hcps/{id}/blacklist', { params: { path: { id } }, body: { reason } }),
      ),
    clearBlacklist: (id: string): Promise<Hcp> =>
      unwrap(() => client.DELETE('/api/v1/hcps/{id}/blacklist', { params: { path: { id } } })),
    /** Screens HCPs against the HHS-OIG LEIE file (raw body, text/csv; compliance, admin): NPI matches are blacklisted. */
    screenLeie: (file: Blob): Promise<ScreeningReport> =>
      uploadCsv<ScreeningReport>(opts, `${baseUrl}/api/v1/screening/leie`, file),
    putDeaRegistration: (id: string, reg: DeaRegistration): Promise<Hcp> =>
      unwrap(() =>
        client.PUT('/api/v1/hcps/{id}/dea-registration', { params: { path: { id } }, body: reg }),
      ),
    sampleExceptions: (status?: 'open' | 'closed' | null): Promise<SampleException[]> =>
      unwrap(() =>
        client.GET('/api/v1/samples/exceptions', { params: { query: cleanQuery({ status }) } }),
      ),
    closeException: (id: string, comment: string): Promise<SampleException> =>
      unwrap(() =>
        client.POST('/api/v1/samples/exceptions/{id}/close', {
          params: { path: { id } },
          body: { comment },
        }),
      ),
    lossReports: (): Promise<LossReport[]> =>
      unwrap(() => client.GET('/api/v1/samples/loss-reports')),
    updateLossReport: (id: string, update: LossReportUpdate): Promise<LossReport> =>
      unwrap(() =>
        client.PATCH('/api/v1/samples/loss-reports/{id}', {
          params: { path: { id } },
          body: update,
        }),
      ),
    reconciliation: (repId: string, from: string, to: string): Promise<ReconciliationReport> =>
      unwrap(() =>
        client.GET('/api/v1/samples/reconciliation', {
          params: { query: { rep_id: repId, from, to } },
        }),
      ),
    /** The annual physical inventory of every rep the caller oversees, with totals. */
    inventoryStatus: (): Promise<InventoryRollup> =>
      unwrap(() => client.GET('/api/v1/samples/inventory-status')),
    inventoryStatusCsv: () =>
      downloadFile(
        opts,
        csvUrl(baseUrl, '/api/v1/samples/inventory-status', {}),
        'inventory-status.csv',
      ),
    sampleRecords: (filter: RecordFilter): Promise<SampleRecord[]> =>
      unwrap(() => client.GET('/api/v1/samples/records', { params: { query: filter } })),
    /** The reconciliation report as CSV (sections told apart by the first column). */
    reconciliationCsv: (repId: string, from: string, to: string) =>
      downloadFile(
        opts,
        csvUrl(baseUrl, '/api/v1/samples/reconciliation', { rep_id: repId, from, to }),
        `reconciliation-${from}-${to}.csv`,
      ),
    /** The sample record as CSV (one row per product line, with the signature and its hash). */
    sampleRecordsCsv: (filter: RecordFilter) =>
      downloadFile(
        opts,
        csvUrl(baseUrl, '/api/v1/samples/records', filter as Record<string, string>),
        'sample-records.csv',
      ),
    // Targeting versions, realignment cycles, territories and notices (./planning.ts).
    ...planningApi(client, opts, baseUrl),
    // Master data stewardship and data completeness (./stewardship.ts).
    ...stewardshipApi(client),
  };
}

export type Api = ReturnType<typeof createApi>;
