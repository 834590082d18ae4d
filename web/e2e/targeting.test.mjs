// Commercial-ops self-service (Targeting screen): ops changes tier A's calls per month and uploads
// a segments CSV in the browser; a rep's Today progress and plan follow after a sync.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiClient, DESKTOP, launchBrowser, PHONE, screenshot, startDemoServer, uiLogin } from './helpers.mjs';

const HEADER = 'npi,product,tier,decile,set_on';

describe('targeting (ops self-service) reaches the rep', { timeout: 600_000 }, () => {
  let server;
  let browser;
  let api;
  let repToken;
  let opsToken;
  let repCtx;
  let rep;
  let opsCtx;
  let ops;
  let before0; // { target, tierAHcps, perMonth }
  let newPerMonth;
  let promoted; // HCPs (rep's, top tier C, callable) promoted to A

  before(async () => {
    server = await startDemoServer({ seed: 7, scale: 'small', logName: 'server-targeting.log' });
    api = apiClient(server.apiUrl);
    repToken = await api.login('rep.t01');
    opsToken = await api.login('ops');
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const callable = (h) => h.status === 'active' && !h.do_not_call;
  const tierACallable = async () => (await api.all(repToken, '/api/v1/hcps')).filter((h) => h.top_tier === 'A' && callable(h));
  const targetA = async () => (await api.get(repToken, '/api/v1/targets')).find((t) => t.tier === 'A').calls_per_month;

  test('(a) the rep syncs on a phone; Today shows the tier A target', async () => {
    repCtx = await browser.newContext(PHONE);
    rep = await repCtx.newPage();
    rep.on('pageerror', (e) => console.log('# rep page error:', e.message));
    await rep.goto(server.baseUrl + '/');
    await uiLogin(rep, 'rep.t01');
    await rep.locator('[data-testid=today]').waitFor();
    await rep.locator('[data-testid=progress]').waitFor({ timeout: 60_000 });
    await rep.locator('[data-testid=plan-item]').first().waitFor();
    const perMonth = await targetA();
    const tierA = await tierACallable();
    // The initial sync may still be filling IndexedDB: wait until the widget settles on the API's figure.
    await rep
      .waitForFunction((n) => Number(document.querySelector('[data-testid=progress-A]')?.dataset.target) === n, tierA.length * perMonth, {
        timeout: 30_000,
      })
      .catch(() => {});
    const target = Number(await rep.locator('[data-testid=progress-A]').getAttribute('data-target'));
    before0 = { target, perMonth, tierAHcps: tierA.length };
    assert.ok(tierA.length > 0);
    assert.equal(target, tierA.length * perMonth, 'the widget agrees with the API before the change');
    await screenshot(rep, 'targeting-01-rep-today-before');
  });

  test('(b) ops sets tier A and uploads segments on the Targeting screen', async () => {
    // Two of the rep's callable HCPs whose best tier is C, with no call this cycle (so due a call as tier A).
    const monthStart = new Date(new Date().getFullYear(), new Date().getMonth(), 1);
    const hcps = await api.all(repToken, '/api/v1/hcps');
    promoted = [];
    for (const h of hcps.filter((h) => h.top_tier === 'C' && callable(h))) {
      const calls = await api.get(repToken, `/api/v1/hcps/${h.id}/calls`);
      if (calls.every((c) => new Date(c.called_at) < monthStart)) promoted.push(h);
      if (promoted.length === 2) break;
    }
    assert.equal(promoted.length, 2, 'two tier C HCPs without a call this cycle');

    opsCtx = await browser.newContext(DESKTOP);
    ops = await opsCtx.newPage();
    ops.on('pageerror', (e) => console.log('# ops page error:', e.message));
    await ops.goto(server.baseUrl + '/');
    await uiLogin(ops, 'ops');
    const nav = await ops.$$eval('nav.tabs a', (as) => as.map((a) => a.textContent.trim()));
    assert.deepEqual(nav, ['HCPs', 'Accounts', 'Coverage', 'Targeting', 'Samples']);
    await ops.locator('nav.tabs a', { hasText: 'Targeting' }).click();
    await ops.waitForFunction(() => location.hash === '#/targeting');
    await ops.locator('[data-testid=target-row]').first().waitFor();

    // The three tiers with the API's values.
    const targets = await api.get(opsToken, '/api/v1/targets');
    const shown = await ops.$$eval('[data-testid=target-row]', (els) => els.map((e) => [e.dataset.tier, Number(e.dataset.value)]));
    assert.deepEqual(shown, ['A', 'B', 'C'].map((t) => [t, targets.find((x) => x.tier === t).calls_per_month]));

    const rowA = ops.locator('[data-testid=target-row][data-tier=A]');
    // Client-side check: more than 31 is refused next to the field, nothing is sent.
    await rowA.locator('[data-testid=target-input]').fill('40');
    await rowA.locator('[data-testid=target-save]').click();
    assert.match(await rowA.locator('[data-testid=target-error]').innerText(), /At most 31/);
    assert.equal(await targetA(), before0.perMonth);

    newPerMonth = before0.perMonth + 2;
    await rowA.locator('[data-testid=target-input]').fill(String(newPerMonth));
    await rowA.locator('[data-testid=target-save]').click();
    await ops.locator(`[data-testid=target-row][data-tier=A][data-value="${newPerMonth}"]`).waitFor();
    await rowA.locator('[data-testid=target-saved]').waitFor();
    assert.equal(await targetA(), newPerMonth);

    // Upload: segments is the default kind; its columns are shown as help.
    assert.equal(await ops.locator('[data-testid=upload-kind]').inputValue(), 'segments');
    assert.equal((await ops.locator('[data-testid=upload-columns] code').innerText()).trim(), HEADER);
    await ops.locator('[data-testid=upload-kind]').selectOption('alignment');
    assert.equal((await ops.locator('[data-testid=upload-columns] code').innerText()).trim(), 'zip,territory_code,effective_from');
    await ops.locator('[data-testid=upload-kind]').selectOption('segments');

    const csv = [HEADER, ...promoted.map((h) => `${h.npi},Cardivex,A,10,`)].join('\n') + '\n';
    await ops.locator('[data-testid=upload-file]').setInputFiles({ name: 'promote.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await ops.locator('[data-testid=upload-submit]').click();
    const report = ops.locator('[data-testid=import-report]');
    await report.waitFor();
    const num = async (k) => Number(await report.locator(`[data-testid=report-${k}]`).innerText());
    assert.equal(await num('rows'), 2);
    assert.equal((await num('created')) + (await num('updated')), 2);
    assert.equal(await num('rejected'), 0);
    assert.equal(await report.locator('[data-testid=report-error]').count(), 0);
    await screenshot(ops, 'targeting-02-ops-desktop', { fullPage: true });

    // A second file with one unknown NPI: that row's line and field are shown; the good row is unchanged.
    const bad = [HEADER, `${promoted[0].npi},Cardivex,A,10,`, '1234567893,Cardivex,A,10,'].join('\n') + '\n';
    await ops.locator('[data-testid=upload-file]').setInputFiles({ name: 'with-error.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await ops.locator('[data-testid=upload-submit]').click();
    await ops.locator('[data-testid=import-report] [data-testid=report-error]').first().waitFor();
    assert.equal(await num('rows'), 2);
    assert.equal(await num('rejected'), 1);
    assert.equal(await num('unchanged'), 1);
    const errs = await ops.$$eval('[data-testid=report-error]', (els) => els.map((e) => ({ line: e.dataset.line, field: e.dataset.field, text: e.textContent })));
    assert.equal(errs.length, 1, JSON.stringify(errs));
    assert.equal(errs[0].line, '3');
    assert.equal(errs[0].field, 'npi');
    assert.match(await ops.locator('[data-testid=report-summary]').innerText(), /2 rows: 0 created, 0 updated, 1 unchanged, 1 rejected/);
    await screenshot(ops, 'targeting-03-ops-desktop-rejected', { fullPage: true });
    await ops.setViewportSize(PHONE.viewport);
    await screenshot(ops, 'targeting-04-ops-phone', { fullPage: true });
  });

  test('(c) after a sync the rep\'s tier A target and plan follow', async () => {
    const tierA = await tierACallable();
    for (const h of promoted) assert.ok(tierA.some((x) => x.id === h.id), `${h.npi} is tier A now`);
    assert.equal(tierA.length, before0.tierAHcps + 2);
    const expected = tierA.length * newPerMonth;

    await rep.goto(server.baseUrl + '/#/sync');
    await rep.locator('[data-testid=sync-now]').click();
    await rep.goto(server.baseUrl + '/#/today');
    await rep.waitForFunction(
      (n) => Number(document.querySelector('[data-testid=progress-A]')?.dataset.target) === n,
      expected,
      { timeout: 30_000 },
    );
    for (const h of promoted) {
      await rep.locator(`[data-testid=plan-item][data-id="${h.id}"][data-tier=A]`).waitFor({ timeout: 10_000 });
    }
    await screenshot(rep, 'targeting-05-rep-today-after');
  });
});
