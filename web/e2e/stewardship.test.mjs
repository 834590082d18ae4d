// HCP master data stewardship and data completeness: ops works the Duplicates queue (the API's
// open pairs, a merge choosing the survivor, its undo from Merges, a dismissal that needs a
// reason), the Requests queue (a new HCP rejected with a reason, a change approved, a proposal
// merged into the existing HCP it matches) and the matching thresholds; the Completeness table matches the API, a manager sees their district
// only and a rep has no Data quality tab.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import {
  apiClient,
  DESKTOP,
  launchBrowser,
  screenshot,
  startDemoServer,
  uiLogin,
} from './helpers.mjs';

/** As the screen writes a probability (src/lib/stewardship.ts `percent`). */
function percent(p) {
  if (p >= 1) return '100%';
  if (p <= 0) return '0%';
  const x = p * 100;
  if (x >= 99) return x.toFixed(2) === '100.00' ? '>99.99%' : `${x.toFixed(2)}%`;
  if (x < 1) return x.toFixed(2) === '0.00' ? '<0.01%' : `${x.toFixed(2)}%`;
  return `${x.toFixed(1)}%`;
}

/** A random NPI with a valid check digit (Luhn over 80840 + the first nine digits). */
function validNpi() {
  const base = '1' + String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
  const d = ('80840' + base).split('').map(Number);
  let sum = 0;
  for (let i = d.length - 1, dbl = true; i >= 0; i--, dbl = !dbl) {
    let x = d[i];
    if (dbl) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
    sum += x;
  }
  return base + String((10 - (sum % 10)) % 10);
}

/** As the screen writes a share (src/lib/completeness.ts `shareText`, `shareTone`). */
const shareText = (s) =>
  `${s.share == null ? '–' : `${Math.floor(s.share * 100 + 1e-9)}%`} (${s.count}/${s.of})`;
const shareTone = (s) =>
  s.share == null ? 'none' : s.share < 0.7 ? 'bad' : s.share < 0.85 ? 'low' : 'ok';
const AGREES = new Set(['exact', 'same', 'same_zip', 'shared']);
const agreementOf = (level) =>
  level === 'missing'
    ? 'missing'
    : level === 'different'
      ? 'disagrees'
      : AGREES.has(level)
        ? 'agrees'
        : 'partly';

