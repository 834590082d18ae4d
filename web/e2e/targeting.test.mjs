// Commercial-ops self-service (Targeting screen): ops creates a targeting version, raises one
// product's tier A calls in the frequency grid, uploads segmentation promoting two of a rep's
// tier C HCPs to A for that product and publishes it effective today; the rep's Today progress
// and plan follow after a sync, as the API computes them. The version it replaces stays readable.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  apiClient,
  DESKTOP,
  launchBrowser,
  PHONE,
  screenshot,
  startDemoServer,
  uiLogin,
} from './helpers.mjs';

const HEADER = 'npi,product,tier,decile';
const BRAND = 'Cardivex';

describe('targeting versions (ops self-service) reach the rep', { timeout: 600_000 }, () => {
  let server;
  let browser;
  let api;
  let repToken;
  let opsToken;
  let rep;
  let ops;
  let product; // the Cardivex product
  let oldVersion; // the version in force before (demo: 1 "Launch plan")
  let newVersionId;
  let newCalls;
  let promoted; // HCPs (rep's, top tier C, callable, no call this cycle) promoted to A

  before(async () => {
    server = await startDemoServer({ seed: 7, scale: 'small', logName: 'server-targeting.log' });
    api = apiClient(server.apiUrl);
    repToken = await api.login('rep.t01');
    opsToken = await api.login('ops');
    browser = await launchBrowser();
    product = (await api.get(opsToken, '/api/v1/products')).find((p) => p.brand === BRAND);
    assert.ok(product, `the demo has ${BRAND}`);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** The rep's tier A target per the API: every callable HCP whose best tier is A, each with the
   * largest calls among its segments' frequency rows (GET /api/v1/targets). */
  const apiTierA = async () => {
    const targets = await api.get(repToken, '/api/v1/targets');
    const freq = new Map(targets.map((t) => [`${t.product_id}:${t.tier}`, t.calls]));
    const list = (await api.all(repToken, '/api/v1/hcps')).filter(
      (h) => h.status === 'active' && !h.do_not_call,
    );
    const details = [];
    for (let i = 0; i < list.length; i += 16) {
      details.push(
        ...(await Promise.all(
          list.slice(i, i + 16).map((h) => api.get(repToken, `/api/v1/hcps/${h.id}`)),
        )),
      );
    }
    const tierA = [];
    for (const h of details) {
      if (h.blacklist || h.segments.length === 0) continue;
      const tier = h.segments.map((s) => s.tier).sort()[0];
      const calls = Math.max(...h.segments.map((s) => freq.get(`${s.product_id}:${s.tier}`) ?? 0));
      if (tier === 'A') tierA.push({ id: h.id, calls });
    }
    return { targets, tierA, target: tierA.reduce((n, h) => n + h.calls, 0) };
  };
  const waitProgressA = (page, n) =>
    page.waitForFunction(
      (x) => Number(document.querySelector('[data-testid=progress-A]')?.dataset.target) === x,
      n,
      { timeout: 30_000 },
    );

  test('(a) the rep syncs on a phone; Today shows the tier A target the API computes', async () => {
    const ctx = await browser.newContext(PHONE);
    rep = await ctx.newPage();
    rep.on('pageerror', (e) => console.log('# rep page error:', e.message));
    await rep.goto(server.baseUrl + '/');
    await uiLogin(rep, 'rep.t01');
    await rep.locator('[data-testid=today]').waitFor();
    await rep.locator('[data-testid=progress]').waitFor({ timeout: 60_000 });
    await rep.locator('[data-testid=plan-item]').first().waitFor();
    const expected = await apiTierA();
    assert.ok(expected.tierA.length > 0);
    assert.ok(
      expected.targets.every((t) => t.product_id && t.cycle === 'month'),
      'targets per product x tier, monthly (demo version 1)',
    );
    // The initial sync may still be filling IndexedDB: wait until the widget settles on the API's figure.
    await waitProgressA(rep, expected.target).catch(() => {});
    assert.equal(
      Number(await rep.locator('[data-testid=progress-A]').getAttribute('data-target')),
      expected.target,
      'the widget agrees with the API',
    );
    const month = await rep.evaluate(
      () => `${new Date().getFullYear()}-${String(new Date().getMonth() + 1).padStart(2, '0')}`,
    );
    assert.equal(await rep.locator('[data-testid=progress]').getAttribute('data-cycle'), month);
    assert.equal(
      (await rep.locator('[data-testid=progress-cycle]').innerText()).trim(),
      `Month ${month}`,
    );
    await screenshot(rep, 'targeting-01-rep-today-before');
  });

  test('(b) ops creates a version, raises tier A calls, uploads segmentation and publishes it today', async () => {
    // Two of the rep's callable HCPs whose best tier is C, with no call this cycle (so due a call as tier A).
    const monthStart = new Date(new Date().getFullYear(), new Date().getMonth(), 1);
    const hcps = await api.all(repToken, '/api/v1/hcps');
    promoted = [];
    for (const h of hcps.filter(
      (h) => h.top_tier === 'C' && h.status === 'active' && !h.do_not_call,
    )) {
      const calls = await api.get(repToken, `/api/v1/hcps/${h.id}/calls`);
      if (calls.every((c) => new Date(c.called_at) < monthStart)) promoted.push(h);
      if (promoted.length === 2) break;
    }
    assert.equal(promoted.length, 2, 'two tier C HCPs without a call this cycle');
    const versions0 = await api.get(opsToken, '/api/v1/targeting/versions');
    oldVersion = versions0.find((v) => v.state === 'in_force');
    assert.equal(oldVersion?.name, 'Launch plan', 'the demo has version 1 in force');

    const ctx = await browser.newContext(DESKTOP);
    ops = await ctx.newPage();
    ops.on('pageerror', (e) => console.log('# ops page error:', e.message));
    await ops.goto(server.baseUrl + '/');
    await uiLogin(ops, 'ops');
    const nav = await ops.$$eval('nav.tabs a', (as) => as.map((a) => a.textContent.trim()));
    assert.deepEqual(nav, [
      'HCPs',
      'Accounts',
      'Coverage',
      'Targeting',
      'Realignment',
      'Samples',
      'Completeness',
      'Data quality',
    ]);
    await ops.locator('nav.tabs a', { hasText: 'Targeting' }).click();
    await ops.waitForFunction(() => location.hash === '#/targeting');
    await ops.locator('[data-testid=version-item]').first().waitFor();
    // Every version, newest first; the one in force highlighted.
    const listed = await ops.$$eval('[data-testid=version-item]', (els) =>
      els.map((e) => [Number(e.dataset.number), e.dataset.state]),
    );
    assert.deepEqual(
      listed,
      [...versions0].sort((a, b) => b.number - a.number).map((v) => [v.number, v.state]),
    );
    const current = ops.locator('[data-testid=version-item].in-force');
    assert.equal(await current.count(), 1);
    assert.equal(await current.getAttribute('data-id'), oldVersion.id);

    // A new draft: its frequencies start as those in force.
    await ops.locator('[data-testid=new-version-name]').fill('E2E plan');
    await ops.locator('[data-testid=new-version-cycle]').selectOption('month');
    await ops.locator('[data-testid=new-version-submit]').click();
    await ops.waitForFunction(() => /^#\/targeting\/[0-9a-f-]{36}$/.test(location.hash));
    newVersionId = await ops.evaluate(() => location.hash.split('/')[2]);
    await ops.locator('[data-testid=version][data-state=draft]').waitFor();
    const draft = await api.get(opsToken, `/api/v1/targeting/versions/${newVersionId}`);
    assert.equal(draft.name, 'E2E plan');
    const inForce = await api.get(opsToken, '/api/v1/targets');
    const key = (f) => `${f.product_id}:${f.tier}:${f.calls}`;
    assert.deepEqual(
      draft.frequencies.map(key).sort(),
      inForce.map(key).sort(),
      'the draft copies the table in force',
    );
    const row = ops.locator(`[data-testid=freq-row][data-product="${product.id}"]`);
    const cellA = row.locator('[data-testid=freq-cell][data-tier=A]');
    const before = inForce.find((t) => t.product_id === product.id && t.tier === 'A').calls;
    assert.equal(Number(await cellA.getAttribute('data-value')), before);

    // Client-side check: more than 31 a month is refused next to the cell, nothing is sent.
    await cellA.locator('[data-testid=freq-input]').fill('40');
    assert.match(
      await cellA.locator('[data-testid=freq-error]').innerText(),
      /At most 31 calls per month/,
    );
    await ops.locator('[data-testid=freq-save]').click();
    await cellA.locator('[data-testid=freq-error]').waitFor();
    const unchanged = await api.get(opsToken, `/api/v1/targeting/versions/${newVersionId}`);
    assert.equal(
      unchanged.frequencies.find((f) => f.product_id === product.id && f.tier === 'A').calls,
      before,
    );

    newCalls = before + 2;
    await cellA.locator('[data-testid=freq-input]').fill(String(newCalls));
    assert.equal(await cellA.locator('[data-testid=freq-error]').count(), 0);
    await ops.locator('[data-testid=freq-save]').click();
    await ops.locator('[data-testid=freq-saved]').waitFor();
    await ops
      .locator(
        `[data-testid=freq-row][data-product="${product.id}"] [data-testid=freq-cell][data-tier=A][data-value="${newCalls}"]`,
      )
      .waitFor();
    const saved = await api.get(opsToken, `/api/v1/targeting/versions/${newVersionId}`);
    assert.equal(
      saved.frequencies.find((f) => f.product_id === product.id && f.tier === 'A').calls,
      newCalls,
    );

    // Segmentation into the draft: its columns are shown as help.
    assert.equal((await ops.locator('[data-testid=seg-columns] code').innerText()).trim(), HEADER);
    const csv = [HEADER, ...promoted.map((h) => `${h.npi},${BRAND},A,10`)].join('\n') + '\n';
    await ops
      .locator('[data-testid=seg-file]')
      .setInputFiles({ name: 'promote.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await ops.locator('[data-testid=seg-upload]').click();
    const report = ops.locator('[data-testid=import-report]');
    await report.waitFor();
    const num = async (k) => Number(await report.locator(`[data-testid=report-${k}]`).innerText());
    assert.equal(await num('rows'), 2);
    assert.equal((await num('created')) + (await num('updated')), 2);
    assert.equal(await num('rejected'), 0);
    for (const h of promoted)
      await ops
        .locator(
          `[data-testid=seg-row][data-npi="${h.npi}"][data-tier=A][data-product="${product.id}"]`,
        )
        .waitFor();
    assert.equal(
      (await api.get(opsToken, `/api/v1/targeting/versions/${newVersionId}`)).segments,
      2,
    );

    // A file with an unknown NPI: that row's line and field are shown.
    const bad =
      [HEADER, `${promoted[0].npi},${BRAND},A,10`, `1234567893,${BRAND},A,10`].join('\n') + '\n';
    await ops
      .locator('[data-testid=seg-file]')
      .setInputFiles({ name: 'with-error.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await ops.locator('[data-testid=seg-upload]').click();
    await ops.locator('[data-testid=import-report] [data-testid=report-error]').first().waitFor();
    assert.equal(await num('rejected'), 1);
    const errs = await ops.$$eval('[data-testid=report-error]', (els) =>
      els.map((e) => ({ line: e.dataset.line, field: e.dataset.field })),
    );
    assert.deepEqual(errs, [{ line: '3', field: 'npi' }]);

    // One segment set on screen: a decile out of range is refused next to the field; then saved.
    await ops.locator('[data-testid=seg-edit-npi]').fill(promoted[0].npi);
    await ops.locator('[data-testid=seg-edit-product]').selectOption(product.id);
    await ops.locator('[data-testid=seg-edit-decile]').fill('11');
    await ops.locator('[data-testid=seg-edit-save]').click();
    assert.match(
      await ops.locator('[data-testid=seg-edit-error-decile]').innerText(),
      /between 1 and 10/,
    );
    await ops.locator('[data-testid=seg-edit-decile]').fill('10');
    await ops.locator('[data-testid=seg-edit-save]').click();
    await ops.locator('[data-testid=seg-edit-saved]').waitFor();
    await ops
      .locator(
        `[data-testid=seg-row][data-npi="${promoted[0].npi}"][data-tier=A][data-product="${product.id}"]`,
      )
      .waitFor();
    assert.equal(
      (await api.get(opsToken, `/api/v1/targeting/versions/${newVersionId}`)).segments,
      2,
      'the same HCP x product is replaced, not added',
    );
    await screenshot(ops, 'targeting-02-ops-draft', { fullPage: true });

    // Publish effective today (the default).
    const today = await ops.evaluate(() => {
      const d = new Date();
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    });
    assert.equal(await ops.locator('[data-testid=publish-date]').inputValue(), today);
    await ops.locator('[data-testid=publish-submit]').click();
    await ops.locator('[data-testid=version][data-state=in_force]').waitFor();
    assert.equal(
      await ops.locator('[data-testid=freq-input]').count(),
      0,
      'a published version is read only',
    );
    const published = await api.get(opsToken, `/api/v1/targeting/versions/${newVersionId}`);
    assert.equal(published.state, 'in_force');
    assert.equal(published.effective_from, today);
    const targets = await api.get(opsToken, '/api/v1/targets');
    assert.ok(
      targets.every((t) => t.targeting_version_id === newVersionId),
      'the targets in force come from the new version',
    );
    assert.equal(
      targets.find((t) => t.product_id === product.id && t.tier === 'A').calls,
      newCalls,
    );
    await screenshot(ops, 'targeting-03-ops-published', { fullPage: true });
  });

  test('(c) the earlier version is still readable, superseded', async () => {
    await ops.locator('[data-testid=versions-link]').click();
    await ops
      .locator(`[data-testid=version-item][data-id="${oldVersion.id}"][data-state=superseded]`)
      .waitFor();
    assert.equal(
      await ops.locator('[data-testid=version-item].in-force').getAttribute('data-id'),
      newVersionId,
    );
    await ops.locator(`[data-testid=version-item][data-id="${oldVersion.id}"] a`).click();
    await ops.locator('[data-testid=version][data-state=superseded]').waitFor();
    await ops.locator('[data-testid=read-only]').waitFor();
    assert.equal(await ops.locator('[data-testid=freq-input]').count(), 0);
    assert.equal(await ops.locator('[data-testid=publish]').count(), 0);
    const v1 = await api.get(opsToken, `/api/v1/targeting/versions/${oldVersion.id}`);
    const shown = await ops.$$eval('[data-testid=freq-row]', (rows) =>
      rows.flatMap((r) =>
        [...r.querySelectorAll('[data-testid=freq-cell]')].map(
          (c) => `${r.dataset.product}:${c.dataset.tier}:${c.dataset.value}`,
        ),
      ),
    );
    for (const f of v1.frequencies)
      assert.ok(
        shown.includes(`${f.product_id}:${f.tier}:${f.calls}`),
        `grid shows ${f.tier} of ${f.product_id}`,
      );
    await ops.locator('[data-testid=seg-row]').first().waitFor();
    assert.ok(v1.segments > 0);
    assert.equal(
      (await ops.locator('[data-testid=seg-shown]').innerText()).trim(),
      `${Math.min(50, v1.segments)} of ${v1.segments} shown`,
    );
    await screenshot(ops, 'targeting-04-ops-superseded', { fullPage: true });
  });

  test("(d) after a sync the rep's tier A target and plan follow, as the API computes them", async () => {
    const expected = await apiTierA();
    for (const h of promoted) {
      const mine = expected.tierA.find((x) => x.id === h.id);
      assert.ok(mine, `${h.npi} is tier A now`);
      assert.equal(mine.calls, newCalls, `${h.npi}: ${BRAND}'s new tier A figure`);
    }
    await rep.goto(server.baseUrl + '/#/sync');
    await rep.locator('[data-testid=sync-now]').click();
    await rep.goto(server.baseUrl + '/#/today');
    await waitProgressA(rep, expected.target);
    for (const h of promoted) {
      const item = rep.locator(`[data-testid=plan-item][data-id="${h.id}"][data-tier=A]`);
      await item.waitFor({ timeout: 10_000 });
      assert.equal(
        (await item.locator('.row-badges .badge:not(.tier)').innerText()).trim(),
        `0/${newCalls}`,
      );
    }
    await screenshot(rep, 'targeting-05-rep-today-after');
  });
});
