import { describe, expect, it } from 'vitest';
import { createApi } from '../src/api/client';
import { ApiError, problemFromBody, toFieldErrors } from '../src/api/problem';

type Handler = (req: Request) => Response | Promise<Response>;

/** A fetch stand-in that records requests and answers from a handler. */
function fakeFetch(handler: Handler) {
  const calls: Request[] = [];
  const fn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(input, init);
    calls.push(req);
    return handler(req);
  }) as typeof fetch;
  return { fn, calls };
}

const json = (status: number, body: unknown, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

const problem = (status: number, body: Record<string, unknown>) =>
  json(status, body, 'application/problem+json');

function api(handler: Handler, token: string | null = 'tok-123', onUnauthorized?: () => void) {
  const f = fakeFetch(handler);
  const a = createApi({
    baseUrl: 'http://crm.test',
    fetch: f.fn,
    getToken: () => token,
    onUnauthorized,
  });
  return { a, calls: f.calls };
}

describe('API client auth', () => {
  it('sends the bearer token on authenticated calls', async () => {
    const { a, calls } = api(() =>
      json(200, { id: 'u1', username: 'rep.t01', display_name: 'R', role: 'rep', territories: [] }),
    );
    const me = await a.me();
    expect(me.username).toBe('rep.t01');
    expect(calls[0].headers.get('authorization')).toBe('Bearer tok-123');
    expect(new URL(calls[0].url).pathname).toBe('/api/v1/me');
  });

  it('sends no Authorization header without a token, nor on login', async () => {
    const { a, calls } = api(
      () => json(200, { token: 't', expires_at: 'x', user: {} }),
      'old-token',
    );
    await a.login('rep.t01', 'demo');
    expect(calls[0].method).toBe('POST');
    expect(calls[0].headers.get('authorization')).toBeNull();
    expect(await calls[0].json()).toEqual({ username: 'rep.t01', password: 'demo' });

    const anon = api(() => json(200, []), null);
    await anon.a.specialties();
    expect(anon.calls[0].headers.get('authorization')).toBeNull();
  });

  it('reports a 401 on a data call (session over) but not a failed login', async () => {
    let fired = 0;
    const onUnauth = () => fired++;
    const { a } = api(
      () =>
        problem(401, {
          status: 401,
          title: 'Unauthorized',
          code: 'unauthenticated',
          detail: 'token expired',
        }),
      't',
      onUnauth,
    );
    await expect(a.listHcps({})).rejects.toMatchObject({
      status: 401,
      code: 'unauthenticated',
      detail: 'token expired',
    });
    expect(fired).toBe(1);

    const l = api(
      () =>
        problem(401, {
          status: 401,
          title: 'Unauthorized',
          code: 'invalid_credentials',
          detail: 'Wrong username or password',
        }),
      null,
      onUnauth,
    );
    const err = await l.a.login('x', 'y').catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('invalid_credentials');
    expect(err.detail).toBe('Wrong username or password');
    expect(fired).toBe(1);
  });
});

describe('API client errors', () => {
  it('parses problem+json field errors', async () => {
    const { a } = api(() =>
      problem(422, {
        type: 'about:blank',
        title: 'Validation failed',
        status: 422,
        detail: 'Invalid filter',
        code: 'validation',
        errors: [
          { field: 'tier', message: 'must be A, B or C' },
          { field: 'limit', message: 'must be <= 200' },
          { field: 'tier', message: 'unknown' },
        ],
      }),
    );
    const err = (await a.listHcps({ tier: 'Z' }).catch((e) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(422);
    expect(err.code).toBe('validation');
    expect(err.message).toBe('Invalid filter');
    expect(err.fieldErrors).toEqual({
      tier: 'must be A, B or C; unknown',
      limit: 'must be <= 200',
    });
  });

  it('maps a 404 to not_found', async () => {
    const { a, calls } = api(() =>
      problem(404, { status: 404, title: 'Not Found', code: 'not_found', detail: 'No such HCP' }),
    );
    const err = (await a.getHcp('abc/def').catch((e) => e)) as ApiError;
    expect(err.status).toBe(404);
    expect(err.code).toBe('not_found');
    expect(new URL(calls[0].url).pathname).toBe('/api/v1/hcps/abc%2Fdef');
  });

  it('copes with non-JSON error bodies and network failures', async () => {
    const { a } = api(
      () =>
        new Response('upstream exploded', {
          status: 502,
          headers: { 'content-type': 'text/plain' },
        }),
    );
    const err = (await a.me().catch((e) => e)) as ApiError;
    expect(err.status).toBe(502);
    expect(err.code).toBe('http_502');
    expect(err.detail).toBe('upstream exploded');

    const n = api(() => {
      throw new TypeError('Failed to fetch');
    });
    const nerr = (await n.a.me().catch((e) => e)) as ApiError;
    expect(nerr).toBeInstanceOf(ApiError);
    expect(nerr.status).toBe(0);
    expect(nerr.code).toBe('network_error');
    expect(nerr.detail).toBe('Failed to fetch');
  });

  it('problemFromBody/toFieldErrors tolerate junk', () => {
    expect(toFieldErrors(null)).toEqual({});
    expect(toFieldErrors([{ field: 1 }, 'x', { field: 'q', message: 'too short' }])).toEqual({
      q: 'too short',
    });
    const e = problemFromBody(500, '{"title":"Boom","code":"internal"}');
    expect(e.title).toBe('Boom');
    expect(e.detail).toBe('Boom');
    expect(e.code).toBe('internal');
    expect(problemFromBody(403, undefined).detail).toBe('Not allowed');
  });
});

describe('API client filters', () => {
  it('sends only non-empty filters plus cursor and limit', async () => {
    const { a, calls } = api(() => json(200, { items: [], next_cursor: null }));
    await a.listHcps(
      { q: '  smi ', specialty: '', tier: 'A', city: undefined, territory: 't-1', status: '' },
      'c2',
      50,
    );
    const u = new URL(calls[0].url);
    expect(u.pathname).toBe('/api/v1/hcps');
    expect(Object.fromEntries(u.searchParams)).toEqual({
      q: 'smi',
      tier: 'A',
      territory: 't-1',
      cursor: 'c2',
      limit: '50',
    });

    await a.listAccounts({ q: '', type: 'hospital', city: 'Austin' }, null);
    const u2 = new URL(calls[1].url);
    expect(u2.pathname).toBe('/api/v1/accounts');
    expect(Object.fromEntries(u2.searchParams)).toEqual({ type: 'hospital', city: 'Austin' });
  });

  it('asks for the frequency report with only the given cycle and territory', async () => {
    const { a, calls } = api(() =>
      json(200, {
        cycle: { from: '2026-10-01', to: '2026-11-01' },
        days_left: 0,
        method: 'm',
        territories: [],
        totals: [],
      }),
    );
    const r = await a.frequencyReport('2026-10', 't-1');
    expect(r.cycle.from).toBe('2026-10-01');
    const u = new URL(calls[0].url);
    expect(u.pathname).toBe('/api/v1/reports/frequency');
    expect(Object.fromEntries(u.searchParams)).toEqual({ cycle: '2026-10', territory: 't-1' });
    expect(calls[0].headers.get('Authorization')).toBe('Bearer tok-123');
    await a.frequencyReport();
    await a.frequencyReport('', null);
    expect([...new URL(calls[1].url).searchParams]).toEqual([]);
    expect([...new URL(calls[2].url).searchParams]).toEqual([]);
  });
});

describe('API client: calls by unit', () => {
  it('asks for the period as given and hands field errors over', async () => {
    let reply: Response = json(200, {
      from: '2026-01-01',
      to: '2026-05-14',
      territories: [],
      districts: [],
      regions: [],
      unattributed: 0,
      total: 0,
      method: 'm',
    });
    const { a, calls } = api(() => reply);
    const r = await a.callsByUnit('2026-01-01', '2026-05-14');
    expect(r.to).toBe('2026-05-14');
    const u = new URL(calls[0].url);
    expect(u.pathname).toBe('/api/v1/reports/calls-by-unit');
    expect(Object.fromEntries(u.searchParams)).toEqual({ from: '2026-01-01', to: '2026-05-14' });
    reply = problem(422, {
      title: 'Invalid input',
      code: 'validation_failed',
      errors: [{ field: 'to', message: 'is before from' }],
    });
    const err = await a.callsByUnit('2026-05-14', '2026-01-01').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).fieldErrors).toEqual({ to: 'is before from' });
  });
});

describe('API client: sample SKU policy', () => {
  it('PUTs the schedule and unit value to the SKU and reads field errors', async () => {
    const sku = {
      sku_id: 's-1',
      product_id: 'p-1',
      product_name: 'Cardivex',
      strength: '10 mg',
      ndc: '12345-678-90',
      dea_schedule: 'IV',
      unit_value_cents: 1234,
    };
    let reply: Response = json(200, sku);
    const { a, calls } = api(() => reply);
    const saved = await a.putSkuPolicy('s-1', { dea_schedule: 'IV', unit_value_cents: 1234 });
    expect(saved).toEqual(sku);
    expect(calls[0].method).toBe('PUT');
    expect(new URL(calls[0].url).pathname).toBe('/api/v1/samples/skus/s-1');
    expect(await calls[0].json()).toEqual({ dea_schedule: 'IV', unit_value_cents: 1234 });
    reply = problem(422, {
      title: 'Validation failed',
      status: 422,
      detail: 'Invalid SKU policy',
      errors: [{ field: 'unit_value_cents', message: 'cannot be negative' }],
    });
    const err = (await a
      .putSkuPolicy('s-1', { dea_schedule: null, unit_value_cents: -1 })
      .catch((e) => e)) as ApiError;
    expect(err.fieldErrors).toEqual({ unit_value_cents: 'cannot be negative' });
  });
});
