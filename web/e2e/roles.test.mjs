// Acceptance test: role-scoped HCP browsing through the real UI against the real server.
//
// Starts `pharmacrm demo` itself (binary from $PHARMACRM_BIN, default ../target/debug/pharmacrm
// relative to web/), drives Debian's Chromium via playwright-core and compares what the UI shows
// with what the API returns for the same user.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  apiClient,
  cspViolations,
  DESKTOP,
  launchBrowser,
  loadAllCards,
  PHONE,
  screenshot,
  shownCount,
  startDemoServer,
  uiLogin,
  waitListSettled,
} from './helpers.mjs';

const setOf = (xs) => new Set(xs);
const sorted = (s) => [...s].sort();

describe('role-scoped HCP access through the UI', { timeout: 600_000 }, () => {
  let server;
  let browser;
  let api;
  let opsToken;
  let opsHcps;
  let repToken;
  let repMe;
  let repHcps;
  let phone;
  let page;

  before(async () => {
    server = await startDemoServer({ seed: 7, scale: 'small' });
    api = apiClient(server.apiUrl);
    browser = await launchBrowser();
    repToken = await api.login('rep.t01');
    repMe = await api.get(repToken, '/api/v1/me');
    repHcps = await api.all(repToken, '/api/v1/hcps');
    opsToken = await api.login('ops');
    opsHcps = await api.all(opsToken, '/api/v1/hcps');
    phone = await browser.newContext(PHONE);
    page = await phone.newPage();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the server serves the web UI at /', async () => {
    const res = await fetch(server.baseUrl + '/');
    const html = await res.text();
    assert.equal(res.status, 200, `GET / -> ${res.status}: ${html.slice(0, 200)}`);
    assert.match(
      html,
      /<div id="app">/,
      'index.html of web/dist is embedded (run `npm run build` before building the server)',
    );
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self';/, 'a strict Content-Security-Policy');
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script in index.html');
  });

  test('a wrong password shows the problem detail; the rep logs in', async () => {
    await page.goto(server.baseUrl + '/');
    await page.locator('[data-testid=login-form]').waitFor();
    await page.locator('input[name=username]').fill('rep.t01');
    await page.locator('input[name=password]').fill('wrong-password');
    await page.locator('button[type=submit]').click();
    const err = page.locator('[data-testid=login-error]');
    await err.waitFor();
    const bad = await api.call('POST', '/api/v1/auth/login', {
      body: { username: 'rep.t01', password: 'wrong-password' },
    });
    assert.equal(bad.status, 401);
    assert.equal(bad.json.code, 'invalid_credentials');
    assert.equal((await err.innerText()).trim(), bad.json.detail);
    await screenshot(page, '01-login-error');

    await uiLogin(page, 'rep.t01');
    assert.equal(await page.locator('[data-testid=user-name]').innerText(), repMe.display_name);
    assert.equal(repMe.role, 'rep');
    assert.equal(repMe.territories.length, 1, 'a rep has exactly one territory');
    const terrText = await page.locator('[data-testid=user-territories]').innerText();
    assert.ok(
      terrText.includes(repMe.territories[0].name),
      `top bar names the territory: ${terrText}`,
    );
    const nav = await page.$$eval('nav.tabs a', (as) => as.map((a) => a.textContent.trim()));
    // Reps land on the offline field app's "Today" screen (issue 3); the HCP list is one tap away;
    // their sample inventory has its own screen (issue 4); realignment reviews need the network.
    assert.deepEqual(nav, ['Today', 'HCPs', 'Accounts', 'Samples', 'Realignment']);
    await page.locator('nav.tabs a', { hasText: 'HCPs' }).click();
    assert.ok(
      await page.evaluate(() => !!localStorage.getItem('pharmacrm.token')),
      'token kept in localStorage',
    );
  });

  test('the rep sees exactly their own HCPs, all in their territory, fewer than ops', async () => {
    await waitListSettled(page, 'hcp-list');
    await screenshot(page, '02-rep-hcp-list');
    const cards = await loadAllCards(page, 'hcp-list', 'hcp-card');
    const territory = repMe.territories[0];

    assert.ok(repHcps.length > 0, 'the demo rep has HCPs');
    assert.equal(cards.length, repHcps.length, 'no duplicates or missing rows in the UI');
    assert.deepEqual(
      sorted(setOf(cards.map((c) => c.npi))),
      sorted(setOf(repHcps.map((h) => h.npi))),
    );
    for (const c of cards) {
      assert.equal(c.territory, territory.code, `HCP ${c.npi} territory`);
      assert.equal(c.territoryText, territory.code, `HCP ${c.npi} territory label`);
    }
    for (const h of repHcps)
      assert.equal(h.territory?.id, territory.id, `API HCP ${h.npi} in the rep's territory`);
    assert.equal(await shownCount(page), repHcps.length, '"N shown"');
    assert.equal(
      await page.locator('[data-testid=load-more]').count(),
      0,
      'no "Load more" at the end',
    );
    assert.ok(
      repHcps.length < opsHcps.length,
      `rep sees ${repHcps.length} < ops ${opsHcps.length}`,
    );
    // The rep's territory filter is not offered (only one territory).
    assert.equal(await page.locator('[data-testid=filter-territory]').count(), 0);
  });

  test('searching by name narrows the list to what the API returns', async () => {
    // A last name that occurs in the rep's list but not for everybody.
    const counts = new Map();
    for (const h of repHcps) counts.set(h.last_name, (counts.get(h.last_name) ?? 0) + 1);
    const name = [...counts.entries()].sort(
      (a, b) => a[1] - b[1] || a[0].localeCompare(b[0]),
    )[0][0];
    const expected = await api.all(repToken, '/api/v1/hcps', { q: name });
    assert.ok(
      expected.length >= 1 && expected.length < repHcps.length,
      `q=${name} narrows (${expected.length})`,
    );

    await page.locator('[data-testid=hcp-search]').fill(name);
    await waitListSettled(page, 'hcp-list', new URLSearchParams({ q: name }).toString());
    const cards = await loadAllCards(page, 'hcp-list', 'hcp-card');
    assert.deepEqual(
      sorted(setOf(cards.map((c) => c.npi))),
      sorted(setOf(expected.map((h) => h.npi))),
    );
    assert.ok(cards.length < repHcps.length);
    for (const c of cards)
      assert.ok(c.name.toLowerCase().includes(name.toLowerCase()), `${c.name} matches ${name}`);
    await screenshot(page, '03-rep-hcp-search');

    await page.locator('[data-testid=hcp-search]').fill('');
    await waitListSettled(page, 'hcp-list');
    await page.waitForFunction(
      () => !document.querySelector('[data-testid=hcp-list]').getAttribute('data-loaded-key'),
    );
  });

  test('an HCP profile shows identity, specialty, licences, affiliations, call times, language, segments, DNC', async () => {
    // Pick the rep's HCP with the richest record so every section has content.
    let best = null;
    let bestScore = -1;
    for (const h of repHcps) {
      const d = await api.get(repToken, `/api/v1/hcps/${h.id}`);
      const score =
        Math.min(d.licences.length, 1) +
        Math.min(d.affiliations.length, 1) +
        Math.min(d.preferred_call_times.length, 1) +
        Math.min(d.segments.length, 1);
      if (score > bestScore) {
        best = d;
        bestScore = score;
      }
      if (score === 4) break;
    }
    assert.ok(
      best && bestScore === 4,
      'demo data has an HCP with licences, affiliations, call times and segments',
    );

    await page.locator(`[data-testid=hcp-card][data-id="${best.id}"] a`).first().click();
    const prof = page.locator('[data-testid=hcp-profile]');
    await prof.waitFor();
    assert.equal(await page.locator('[data-testid=profile-npi]').innerText(), best.npi);
    const title = await page.locator('[data-testid=profile-name]').innerText();
    assert.ok(title.includes(best.first_name) && title.includes(best.last_name), title);
    assert.equal(
      await page.locator('[data-testid=profile-specialty]').innerText(),
      best.specialty_name,
    );
    assert.ok(
      (await page.locator('[data-testid=profile-language]').innerText()).includes(best.language),
    );
    assert.ok(
      (await page.locator('[data-testid=profile-territory]').innerText()).includes(
        best.territory.code,
      ),
    );
    const dnc = page.locator('[data-testid=profile-dnc]');
    assert.equal(await dnc.getAttribute('data-dnc'), best.do_not_call ? 'true' : 'false');

    const licText = await page.locator('[data-testid=section-licences]').innerText();
    for (const l of best.licences) assert.ok(licText.includes(l.number), `licence ${l.number}`);
    const segText = await page.locator('[data-testid=section-segments]').innerText();
    for (const s of best.segments)
      assert.ok(segText.includes(s.product_name), `segment ${s.product_name}`);
    const affText = await page.locator('[data-testid=section-affiliations]').innerText();
    for (const a of best.affiliations)
      assert.ok(affText.includes(a.account_name), `affiliation ${a.account_name}`);
    const ctText = await page.locator('[data-testid=section-call-times]').innerText();
    for (const w of best.preferred_call_times)
      assert.ok(ctText.includes(`${w.from}–${w.to}`), `call time ${w.day} ${w.from}`);
    await screenshot(page, '04-rep-hcp-profile', { fullPage: true });

    // A do-not-call HCP shows the flag and its reason (if the rep has one).
    const dncHcp = repHcps.find((h) => h.do_not_call);
    if (dncHcp) {
      const d = await api.get(repToken, `/api/v1/hcps/${dncHcp.id}`);
      await page.goto(`${server.baseUrl}/#/hcps/${dncHcp.id}`);
      await prof.waitFor();
      assert.equal(await dnc.getAttribute('data-dnc'), 'true');
      assert.ok((await dnc.innerText()).includes(d.do_not_call.reason));
      await screenshot(page, '05-rep-hcp-profile-dnc', { fullPage: true });
    }

    // Back to the list; the DNC badge is on the right card.
    await page.goto(`${server.baseUrl}/#/hcps`);
    await waitListSettled(page, 'hcp-list');
    if (dncHcp) {
      await loadAllCards(page, 'hcp-list', 'hcp-card');
      assert.equal(
        await page
          .locator(`[data-testid=hcp-card][data-id="${dncHcp.id}"] [data-testid=dnc]`)
          .count(),
        1,
      );
    }
  });

  test('accounts: list and profile for the rep', async () => {
    await page.locator('nav.tabs a', { hasText: 'Accounts' }).click();
    await waitListSettled(page, 'account-list');
    const repAccounts = await api.all(repToken, '/api/v1/accounts');
    const n = await page.locator('[data-testid=account-card]').count();
    assert.equal(n, Math.min(repAccounts.length, 50));
    await screenshot(page, '06-rep-account-list');
    if (repAccounts.length > 0) {
      const withHcps = [];
      for (const a of repAccounts.slice(0, 20)) {
        const d = await api.get(repToken, `/api/v1/accounts/${a.id}`);
        if (d.affiliated_hcps.length) withHcps.push(d);
      }
      const acct =
        withHcps[0] ?? (await api.get(repToken, `/api/v1/accounts/${repAccounts[0].id}`));
      await page.goto(`${server.baseUrl}/#/accounts/${acct.id}`);
      await page.locator('[data-testid=account-profile]').waitFor();
      assert.equal(await page.locator('[data-testid=profile-name]').innerText(), acct.name);
      const text = await page.locator('[data-testid=section-affiliated-hcps]').innerText();
      for (const h of acct.affiliated_hcps)
        assert.ok(text.includes(h.name), `affiliated ${h.name}`);
      await screenshot(page, '07-rep-account-profile', { fullPage: true });
    }
  });

  test("the rep gets 404 for another territory's HCP (API and UI)", async () => {
    const foreign = opsHcps.find((h) => h.territory && h.territory.id !== repMe.territories[0].id);
    assert.ok(foreign, 'ops sees an HCP outside the rep territory');
    const r = await api.call('GET', `/api/v1/hcps/${foreign.id}`, { token: repToken });
    assert.equal(r.status, 404);
    assert.equal(r.json.code, 'not_found');
    assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/);
    // Ops can read it, so the 404 is scoping and not a bad id.
    assert.equal(
      (await api.call('GET', `/api/v1/hcps/${foreign.id}`, { token: opsToken })).status,
      200,
    );

    await page.goto(`${server.baseUrl}/#/hcps/${foreign.id}`);
    await page.locator('[data-testid=error]').waitFor();
    assert.equal(await page.locator('[data-testid=hcp-profile]').count(), 0);
  });

  test('after logout the manager sees exactly the district territories and HCP count', async () => {
    await page.goto(`${server.baseUrl}/#/hcps`);
    const uiToken = await page.evaluate(() => localStorage.getItem('pharmacrm.token'));
    assert.ok(uiToken);
    await page.locator('[data-testid=logout]').click();
    await page.locator('[data-testid=login-form]').waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem('pharmacrm.token')), null);
    // Logging out revoked the UI's token on the server.
    assert.equal((await api.call('GET', '/api/v1/me', { token: uiToken })).status, 401);

    const mgrToken = await api.login('mgr.d01');
    const mgrMe = await api.get(mgrToken, '/api/v1/me');
    assert.equal(mgrMe.role, 'manager');
    assert.ok(mgrMe.territories.length > 1, 'a district has several territories');
    const mgrHcps = await api.all(mgrToken, '/api/v1/hcps');
    assert.ok(mgrHcps.length > repHcps.length && mgrHcps.length < opsHcps.length);

    const desk = await browser.newContext(DESKTOP);
    const dpage = await desk.newPage();
    try {
      await dpage.goto(server.baseUrl + '/');
      await uiLogin(dpage, 'mgr.d01');
      await waitListSettled(dpage, 'hcp-list');
      await dpage.locator('details.filters summary').click();
      const opts = await dpage.$$eval('[data-testid=filter-territory] option', (os) =>
        os.filter((o) => o.value).map((o) => ({ id: o.value, code: o.getAttribute('data-code') })),
      );
      assert.deepEqual(sorted(opts.map((o) => o.id)), sorted(mgrMe.territories.map((t) => t.id)));
      assert.deepEqual(
        sorted(opts.map((o) => o.code)),
        sorted(mgrMe.territories.map((t) => t.code)),
      );
      await screenshot(dpage, '08-manager-hcp-list');

      const cards = await loadAllCards(dpage, 'hcp-list', 'hcp-card');
      assert.equal(cards.length, mgrHcps.length);
      assert.equal(await shownCount(dpage), mgrHcps.length);
      assert.deepEqual(
        sorted(setOf(cards.map((c) => c.npi))),
        sorted(setOf(mgrHcps.map((h) => h.npi))),
      );
      const codes = setOf(mgrMe.territories.map((t) => t.code));
      for (const c of cards)
        assert.ok(codes.has(c.territory), `HCP ${c.npi} in district (${c.territory})`);

      // Filtering by one territory narrows to that territory's HCPs.
      const t0 = mgrMe.territories[0];
      await dpage.locator('[data-testid=filter-territory]').selectOption(t0.id);
      await waitListSettled(
        dpage,
        'hcp-list',
        new URLSearchParams({ territory: t0.id }).toString(),
      );
      const one = await loadAllCards(dpage, 'hcp-list', 'hcp-card');
      const expected = mgrHcps.filter((h) => h.territory?.id === t0.id);
      assert.equal(one.length, expected.length);
      for (const c of one) assert.equal(c.territory, t0.code);

      // The online HCP profile shows the HCP's call history, as the API returns it (newest first).
      let withCalls = null;
      for (const h of mgrHcps) {
        const calls = await api.get(mgrToken, `/api/v1/hcps/${h.id}/calls`);
        if (calls.length >= 2) {
          withCalls = { h, calls };
          break;
        }
      }
      assert.ok(withCalls, 'an HCP of the district has a call history');
      const products = new Map(
        (await api.get(mgrToken, '/api/v1/products')).map((p) => [p.id, p.brand]),
      );
      await dpage.goto(`${server.baseUrl}/#/hcps/${withCalls.h.id}`);
      const hist = dpage.locator('[data-testid=call-history]');
      await hist.waitFor();
      assert.equal(Number(await hist.getAttribute('data-count')), withCalls.calls.length);
      const rowIds = await dpage.$$eval('[data-testid=history-row]', (els) =>
        els.map((e) => e.dataset.id),
      );
      assert.deepEqual(
        rowIds,
        withCalls.calls.map((c) => c.id),
        'same calls, same order',
      );
      const first = withCalls.calls[0];
      const firstText = await dpage.locator('[data-testid=history-row]').first().innerText();
      for (const pid of first.product_ids)
        assert.ok(firstText.includes(products.get(pid)), `product ${products.get(pid)} named`);
      assert.equal(
        await dpage.locator('[data-testid=history-rep]').first().getAttribute('title'),
        first.rep_id,
      );
      const pl = (await api.get(mgrToken, '/api/v1/sync/pull?limit=1')).changes.find(
        (c) => c.entity === 'picklists',
      ).data;
      const label = (list, code) => list.find((x) => x.code === code).label;
      assert.ok(
        firstText.includes(
          `${label(pl.outcomes, first.outcome)} → ${label(pl.next_steps, first.next_step)}`,
        ),
        `outcome and next step labels: ${firstText}`,
      );
      await screenshot(dpage, '08b-manager-hcp-call-history', { fullPage: true });
    } finally {
      await desk.close();
    }
  });

  test("the manager's Coverage screen shows the API's frequency report for the district", async () => {
    const mgrToken = await api.login('mgr.d01');
    const mgrMe = await api.get(mgrToken, '/api/v1/me');
    const report = (cycle, territory) =>
      api.get(
        mgrToken,
        `/api/v1/reports/frequency?${new URLSearchParams({ cycle, ...(territory ? { territory } : {}) })}`,
      );
    const tierTexts = (loc) =>
      loc.locator('[data-testid^=tier-][data-tier]').evaluateAll((els) =>
        els.map((e) => ({
          tier: e.dataset.tier,
          toward: e.querySelector('[data-testid=tier-toward]').textContent.trim(),
          reached: e.querySelector('[data-testid=tier-reached]').textContent.trim(),
        })),
      );
    const expectedTiers = (tiers) =>
      tiers.map((t) => ({
        tier: t.tier,
        toward: `${t.calls_toward_target} / ${t.target_calls}`,
        reached: `${t.reached} / ${t.hcps}`,
      }));
    const settled = (p, cycle, territory = '') =>
      p
        .locator(`[data-testid=coverage][data-loaded-key="cycle=${cycle}&territory=${territory}"]`)
        .waitFor();

    /** Every figure the screen shows, compared with the report the API gives the same user. */
    const checkScreen = async (p, rep, label) => {
      assert.deepEqual(
        await tierTexts(p.locator('[data-testid=coverage-totals]')),
        expectedTiers(rep.totals),
        `${label}: totals`,
      );
      const cards = p.locator('[data-testid=coverage-territory]');
      const shown = await cards.evaluateAll((els) =>
        els.map((e) => ({ id: e.dataset.id, code: e.dataset.code })),
      );
      assert.deepEqual(
        shown,
        rep.territories.map((t) => ({ id: t.territory.id, code: t.territory.code })),
        `${label}: territory cards`,
      );
      for (const t of rep.territories) {
        const card = p.locator(`[data-testid=coverage-territory][data-id="${t.territory.id}"]`);
        const what = `${label} ${t.territory.code}`;
        assert.equal(
          await card.locator('[data-testid=coverage-territory-name]').innerText(),
          t.territory.name,
        );
        assert.deepEqual(
          await tierTexts(card),
          expectedTiers(t.tiers),
          `${what}: per-tier calls toward target / target`,
        );
        const a = t.tiers.find((x) => x.tier === 'A');
        const signal = card.locator('[data-testid=coverage-signal]');
        // Behind: adherence below half the share of the cycle elapsed (web/src/lib/coverage.ts).
        const cycleDays = (Date.parse(rep.cycle.to) - Date.parse(rep.cycle.from)) / 86_400_000;
        const elapsed = Math.max(0, Math.min(1, (cycleDays - rep.days_left) / cycleDays));
        if (a.target_calls > 0 && a.adherence < 0.5 * elapsed && rep.days_left > 0) {
          const text = await signal.innerText();
          assert.ok(
            text.startsWith(
              `Tier A behind: ${a.calls_toward_target} of ${a.target_calls} target calls, ${rep.days_left} day`,
            ),
            `${what}: ${text}`,
          );
        } else {
          assert.equal(await signal.count(), 0, `${what}: no tier A signal`);
        }
        const gapIds = await card
          .locator('[data-testid=coverage-gap]')
          .evaluateAll((els) => els.map((e) => e.dataset.id));
        assert.deepEqual(
          gapIds,
          t.gaps.map((g) => g.hcp_id),
          `${what}: gaps, same order`,
        );
        const hrefs = await card
          .locator('[data-testid=coverage-gap] a')
          .evaluateAll((els) => els.map((e) => e.getAttribute('href')));
        assert.deepEqual(
          hrefs,
          t.gaps.map((g) => `#/hcps/${g.hcp_id}`),
          `${what}: gap names link to the HCP profile`,
        );
        const more = card.locator('[data-testid=coverage-gaps-more]');
        if (t.gaps_total > t.gaps.length)
          assert.equal(
            (await more.textContent()).trim(),
            `and ${t.gaps_total - t.gaps.length} more`,
          );
        else assert.equal(await more.count(), 0);
        if (t.gaps_total > 0)
          assert.equal(
            Number(await card.locator('[data-testid=coverage-gaps]').getAttribute('data-total')),
            t.gaps_total,
          );
      }
    };

    const ctx = await browser.newContext(PHONE);
    const p = await ctx.newPage();
    try {
      await p.goto(server.baseUrl + '/');
      await uiLogin(p, 'mgr.d01');
      const nav = await p.$$eval('nav.tabs a', (as) => as.map((a) => a.textContent.trim()));
      assert.deepEqual(nav, [
        'HCPs',
        'Accounts',
        'Coverage',
        'Realignment',
        'Samples',
        'Completeness',
      ]);
      await p.locator('nav.tabs a', { hasText: 'Coverage' }).click();
      const cycle = await p.locator('[data-testid=coverage-cycle]').inputValue();
      const thisMonth = await p.evaluate(() => {
        const d = new Date();
        return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
      });
      assert.equal(cycle, thisMonth, 'the current month by default');
      await settled(p, cycle);
      const rep = await report(cycle);
      assert.deepEqual(
        rep.territories.map((t) => t.territory.code),
        mgrMe.territories.map((t) => t.code).sort(),
        "the report covers the manager's territories",
      );
      assert.deepEqual(
        rep.territories.map((t) => t.territory.code),
        ['T01', 'T02'],
      );
      await checkScreen(p, rep, cycle);
      assert.ok(
        rep.territories.some((t) => t.gaps_total > 0),
        'demo data has targets behind plan',
      );
      // The method sentence is shown as it is.
      await p.locator('[data-testid=coverage-method] summary').click();
      assert.ok(
        (await p.locator('[data-testid=coverage-method]').innerText()).includes(rep.method),
      );

      // Calls by territory, district and region: year to date by default, the API's counts for the same user.
      const ytd = await p.evaluate(() => {
        const d = new Date();
        const pad = (n) => String(n).padStart(2, '0');
        return {
          from: `${d.getFullYear()}-01-01`,
          to: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`,
        };
      });
      const units = p.locator(
        `[data-testid=calls-by-unit][data-loaded-key="from=${ytd.from}&to=${ytd.to}"]`,
      );
      await units.waitFor();
      assert.equal(
        await p.locator('[data-testid=units-period]').inputValue(),
        'ytd',
        'year to date by default',
      );
      const byUnit = await api.get(
        mgrToken,
        `/api/v1/reports/calls-by-unit?${new URLSearchParams(ytd)}`,
      );
      const t01 = byUnit.territories.find((t) => t.code === 'T01');
      assert.ok(t01, 'the API lists T01 for mgr.d01');
      const t01Row = units.locator('[data-testid=unit-row][data-level=territory][data-code=T01]');
      assert.equal(
        Number(await t01Row.locator('[data-testid=unit-calls]').innerText()),
        t01.calls,
        'T01 calls as the API counts them',
      );
      const share = byUnit.total ? `${((100 * t01.calls) / byUnit.total).toFixed(1)}%` : '–';
      assert.equal(
        await t01Row.locator('[data-testid=unit-share]').innerText(),
        share,
        'T01 share of all calls',
      );
      const rowsShown = await units
        .locator('[data-testid=unit-row]')
        .evaluateAll((els) =>
          els.map(
            (e) =>
              `${e.dataset.level} ${e.dataset.code} ${e.querySelector('[data-testid=unit-calls]').textContent.trim()}`,
          ),
        );
      const rowsApi = [
        ...byUnit.regions.map((x) => `region ${x.code} ${x.calls}`),
        ...byUnit.districts.map((x) => `district ${x.code} ${x.calls}`),
        ...byUnit.territories.map((x) => `territory ${x.code} ${x.calls}`),
      ];
      assert.deepEqual(sorted(rowsShown), sorted(rowsApi), 'every unit in scope, with its count');
      assert.equal(
        Number(await units.locator('[data-testid=units-total]').innerText()),
        byUnit.total,
      );
      assert.equal(
        await units.locator('[data-testid=units-unattributed]').count(),
        byUnit.unattributed > 0 ? 1 : 0,
      );
      assert.equal(
        (await units.locator('[data-testid=units-method]').innerText()).trim(),
        byUnit.method,
      );
      // A last day before the first: the API's field error is shown by the "To" input.
      const badFrom = `${Number(ytd.to.slice(0, 4)) + 1}-01-01`;
      const bad = await api.call(
        'GET',
        `/api/v1/reports/calls-by-unit?from=${badFrom}&to=${ytd.to}`,
        { token: mgrToken },
      );
      assert.equal(bad.status, 422);
      await p.locator('[data-testid=units-period]').selectOption('custom');
      await p.locator('[data-testid=units-from]').fill(badFrom);
      const toError = p.locator('[data-testid=units-to-error]');
      await toError.waitFor();
      assert.equal(
        (await toError.innerText()).trim(),
        bad.json.errors.find((e) => e.field === 'to').message,
      );
      assert.equal(await p.locator('[data-testid=units-to]').getAttribute('aria-invalid'), 'true');
      await p.locator('[data-testid=units-period]').selectOption('ytd');
      await units.waitFor();
      assert.equal(
        await p.evaluate(() => location.hash),
        '#/coverage',
        'the default period is not written into the URL',
      );
      // Open the first territory's gaps for the screenshot.
      const withGaps = rep.territories.find((t) => t.gaps_total > 0);
      await p
        .locator(
          `[data-testid=coverage-territory][data-id="${withGaps.territory.id}"] [data-testid=coverage-gaps] summary`,
        )
        .click();
      await p.evaluate(() => scrollTo(0, 0)); // the sticky top bar stays at the top of a full-page shot
      await screenshot(p, '08c-manager-coverage', { fullPage: true });

      // A previous month: the picker reloads the report for that cycle (kept in the URL).
      const opts = await p.$$eval('[data-testid=coverage-cycle] option', (os) =>
        os.map((o) => o.value),
      );
      assert.equal(opts[0], cycle);
      assert.ok(opts.length >= 2, 'previous months selectable');
      await p.locator('[data-testid=coverage-cycle]').selectOption(opts[1]);
      await settled(p, opts[1]);
      assert.equal(await p.evaluate(() => location.hash), `#/coverage?cycle=${opts[1]}`);
      const prev = await report(opts[1]);
      assert.equal(prev.days_left, 0);
      await checkScreen(p, prev, opts[1]);

      // One territory: its card only, and totals for it.
      const t2 = mgrMe.territories.find((t) => t.code === 'T02');
      await p.locator('[data-testid=coverage-territory-filter]').selectOption(t2.id);
      await settled(p, opts[1], t2.id);
      const one = await report(opts[1], t2.id);
      assert.deepEqual(
        one.territories.map((t) => t.territory.code),
        ['T02'],
      );
      await checkScreen(p, one, `${opts[1]} T02`);

      // A gap's name opens the HCP's profile.
      await p.locator('[data-testid=coverage-cycle]').selectOption(cycle);
      await settled(p, cycle, t2.id);
      const now2 = await report(cycle, t2.id);
      const g = now2.territories[0].gaps[0];
      if (g) {
        await p.locator(`[data-testid=coverage-gap][data-id="${g.hcp_id}"] a`).click();
        await p.locator('[data-testid=hcp-profile]').waitFor();
        assert.equal(await p.evaluate(() => location.hash), `#/hcps/${g.hcp_id}`);
      }
    } finally {
      await ctx.close();
    }

    const desk = await browser.newContext(DESKTOP);
    const d = await desk.newPage();
    try {
      await d.goto(server.baseUrl + '/#/coverage');
      await uiLogin(d, 'mgr.d01');
      const cycle = await d.locator('[data-testid=coverage-cycle]').inputValue();
      await settled(d, cycle);
      await screenshot(d, '08d-manager-coverage-desktop', { fullPage: true });
    } finally {
      await desk.close();
    }
  });

  test('a 401 (expired or revoked token) returns to the login screen', async () => {
    const ctx = await browser.newContext(PHONE);
    const p = await ctx.newPage();
    try {
      await p.goto(server.baseUrl + '/');
      await p.evaluate((user) => {
        localStorage.setItem('pharmacrm.token', 'not-a-valid-token');
        localStorage.setItem('pharmacrm.user', JSON.stringify(user));
      }, repMe);
      await p.reload();
      // The cached user is shown until /me answers 401, then the app returns to the login form.
      await p.locator('[data-testid=login-form]').waitFor();
      assert.equal(await p.evaluate(() => localStorage.getItem('pharmacrm.token')), null);
    } finally {
      await ctx.close();
    }
  });

  test('admin gets the Users screen', async () => {
    const ctx = await browser.newContext(PHONE);
    const p = await ctx.newPage();
    try {
      await p.goto(server.baseUrl + '/#/users');
      await uiLogin(p, 'admin');
      const nav = await p.$$eval('nav.tabs a', (as) => as.map((a) => a.textContent.trim()));
      assert.deepEqual(nav, [
        'HCPs',
        'Accounts',
        'Coverage',
        'Targeting',
        'Realignment',
        'Samples',
        'Completeness',
        'Data quality',
        'Users',
      ]);
      await p.locator('nav.tabs a', { hasText: 'Users' }).click();
      await p.locator('[data-testid=user-list]').waitFor();
      const adminToken = await api.login('admin');
      const users = await api.get(adminToken, '/api/v1/users');
      assert.equal(await p.locator('[data-testid=user-card]').count(), users.length);
      await screenshot(p, '09-admin-users');
      // A rep does not get the users API.
      assert.ok(
        [403, 404].includes((await api.call('GET', '/api/v1/users', { token: repToken })).status),
      );
    } finally {
      await ctx.close();
    }
  });

  test('no screen broke the Content-Security-Policy', () => {
    assert.deepEqual(cspViolations(browser), []);
  });
});
