// Acceptance test of the offline-first field app (issue 3) against the real server:
// initial sync, offline search, 3 calls logged offline from the plan (<= 5 manual inputs each),
// progress widget, reload while offline (service worker + IndexedDB), sync when back online,
// and an idempotent replay of the same push.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  apiClient,
  launchBrowser,
  PHONE,
  screenshot,
  startDemoServer,
  uiLogin,
} from './helpers.mjs';

/** All changes of a full (initial) pull for this token. */
async function fullPull(api, token) {
  const changes = [];
  let cursor = null;
  for (let i = 0; i < 500; i++) {
    const q = new URLSearchParams({ limit: '2000' });
    if (cursor) q.set('cursor', cursor);
    const page = await api.get(token, `/api/v1/sync/pull?${q}`);
    changes.push(...page.changes);
    if (!page.has_more) return changes;
    cursor = page.cursor;
  }
  throw new Error('too many pages');
}

/** A UUIDv7 (for a call made on "another device" in the test). */
function uuidv7() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  let t = Date.now();
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
  b[6] = 0x70 | (b[6] & 0x0f);
  b[8] = 0x80 | (b[8] & 0x3f);
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const callsIn = (changes) =>
  changes.filter((c) => c.entity === 'call' && c.op === 'put').map((c) => c.data);

