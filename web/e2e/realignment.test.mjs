// Realignment cycle end to end: ops drafts a ZIP move from T01 to T02 and sees its impact, opens
// field review; rep.t01 (on a phone) marks a moving HCP as a key relationship; ops cannot publish
// while the mark is open, resolves it, is asked for an override reason for a date 7 days ahead,
// publishes with one; after a sync the rep's Today shows a notice naming the cycle.
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

const CYCLE = 'E2E realignment';

describe(
  'realignment cycle: draft, impact, field review, publication, notice',
  { timeout: 600_000 },
  () => {
    let server;
    let browser;
    let api;
    let repToken;
    let opsToken;
    let ops;
    let rep;
    let repCtx;
    let t01;
    let t02;
    let zip; // one of rep.t01's ZIPs
    let moving; // rep.t01's HCPs in that ZIP (per the API)
    let cycleId;
    let marked; // the HCP rep.t01 marks

    before(async () => {
      server = await startDemoServer({
        seed: 7,
        scale: 'small',
        logName: 'server-realignment.log',
      });
      api = apiClient(server.apiUrl);
      repToken = await api.login('rep.t01');
      opsToken = await api.login('ops');
      browser = await launchBrowser();
      const territories = await api.get(opsToken, '/api/v1/territories');
      t01 = territories.find((t) => t.code === 'T01');
      t02 = territories.find((t) => t.code === 'T02');
      assert.ok(t01 && t02, 'the demo has T01 and T02');
      assert.deepEqual(
        (await api.get(repToken, '/api/v1/me')).territories.map((t) => t.id),
        [t01.id],
      );
      // The rep's ZIP with the most HCPs.
      const hcps = await api.all(repToken, '/api/v1/hcps');
      const byZip = new Map();
      for (const h of hcps) byZip.set(h.zip, [...(byZip.get(h.zip) ?? []), h]);
      [zip, moving] = [...byZip].sort(
        (a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]),
      )[0];
      assert.ok(moving.length > 0);
      // The demo has one cycle in field review (with an open mark); this test makes its own.
      const existing = await api.get(opsToken, '/api/v1/realignments');
      assert.deepEqual(
        existing.map((r) => [r.status, r.marks_open]),
        [['review', 1]],
        'the demo cycle in review',
      );
      assert.ok(existing.every((r) => r.name !== CYCLE));
    });

    after(async () => {
      await browser?.close();
      await server?.stop();
    });

    const cycle = () => api.get(opsToken, `/api/v1/realignments/${cycleId}`);

    test('(a) ops creates a cycle and drafts a ZIP move to T02; a wrong ZIP is refused on its row', async () => {
      const ctx = await browser.newContext(DESKTOP);
      ops = await ctx.newPage();
      ops.on('pageerror', (e) => console.log('# ops page error:', e.message));
      await ops.goto(server.baseUrl + '/');
      await uiLogin(ops, 'ops');
      await ops.locator('nav.tabs a', { hasText: 'Realignment' }).click();
      await ops.waitForFunction(() => location.hash === '#/realignment');
      await ops.locator('[data-testid=cycles]').waitFor();
      await ops.locator('[data-testid=new-cycle-name]').fill(CYCLE);
      await ops.locator('[data-testid=new-cycle-submit]').click();
      await ops.waitForFunction(() => /^#\/realignment\/[0-9a-f-]{36}$/.test(location.hash));
      cycleId = await ops.evaluate(() => location.hash.split('/')[2]);
      await ops.locator('[data-testid=cycle][data-status=draft]').waitFor();
      assert.equal((await cycle()).name, CYCLE);

      await ops.locator('[data-testid=add-zip]').click();
      await ops.locator('[data-testid=zip-key]').fill('12');
      await ops.locator('[data-testid=zip-territory]').selectOption(t02.id);
      await ops.locator('[data-testid=lines-save]').click();
      const rowError = ops.locator(
        '[data-testid=zip-line] [data-testid=line-error][data-field=key]',
      );
      await rowError.waitFor();
      assert.ok((await rowError.innerText()).trim().length > 0);
      assert.deepEqual(
        (await api.get(opsToken, `/api/v1/realignments/${cycleId}/lines`)).zips,
        [],
        'nothing saved',
      );

      await ops.locator('[data-testid=zip-key]').fill(zip);
      await ops.locator('[data-testid=lines-save]').click();
      await ops
        .locator(
          `[data-testid=zip-line][data-key="${zip}"][data-saved=true][data-territory="${t02.id}"]`,
        )
        .waitFor();
      assert.deepEqual((await api.get(opsToken, `/api/v1/realignments/${cycleId}/lines`)).zips, [
        { key: zip, territory_id: t02.id },
      ]);
    });

    test("(b) the impact per territory matches the API: T01 loses the rep's HCPs of that ZIP", async () => {
      const impact = await api.get(opsToken, `/api/v1/realignments/${cycleId}/impact`);
      const row = (code) => impact.territories.find((t) => t.territory.code === code);
      assert.equal(
        row('T01').hcps_out,
        moving.length,
        `T01 loses its ${moving.length} HCP(s) in ${zip}`,
      );
      assert.equal(row('T02').hcps_in, moving.length);
      assert.equal(impact.hcps_moving, moving.length);
      await ops
        .locator('[data-testid=impact][aria-busy=false] [data-testid=impact-row][data-code=T01]')
        .waitFor();
      for (const t of impact.territories) {
        const r = ops.locator(`[data-testid=impact-row][data-territory="${t.territory.id}"]`);
        const attrs = await r.evaluate((e) => ({ ...e.dataset }));
        assert.deepEqual(
          [
            attrs.hcpsBefore,
            attrs.hcpsOut,
            attrs.hcpsIn,
            attrs.hcpsAfter,
            attrs.callsBefore,
            attrs.callsAfter,
          ].map(Number),
          [
            t.hcps_before,
            t.hcps_out,
            t.hcps_in,
            t.hcps_after,
            t.target_calls_before,
            t.target_calls_after,
          ],
          `${t.territory.code}: the API's figures`,
        );
        assert.equal(
          (await r.locator('[data-testid=impact-workload]').innerText()).trim(),
          `${t.target_calls_before} → ${t.target_calls_after}`,
        );
        assert.equal(await r.locator('[data-testid=key-loss]').count(), t.key_losses.length);
      }
      assert.ok(row('T01').reps.includes('rep.t01'));
      assert.equal(
        (await ops.locator('[data-testid=impact-method] p').textContent()).trim(),
        impact.method,
      );
      await screenshot(ops, 'realignment-01-ops-draft-impact', { fullPage: true });

      await ops.locator('[data-testid=open-review]').click();
      await ops.locator('[data-testid=cycle][data-status=review]').waitFor();
      assert.equal((await cycle()).status, 'review');
    });

    test('(c) rep.t01 reviews on a phone and marks one HCP as a key relationship', async () => {
      repCtx = await browser.newContext(PHONE);
      rep = await repCtx.newPage();
      rep.on('pageerror', (e) => console.log('# rep page error:', e.message));
      await rep.goto(server.baseUrl + '/');
      await uiLogin(rep, 'rep.t01');
      await rep.locator('[data-testid=progress]').waitFor({ timeout: 60_000 });
      await rep.locator('nav.tabs a', { hasText: 'Realignment' }).click();
      await rep
        .locator(`[data-testid=field-cycles] [data-testid=cycle-item][data-id="${cycleId}"]`)
        .click();
      await rep.locator('[data-testid=review][data-status=review]').waitFor();
      const review = await api.get(repToken, `/api/v1/realignments/${cycleId}/review`);
      assert.equal(review.moves_total, moving.length);
      const shown = await rep.$$eval('[data-testid=move-item]', (els) =>
        els.map((e) => [e.dataset.hcp, e.dataset.direction, e.dataset.zip]),
      );
      assert.deepEqual(
        shown,
        review.moves.map((m) => [m.hcp_id, 'out', zip]),
        'the moves out of T01, most valuable first',
      );
      assert.deepEqual(new Set(shown.map((s) => s[0])), new Set(moving.map((h) => h.id)));
      const first = rep.locator('[data-testid=move-item]').first();
      assert.equal((await first.locator('[data-testid=move-from]').innerText()).trim(), 'T01');
      assert.equal((await first.locator('[data-testid=move-to]').innerText()).trim(), 'T02');

      marked = review.moves[0];
      await first.locator('[data-testid=mark-key]').click();
      await first.locator('[data-testid=mark-submit]').click();
      assert.match(await first.locator('[data-testid=mark-error]').innerText(), /note is required/);
      await first.locator('[data-testid=mark-note]').fill('Ten years of visits; she only sees me.');
      await first.locator('[data-testid=mark-submit]').click();
      await first.locator('[data-testid=move-mark][data-kind=key_relationship]').waitFor();
      const marks = (await api.get(repToken, `/api/v1/realignments/${cycleId}/review`)).marks;
      assert.deepEqual(
        marks.map((m) => [m.hcp_id, m.kind, m.resolution ?? null]),
        [[marked.hcp_id, 'key_relationship', null]],
      );
      await screenshot(rep, 'realignment-02-rep-review');
    });

    test('(d) ops cannot publish while the mark is open; resolves it; a short-notice date needs a reason', async () => {
      const ahead = await ops.evaluate(() => {
        const d = new Date();
        d.setDate(d.getDate() + 7);
        return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
      });
      // The page was loaded before the mark: the server refuses and the page says why.
      await ops.locator('[data-testid=realign-date]').fill(ahead);
      assert.equal(
        await ops.locator('[data-testid=publish-hint]').getAttribute('data-needs-reason'),
        'true',
      );
      await ops.locator('[data-testid=override-reason]').fill('Merger of the two districts');
      await ops.locator('[data-testid=realign-publish]').click();
      assert.match(
        await ops.locator('[data-testid=publish-marks-error]').innerText(),
        /not resolved/,
      );
      await ops.locator('[data-testid=marks-open-msg]').waitFor();
      assert.equal(await ops.locator('[data-testid=realign-publish]').isDisabled(), true);
      assert.equal((await cycle()).status, 'review');
      await screenshot(ops, 'realignment-03-ops-marks-open', { fullPage: true });

      const mark = ops.locator(`[data-testid=mark-item][data-hcp="${marked.hcp_id}"]`);
      await mark
        .locator('[data-testid=resolve-note]')
        .fill('Discussed with the manager: the move stands.');
      await mark.locator('[data-testid=resolve-accept]').click();
      await ops
        .locator(`[data-testid=mark-item][data-hcp="${marked.hcp_id}"][data-resolution=accepted]`)
        .waitFor();
      await ops.locator('[data-testid=cycle][data-marks-open="0"]').waitFor();
      assert.equal(await ops.locator('[data-testid=marks-open-msg]').count(), 0);
      assert.equal((await cycle()).marks_open, 0);

      // 7 days ahead without a reason: the override reason is asked for next to its field.
      await ops.locator('[data-testid=override-reason]').fill('');
      await ops.locator('[data-testid=realign-publish]').click();
      assert.match(
        await ops.locator('[data-testid=override-reason-error]').innerText(),
        /override/,
      );
      assert.equal((await cycle()).status, 'review');

      await ops.locator('[data-testid=override-reason]').fill('Merger of the two districts');
      await ops.locator('[data-testid=realign-publish]').click();
      await ops.locator('[data-testid=cycle][data-status=published]').waitFor();
      await ops.locator('[data-testid=read-only]').waitFor();
      assert.equal(
        await ops.locator('[data-testid=lines-save]').count(),
        0,
        'published cycles are read only',
      );
      const published = await cycle();
      assert.equal(published.status, 'published');
      assert.equal(published.effective_from, ahead);
      assert.equal(published.override_reason, 'Merger of the two districts');
      await screenshot(ops, 'realignment-04-ops-published', { fullPage: true });
    });

    test("(e) after a sync the rep's Today shows a notice naming the cycle; offline, the review says it needs a connection", async () => {
      const notices = await api.get(repToken, '/api/v1/notices');
      const mine = notices.find((n) => n.subject_id === cycleId);
      assert.ok(mine, 'the API has a notice for rep.t01');
      assert.ok(mine.title.includes(CYCLE));
      await rep.goto(server.baseUrl + '/#/sync');
      await rep.locator('[data-testid=sync-now]').click();
      await rep.goto(server.baseUrl + '/#/today');
      const notice = rep.locator(
        `[data-testid=notices] [data-testid=notice][data-id="${mine.id}"]`,
      );
      await notice.waitFor({ timeout: 30_000 });
      assert.equal(
        (await notice.locator('[data-testid=notice-title]').innerText()).trim(),
        mine.title,
      );
      assert.equal(
        (await notice.locator('[data-testid=notice-body]').innerText()).trim(),
        mine.body,
      );
      assert.ok((await notice.innerText()).includes(CYCLE));
      await screenshot(rep, 'realignment-05-rep-notice');

      await repCtx.setOffline(true);
      try {
        await rep.evaluate(() => (location.hash = '#/realignment'));
        await rep.locator('[data-testid=realignment-offline]').waitFor();
        await rep.locator(`[data-testid=notice][data-id="${mine.id}"]`).waitFor();
        await screenshot(rep, 'realignment-06-rep-offline');
      } finally {
        await repCtx.setOffline(false);
      }
    });

    test('(f) the district manager (no local store) reads the notice and the published cycle online', async () => {
      const mgrToken = await api.login('mgr.d01');
      const notices = await api.get(mgrToken, '/api/v1/notices');
      const mine = notices.find((n) => n.subject_id === cycleId);
      assert.ok(mine, 'the manager of T01 and T02 gets a notice');
      const ctx = await browser.newContext(PHONE);
      try {
        const mgr = await ctx.newPage();
        await mgr.goto(server.baseUrl + '/');
        await uiLogin(mgr, 'mgr.d01');
        await mgr.locator('nav.tabs a', { hasText: 'Realignment' }).click();
        await mgr.locator('[data-testid=realignment][data-view=field]').waitFor();
        // In review: only the demo's own cycle; this test's cycle is published.
        await mgr.locator('[data-testid=field-cycles] [data-testid=cycle-item]').first().waitFor();
        const inReview = await mgr.$$eval(
          '[data-testid=field-cycles] [data-testid=cycle-item]',
          (els) => els.map((e) => e.dataset.id),
        );
        const demo = (await api.get(opsToken, '/api/v1/realignments'))
          .filter((r) => r.status === 'review')
          .map((r) => r.id);
        assert.deepEqual(inReview, demo);
        assert.ok(!inReview.includes(cycleId));
        const shown = await mgr.$$eval('[data-testid=notices] [data-testid=notice]', (els) =>
          els.map((e) => e.dataset.id),
        );
        assert.deepEqual(
          shown,
          notices.map((n) => n.id),
          "the API's notices, newest first",
        );
        assert.equal(
          (
            await mgr
              .locator(`[data-testid=notice][data-id="${mine.id}"] [data-testid=notice-title]`)
              .innerText()
          ).trim(),
          mine.title,
        );
        await mgr
          .locator(
            `[data-testid=published-cycles] [data-testid=cycle-item][data-id="${cycleId}"] a`,
          )
          .click();
        await mgr.locator('[data-testid=review][data-status=published]').waitFor();
        assert.equal(
          await mgr.locator('[data-testid=mark-key]').count(),
          0,
          'no marks on a published cycle',
        );
        await mgr
          .locator('[data-testid=move-mark][data-kind=key_relationship][data-resolution=accepted]')
          .waitFor();
        await screenshot(mgr, 'realignment-07-manager');
      } finally {
        await ctx.close();
      }
    });
  },
);