describe(
  'data quality: duplicates, merges, requests, matching model; completeness',
  { timeout: 600_000 },
  () => {
    let server;
    let browser;
    let api;
    let token; // ops
    let ctx;
    let page;
    let merged; // { pair, survivor, merged, calls: { survivor, merged }, lastName, mergeId }

    before(async () => {
      server = await startDemoServer({
        seed: 7,
        scale: 'small',
        logName: 'server-stewardship.log',
      });
      api = apiClient(server.apiUrl);
      token = await api.login('ops');
      browser = await launchBrowser();
      ctx = await browser.newContext({ ...DESKTOP, acceptDownloads: true });
      page = await ctx.newPage();
      page.on('pageerror', (e) => console.log('# page error:', e.message));
      await page.goto(server.baseUrl + '/');
      await uiLogin(page, 'ops');
    });

    after(async () => {
      await ctx?.close();
      await browser?.close();
      await server?.stop();
    });

    const openSection = async (section) => {
      if (!(await page.evaluate(() => location.hash.startsWith('#/stewardship/')))) {
        await page.locator('nav.tabs a', { hasText: 'Data quality' }).click();
        await page.waitForFunction(() => location.hash.startsWith('#/stewardship/'));
      }
      await page.locator(`[data-testid=tab-${section}]`).click();
      await page.waitForFunction((s) => location.hash.startsWith(`#/stewardship/${s}`), section);
    };
    const loaded = (testid, status) =>
      page.waitForFunction(
        ([t, s]) =>
          document.querySelector(`[data-testid=${t}]`)?.getAttribute('data-loaded-status') === s,
        [testid, status],
        {
          timeout: 20_000,
        },
      );
    const callCount = async (id) => (await api.get(token, `/api/v1/hcps/${id}/calls`)).length;
    const searchIds = async (q) => (await api.all(token, '/api/v1/hcps', { q })).map((h) => h.id);

    test("(a) the Duplicates list shows the API's open pairs, most likely first, with their evidence", async () => {
      const nav = await page.$$eval('nav.tabs a', (as) => as.map((a) => a.textContent.trim()));
      assert.ok(nav.includes('Data quality') && nav.includes('Completeness'), `ops nav: ${nav}`);
      await openSection('duplicates');
      await loaded('duplicates', 'open');
      const open = await api.get(token, '/api/v1/duplicates?status=open');
      assert.ok(open.length >= 3, `the demo has planted duplicates (${open.length} open pairs)`);
      const shown = await page.$$eval('[data-testid=pair]', (els) =>
        els.map((e) => ({
          id: e.dataset.id,
          a: e.querySelector('[data-testid=pair-a] [data-testid=pair-name]').textContent.trim(),
          b: e.querySelector('[data-testid=pair-b] [data-testid=pair-name]').textContent.trim(),
          probability: Number(e.querySelector('[data-testid=score]').dataset.probability),
          text: e.querySelector('[data-testid=score-probability]').textContent.trim(),
        })),
      );
      assert.deepEqual(
        shown,
        open.map((p) => ({
          id: p.id,
          a: p.a.display_name,
          b: p.b.display_name,
          probability: p.score.probability,
          text: percent(p.score.probability),
        })),
      );
      // Each weighed field's row: the agreement its level names and its weight.
      for (const p of open.slice(0, 2)) {
        const card = page.locator(`[data-testid=pair][data-id="${p.id}"]`);
        for (const f of p.score.fields) {
          const row = card.locator(`[data-testid=pair-row][data-field=${f.field}]`);
          assert.equal(
            await row.getAttribute('data-agreement'),
            agreementOf(f.level),
            `${p.a.display_name}: ${f.field}`,
          );
          assert.equal(
            Number(await row.locator('[data-testid=pair-weight]').getAttribute('data-weight')),
            f.weight,
          );
        }
      }
      await screenshot(page, 'stewardship-01-duplicates', { fullPage: true });
    });

    test('(b) merging a pair into the chosen survivor moves the calls and hides the merged record', async () => {
      const open = await api.get(token, '/api/v1/duplicates?status=open');
      // A pair where both records have calls, so the sum says something.
      let pair = null;
      const calls = {};
      for (const p of open) {
        calls[p.a.id] = await callCount(p.a.id);
        calls[p.b.id] = await callCount(p.b.id);
        if (calls[p.a.id] > 0 && calls[p.b.id] > 0) {
          pair = p;
          break;
        }
      }
      assert.ok(pair, 'an open pair whose records both have calls');
      // Keep b, whatever the default.
      const survivor = pair.b;
      const gone = pair.a;
      const lastName = (await api.get(token, `/api/v1/hcps/${gone.id}`)).last_name;
      assert.ok(
        (await searchIds(lastName)).includes(gone.id),
        'found by its last name before the merge',
      );

      const card = page.locator(`[data-testid=pair][data-id="${pair.id}"]`);
      await card.locator('[data-testid=pair-merge-open]').click();
      // The default: the verified record, then the one with more affiliations, else a.
      const verified = (s) => s.master_status === 'verified';
      const byDefault =
        verified(pair.a) !== verified(pair.b)
          ? verified(pair.a)
            ? 'a'
            : 'b'
          : pair.b.affiliations > pair.a.affiliations
            ? 'b'
            : 'a';
      assert.equal(
        await card.locator(`[data-testid=survivor-${byDefault}]`).isChecked(),
        true,
        'the default survivor',
      );
      await card.locator('[data-testid=survivor-b]').check();
      await card
        .locator('[data-testid=merge-reason]')
        .fill('Same NP, duplicate from an old import');
      await card.locator('[data-testid=pair-merge]').click();
      await page.locator('[data-testid=dup-merged-notice]').waitFor();
      assert.equal(await card.count(), 0, 'the merged pair left the open queue');

      const ids = await searchIds(lastName);
      assert.ok(!ids.includes(gone.id), 'the merged HCP is no longer listed');
      const survivorLast = (await api.get(token, `/api/v1/hcps/${survivor.id}`)).last_name;
      assert.ok((await searchIds(survivorLast)).includes(survivor.id), 'the survivor still is');
      assert.equal(
        await callCount(survivor.id),
        calls[survivor.id] + calls[gone.id],
        "the survivor has both records' calls",
      );
      const merges = await api.get(token, '/api/v1/merges');
      assert.equal(merges[0].survivor.id, survivor.id);
      assert.equal(merges[0].merged.id, gone.id);
      merged = {
        pair,
        survivor,
        gone,
        calls,
        lastName,
        mergeId: merges[0].id,
        moved: merges[0].moved,
      };
    });

    test('(c) Merges lists the merge with what moved; Undo (confirmed) brings both records back', async () => {
      assert.ok(merged, 'runs after (b)');
      await openSection('merges');
      const card = page.locator(`[data-testid=merge][data-id="${merged.mergeId}"]`);
      await card.waitFor();
      assert.equal(
        (await card.locator('[data-testid=merge-survivor]').innerText()).trim(),
        merged.survivor.display_name,
      );
      assert.equal(
        (await card.locator('[data-testid=merge-merged]').innerText()).trim(),
        merged.gone.display_name,
      );
      const movedCalls = merged.moved.find((m) => m.what === 'calls')?.rows ?? 0;
      assert.ok(movedCalls > 0);
      assert.match(
        await card.locator('[data-testid=merge-moved]').innerText(),
        new RegExp(`\\b${movedCalls} calls?\\b`),
      );
      await screenshot(page, 'stewardship-02-merges', { fullPage: true });

      let asked = null;
      page.once('dialog', (d) => {
        asked = d.message();
        d.accept();
      });
      await card.locator('[data-testid=merge-undo]').click();
      await page
        .locator(`[data-testid=merge][data-id="${merged.mergeId}"][data-undone=true]`)
        .waitFor();
      assert.match(asked ?? '', /Undo the merge/);
      const m = (await api.get(token, '/api/v1/merges')).find((x) => x.id === merged.mergeId);
      assert.ok(m.undone_at, 'undone per the API');
      const ids = await searchIds(merged.lastName);
      assert.ok(ids.includes(merged.gone.id), 'the merged HCP is listed again');
      assert.equal(await callCount(merged.gone.id), merged.calls[merged.gone.id]);
      assert.equal(await callCount(merged.survivor.id), merged.calls[merged.survivor.id]);
      assert.equal(
        await card.locator('[data-testid=merge-undo]').count(),
        0,
        'no Undo on an undone merge',
      );
    });

    test('(d) "Not a duplicate" needs a reason; with one the pair is dismissed', async () => {
      await openSection('duplicates');
      await loaded('duplicates', 'open');
      const open = await api.get(token, '/api/v1/duplicates?status=open');
      const pair = open.find((p) => p.id !== merged?.pair.id);
      assert.ok(pair);
      const card = page.locator(`[data-testid=pair][data-id="${pair.id}"]`);
      await card.locator('[data-testid=pair-dismiss-open]').click();
      await card.locator('[data-testid=pair-dismiss]').click();
      const err = card.locator('[data-testid=dismiss-reason-error]');
      await err.waitFor();
      assert.ok((await err.innerText()).trim().length > 0);
      assert.ok(
        (await api.get(token, '/api/v1/duplicates?status=open')).some((p) => p.id === pair.id),
        'still open',
      );

      await card
        .locator('[data-testid=dismiss-reason]')
        .fill('Different people: father and son at the same practice');
      await card.locator('[data-testid=pair-dismiss]').click();
      await page.locator('[data-testid=dup-dismissed-notice]').waitFor();
      assert.equal(await card.count(), 0);
      const dismissed = (await api.get(token, '/api/v1/duplicates?status=dismissed')).find(
        (p) => p.id === pair.id,
      );
      assert.equal(dismissed?.reason, 'Different people: father and son at the same practice');
      assert.ok(
        !(await api.get(token, '/api/v1/duplicates?status=open')).some((p) => p.id === pair.id),
      );

      await page.locator('[data-testid=dup-filter-dismissed]').click();
      await loaded('duplicates', 'dismissed');
      await page
        .locator(`[data-testid=pair][data-id="${pair.id}"] [data-testid=pair-decision]`)
        .waitFor();
    });

    test('(e) Requests: rejecting Imani Okafor needs a reason; the change request is approved', async () => {
      await openSection('requests');
      await loaded('requests', 'pending');
      const pending = await api.get(token, '/api/v1/data-requests?status=pending');
      const imani = pending.find(
        (r) => r.kind === 'new_hcp' && r.hcp_name.startsWith('Imani Okafor'),
      );
      const change = pending.find(
        (r) =>
          r.kind === 'change' && r.changes.some((c) => c.field === 'status' && c.to === 'retired'),
      );
      assert.ok(imani && change, "the demo's pending requests");
      assert.deepEqual(
        await page.$$eval('[data-testid=request]', (els) => els.map((e) => e.dataset.id)),
        pending.map((r) => r.id),
      );

      const card = page.locator(`[data-testid=request][data-id="${imani.id}"]`);
      assert.match(await card.locator('[data-testid=proposed-name]').innerText(), /Imani Okafor/);
      assert.equal(
        (await card.locator('[data-testid=request-note]').innerText()).replace(/[“”]/g, '').trim(),
        imani.note,
      );
      assert.equal(await card.locator('[data-testid=match]').count(), imani.matches.length);
      await screenshot(page, 'stewardship-03-requests', { fullPage: true });
      await card.locator('[data-testid=request-reject]').click();
      const err = card.locator('[data-testid=request-reason-error]');
      await err.waitFor();
      assert.ok((await err.innerText()).trim().length > 0);
      assert.equal(
        (await api.get(token, '/api/v1/data-requests?status=pending')).find(
          (r) => r.id === imani.id,
        )?.status,
        'pending',
      );

      await card
        .locator('[data-testid=request-reason]')
        .fill('Not at this practice: the office has no such NP');
      await card.locator('[data-testid=request-reject]').click();
      await page.locator('[data-testid=req-done-notice]').waitFor();
      assert.equal(await card.count(), 0, 'gone from pending');
      const rejected = (await api.get(token, '/api/v1/data-requests?status=rejected')).find(
        (r) => r.id === imani.id,
      );
      assert.equal(rejected?.status, 'rejected');
      assert.equal(rejected.decision_reason, 'Not at this practice: the office has no such NP');

      const c = page.locator(`[data-testid=request][data-id="${change.id}"]`);
      const line = c.locator('[data-testid=request-change][data-field=status]');
      assert.match(await line.innerText(), /active\s*→\s*retired/);
      assert.notEqual((await api.get(token, `/api/v1/hcps/${change.hcp_id}`)).status, 'retired');
      await c.locator('[data-testid=request-approve]').click();
      await page.waitForFunction(
        (id) => !document.querySelector(`[data-testid=request][data-id="${id}"]`),
        change.id,
      );
      assert.equal((await api.get(token, `/api/v1/hcps/${change.hcp_id}`)).status, 'retired');

      await page.locator('[data-testid=req-filter-rejected]').click();
      await loaded('requests', 'rejected');
      await page
        .locator(`[data-testid=request][data-id="${imani.id}"] [data-testid=request-decision]`)
        .waitFor();
    });

    test('(e2) a proposal that is an existing HCP shows it as a likely match; "Same as …" merges it into it', async () => {
      // rep.t01 proposes one of their HCPs again (new NPI), saying it is a different person, so it waits for a steward.
      const repToken = await api.login('rep.t01');
      const mine = await api.all(repToken, '/api/v1/hcps');
      const original = await api.get(
        repToken,
        `/api/v1/hcps/${mine.find((h) => h.phone)?.id ?? mine[0].id}`,
      );
      const hcp = {
        first_name: original.first_name,
        last_name: original.last_name,
        credentials: original.credentials,
        npi: validNpi(),
        specialty_code: original.specialty_code,
        address: {
          line1: original.address.line1,
          city: original.address.city,
          state: original.address.state,
          zip: original.address.zip,
        },
        phone: original.phone ?? null,
      };
      const proposal = {
        id: crypto.randomUUID(),
        hcp_id: crypto.randomUUID(),
        hcp,
        note: 'E2E: met at the clinic',
        confirmed_different: true,
      };
      const created = await api.call('POST', '/api/v1/hcp-proposals', {
        token: repToken,
        body: proposal,
      });
      assert.equal(created.status, 201, JSON.stringify(created.json));
      const pending = (await api.get(token, '/api/v1/data-requests?status=pending')).find(
        (r) => r.id === proposal.id,
      );
      const match = pending?.matches.find((m) => m.id === original.id);
      assert.ok(match, 'the steward sees the original as a likely match');

      await openSection('requests');
      await page.locator('[data-testid=req-filter-pending]').click();
      await loaded('requests', 'pending');
      const card = page.locator(`[data-testid=request][data-id="${proposal.id}"]`);
      const m = card.locator(`[data-testid=match][data-id="${original.id}"]`);
      assert.equal(
        (await m.locator('[data-testid=score-probability]').innerText()).trim(),
        percent(match.score.probability),
      );
      assert.deepEqual(
        await m
          .locator('[data-testid=evidence] li')
          .evaluateAll((els) => els.map((e) => [e.dataset.field, e.dataset.agreement])),
        match.score.fields.map((f) => [f.field, agreementOf(f.level)]),
      );
      await screenshot(page, 'stewardship-03b-request-match', { fullPage: true });
      const merge = m.locator('[data-testid=request-merge]');
      assert.match(
        await merge.innerText(),
        new RegExp(`Same as ${original.last_name}|Same as .*${original.last_name}`),
      );
      await merge.click();
      await page.locator('[data-testid=req-done-notice]').waitFor();
      assert.equal(await card.count(), 0);
      const decided = (await api.get(token, '/api/v1/data-requests?status=merged')).find(
        (r) => r.id === proposal.id,
      );
      assert.equal(decided?.merged_into, original.id);
    });

    test('(f) Matching model: review above link is refused on the field and nothing is saved; valid values save', async () => {
      await openSection('matching');
      await page.locator('[data-testid=thresholds-form]').waitFor();
      const before = await api.get(token, '/api/v1/matching');
      const levels = before.weights.reduce((n, f) => n + f.levels.length, 0);
      assert.equal(await page.locator('[data-testid=weight-row]').count(), levels);
      assert.equal(
        await page.locator('[data-testid=estimated-at]').getAttribute('data-value'),
        before.estimated_at,
      );

      await page.locator('[data-testid=threshold-link]').fill('0.99');
      await page.locator('[data-testid=threshold-review]').fill('0.995');
      await page.locator('[data-testid=thresholds-save]').click();
      const err = page.locator('[data-testid=threshold-review-error]');
      await err.waitFor();
      assert.match(await err.innerText(), /above the link/);
      assert.deepEqual(
        (await api.get(token, '/api/v1/matching')).thresholds,
        before.thresholds,
        'nothing saved',
      );

      await page.locator('[data-testid=threshold-link]').fill('0.98');
      await page.locator('[data-testid=threshold-review]').fill('0.6');
      await page.locator('[data-testid=thresholds-save]').click();
      await page.locator('[data-testid=thresholds-saved]').waitFor();
      assert.equal(await err.count(), 0);
      assert.deepEqual((await api.get(token, '/api/v1/matching')).thresholds, {
        link: 0.98,
        review: 0.6,
      });
      await screenshot(page, 'stewardship-04-matching', { fullPage: true });
    });

    test("(g) Completeness: the table's figures are the API's; a manager sees their district only; a rep has no Data quality", async () => {
      await page.locator('nav.tabs a', { hasText: 'Completeness' }).click();
      await page.waitForFunction(
        () =>
          document.querySelector('[data-testid=completeness]')?.getAttribute('data-loaded-key') ===
          'level=territory&months=6',
      );
      const report = await api.get(token, '/api/v1/reports/completeness?level=territory&months=6');
      assert.equal(await page.locator('[data-testid=cmp-row]').count(), report.rows.length);
      const sample = report.rows.find(
        (r) =>
          r.unit && r.unit.code === 'T01' && r.month === report.months[report.months.length - 2],
      );
      assert.ok(sample, 'T01 last month');
      const row = page.locator(
        `[data-testid=cmp-row][data-unit=T01][data-month="${sample.month}"]`,
      );
      for (const k of ['call_reports', 'segmentation', 'signatures']) {
        const cell = row.locator(`[data-testid=cmp-${k}]`);
        assert.equal(
          (await cell.innerText()).trim(),
          shareText(sample[k]),
          `T01 ${sample.month} ${k}`,
        );
        assert.equal(await cell.getAttribute('data-tone'), shareTone(sample[k]));
      }
      // Every row and share as the API has it, in words and tone.
      const cells = await page.$$eval('[data-testid=cmp-row]', (rows) =>
        rows.flatMap((r) =>
          [...r.querySelectorAll('td.share')].map((td) => [
            `${r.dataset.unit}|${r.dataset.month}|${td.dataset.testid}`,
            td.textContent.trim(),
            td.dataset.tone,
          ]),
        ),
      );
      const expected = report.rows.flatMap((r) =>
        ['call_reports', 'segmentation', 'signatures'].map((k) => [
          `${r.unit?.code ?? 'total'}|${r.month}|cmp-${k}`,
          shareText(r[k]),
          shareTone(r[k]),
        ]),
      );
      assert.deepEqual(
        new Map(cells.map(([k, ...v]) => [k, v])),
        new Map(expected.map(([k, ...v]) => [k, v])),
      );
      // A totals row per month (the reader's whole scope).
      const totals = report.rows.filter((r) => !r.unit);
      assert.equal(totals.length, report.months.length);
      for (const t of totals) {
        const cell = page.locator(
          `[data-testid=cmp-row][data-unit=total][data-month="${t.month}"] [data-testid=cmp-call_reports]`,
        );
        assert.equal((await cell.innerText()).trim(), shareText(t.call_reports));
      }
      // Every share under 85% is highlighted.
      const tones = await page.$$eval('[data-testid=cmp-row] td.share', (tds) =>
        tds.map((td) => [td.dataset.tone, td.className]),
      );
      for (const [tone, cls] of tones) assert.ok(cls.includes(`share-${tone}`));
      assert.ok(
        tones.some(([t]) => t === 'low' || t === 'bad'),
        'the demo has shares under 85%',
      );
      const method = await page.locator('[data-testid=cmp-method]').innerText();
      for (const m of report.method) assert.ok(method.includes(m));
      await screenshot(page, 'stewardship-05-completeness', { fullPage: true });
      // The CSV download: a line per unit and month, with count, of and share per measure.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('[data-testid=cmp-csv]').click(),
      ]);
      const lines = readFileSync(await download.path(), 'utf8')
        .trimEnd()
        .split('\r\n');
      assert.equal(lines.length, 1 + report.rows.length);
      const csvRow = lines.find(
        (l) => l.startsWith(`territory,T01,`) && l.split(',').includes(sample.month),
      );
      const cols = lines[0].split(',');
      const value = (name) => csvRow.split(',')[cols.indexOf(name)];
      assert.deepEqual(
        [value('call_reports_count'), value('call_reports_of'), value('signatures_of')],
        [sample.call_reports.count, sample.call_reports.of, sample.signatures.of].map(String),
      );

      const mctx = await browser.newContext(DESKTOP);
      try {
        const m = await mctx.newPage();
        await m.goto(server.baseUrl + '/');
        await uiLogin(m, 'mgr.d01');
        const nav = await m.$$eval('nav.tabs a', (as) => as.map((a) => a.textContent.trim()));
        assert.ok(
          nav.includes('Completeness') && !nav.includes('Data quality'),
          `manager nav: ${nav}`,
        );
        await m.locator('nav.tabs a', { hasText: 'Completeness' }).click();
        await m.waitForFunction(
          () =>
            document
              .querySelector('[data-testid=completeness]')
              ?.getAttribute('data-loaded-key') === 'level=territory&months=6',
        );
        const mine = (await api.get(await api.login('mgr.d01'), '/api/v1/me')).territories
          .map((t) => t.code)
          .sort();
        assert.deepEqual(mine, ['T01', 'T02'], 'D01 is T01 and T02');
        const units = [
          ...new Set(
            await m.$$eval('[data-testid=cmp-row]', (els) => els.map((e) => e.dataset.unit)),
          ),
        ].sort();
        assert.deepEqual(units, [...mine, 'total']);
        await m.locator('[data-testid=cmp-level]').selectOption('district');
        await m.waitForFunction(
          () =>
            document
              .querySelector('[data-testid=completeness]')
              ?.getAttribute('data-loaded-key') === 'level=district&months=6',
        );
        const districts = [
          ...new Set(
            await m.$$eval('[data-testid=cmp-row]', (els) => els.map((e) => e.dataset.unit)),
          ),
        ].sort();
        assert.deepEqual(districts, ['D01', 'total']);
      } finally {
        await mctx.close();
      }

      const rctx = await browser.newContext(DESKTOP);
      try {
        const r = await rctx.newPage();
        await r.goto(server.baseUrl + '/');
        await uiLogin(r, 'rep.t01');
        const nav = await r.$$eval('nav.tabs a', (as) => as.map((a) => a.textContent.trim()));
        assert.ok(nav.includes('HCPs'), `rep nav: ${nav}`);
        assert.ok(
          !nav.includes('Data quality') && !nav.includes('Completeness'),
          `rep nav: ${nav}`,
        );
        await r.evaluate(() => (location.hash = '#/stewardship/duplicates'));
        await r.waitForFunction(() => location.hash === '#/today');
        assert.equal(await r.locator('[data-testid=stewardship]').count(), 0);
        const repToken = await api.login('rep.t01');
        assert.equal(
          (await api.call('GET', '/api/v1/duplicates', { token: repToken })).status,
          403,
        );
      } finally {
        await rctx.close();
      }
    });
  },
);
