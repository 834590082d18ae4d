// Sample accountability online (issue #4): compliance works the exceptions queue, checks a rep's
// reconciliation against the API (CSV download, print stylesheet), tracks a loss report's FDA
// deadlines, blacklists an HCP from the profile, sets a SKU's schedule and unit value, and screens
// HCPs against the HHS-OIG exclusion list (LEIE).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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

/** The calendar quarter of today (local time, as the browser computes its default). */
function thisQuarter() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  const day = (x) => `${x.getFullYear()}-${p(x.getMonth() + 1)}-${p(x.getDate())}`;
  const start = new Date(d.getFullYear(), Math.floor(d.getMonth() / 3) * 3, 1);
  return {
    from: day(start),
    to: day(new Date(start.getFullYear(), start.getMonth() + 3, 0)),
    today: day(d),
  };
}

describe('sample compliance (online)', { timeout: 600_000 }, () => {
  let server;
  let browser;
  let api;
  let token;
  let ctx;
  let page;

  before(async () => {
    server = await startDemoServer({
      seed: 7,
      scale: 'small',
      logName: 'server-sample-compliance.log',
    });
    api = apiClient(server.apiUrl);
    token = await api.login('compliance');
    browser = await launchBrowser();
    ctx = await browser.newContext({ ...DESKTOP, acceptDownloads: true });
    page = await ctx.newPage();
    page.on('pageerror', (e) => console.log('# page error:', e.message));
    await page.goto(server.baseUrl + '/');
    await uiLogin(page, 'compliance');
  });

  after(async () => {
    await ctx?.close();
    await browser?.close();
    await server?.stop();
  });

  /** Opens a section of the Samples screen through its tab (each test can run alone). */
  const openSection = async (section) => {
    if (!(await page.evaluate(() => location.hash.startsWith('#/oversight/')))) {
      await page.evaluate(() => (location.hash = '#/oversight'));
    }
    await page.locator(`[data-testid=tab-${section}]`).click();
    await page.waitForFunction((s) => location.hash.startsWith(`#/oversight/${s}`), section);
  };

  const loadedStatus = (status) =>
    page.waitForFunction(
      (s) =>
        document.querySelector('[data-testid=exceptions]')?.getAttribute('data-loaded-status') ===
        s,
      status,
      {
        timeout: 20_000,
      },
    );

  test('(a) compliance closes an open exception with a comment; it moves to closed', async () => {
    const open = await api.get(token, '/api/v1/samples/exceptions?status=open');
    assert.ok(open.length > 0, 'the demo data has open exceptions');

    const nav = await page.$$eval('nav.tabs a', (as) => as.map((a) => a.textContent.trim()));
    assert.deepEqual(nav, ['HCPs', 'Accounts', 'Coverage', 'Samples', 'Completeness']);
    await page.locator('nav.tabs a', { hasText: 'Samples' }).click();
    await page.waitForFunction(() => location.hash === '#/oversight/exceptions');
    await loadedStatus('open');

    // Every open exception, newest first, with its rep, HCP and broken rules.
    const ids = await page.$$eval('[data-testid=exception]', (els) => els.map((e) => e.dataset.id));
    assert.deepEqual(
      ids,
      open.map((x) => x.id),
    );
    const x = open[0];
    const card = page.locator(`[data-testid=exception][data-id="${x.id}"]`);
    assert.equal(
      (await card.locator('[data-testid=exception-rep]').innerText()).trim(),
      x.rep_name,
    );
    if (x.hcp_name)
      assert.equal(
        (await card.locator('[data-testid=exception-hcp]').innerText()).trim(),
        x.hcp_name,
      );
    assert.deepEqual(
      await card
        .locator('[data-testid=finding]')
        .evaluateAll((els) => els.map((e) => e.dataset.code)),
      x.findings.map((f) => f.code),
    );
    const findingsText = await card.locator('[data-testid=exception-findings]').innerText();
    for (const f of x.findings) assert.ok(findingsText.includes(f.message), `shows "${f.message}"`);
    // When the samples were given (the record's time) first, when the server raised it second.
    const given = card.locator('[data-testid=exception-given]');
    if (x.occurred_at) {
      assert.equal(await given.getAttribute('data-value'), x.occurred_at);
      assert.match(await given.innerText(), /^given \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    } else {
      assert.match(await given.innerText(), /not recorded/);
    }
    assert.equal(
      await card.locator('[data-testid=exception-raised]').getAttribute('data-value'),
      x.raised_at,
    );
    assert.match(await card.locator('[data-testid=exception-raised]').innerText(), /^raised /);
    const recordLink = await card.locator('[data-testid=exception-record]').getAttribute('href');
    assert.equal(
      recordLink,
      x.hcp_id
        ? `#/oversight/records?hcp=${x.hcp_id}&record=${x.record_id}`
        : `#/oversight/records?rep=${x.rep_id}&record=${x.record_id}`,
    );
    await screenshot(page, 'sample-compliance-01-exceptions');

    // A comment is required: the field says so and nothing is sent.
    await card.locator('[data-testid=exception-close]').click();
    await card.locator('[data-testid=exception-comment-error]').waitFor();
    assert.match(
      await card.locator('[data-testid=exception-comment-error]').innerText(),
      /what the review found/i,
    );
    assert.equal(
      await card.locator('[data-testid=exception-comment]').getAttribute('aria-invalid'),
      'true',
    );
    assert.ok(
      (await api.get(token, '/api/v1/samples/exceptions?status=open')).some((e) => e.id === x.id),
      'still open',
    );

    const comment =
      'Reviewed with the rep and the district manager: retrained on the per-call maximum.';
    await card.locator('[data-testid=exception-comment]').fill(comment);
    await card.locator('[data-testid=exception-close]').click();
    await page.locator('[data-testid=exc-closed-notice]').waitFor();
    await card.waitFor({ state: 'detached' });
    const closedNow = await api.get(token, '/api/v1/samples/exceptions?status=closed');
    const done = closedNow.find((e) => e.id === x.id);
    assert.ok(done, 'closed on the server');
    assert.equal(done.comment, comment);
    assert.equal(done.closed_by, 'compliance');

    // Under "Closed" with who closed it and the comment.
    await page.locator('[data-testid=exc-filter-closed]').click();
    await loadedStatus('closed');
    assert.equal(await page.evaluate(() => location.hash), '#/oversight/exceptions?status=closed');
    const closedCard = page.locator(
      `[data-testid=exception][data-id="${x.id}"][data-status=closed]`,
    );
    await closedCard.waitFor();
    assert.equal(
      (await closedCard.locator('[data-testid=exception-comment-text]').innerText()).trim(),
      comment,
    );
    assert.match(
      await closedCard.locator('[data-testid=exception-closed]').innerText(),
      /Closed by compliance/,
    );
    assert.equal(await closedCard.locator('[data-testid=exception-close]').count(), 0);
    await screenshot(page, 'sample-compliance-02-closed');

    // The link opens the signed record with this record in it.
    await closedCard.locator('[data-testid=exception-record]').click();
    const row = page.locator(`[data-testid=record][data-id="${x.record_id}"]`);
    await row.waitFor({ timeout: 20_000 });
    assert.equal(await row.evaluate((e) => e.classList.contains('highlight')), true);
    const records = await api.get(
      token,
      x.hcp_id
        ? `/api/v1/samples/records?hcp_id=${x.hcp_id}`
        : `/api/v1/samples/records?rep_id=${x.rep_id}`,
    );
    const rec = records.find((r) => r.id === x.record_id);
    assert.equal(await row.getAttribute('data-hash'), rec.signature.hash);
    assert.equal(
      (await row.locator('[data-testid=record-signer]').innerText()).trim(),
      rec.signature.record.signer_name,
    );
    assert.equal(await page.locator('[data-testid=record]').count(), records.length);
    await screenshot(page, 'sample-compliance-03-record', { fullPage: true });
  });

  test('(b) the reconciliation on screen equals the API; CSV and print', async () => {
    const reps = await api.get(token, '/api/v1/samples/reps');
    const q = thisQuarter();
    // The rep with the most distributed units this quarter (the demo gives reps disbursements and counts).
    let best = null;
    for (const r of reps) {
      const rep = await api.get(
        token,
        `/api/v1/samples/reconciliation?rep_id=${r.id}&from=${q.from}&to=${q.to}`,
      );
      const units = rep.per_product.reduce(
        (s, p) => s + p.balance.disbursed + p.balance.received,
        0,
      );
      if (!best || units > best.units) best = { rep, units };
    }
    const report = best.rep;
    assert.ok(report.per_product.length > 0, 'the demo rep holds samples');

    await openSection('reconciliation');
    await page.locator('[data-testid=recon-rep]').waitFor();
    assert.equal(
      await page.locator('[data-testid=recon-period]').inputValue(),
      `${q.from}|${q.to}`,
      'the current quarter by default',
    );
    await page.locator('[data-testid=recon-rep]').selectOption(report.rep_id);
    const key = `${report.rep_id}|${q.from}|${q.to}`;
    await page.waitForFunction(
      (k) => document.querySelector('[data-testid=recon]')?.getAttribute('data-loaded-key') === k,
      key,
      { timeout: 20_000 },
    );
    assert.equal(
      (await page.locator('[data-testid=recon-rep-name]').innerText()).trim(),
      report.rep_name,
    );

    // Every product's figures, as the API computed them; the shown "expected" is the API's number.
    const cols = [
      'opening',
      'received',
      'transferred_in',
      'disbursed',
      'transferred_out',
      'returned',
      'destroyed',
      'lost',
      'stolen',
      'expected',
      'counted',
      'discrepancy',
    ];
    for (const p of report.per_product) {
      const row = page.locator(
        `[data-testid=recon-products] [data-testid=recon-row][data-id="${p.sku_id}"]`,
      );
      for (const c of cols) {
        const v = await row.locator(`[data-testid=bal-${c}]`).getAttribute('data-value');
        assert.equal(
          v,
          p.balance[c] == null ? '' : String(p.balance[c]),
          `${p.product} ${p.strength} ${c}`,
        );
      }
      assert.equal(
        Number((await row.locator('[data-testid=bal-expected]').innerText()).trim()),
        p.balance.expected,
      );
      assert.equal(
        await row.getAttribute('data-discrepancy'),
        p.balance.discrepancy ? 'true' : 'false',
      );
      const formula = await page
        .locator(`[data-testid=recon-formula][data-sku="${p.sku_id}"]`)
        .innerText();
      assert.ok(formula.includes(`= ${p.balance.expected} expected`), formula);
    }
    assert.equal(
      await page.locator('[data-testid=recon-lots] [data-testid=recon-row]').count(),
      report.per_lot.length,
    );
    const offLots = report.per_lot
      .filter((l) => l.balance.discrepancy)
      .map((l) => l.lot_id)
      .sort();
    const shownOff = (
      await page.$$eval(
        '[data-testid=recon-lots] [data-testid=recon-row][data-discrepancy=true]',
        (els) => els.map((e) => e.dataset.id),
      )
    ).sort();
    assert.deepEqual(shownOff, offLots, 'discrepancies highlighted');
    assert.equal(
      await page.locator('[data-testid=recon-distributions] [data-testid=recon-movement]').count(),
      report.distributions.length,
    );
    assert.equal(
      await page.locator('[data-testid=recon-receipts] [data-testid=recon-movement]').count(),
      report.receipts.length,
    );
    assert.equal(
      (await page.locator('[data-testid=recon-method-text]').innerText()).trim(),
      report.method,
    );
    await screenshot(page, 'sample-compliance-04-reconciliation', { fullPage: true });

    // Download CSV: fetched with the token and saved under the server's file name.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-testid=recon-csv]').click(),
    ]);
    assert.match(download.suggestedFilename(), /^reconciliation-.*\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8');
    assert.ok(
      csv.startsWith(
        'section,rep,from,to,opening_count_at,closing_count_at,last_count_at,annual_due_on,annual_status,method',
      ),
      csv.slice(0, 120),
    );
    assert.ok(csv.includes('product_summary'));

    // Print: the stylesheet hides navigation and controls, keeps the report.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('header.topbar').isVisible(), false);
    assert.equal(await page.locator('[data-testid=recon-print]').isVisible(), false);
    assert.equal(await page.locator('[data-testid=oversight-tabs]').isVisible(), false);
    assert.equal(await page.locator('[data-testid=recon-products]').isVisible(), true);
    await screenshot(page, 'sample-compliance-05-print', { fullPage: true });
    await page.emulateMedia({ media: 'screen' });
  });

  test('(c) a loss report cannot close before the FDA notice and written report are recorded', async (t) => {
    const reports = (await api.get(token, '/api/v1/samples/loss-reports')).filter(
      (r) => r.status !== 'closed',
    );
    if (reports.length === 0) {
      t.skip('no open loss report in the demo data');
      return;
    }
    const r = reports.find((x) => !x.fda_notified_on || !x.written_report_on) ?? reports[0];
    await openSection('losses');
    const card = page.locator(`[data-testid=loss-report][data-id="${r.id}"]`);
    await card.waitFor({ timeout: 20_000 });
    assert.equal(await card.getAttribute('data-status'), r.status);
    if (!r.fda_notified_on || !r.written_report_on) {
      await card.locator('[data-testid=loss-close]').click();
      await card.locator('[data-testid=loss-close-error]').waitFor();
      assert.match(
        await card.locator('[data-testid=loss-close-error]').innerText(),
        /FDA notice and the written report/,
      );
    }
    const q = thisQuarter();
    const day = r.discovered_on > q.today ? r.discovered_on : q.today;
    if (!r.fda_notified_on) await card.locator('[data-testid=loss-fda_notified_on]').fill(day);
    if (!r.written_report_on) await card.locator('[data-testid=loss-written_report_on]').fill(day);
    await card.locator('[data-testid=loss-close]').click();
    await card.locator('[data-testid=loss-closed]').waitFor();
    const after = (await api.get(token, '/api/v1/samples/loss-reports')).find((x) => x.id === r.id);
    assert.equal(after.status, 'closed');
    assert.equal(after.closed_by, 'compliance');
    await screenshot(page, 'sample-compliance-06-loss-closed');
  });

  test('(d) compliance blacklists an HCP from the profile and the flag shows', async () => {
    const rep = await api.login('rep.t01');
    // An active HCP of the rep's without a flag (the demo blacklists one HCP already).
    let hcp = null;
    for (const h of (await api.all(rep, '/api/v1/hcps')).filter(
      (h) => h.status === 'active' && !h.do_not_call,
    )) {
      if (!(await api.get(token, `/api/v1/hcps/${h.id}`)).blacklist) {
        hcp = h;
        break;
      }
    }
    assert.ok(hcp, 'an HCP that is not blacklisted');
    await page.evaluate((id) => (location.hash = `#/hcps/${id}`), hcp.id);
    await page.locator('[data-testid=hcp-profile]').waitFor();
    assert.equal(
      await page.locator('[data-testid=profile-blacklist]').getAttribute('data-blacklisted'),
      'false',
    );
    await page.locator('[data-testid=section-dea]').waitFor();
    await page.locator('[data-testid=section-sample-record]').waitFor();

    // The reason is required.
    await page.locator('[data-testid=blacklist-submit]').click();
    await page.locator('[data-testid=blacklist-error]').waitFor();
    await page
      .locator('[data-testid=blacklist-reason-input]')
      .fill('Excluded by the HHS-OIG list (LEIE)');
    await page.locator('[data-testid=blacklist-submit]').click();
    await page.locator('[data-testid=profile-blacklist][data-blacklisted=true]').waitFor();
    assert.equal(
      (await page.locator('[data-testid=blacklist-reason]').innerText()).trim(),
      'Excluded by the HHS-OIG list (LEIE)',
    );
    assert.match(
      await page.locator('[data-testid=profile-blacklist]').innerText(),
      /set by compliance/,
    );
    const seen = await api.get(rep, `/api/v1/hcps/${hcp.id}`);
    assert.equal(seen.blacklist.reason, 'Excluded by the HHS-OIG list (LEIE)');
    assert.equal(seen.blacklist.set_by, 'compliance');
    await screenshot(page, 'sample-compliance-07-blacklisted');

    // The sample record section opens this HCP's records.
    await page.locator('[data-testid=sample-record-toggle] summary').click();
    await page
      .locator('[data-testid=section-sample-record] [data-testid=record-list][data-loaded=true]')
      .waitFor();

    // Cleared again: the flag goes.
    await page.locator('[data-testid=blacklist-submit]').click();
    await page.locator('[data-testid=profile-blacklist][data-blacklisted=false]').waitFor();
    assert.equal((await api.get(rep, `/api/v1/hcps/${hcp.id}`)).blacklist ?? null, null);
  });

  test('(e) a manager sees the oversight screens (their district) but cannot close exceptions; a phone fits', async () => {
    const mctx = await browser.newContext(PHONE);
    const m = await mctx.newPage();
    try {
      await m.goto(server.baseUrl + '/');
      await uiLogin(m, 'mgr.d01');
      await m.locator('nav.tabs a', { hasText: 'Samples' }).click();
      await m.waitForFunction(
        () =>
          document.querySelector('[data-testid=exceptions]')?.getAttribute('data-loaded-status') ===
          'open',
      );
      const tabs = await m.$$eval('[data-testid=oversight-tabs] a', (as) =>
        as.map((a) => a.textContent.trim()),
      );
      assert.ok(!tabs.includes('Policy'), 'no policy for managers');
      assert.ok(!tabs.includes('Exclusion screening'), 'no exclusion screening for managers');
      assert.equal(await m.locator('[data-testid=exception-close]').count(), 0);
      const mgr = await api.login('mgr.d01');
      const mine = await api.get(mgr, '/api/v1/samples/exceptions?status=open');
      assert.equal(await m.locator('[data-testid=exception]').count(), mine.length);
      await screenshot(m, 'sample-compliance-08-manager-phone', { fullPage: true });
    } finally {
      await mctx.close();
    }
  });

  test("(f) compliance sets a SKU's unit value and schedule on the policy screen; the API returns them", async () => {
    const skus = await api.get(token, '/api/v1/samples/skus');
    const sku = skus.find((s) => s.dea_schedule == null) ?? skus[0];
    assert.ok(sku, 'the demo has sample SKUs');
    await openSection('policy');
    await page.locator('[data-testid=skus] [data-testid=sku]').first().waitFor({ timeout: 20_000 });
    assert.equal(
      await page.locator('[data-testid=skus] [data-testid=sku]').count(),
      skus.length,
      'every SKU is listed',
    );
    const row = page.locator(`[data-testid=sku][data-id="${sku.sku_id}"]`);
    assert.equal(
      await row.locator('[data-testid=sku-value]').getAttribute('data-value'),
      String(sku.unit_value_cents),
    );
    assert.match(
      await page.locator('[data-testid=skus]').innerText(),
      /DEA registration covering its schedule/,
    );

    await row.locator('[data-testid=sku-edit]').click();
    const form = page.locator(`[data-testid=sku-form][data-id="${sku.sku_id}"]`);
    // A value that is not dollars is refused next to the field; nothing is sent.
    await form.locator('[data-testid=sku-form-value]').fill('twelve');
    await form.locator('[data-testid=sku-save]').click();
    await form.locator('[data-testid=sku-unit_value_cents-error]').waitFor();
    assert.equal(
      await form.locator('[data-testid=sku-form-value]').getAttribute('aria-invalid'),
      'true',
    );
    await form.locator('[data-testid=sku-form-value]').fill('12.34');
    await form.locator('[data-testid=sku-form-schedule]').selectOption('IV');
    await form.locator('[data-testid=sku-save]').click();
    await page.locator('[data-testid=sku-saved]').waitFor();
    await form.waitFor({ state: 'detached' });
    await page
      .locator(
        `[data-testid=sku][data-id="${sku.sku_id}"] [data-testid=sku-value][data-value="1234"]`,
      )
      .waitFor();
    assert.equal(await row.locator('[data-testid=sku-schedule]').getAttribute('data-value'), 'IV');
    assert.equal((await row.locator('[data-testid=sku-value]').innerText()).trim(), '$12.34');

    const saved = (await api.get(token, '/api/v1/samples/skus')).find(
      (s) => s.sku_id === sku.sku_id,
    );
    assert.equal(saved.dea_schedule, 'IV');
    assert.equal(saved.unit_value_cents, 1234);
    await screenshot(page, 'sample-compliance-09-sku-policy');
  });

  // Last: it blacklists an HCP for good (not callable afterwards), which earlier steps must not meet.
  test('(g) compliance screens the LEIE file: the NPI match is blacklisted, the name match listed for review', async () => {
    const hcps = await api.all(token, '/api/v1/hcps');
    let byNpi = null;
    for (const h of hcps.filter((h) => h.status === 'active' && !h.do_not_call)) {
      if (!(await api.get(token, `/api/v1/hcps/${h.id}`)).blacklist) {
        byNpi = h;
        break;
      }
    }
    assert.ok(byNpi, 'a callable HCP that is not blacklisted');
    const sameName = (a, b) =>
      a.last_name.toLowerCase() === b.last_name.toLowerCase() &&
      a.first_name.toLowerCase() === b.first_name.toLowerCase();
    let byName = null;
    for (const h of hcps.filter((h) => h.id !== byNpi.id && !sameName(h, byNpi))) {
      if (!(await api.get(token, `/api/v1/hcps/${h.id}`)).blacklist) {
        byName = h;
        break;
      }
    }
    assert.ok(byName, 'another HCP (not blacklisted) to match by name and state');

    // OIG's UPDATED.csv layout: an individual with the NPI, one without (0000000000) matching by name and state.
    const q = (v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const row = (o) =>
      [
        o.last,
        o.first,
        '',
        '',
        'IND- LIC HC SERV PRO',
        'NURSE/NURSES AIDE',
        '',
        o.npi,
        '19700101',
        '1 MAIN ST',
        'SPRINGFIELD',
        o.state,
        '00000',
        '1128a1',
        '20190320',
        '00000000',
        '00000000',
        '',
      ]
        .map(q)
        .join(',');
    const csv = [
      'LASTNAME,FIRSTNAME,MIDNAME,BUSNAME,GENERAL,SPECIALTY,UPIN,NPI,DOB,ADDRESS,CITY,STATE,ZIP,EXCLTYPE,EXCLDATE,REINDATE,WAIVERDATE,WVRSTATE',
      row({ last: 'ZZEXCLUDED', first: 'NPIMATCH', npi: byNpi.npi, state: byNpi.state }),
      row({
        last: byName.last_name.toUpperCase(),
        first: byName.first_name.toUpperCase(),
        npi: '0000000000',
        state: byName.state,
      }),
      '',
    ].join('\n');

    await openSection('screening');
    await page.locator('[data-testid=screening-help]').waitFor();
    assert.match(
      await page.locator('[data-testid=screening-help]').innerText(),
      /blacklisted automatically/,
    );
    await page
      .locator('[data-testid=screening-file]')
      .setInputFiles({ name: 'UPDATED.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.locator('[data-testid=screening-submit]').click();
    const report = page.locator('[data-testid=screening-report]');
    await report.waitFor({ timeout: 20_000 });
    assert.equal(await report.getAttribute('data-flagged'), '1');
    assert.equal(
      (await page.locator('[data-testid=screening-rows]').innerText()).trim(),
      '2 entries read from the file.',
    );
    assert.match(
      await page.locator('[data-testid=screening-flagged]').innerText(),
      /^1 HCP blacklisted by NPI match/,
    );
    assert.match(
      await page.locator('[data-testid=screening-possible_matches]').innerText(),
      /^1 possible match by name and state only, not blacklisted/,
    );
    const match = page.locator('[data-testid=screening-match][data-line="3"]');
    assert.equal(
      (await match.locator('[data-testid=screening-match-name]').innerText()).trim(),
      `${byName.first_name} ${byName.last_name}`.toUpperCase(),
    );
    const link = match.locator(`[data-testid=screening-match-hcp][data-id="${byName.id}"]`);
    assert.equal(await link.getAttribute('href'), `#/hcps/${byName.id}`);
    await page.waitForFunction(
      (id) =>
        !!document
          .querySelector(`[data-testid=screening-match-hcp][data-id="${id}"]`)
          ?.textContent?.includes('NPI'),
      byName.id,
    );
    assert.ok((await link.innerText()).includes(byName.npi), 'the candidate is named with its NPI');
    await screenshot(page, 'sample-compliance-10-screening', { fullPage: true });

    // The API agrees: the NPI match is blacklisted with the exclusion as the reason, the name match is not.
    const flagged = await api.get(token, `/api/v1/hcps/${byNpi.id}`);
    assert.match(flagged.blacklist?.reason ?? '', /LEIE/);
    assert.equal((await api.get(token, `/api/v1/hcps/${byName.id}`)).blacklist ?? null, null);

    // The same file again changes nothing: the NPI match is already on the blacklist.
    await page.locator('[data-testid=screening-submit]').click();
    await page.locator('[data-testid=screening-already_flagged]').waitFor({ timeout: 20_000 });
    assert.equal(await report.getAttribute('data-flagged'), '0');
    assert.equal(
      (await api.get(token, `/api/v1/hcps/${byNpi.id}`)).blacklist.set_at,
      flagged.blacklist.set_at,
    );

    // The possible match opens the candidate's profile, where compliance would confirm it.
    await link.click();
    await page.waitForFunction((id) => location.hash === `#/hcps/${id}`, byName.id);
    await page
      .locator('[data-testid=profile-blacklist][data-blacklisted=false]')
      .waitFor({ timeout: 20_000 });
    await page.locator('[data-testid=blacklist-control]').waitFor();

    // The NPI match's profile shows the blacklist banner with the LEIE exclusion as the reason.
    await page.evaluate((id) => (location.hash = `#/hcps/${id}`), byNpi.id);
    await page
      .locator('[data-testid=profile-blacklist][data-blacklisted=true]')
      .waitFor({ timeout: 20_000 });
    assert.equal(
      (await page.locator('[data-testid=blacklist-reason]').innerText()).trim(),
      flagged.blacklist.reason,
    );
    assert.match(flagged.blacklist.reason, /HHS-OIG exclusion \(LEIE\) 1128a1 since 2019-03-20/);
    await screenshot(page, 'sample-compliance-11-leie-blacklisted');
  });
});
