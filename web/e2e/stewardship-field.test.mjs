// HCP master data from the field (rep.t01 on a phone): the duplicate check while a new HCP is
// typed — online, a T01 HCP typed with a nickname is shown with the server's score, and a T03
// HCP typed exactly gives only the "outside your territories" hint; offline, a genuinely new
// person is proposed, shows as "Proposed" at once and gets a call, and both reach the server
// when back online; a change (status retired) proposed from a profile is approved by ops and
// the rep then sees it approved with the steward's reason and the HCP retired. A district
// manager, who works online, proposes through the REST API behind the same screens.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  apiClient,
  DESKTOP,
  launchBrowser,
  PHONE,
  screenshot,
  startDemoServer,
  uiLogin,
  WEB_DIR,
} from './helpers.mjs';

/** Nickname -> formal name, from the table the server and the app share. */
const NICKNAMES = (() => {
  const text = readFileSync(path.join(WEB_DIR, '../crates/domain/data/nicknames.txt'), 'utf8');
  const groups = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(/\s+/));
  return new Map(groups.map(([formal, ...names]) => [formal, names]));
})();

/** A valid NPI (Luhn over 80840 + nine digits) from nine digits. */
function npiFrom(nine) {
  let sum = 24;
  for (let i = 0; i < 9; i++) {
    const d = Number(nine[8 - i]);
    sum += i % 2 === 0 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d;
  }
  return nine + ((10 - (sum % 10)) % 10);
}

const cap = (s) => s[0].toUpperCase() + s.slice(1);
/** What the form sends to the matcher for these fields (blank fields are missing). */
const record = (f) => ({
  npi: null,
  first_name: f.first_name,
  last_name: f.last_name,
  specialty_code: null,
  street: f.line1 ?? null,
  city: f.city ?? null,
  state: f.state ?? null,
  zip: f.zip ?? null,
  phone: null,
  affiliations: [],
});

