// Compliance flags an HCP do-not-call from the profile; the flag is recorded with who set it
// and the rep's data shows it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  apiClient,
  DESKTOP,
  launchBrowser,
  screenshot,
  startDemoServer,
  uiLogin,
} from './helpers.mjs';

let server;
let browser;

before(async () => {
  server = await startDemoServer({ seed: 7, scale: 'small', logName: 'server-compliance.log' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('compliance flags an HCP do-not-call and the rep sees it', async () => {
  const api = apiClient(server.apiUrl);
  const rep = await api.login('rep.t01');
  const hcp = (await api.all(rep, '/api/v1/hcps')).find(
    (h) => !h.do_not_call && h.status === 'active',
  );
  const ctx = await browser.newContext(DESKTOP);
  const page = await ctx.newPage();
  try {
    await page.goto(server.baseUrl + '/');
    await uiLogin(page, 'compliance');
    await page.goto(`${server.baseUrl}/#/hcps/${hcp.id}`);
    await page.locator('[data-testid=hcp-profile]').waitFor();
    assert.equal(await page.locator('[data-testid=profile-dnc]').getAttribute('data-dnc'), 'false');
    await page.locator('[data-testid=dnc-reason]').fill('Excluded by the HHS-OIG list');
    await page.locator('[data-testid=dnc-submit]').click();
    await page.locator('[data-testid=profile-dnc][data-dnc=true]').waitFor();
    const banner = await page.locator('[data-testid=profile-dnc]').innerText();
    assert.match(banner, /Excluded by the HHS-OIG list/);
    assert.match(banner, /set by compliance/);
    await screenshot(page, 'compliance-01-flagged');
    const seen = await api.get(rep, `/api/v1/hcps/${hcp.id}`);
    assert.equal(seen.do_not_call.reason, 'Excluded by the HHS-OIG list');
    assert.equal(seen.do_not_call.set_by, 'compliance');
    await page.locator('[data-testid=dnc-submit]').click();
    await page.locator('[data-testid=profile-dnc][data-dnc=false]').waitFor();
    assert.equal((await api.get(rep, `/api/v1/hcps/${hcp.id}`)).do_not_call, null);
  } finally {
    await ctx.close();
  }
});

test('a rep does not get the control', async () => {
  const api = apiClient(server.apiUrl);
  const rep = await api.login('rep.t01');
  const hcp = (await api.all(rep, '/api/v1/hcps'))[0];
  const r = await api.call('PUT', `/api/v1/hcps/${hcp.id}/do-not-call`, {
    token: rep,
    body: { reason: 'x' },
  });
  assert.equal(r.status, 403);
});