describe('offline field app (rep, phone)', { timeout: 600_000 }, () => {
  let server;
  let browser;
  let ctx;
  let page;
  let api;
  let repToken;
  let repMe;
  let callsBefore;
  let searchName;
  let searchExpected;
  const logged = []; // { hcpId }
  const manualInputs = [];

  before(async () => {
    server = await startDemoServer({ seed: 7, scale: 'small' });
    api = apiClient(server.apiUrl);
    repToken = await api.login('rep.t01');
    repMe = await api.get(repToken, '/api/v1/me');
    callsBefore = callsIn(await fullPull(api, repToken));
    const hcps = await api.all(repToken, '/api/v1/hcps');
    const counts = new Map();
    for (const h of hcps) counts.set(h.last_name, (counts.get(h.last_name) ?? 0) + 1);
    searchName = [...counts.entries()].sort(
      (a, b) => a[1] - b[1] || a[0].localeCompare(b[0]),
    )[0][0];
    searchExpected = (await api.all(repToken, '/api/v1/hcps', { q: searchName }))
      .map((h) => h.npi)
      .sort();
    browser = await launchBrowser();
    ctx = await browser.newContext(PHONE);
    page = await ctx.newPage();
    page.on('pageerror', (e) => console.log('# page error:', e.message));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const pending = async () =>
    Number(await page.locator('[data-testid=sync-indicator]').getAttribute('data-pending'));
  const waitPending = (n, timeout = 30_000) =>
    page.waitForFunction(
      (n) =>
        document.querySelector('[data-testid=sync-indicator]')?.getAttribute('data-pending') ===
        String(n),
      n,
      { timeout },
    );
  const progress = async () =>
    page.$$eval('[data-testid^=progress-]', (els) =>
      Object.fromEntries(
        els
          .filter((e) => e.dataset.done !== undefined)
          .map((e) => [e.dataset.testid, Number(e.dataset.done)]),
      ),
    );

  test('after login the rep lands on Today and the initial sync fills IndexedDB', async () => {
    // Small pull pages, so that the initial (reset) checkpoint spans several pages.
    let pulls = 0;
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/sync/pull')) pulls++;
    });
    await page.goto(server.baseUrl + '/');
    await page.evaluate(() => localStorage.setItem('pharmacrm.syncPageLimit', '40'));
    await uiLogin(page, 'rep.t01');
    await page.locator('[data-testid=today]').waitFor();
    await page.locator('[data-testid=progress]').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid=plan-item]').first().waitFor();
    // The service worker controls the page (app shell precached) before we go offline.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, {
      timeout: 15_000,
    });
    const cached = await page.evaluate(async () => {
      const keys = await caches.keys();
      const c = await caches.open(keys.find((k) => k.startsWith('pharmacrm-shell-')));
      return (await c.keys()).map((r) => new URL(r.url).pathname);
    });
    assert.ok(
      cached.includes('/index.html') && cached.some((p) => p.startsWith('/assets/')),
      `precached: ${cached}`,
    );
    assert.equal(await pending(), 0);
    assert.ok(pulls >= 5, `the initial sync took ${pulls} pages`);
    // Everything of the multi-page checkpoint arrived: the plan lists the rep's due HCPs.
    const local = await page.evaluate(async (userId) => {
      const db = await new Promise((res, rej) => {
        const r = indexedDB.open(`pharmacrm-u-${userId}`);
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      const count = (s) =>
        new Promise((res) => {
          const r = db.transaction(s).objectStore(s).count();
          r.onsuccess = () => res(r.result);
        });
      return {
        hcps: await count('hcps'),
        calls: await count('calls'),
        accounts: await count('accounts'),
      };
    }, repMe.id);
    const full = await fullPull(api, repToken);
    const n = (e) => full.filter((c) => c.entity === e).length;
    assert.deepEqual(local, { hcps: n('hcp'), calls: n('call'), accounts: n('account') });
    await screenshot(page, 'offline-01-today', { fullPage: true });
  });

  test('offline: local search answers from IndexedDB', async () => {
    await ctx.setOffline(true);
    await page.waitForFunction(
      () => document.querySelector('[data-testid=sync-indicator]')?.dataset.online === 'false',
    );
    await page.locator('nav.tabs a', { hasText: 'HCPs' }).click();
    await page.locator('[data-testid=hcp-search]').fill(searchName);
    await page.waitForFunction(
      (q) =>
        (
          document.querySelector('[data-testid=hcp-list]')?.getAttribute('data-loaded-key') ?? ''
        ).includes(q),
      new URLSearchParams({ q: searchName }).toString(),
    );
    const npis = (
      await page.$$eval('[data-testid=hcp-card]', (els) => els.map((e) => e.dataset.npi))
    ).sort();
    assert.deepEqual(npis, searchExpected, `offline search "${searchName}" = API search`);
    await screenshot(page, 'offline-02-search');
  });

  test('offline: 3 calls from the plan, each with at most 5 manual inputs; progress moves at once', async () => {
    for (let i = 0; i < 3; i++) {
      await page.locator('nav.tabs a', { hasText: 'Today' }).click();
      await page.locator('[data-testid=plan-item]').first().waitFor();
      const before = await progress();
      // Pick the first plan entry we have not called yet (not a form input).
      const ids = await page.$$eval('[data-testid=plan-item]', (els) =>
        els.map((e) => e.dataset.id),
      );
      const hcpId = ids.find((id) => !logged.some((l) => l.hcpId === id));
      const tier = await page
        .locator(`[data-testid=plan-item][data-id="${hcpId}"]`)
        .getAttribute('data-tier');
      await page
        .locator(`[data-testid=plan-item][data-id="${hcpId}"] [data-testid=log-call]`)
        .click();
      await page.locator('[data-testid=call-form]').waitFor();
      if (i === 0) await screenshot(page, 'offline-03-call-form', { fullPage: true });
      // Auto-filled: when, where (primary account), products from the HCP's segments.
      assert.ok(await page.locator('[data-testid=call-when]').inputValue());
      let inputs = 0;
      const outcome = page.locator('[data-testid^=outcome-]').first();
      await outcome.click();
      inputs++;
      await page
        .locator('[data-testid^=next-step-]:not([data-testid=next-step-date])')
        .first()
        .click();
      inputs++;
      if (i === 2) {
        await page.locator('[data-testid=call-notes]').fill('Discussed dosing offline');
        inputs++;
      }
      await page.locator('[data-testid=submit-call]').click();
      inputs++;
      manualInputs.push(inputs);
      assert.ok(inputs <= 5, `call ${i + 1}: ${inputs} manual inputs`);
      await page.locator('[data-testid=today]').waitFor();
      logged.push({ hcpId });
      await waitPending(i + 1);
      if (i === 0) {
        await page.waitForFunction(
          ([t, n]) =>
            Number(document.querySelector(`[data-testid=progress-${t}]`)?.dataset.done) === n,
          [tier, before[`progress-${tier}`] + 1],
        );
        const afterP = await progress();
        assert.equal(
          afterP[`progress-${tier}`],
          before[`progress-${tier}`] + 1,
          `tier ${tier} progress +1`,
        );
        await screenshot(page, 'offline-04-progress-after-call', { fullPage: true });
      }
    }
    assert.equal(await pending(), 3);
  });

  test('offline reload: app shell from the service worker, data and 3 pending calls from IndexedDB', async () => {
    await page.reload();
    await page.locator('[data-testid=today]').waitFor({ timeout: 20_000 });
    await page.locator('[data-testid=progress]').waitFor();
    await waitPending(3);
    await page.goto(`${server.baseUrl}/#/hcps/${logged[2].hcpId}`);
    await page.locator('[data-testid=section-calls]').waitFor();
    const rows = page.locator('[data-testid=call-row][data-pending=true]');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 1, 'the pending call is in the HCP history');
    assert.ok((await rows.first().innerText()).includes('Discussed dosing offline'));
    await screenshot(page, 'offline-05-reloaded-profile', { fullPage: true });
  });

  test('back online: the outbox drains; the server holds exactly the 3 calls; a replayed push adds none', async () => {
    await ctx.setOffline(false);
    await waitPending(0, 60_000);
    const ind = page.locator('[data-testid=sync-indicator]');
    assert.equal(await ind.getAttribute('data-rejected'), '0');
    await screenshot(page, 'offline-06-synced');

    // The push as the app sent it, rebuilt from the outbox history in IndexedDB.
    const body = await page.evaluate(async (userId) => {
      const open = (name) =>
        new Promise((res, rej) => {
          const r = indexedDB.open(name);
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
      const all = (db, store) =>
        new Promise((res, rej) => {
          const r = db.transaction(store).objectStore(store).getAll();
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
      const udb = await open(`pharmacrm-u-${userId}`);
      const outbox = await all(udb, 'outbox');
      const ddb = await open('pharmacrm-device');
      const kv = await all(ddb, 'kv');
      return {
        client_id: kv.find((r) => r.key === 'client_id').value,
        statuses: outbox.map((o) => o.status),
        mutations: outbox
          .sort((a, b) => (a.id < b.id ? -1 : 1))
          .map((o) => ({ id: o.id, client_ts: o.client_ts, kind: o.kind, payload: o.payload })),
      };
    }, repMe.id);
    assert.equal(body.mutations.length, 3);
    assert.deepEqual(body.statuses, ['applied', 'applied', 'applied']);
    const ourIds = new Set(body.mutations.map((m) => m.payload.id));

    const after1 = callsIn(await fullPull(api, repToken));
    const ours = after1.filter((c) => ourIds.has(c.id));
    assert.equal(ours.length, 3, 'the server holds the 3 calls');
    assert.equal(after1.length, callsBefore.length + 3, 'and no other new call');
    assert.deepEqual(new Set(ours.flatMap((c) => c.hcp_ids)), new Set(logged.map((l) => l.hcpId)));

    const replay = await api.call('POST', '/api/v1/sync/push', {
      token: repToken,
      body: { client_id: body.client_id, mutations: body.mutations },
    });
    assert.equal(replay.status, 200, JSON.stringify(replay.json));
    assert.deepEqual(
      replay.json.results.map((r) => r.status),
      ['applied', 'applied', 'applied'],
    );
    const after2 = callsIn(await fullPull(api, repToken));
    assert.equal(after2.length, after1.length, 'the replay added no call');

    // The pulled server copies replaced the optimistic ones in the app.
    await page.goto(`${server.baseUrl}/#/hcps/${logged[2].hcpId}`);
    await page.locator('[data-testid=section-calls]').waitFor();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid=call-row][data-pending=true]').length === 0,
    );
    console.log(`# manual inputs per call: ${manualInputs.join(', ')}`);
  });

  test('a poke on the event stream (a call logged on another device) updates the app by itself', async () => {
    await page.goto(`${server.baseUrl}/#/today`);
    await page.locator('[data-testid=plan-item]').first().waitFor();
    await page.waitForFunction(
      () => document.querySelector('[data-testid=sync-indicator]')?.dataset.events === 'connected',
      null,
      { timeout: 30_000 },
    );
    const before = Number(await page.locator('[data-testid=progress]').getAttribute('data-done'));
    const hcpId = await page.locator('[data-testid=plan-item]').last().getAttribute('data-id');
    const picklists = (await fullPull(api, repToken)).find((c) => c.entity === 'picklists').data;
    const callId = uuidv7();
    const res = await api.call('POST', '/api/v1/sync/push', {
      token: repToken,
      body: {
        client_id: uuidv7(),
        mutations: [
          {
            id: uuidv7(),
            client_ts: new Date().toISOString(),
            kind: 'call.submit',
            payload: {
              id: callId,
              call_type: 'phone',
              hcp_ids: [hcpId],
              account_id: null,
              called_at: new Date(Date.now() - 60_000).toISOString(),
              product_ids: [],
              outcome: picklists.outcomes[0].code,
              next_step: picklists.next_steps[0].code,
              next_step_date: null,
              notes: 'from another device',
              corrects: null,
              correction_reason: null,
            },
          },
        ],
      },
    });
    assert.equal(res.json.results[0].status, 'applied', JSON.stringify(res.json));
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid=progress]')?.dataset.done) === n,
      before + 1,
      { timeout: 20_000 },
    );
  });

  test('a call the server rejects: reason shown, fixed as a draft, resent with a new mutation id', async () => {
    // The server's answer to the first push is stubbed (the real server would need an HCP that
    // became do-not-call meanwhile); the resend goes to the real server.
    const pushes = [];
    let stub = true;
    await ctx.route('**/api/v1/sync/push', async (route) => {
      const body = JSON.parse(route.request().postData());
      pushes.push(body);
      if (!stub) return route.continue();
      stub = false;
      await route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({
          results: body.mutations.map((m) => ({
            mutation_id: m.id,
            status: 'rejected',
            code: 'do_not_call',
            message: 'the HCP is do-not-call: asked not to be contacted',
            errors: [],
          })),
        }),
      });
    });
    try {
      await page.goto(`${server.baseUrl}/#/today`);
      const item = page.locator('[data-testid=plan-item]').first();
      const hcpId = await item.getAttribute('data-id');
      await item.locator('[data-testid=log-call]').click();
      await page.locator('[data-testid^=outcome-]').first().click();
      await page
        .locator('[data-testid^=next-step-]:not([data-testid=next-step-date])')
        .first()
        .click();
      await page.locator('[data-testid=submit-call]').click();
      await page.waitForFunction(
        () => document.querySelector('[data-testid=sync-indicator]')?.dataset.rejected === '1',
        null,
        { timeout: 20_000 },
      );
      await page.locator('[data-testid=sync-indicator]').click();
      const reason = await page.locator('[data-testid=rejected-reason]').innerText();
      assert.match(reason, /do-not-call/);
      await screenshot(page, 'offline-07-rejected');
      await page.locator('[data-testid=fix-rejected]').click();
      await page.locator('[data-testid=call-form]').waitFor();
      assert.equal(
        await page.locator('[data-testid=call-hcp]').getAttribute('href'),
        `#/hcps/${hcpId}`,
      );
      await page.locator('[data-testid=submit-call]').click();
      await page.locator('[data-testid=today]').waitFor();
      await page.waitForFunction(
        () => {
          const d = document.querySelector('[data-testid=sync-indicator]')?.dataset;
          return d && d.rejected === '0' && d.pending === '0';
        },
        null,
        { timeout: 20_000 },
      );
      assert.equal(pushes.length, 2);
      const [a, b] = pushes.map((p) => p.mutations[0]);
      assert.notEqual(a.id, b.id, 'the resend is a new mutation');
      assert.equal(a.payload.id, b.payload.id, 'of the same call');
      const calls = callsIn(await fullPull(api, repToken));
      assert.equal(calls.filter((c) => c.id === a.payload.id).length, 1);
    } finally {
      await ctx.unroute('**/api/v1/sync/push');
    }
  });

  test('a group call (2 attendees at one account) saved as a draft, reopened and submitted', async () => {
    const changes = await fullPull(api, repToken);
    const hcps = changes.filter((c) => c.entity === 'hcp' && c.op === 'put').map((c) => c.data);
    const ok = (h) => h.status === 'active' && !h.do_not_call;
    const byAccount = new Map();
    for (const h of hcps.filter(ok))
      for (const a of h.affiliations)
        byAccount.set(a.account_id, [...(byAccount.get(a.account_id) ?? []), h]);
    const [accountId, members] = [...byAccount.entries()].find(([, hs]) => hs.length >= 2);
    const [lead, other] = members;
    await page.goto(`${server.baseUrl}/#/call/new?hcp=${lead.id}`);
    await page.locator('[data-testid=call-form]').waitFor();
    await page.locator('[data-testid=call-type-group]').click();
    await page.locator('[data-testid=call-account]').selectOption(accountId);
    await page.locator(`[data-testid=attendee][data-id="${other.id}"]`).check();
    await page.locator('[data-testid^=outcome-]').first().click();
    await page.locator('[data-testid=save-draft]').click();
    await page.locator('[data-testid=today]').waitFor();
    const draft = page.locator('[data-testid=draft]');
    await draft.first().waitFor();
    assert.equal(await draft.count(), 1);
    await draft.locator('a').click();
    await page.locator('[data-testid=call-form]').waitFor();
    // Client-side check: the next step is still missing.
    await page.locator('[data-testid=submit-call]').click();
    await page.locator('[data-testid=error-next_step]').waitFor();
    await page
      .locator('[data-testid^=next-step-]:not([data-testid=next-step-date])')
      .first()
      .click();
    await screenshot(page, 'offline-08-group-call', { fullPage: true });
    await page.locator('[data-testid=submit-call]').click();
    await page.locator('[data-testid=today]').waitFor();
    await page.locator('[data-testid=drafts]').waitFor({ state: 'detached' });
    await waitPending(0);
    const group = callsIn(await fullPull(api, repToken)).filter(
      (c) => c.call_type === 'group' && c.account_id === accountId,
    );
    assert.equal(group.length, 1);
    assert.deepEqual(new Set(group[0].hcp_ids), new Set([lead.id, other.id]));
  });
  test('the answer to a push is lost (connection cut after the server applied it): the retry loses none, duplicates none', async () => {
    // Issue acceptance: the first push reaches the server (which applies it) but the connection is
    // reset before the app reads the answer; the app retries by itself (backoff timer) with the
    // same mutation id and the server answers from its record.
    // Every push the page sends (the cut one and the retries, which are not routed).
    const pushes = [];
    const onRequest = (r) => {
      if (r.method() === 'POST' && r.url().includes('/api/v1/sync/push'))
        pushes.push(JSON.parse(r.postData()));
    };
    page.on('request', onRequest);
    let cut = true;
    let answerStatus = null;
    let resolveCut;
    const cutDone = new Promise((r) => (resolveCut = r));
    await ctx.route('**/api/v1/sync/push', async (route) => {
      if (!cut) return route.continue();
      cut = false;
      const res = await route.fetch(); // the real server applies the push …
      answerStatus = res.status();
      await route.abort('connectionreset'); // … and the app never sees the answer
      resolveCut();
    });
    let hcpId;
    let callsOnHcpBefore;
    try {
      await page.goto(`${server.baseUrl}/#/today`);
      await page.locator('[data-testid=plan-item]').first().waitFor();
      await waitPending(0);
      hcpId = await page.locator('[data-testid=plan-item]').first().getAttribute('data-id');
      callsOnHcpBefore = await api.get(repToken, `/api/v1/hcps/${hcpId}/calls`);
      await page
        .locator(`[data-testid=plan-item][data-id="${hcpId}"] [data-testid=log-call]`)
        .click();
      await page.locator('[data-testid=call-form]').waitFor();
      await page.locator('[data-testid^=outcome-]').first().click();
      await page
        .locator('[data-testid^=next-step-]:not([data-testid=next-step-date])')
        .first()
        .click();
      await page.locator('[data-testid=call-notes]').fill('Answer lost on the way back');
      await page.locator('[data-testid=submit-call]').click();
      await page.locator('[data-testid=today]').waitFor();
      await cutDone;
      assert.equal(answerStatus, 200, 'the server answered (and applied) the first push');
      // The server already holds the call while the app still counts it as pending.
      const onServer = await api.get(repToken, `/api/v1/hcps/${hcpId}/calls`);
      assert.equal(onServer.length, callsOnHcpBefore.length + 1, 'the first push was applied');
      assert.equal(await pending(), 1, 'the app did not get the answer: still pending');
    } finally {
      await ctx.unroute('**/api/v1/sync/push');
    }
    // No help from the test: the engine retries after its backoff (2 s after one failure).
    await waitPending(0, 60_000);
    page.off('request', onRequest);
    assert.equal(
      await page.locator('[data-testid=sync-indicator]').getAttribute('data-rejected'),
      '0',
    );
    assert.ok(pushes.length >= 2, `pushes seen: ${pushes.length}`);
    const [first, retry] = pushes;
    assert.equal(first.mutations.length, 1);
    assert.equal(retry.mutations.length, 1);
    assert.equal(retry.mutations[0].id, first.mutations[0].id, 'the retry reused the mutation id');
    assert.deepEqual(retry.mutations[0].payload, first.mutations[0].payload, 'of the same call');
    assert.equal(retry.client_id, first.client_id);
    const callId = first.mutations[0].payload.id;

    // The outbox item is applied (from the replayed answer) and the server holds the call once.
    const item = await page.evaluate(
      async ([userId, mid]) => {
        const db = await new Promise((res, rej) => {
          const r = indexedDB.open(`pharmacrm-u-${userId}`);
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
        return new Promise((res, rej) => {
          const r = db.transaction('outbox').objectStore('outbox').get(mid);
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
      },
      [repMe.id, first.mutations[0].id],
    );
    assert.equal(item.status, 'applied');
    assert.ok(item.attempts >= 2, `attempts: ${item.attempts}`);
    const onHcp = await api.get(repToken, `/api/v1/hcps/${hcpId}/calls`);
    assert.equal(onHcp.length, callsOnHcpBefore.length + 1, 'exactly one new call on the HCP');
    assert.equal(onHcp.filter((c) => c.id === callId).length, 1, 'the call is there once');
    const opsToken = await api.login('ops');
    const asOps = await api.get(opsToken, `/api/v1/hcps/${hcpId}/calls`);
    assert.equal(asOps.filter((c) => c.id === callId).length, 1, 'once as ops too');
    assert.equal(
      callsIn(await fullPull(api, repToken)).filter((c) => c.id === callId).length,
      1,
      'once in a full pull',
    );

    // In the app: the call shows as synced (the pulled server copy, not the optimistic one).
    await page.goto(`${server.baseUrl}/#/hcps/${hcpId}`);
    const row = page.locator(`[data-testid=call-row][data-id="${callId}"]`);
    await row.waitFor();
    await page.waitForFunction(
      (id) =>
        document.querySelector(`[data-testid=call-row][data-id="${id}"]`)?.dataset.pending ===
        'false',
      callId,
      {
        timeout: 20_000,
      },
    );
    assert.equal(await page.locator(`[data-testid=call-row][data-id="${callId}"]`).count(), 1);
    await screenshot(page, 'offline-09-lost-answer-synced', { fullPage: true });
  });
});