describe('HCP master data from the field (rep, phone)', { timeout: 600_000 }, () => {
  let server;
  let browser;
  let ctx;
  let page;
  let api;
  let repToken;
  let opsToken;
  let t01Hcps; // rep.t01's HCPs (list summaries)
  let proposedId; // the HCP proposed offline
  let changed; // the HCP whose status change is proposed
  const pageErrors = [];

  before(async () => {
    server = await startDemoServer({
      seed: 7,
      scale: 'small',
      logName: 'server-stewardship-field.log',
    });
    api = apiClient(server.apiUrl);
    repToken = await api.login('rep.t01');
    opsToken = await api.login('ops');
    t01Hcps = await api.all(repToken, '/api/v1/hcps');
    assert.ok(t01Hcps.length > 10);
    browser = await launchBrowser();
    ctx = await browser.newContext(PHONE);
    page = await ctx.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(server.baseUrl + '/');
    await uiLogin(page, 'rep.t01');
    await page.locator('[data-testid=progress]').waitFor({ timeout: 60_000 });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const check = (rec) => api.call('POST', '/api/v1/hcps/matches', { token: repToken, body: rec });
  const waitPending = (n, timeout = 60_000) =>
    page.waitForFunction(
      (n) =>
        document.querySelector('[data-testid=sync-indicator]')?.getAttribute('data-pending') ===
        String(n),
      n,
      { timeout },
    );

  /** Opens an empty "propose a new HCP" form from the HCP list. */
  async function openForm() {
    await page.goto(server.baseUrl + '/#/hcps');
    await page.locator('[data-testid=propose-hcp]').click();
    await page.locator('[data-testid=proposal-form]').waitFor();
  }

  /** A valid NPI no HCP holds yet. */
  async function freshNpi(start) {
    for (let i = 0; ; i++) {
      const candidate = npiFrom(String(start + i * 7919).padStart(9, '0'));
      if ((await api.get(opsToken, `/api/v1/hcps?q=${candidate}`)).items.length === 0)
        return candidate;
    }
  }

  async function fill(f) {
    for (const k of ['npi', 'first_name', 'last_name', 'line1', 'city', 'zip', 'phone']) {
      if (f[k] !== undefined) await page.locator(`[data-testid=f-${k}]`).fill(f[k]);
    }
    if (f.state) await page.locator('[data-testid=f-state]').selectOption(f.state);
  }

  test('(a) online: a T01 HCP typed with a nickname is shown with its score; a T03 HCP only as a hint', async () => {
    // A T01 HCP known by a nickname the table has, which the server finds from name and address.
    let target = null;
    let typed = null;
    let found = null;
    for (const s of t01Hcps) {
      const nick = NICKNAMES.get(s.first_name.toLowerCase())?.[0];
      if (!nick || s.master_status === 'proposed') continue;
      const h = await api.get(repToken, `/api/v1/hcps/${s.id}`);
      const f = {
        first_name: cap(nick),
        last_name: h.last_name,
        line1: h.address.line1,
        city: h.address.city,
        state: h.address.state,
        zip: h.address.zip,
      };
      const r = await check(record(f));
      assert.equal(r.status, 200);
      const m = r.json.matches.find((x) => x.id === h.id);
      if (m) {
        [target, typed, found] = [h, f, m];
        break;
      }
    }
    assert.ok(target, 'a T01 HCP the server finds by a nickname');
    assert.equal(found.score.fields.find((x) => x.field === 'first_name').level, 'nickname');

    await openForm();
    await fill(typed);
    const item = page.locator(
      `[data-testid=matches][data-source=server] [data-testid=match][data-id="${target.id}"]`,
    );
    await item.waitFor({ timeout: 20_000 });
    assert.equal(
      Number(await item.getAttribute('data-probability')),
      found.score.probability,
      'the server’s probability',
    );
    assert.equal(await item.getAttribute('data-outcome'), found.score.outcome);
    assert.equal(
      (await item.locator('[data-testid=match-score]').innerText()).trim(),
      `${Math.round(found.score.probability * 100)}%`,
    );
    assert.match(
      await item.locator('[data-testid=match-agreed]').innerText(),
      /first name \(nickname\)/,
    );
    assert.match(
      await item.locator('[data-testid=match-name]').innerText(),
      new RegExp(target.last_name),
    );
    if (found.score.outcome === 'same_record')
      await page.locator('[data-testid=different-check]').waitFor();
    await screenshot(page, 'stewardship-field-01-match', { fullPage: true });
    // "Open" goes to the existing HCP.
    await item.locator('[data-testid=match-open]').click();
    await page.waitForFunction((id) => location.hash === `#/hcps/${id}`, target.id);

    // A T03 HCP, typed exactly: the rep learns one exists elsewhere, never which.
    const territories = await api.get(opsToken, '/api/v1/territories');
    const t03 = territories.find((t) => t.code === 'T03');
    let outside = null;
    let outsideTyped = null;
    for (const s of (await api.all(opsToken, '/api/v1/hcps', { territory: t03.id })).slice(0, 20)) {
      const h = await api.get(opsToken, `/api/v1/hcps/${s.id}`);
      const f = {
        first_name: h.first_name,
        last_name: h.last_name,
        line1: h.address.line1,
        city: h.address.city,
        state: h.address.state,
        zip: h.address.zip,
      };
      const r = await check(record(f));
      if (r.json.match_outside_scope && !r.json.matches.some((m) => m.id === h.id)) {
        [outside, outsideTyped] = [h, f];
        break;
      }
    }
    assert.ok(outside, 'the server hints at a T03 HCP typed exactly');
    assert.equal(
      (await api.call('GET', `/api/v1/hcps/${outside.id}`, { token: repToken })).status,
      404,
      'not visible to rep.t01',
    );
    await openForm();
    await fill(outsideTyped);
    await page
      .locator(
        '[data-testid=matches][data-source=server][aria-busy=false] [data-testid=outside-hint]',
      )
      .waitFor({ timeout: 20_000 });
    assert.equal(
      await page.locator(`[data-testid=match][data-id="${outside.id}"]`).count(),
      0,
      'the T03 record is not shown',
    );
    assert.equal(
      (await page.locator('[data-testid=outside-hint]').innerText()).trim(),
      'A likely match exists outside your territories — your data steward will check.',
    );
    await screenshot(page, 'stewardship-field-02-outside-hint', { fullPage: true });
  });

  test('(b) offline: a new person is proposed, shows as Proposed, gets a call; both reach the server', async () => {
    const zipOf = t01Hcps[0];
    const place = await api.get(repToken, `/api/v1/hcps/${zipOf.id}`);
    const npi = await freshNpi(193_800_000);
    await ctx.setOffline(true);
    await page.waitForFunction(
      () => document.querySelector('[data-testid=sync-indicator]')?.dataset.online === 'false',
    );
    await openForm();
    // Errors name their fields before anything is queued.
    await page.locator('[data-testid=f-npi]').fill(npi.slice(0, 9) + ((Number(npi[9]) + 1) % 10));
    await page.locator('[data-testid=propose-submit]').click();
    assert.match(await page.locator('[data-testid=error-npi]').innerText(), /check digit/);
    assert.ok(await page.locator('[data-testid=error-last_name]').isVisible());
    assert.ok(await page.locator('[data-testid=error-zip]').isVisible());
    await fill({
      npi,
      first_name: 'Zephyrine',
      last_name: 'Quillfeather',
      line1: '77 Harbor Lane',
      city: place.address.city,
      state: place.address.state,
      zip: place.address.zip,
      phone: '(617) 555-0199',
    });
    await page.locator('[data-testid=f-credentials]').fill('MD');
    const specialty = await page
      .locator('[data-testid=f-specialty_code] option:not([value=""])')
      .first()
      .getAttribute('value');
    await page.locator('[data-testid=f-specialty_code]').selectOption(specialty);
    // Offline, the device checks its own HCPs and says the rest happens online.
    await page
      .locator(
        '[data-testid=matches][data-source=device][aria-busy=false] [data-testid=device-check-note]',
      )
      .waitFor({ timeout: 20_000 });
    assert.equal(
      await page.locator('[data-testid=match]').count(),
      0,
      'nobody like her on the device',
    );
    await screenshot(page, 'stewardship-field-03-offline-form', { fullPage: true });
    await page.locator('[data-testid=propose-submit]').click();
    await page.waitForFunction(() => /^#\/hcps\/[0-9a-f-]{36}$/.test(location.hash));
    proposedId = await page.evaluate(() => location.hash.split('/')[2]);
    await page.locator('[data-testid=hcp-profile] [data-testid=proposed-badge]').waitFor();
    assert.equal((await page.locator('[data-testid=profile-npi]').innerText()).trim(), npi);
    await waitPending(1);

    // In the list at once, marked Proposed.
    await page.goto(server.baseUrl + '/#/hcps');
    await page.locator('[data-testid=hcp-search]').fill('Quillfeather');
    const card = page.locator(`[data-testid=hcp-card][data-id="${proposedId}"]`);
    await card.waitFor();
    assert.equal(await card.getAttribute('data-master-status'), 'proposed');
    assert.equal(
      (await card.locator('[data-testid=proposed-badge]').innerText()).trim(),
      'Proposed',
    );
    await screenshot(page, 'stewardship-field-04-proposed-in-list');

    // A call on the proposed HCP, offline.
    await card.locator('a').click();
    await page.locator('[data-testid=profile-log-call]').click();
    await page.locator('[data-testid=call-form]').waitFor();
    await page.locator('[data-testid^=outcome-]').first().click();
    await page
      .locator('[data-testid^=next-step-]:not([data-testid=next-step-date])')
      .first()
      .click();
    await page.locator('[data-testid=call-notes]').fill('First visit, new in the practice');
    await page.locator('[data-testid=submit-call]').click();
    await page.locator('[data-testid=today]').waitFor();
    await waitPending(2);
    assert.equal(
      await page
        .locator(
          '[data-testid=requests-summary] [data-testid=request][data-sync=pending][data-kind=new_hcp]',
        )
        .count(),
      1,
    );

    // Back online: the proposal goes first, then the call on it.
    await ctx.setOffline(false);
    await waitPending(0);
    assert.equal(
      await page.locator('[data-testid=sync-indicator]').getAttribute('data-rejected'),
      '0',
    );
    const requests = await api.get(repToken, '/api/v1/data-requests');
    const mine = requests.filter((r) => r.hcp_id === proposedId);
    assert.deepEqual(
      mine.map((r) => [r.kind, r.status]),
      [['new_hcp', 'pending']],
      'the server holds the request',
    );
    const onServer = await api.get(repToken, `/api/v1/hcps/${proposedId}`);
    assert.deepEqual(
      [onServer.master_status, onServer.npi, onServer.first_name, onServer.phone],
      ['proposed', npi, 'Zephyrine', '6175550199'],
    );
    const calls = await api.get(repToken, `/api/v1/hcps/${proposedId}/calls`);
    assert.equal(calls.length, 1, 'the call on the proposed HCP');
    assert.equal(calls[0].notes, 'First visit, new in the practice');
    // The pulled record replaces the device's copy, still Proposed.
    await page.goto(server.baseUrl + `/#/hcps/${proposedId}`);
    await page.locator('[data-testid=hcp-profile] [data-testid=proposed-badge]').waitFor();
    await page
      .locator(
        `[data-testid=hcp-requests] [data-testid=request][data-id="${mine[0].id}"][data-sync=synced][data-status=pending]`,
      )
      .waitFor({ timeout: 30_000 });
  });

  test('(c) a status change proposed from a profile, approved by ops, reaches the rep with the reason', async () => {
    const before = await api.get(repToken, '/api/v1/data-requests');
    const busy = new Set(before.filter((r) => r.status === 'pending').map((r) => r.hcp_id));
    changed = t01Hcps.find(
      (h) =>
        h.status === 'active' &&
        !h.do_not_call &&
        h.master_status !== 'proposed' &&
        !busy.has(h.id),
    );
    await page.goto(server.baseUrl + `/#/hcps/${changed.id}`);
    await page.locator('[data-testid=propose-change-open]').click();
    // Nothing changed yet: said so next to the form.
    await page.locator('[data-testid=change-submit]').click();
    assert.match(await page.locator('[data-testid=error-changes]').innerText(), /at least one/);
    await page.locator('[data-testid=change-form] [data-testid=f-status]').selectOption('retired');
    await page
      .locator('[data-testid=change-form] [data-testid=f-note]')
      .fill('Retired last month, per the office manager');
    await page.locator('[data-testid=change-submit]').click();
    await page.locator('[data-testid=change-sent]').waitFor();
    await page
      .locator('[data-testid=hcp-requests] [data-testid=request][data-kind=change]')
      .waitFor();
    await waitPending(0);
    const request = (await api.get(repToken, '/api/v1/data-requests')).find(
      (r) => r.hcp_id === changed.id && r.kind === 'change',
    );
    assert.ok(request, 'the server holds the change request');
    assert.deepEqual(
      [request.status, request.changes],
      ['pending', [{ field: 'status', from: 'active', to: 'retired' }]],
    );
    assert.equal(
      (await api.get(repToken, `/api/v1/hcps/${changed.id}`)).status,
      'active',
      'nothing changes before approval',
    );

    const reason = 'Confirmed with the practice';
    const approved = await api.call('POST', `/api/v1/data-requests/${request.id}/approve`, {
      token: opsToken,
      body: { reason },
    });
    assert.equal(approved.status, 200, JSON.stringify(approved.json));
    assert.equal((await api.get(opsToken, `/api/v1/hcps/${changed.id}`)).status, 'retired');

    await page.goto(server.baseUrl + '/#/sync');
    await page.locator('[data-testid=sync-now]').click();
    await page.goto(server.baseUrl + `/#/hcps/${changed.id}`);
    const row = page.locator(
      `[data-testid=hcp-requests] [data-testid=request][data-id="${request.id}"][data-status=approved]`,
    );
    await row.waitFor({ timeout: 30_000 });
    assert.equal(
      (await row.locator('[data-testid=request-reason]').innerText()).trim(),
      `Data steward: ${approved.json.decision_reason}`,
    );
    assert.equal(
      (await page.locator('[data-testid=profile-status]').innerText()).trim(),
      'Retired',
    );
    await screenshot(page, 'stewardship-field-05-change-approved', { fullPage: true });

    // The list of my requests and the notice on Today say the same.
    await page.goto(server.baseUrl + '/#/requests');
    await page
      .locator(
        `[data-testid=my-requests] [data-testid=request][data-id="${request.id}"][data-status=approved]`,
      )
      .waitFor();
    const notice = (await api.get(repToken, '/api/v1/notices')).find(
      (n) => n.kind === 'data_request' && n.subject_id === request.id,
    );
    assert.ok(notice, 'the decision left rep.t01 a notice');
    await page.goto(server.baseUrl + '/#/today');
    const shown = page.locator(
      `[data-testid=notices] [data-testid=notice][data-id="${notice.id}"]`,
    );
    await shown.waitFor();
    assert.equal(
      (await shown.locator('[data-testid=notice-title]').innerText()).trim(),
      notice.title,
    );
    assert.equal(
      (await shown.locator('[data-testid=notice-body]').innerText()).trim(),
      notice.body,
    );
    await screenshot(page, 'stewardship-field-06-today', { fullPage: true });
    assert.deepEqual(pageErrors, [], 'no script errors on the way');
  });

  test('(d) a manager proposes online: matches from the server, the new HCP and the request at once', async () => {
    const mgrToken = await api.login('mgr.d01');
    const district = await api.all(mgrToken, '/api/v1/hcps');
    const place = await api.get(mgrToken, `/api/v1/hcps/${district[district.length - 1].id}`);
    const npi = await freshNpi(194_700_000);
    const mctx = await browser.newContext(DESKTOP);
    const mgr = await mctx.newPage();
    mgr.on('pageerror', (e) => pageErrors.push(e.message));
    await mgr.goto(server.baseUrl + '/');
    await uiLogin(mgr, 'mgr.d01');
    await mgr.locator('nav.tabs a', { hasText: 'HCPs' }).click();
    await mgr.locator('[data-testid=hcp-search]').fill('Ottoline Brackenbury');
    await mgr.locator('[data-testid=propose-hcp]').click();
    await mgr.locator('[data-testid=proposal-form]').waitFor();
    assert.equal(
      await mgr.locator('[data-testid=f-first_name]').inputValue(),
      'Ottoline',
      'the name searched for',
    );
    assert.equal(await mgr.locator('[data-testid=f-last_name]').inputValue(), 'Brackenbury');
    for (const [k, v] of [
      ['npi', npi],
      ['line1', '5 Quarry Road'],
      ['city', place.address.city],
      ['zip', place.address.zip],
    ])
      await mgr.locator(`[data-testid=f-${k}]`).fill(v);
    await mgr.locator('[data-testid=f-state]').selectOption(place.address.state);
    await mgr.locator('[data-testid=f-specialty_code]').selectOption(place.specialty_code);
    await mgr
      .locator(
        '[data-testid=matches][data-source=server][aria-busy=false] [data-testid=no-matches]',
      )
      .waitFor({ timeout: 20_000 });
    await mgr.locator('[data-testid=propose-submit]').click();
    await mgr.waitForFunction(() => /^#\/hcps\/[0-9a-f-]{36}$/.test(location.hash));
    const id = await mgr.evaluate(() => location.hash.split('/')[2]);
    await mgr.locator('[data-testid=hcp-profile] [data-testid=proposed-badge]').waitFor();
    const request = (await api.get(mgrToken, '/api/v1/data-requests')).find((r) => r.hcp_id === id);
    assert.deepEqual([request?.kind, request?.status], ['new_hcp', 'pending']);
    await mgr
      .locator(
        `[data-testid=hcp-requests] [data-testid=request][data-id="${request.id}"][data-status=pending][data-sync=synced]`,
      )
      .waitFor();
    assert.equal((await api.get(mgrToken, `/api/v1/hcps/${id}`)).npi, npi);
    await screenshot(mgr, 'stewardship-field-07-manager-proposed', { fullPage: true });
    await mctx.close();
    assert.deepEqual(pageErrors, [], 'no script errors on the way');
  });
});
