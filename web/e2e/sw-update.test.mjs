// "A new version is available — reload": the built app (web/dist, served from a temp copy by
// `vite preview`, no API needed) installs its service worker; a new build (a changed sw.js) then
// installs and waits; the page shows the banner; Reload lets the new worker take over and reloads.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freePort, launchBrowser, PHONE, screenshot, WEB_DIR } from './helpers.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('service worker update prompt (built app)', { timeout: 120_000 }, () => {
  let tmp;
  let preview;
  let baseUrl;
  let browser;

  before(async () => {
    const dist = path.join(WEB_DIR, 'dist');
    if (!existsSync(path.join(dist, 'sw.js')))
      throw new Error('web/dist is not built (npm run build)');
    tmp = mkdtempSync(path.join(os.tmpdir(), 'pharmacrm-sw-'));
    cpSync(dist, tmp, { recursive: true });
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    preview = spawn(
      path.join(WEB_DIR, 'node_modules/.bin/vite'),
      ['preview', '--port', String(port), '--strictPort', '--outDir', tmp],
      {
        cwd: WEB_DIR,
        stdio: 'ignore',
      },
    );
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(baseUrl + '/')).ok) break;
      } catch {
        /* not yet */
      }
      if (i > 100) throw new Error('vite preview did not start');
      await sleep(200);
    }
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    preview?.kill();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('a waiting new build is offered; Reload activates it', async () => {
    const ctx = await browser.newContext(PHONE);
    const page = await ctx.newPage();
    try {
      await page.goto(baseUrl + '/');
      await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, {
        timeout: 15_000,
      });
      // The first install activates by itself: no prompt.
      assert.equal(await page.locator('[data-testid=update-banner]').count(), 0);

      appendFileSync(path.join(tmp, 'sw.js'), '\n// a new build\n');
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
      await page.locator('[data-testid=update-banner]').waitFor({ timeout: 15_000 });
      // It waits: the old worker still controls the page.
      const waiting = await page.evaluate(
        async () => !!(await navigator.serviceWorker.getRegistration()).waiting,
      );
      assert.ok(waiting, 'the new worker waits');
      await screenshot(page, 'sw-update-banner');

      const loaded = page.waitForEvent('load');
      await page.locator('[data-testid=update-reload]').click();
      await loaded;
      await page.waitForFunction(() => !!navigator.serviceWorker.controller);
      const reg = await page.evaluate(async () => {
        const r = await navigator.serviceWorker.getRegistration();
        return {
          waiting: !!r.waiting,
          active: r.active?.state,
          script: await (await fetch('/sw.js')).text(),
        };
      });
      assert.equal(reg.waiting, false);
      assert.equal(reg.active, 'activated');
      assert.ok(reg.script.includes('a new build'));
      assert.equal(
        await page.locator('[data-testid=update-banner]').count(),
        0,
        'no banner after the reload',
      );
    } finally {
      await ctx.close();
    }
  });
});
