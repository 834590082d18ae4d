// The alignment by date end to end: ops publishes cycle Y (a T01 ZIP to T04 from tomorrow, with
// a reason) and cycle B (the same ZIP on to T02 from the next quarter start) through the API;
// in the Realignment screen's "Alignment by date" tab ops picks a day after B and sees the ZIP in
// T02 put there by B, picks tomorrow and sees it in T04 by Y, sees both moves scheduled in order,
// and a ZIP the server refuses is shown on the ZIP field. A manager sees only the district's rows.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  apiClient,
  DESKTOP,
  launchBrowser,
  screenshot,
  startDemoServer,
  uiLogin,
} from './helpers.mjs';

const DAY_MS = 86_400_000;
const addDays = (iso, n) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** The first quarter start at least 30 days after `today` (no override needed). */
function nextQuarterStart(today) {
  let day = addDays(today, 30);
  while (!/-(01|04|07|10)-01$/.test(day)) day = addDays(day, 1);
  return day;
}

describe(
  'alignment by date: the day picked, the cycle named, the changes scheduled',
  { timeout: 600_000 },
  () => {
    let server;
    let browser;
    let api;
    let opsToken;
    let zip;
    let today;
    let tomorrow;
    let quarter;

    before(async () => {
      server = await startDemoServer({ seed: 7, scale: 'small', logName: 'server-alignment.log' });
      api = apiClient(server.apiUrl);
      opsToken = await api.login('ops');
      browser = await launchBrowser();
      const territories = await api.get(opsToken, '/api/v1/territories');
      const code = (c) => territories.find((t) => t.code === c);
      const [t01, t02, t04] = [code('T01'), code('T02'), code('T04')];
      assert.ok(t01 && t02 && t04, 'the demo has T01, T02 and T04');
      const probe = await api.call('GET', '/api/v1/alignment/scheduled', { token: opsToken });
      today = probe.json.after;
      tomorrow = addDays(today, 1);
      quarter = nextQuarterStart(today);
      const first = await api.get(
        opsToken,
        `/api/v1/alignment?on=${today}&territory=${t01.id}&kind=zip&limit=1`,
      );
      zip = first.items[0].key;
      const publish = async (name, territory, publication) => {
        const cycle = await api.call('POST', '/api/v1/realignments', {
          token: opsToken,
          body: { name },
        });
        assert.equal(cycle.status, 200);
        const id = cycle.json.id;
        const lines = await api.call('PUT', `/api/v1/realignments/${id}/lines`, {
          token: opsToken,
          body: { zips: [{ key: zip, territory_id: territory.id }], accounts: [] },
        });
        assert.equal(lines.status, 200, JSON.stringify(lines.json));
        const done = await api.call('POST', `/api/v1/realignments/${id}/publish`, {
          token: opsToken,
          body: publication,
        });
        assert.equal(done.status, 200, JSON.stringify(done.json));
      };
      await publish('Y', t04, { effective_from: tomorrow, override_reason: 'practice closing' });
      await publish('B', t02, { effective_from: quarter, override_reason: null });
    });

    after(async () => {
      await browser?.close();
      await server?.stop();
    });

    const row = (page) => page.locator(`[data-testid=asof-row][data-key="${zip}"]`);
    /** Asks for the alignment on `on` of ZIP `z` and waits until that answer is shown. */
    const ask = async (page, { on, zip: z }) => {
      await page.locator('[data-testid=asof-date]').fill(on);
      await page.locator('[data-testid=asof-zip]').fill(z);
      await page.locator('[data-testid=asof-submit]').click();
      const key = `#/alignment?${new URLSearchParams({ on, zip: z })}`;
      await page
        .locator(`[data-testid=asof-table][data-loaded-key="${key}"][aria-busy=false]`)
        .waitFor();
    };

    test('ops reads the alignment on a day after B, on tomorrow, and the scheduled changes', async () => {
      const ctx = await browser.newContext(DESKTOP);
      const ops = await ctx.newPage();
      ops.on('pageerror', (e) => console.log('# ops page error:', e.message));
      await ops.goto(server.baseUrl + '/');
      await uiLogin(ops, 'ops');
      await ops.locator('nav.tabs a', { hasText: 'Realignment' }).click();
      await ops.locator('[data-testid=tab-alignment]').click();
      await ops.waitForFunction(() => location.hash.startsWith('#/alignment'));
      await ops.locator('[data-testid=asof-table][aria-busy=false]').waitFor();

      const later = addDays(quarter, 90);
      await ask(ops, { on: later, zip });
      await row(ops).waitFor();
      assert.deepEqual(await row(ops).evaluate((e) => ({ ...e.dataset })), {
        testid: 'asof-row',
        kind: 'zip',
        key: zip,
        territory: 'T02',
        since: quarter,
        cycle: 'B',
      });
      assert.ok(
        await ops.evaluate((on) => location.hash.includes(`on=${on}`), later),
        'the question is in the URL',
      );

      await ask(ops, { on: tomorrow, zip });
      await ops.locator(`[data-testid=asof-row][data-key="${zip}"][data-territory=T04]`).waitFor();
      assert.equal(await row(ops).getAttribute('data-cycle'), 'Y');

      const scheduled = ops.locator(`[data-testid=scheduled-row][data-key="${zip}"]`);
      await scheduled.nth(1).waitFor();
      const moves = await scheduled.evaluateAll((rows) =>
        rows.map((r) => [r.dataset.effective, r.dataset.from, r.dataset.to, r.dataset.cycle]),
      );
      assert.deepEqual(moves, [
        [tomorrow, 'T01', 'T04', 'Y'],
        [quarter, 'T04', 'T02', 'B'],
      ]);
      assert.match(await scheduled.first().innerText(), /practice closing/);
      await screenshot(ops, 'alignment-by-date', { fullPage: true });

      // The server refuses a ZIP filter that is not digits: the message is on the ZIP field.
      await ops.locator('[data-testid=asof-zip]').fill('12a');
      await ops.locator('[data-testid=asof-submit]').click();
      const zipError = ops.locator('[data-testid=asof-error-zip]');
      await zipError.waitFor();
      assert.match(await zipError.innerText(), /digits/);
      await ctx.close();
    });

    test("a manager sees only the district's territories", async () => {
      const ctx = await browser.newContext(DESKTOP);
      const page = await ctx.newPage();
      await page.goto(server.baseUrl + '/');
      await uiLogin(page, 'mgr.d01');
      await page.goto(server.baseUrl + '/#/alignment');
      await page.locator('[data-testid=asof-table][aria-busy=false]').waitFor();
      await page.locator('[data-testid=asof-row]').first().waitFor();
      const codes = new Set(
        await page
          .locator('[data-testid=asof-row]')
          .evaluateAll((rows) => rows.map((r) => r.dataset.territory)),
      );
      assert.deepEqual([...codes].sort(), ['T01', 'T02']);
      await ctx.close();
    });
  },
);
