// Acceptance test of sample disbursement in the offline field app (issue 4) against the real
// server: offline, a call with samples above the per-call maximum is blocked at the point of
// action; within the limit the HCP signs on the device (app navigation hidden) and the call is
// submitted; back online the server holds exactly one signed disbursement, linked to the call.
// Then the inventory records made offline (receipt, transfer, theft, witnessed destruction of an
// expired lot, count, signed request) are all applied once back online.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  apiClient,
  launchBrowser,
  PHONE,
  screenshot,
  startDemoServer,
  uiLogin,
} from './helpers.mjs';
import {
  assertDestroyed,
  deviceOutbox,
  drawSignature,
  pickSampleFixtures,
  todayUtc,
  waitIndicatorOf,
} from './samples-helpers.mjs';

describe('samples in the offline field app (rep, phone)', { timeout: 600_000 }, () => {
  let server;
  let browser;
  let ctx;
  let page;
  let api;
  let repToken;
  let book;
  let hcp;
  let other; // an HCP for the sample request
  let sku;
  let limit;
  let lot; // the lot first-expiry-first picks
  let callId;

  before(async () => {
    server = await startDemoServer({ seed: 7, scale: 'small', logName: 'samples-server.log' });
    api = apiClient(server.apiUrl);
    repToken = await api.login('rep.t01');
    book = await api.get(repToken, '/api/v1/samples/book');
    ({ sku, limit, lot, hcp, other } = await pickSampleFixtures(api, repToken, book));
    const records = await api.get(repToken, `/api/v1/samples/records?hcp_id=${hcp.id}`);
    assert.equal(records.length, 0, 'no samples on record for the HCP before the test');
    browser = await launchBrowser();
    ctx = await browser.newContext(PHONE);
    page = await ctx.newPage();
    page.on('pageerror', (e) => console.log('# page error:', e.message));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const waitIndicator = (pending, rejected = 0, timeout = 60_000) =>
    waitIndicatorOf(page, pending, rejected, timeout);

  test('the rep syncs once, then works offline: the Samples screen shows stock, expiry and allocation', async () => {
    await page.goto(server.baseUrl + '/');
    await uiLogin(page, 'rep.t01');
    await page.locator('[data-testid=plan-item]').first().waitFor({ timeout: 60_000 });
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, {
      timeout: 15_000,
    });
    await ctx.setOffline(true);
    await page.locator('.tabs a[href="#/samples"]').click();
    await page.locator('[data-testid=inventory]').waitFor();
    const row = page.locator(`[data-testid=inv-lot][data-lot="${lot.lot_number}"]`);
    assert.equal(Number(await row.getAttribute('data-on-hand')), lot.on_hand);
    // The demo has lots past their expiry date: they are highlighted.
    const expired = book.lots.filter((l) => l.on_hand > 0 && l.expires_on < todayUtc());
    if (expired.length)
      assert.ok((await page.locator('[data-testid=inv-lot][data-expiry=expired]').count()) >= 1);
    assert.ok(
      (await page.locator('[data-testid=alloc-left]').count()) >= 1,
      'allocation remaining is shown',
    );
    await screenshot(page, 'samples-01-inventory', { fullPage: true });
  });

  test('offline: above the per-call maximum the samples are blocked; within it the HCP signs and the call is submitted', async () => {
    await page.goto(`${server.baseUrl}/#/call/new?hcp=${hcp.id}`);
    await page.locator('[data-testid=call-form]').waitFor();
    await page.locator('[data-testid^=outcome-]').first().click();
    await page
      .locator('[data-testid^=next-step-]:not([data-testid=next-step-date])')
      .first()
      .click();
    await page.locator('[data-testid=add-samples]').click();
    await page.locator('[data-testid=sample-sku-0]').selectOption(sku.sku_id);
    await page.locator('[data-testid=sample-qty-0]').fill(String(limit.max + 1));
    const blocking = page.locator(
      '[data-testid=sample-findings-0] [data-code=sample_limit][data-severity=error]',
    );
    await blocking.waitFor();
    assert.match(await blocking.innerText(), new RegExp(`at most ${limit.max} units`));
    assert.equal(
      await page.locator('[data-testid=samples-sign]').isDisabled(),
      true,
      'no signature while a rule blocks',
    );
    await screenshot(page, 'samples-02-blocked', { fullPage: true });
    // Submitting anyway is refused on the device.
    await page.locator('[data-testid=submit-call]').click();
    await page.locator('[data-testid=error-samples]').waitFor();
    assert.equal(
      await page.locator('[data-testid=call-form]').count(),
      1,
      'still on the call form',
    );

    const qty = Math.min(limit.max, 3);
    await page.locator('[data-testid=sample-qty-0]').fill(String(qty));
    await blocking.waitFor({ state: 'detached' });
    assert.equal(
      await page.locator('[data-testid=sample-findings-0] [data-severity=error]').count(),
      0,
    );
    // The lot is picked first-expiry-first.
    assert.match(
      await page.locator('[data-testid=sample-picked-0]').innerText(),
      new RegExp(`Lot ${lot.lot_number} .*× ${qty}`),
    );
    // Warnings (if any) need an explicit confirmation before the signature.
    if (await page.locator('[data-testid=samples-ack]').count())
      await page.locator('[data-testid=samples-ack]').check();
    // Without a signature the call cannot be submitted.
    await page.locator('[data-testid=submit-call]').click();
    await page.locator('[data-testid=error-signature]').waitFor();

    await page.locator('[data-testid=samples-sign]').click();
    const step = page.locator('[data-testid=signature-step]');
    await step.waitFor();
    // The HCP holds the device: no top bar, no navigation.
    assert.equal(await page.locator('.topbar').isVisible(), false, 'top bar hidden');
    assert.equal(await page.locator('[data-testid=user-name]').isVisible(), false);
    const visibleLinks = await page.$$eval(
      '.tabs a, .back, [data-testid=sync-indicator]',
      (els) => els.filter((e) => e.checkVisibility({ visibilityProperty: true })).length,
    );
    assert.equal(visibleLinks, 0, 'no navigation link visible while signing');
    // The record shows the 21 CFR 203.31 fields.
    assert.match(
      await page.locator('[data-testid=sign-practitioner]').innerText(),
      new RegExp(hcp.last_name),
    );
    assert.match(
      await page.locator('[data-testid=sign-address]').innerText(),
      new RegExp(`${hcp.address.city}, ${hcp.address.state} ${hcp.address.zip}`),
    );
    assert.equal(await page.locator('[data-testid=sign-title]').innerText(), hcp.credentials);
    assert.match(
      await page.locator('[data-testid=sign-licence]').innerText(),
      new RegExp(`^${hcp.address.state} `),
    );
    const line = await page.locator('[data-testid=sign-line]').first().innerText();
    for (const part of [sku.product_name, sku.strength, lot.lot_number, String(qty)])
      assert.ok(line.includes(part), `${part} in "${line}"`);
    assert.ok(
      (await page.locator('[data-testid=sign-manufacturer]').innerText()).trim().length > 0,
    );
    assert.match(
      await page.locator('[data-testid=sign-meaning]').innerText(),
      /I received the samples listed above/,
    );
    assert.equal(
      await page.locator('[data-testid=sign-name]').inputValue(),
      `${hcp.first_name} ${hcp.last_name}`,
      'printed name prefilled',
    );

    // No drawing, no signature.
    await page.locator('[data-testid=sign-submit]').click();
    await page.locator('[data-testid=error-sign-pad]').waitFor();
    await drawSignature(page);
    await page.locator('[data-testid=sign-name]').fill(`Dr. ${hcp.first_name} ${hcp.last_name}`);
    await screenshot(page, 'samples-03-signature');
    await page.locator('[data-testid=sign-submit]').click();
    await step.waitFor({ state: 'detached' });
    assert.equal(await page.locator('.topbar').isVisible(), true, 'navigation back after signing');
    await page.locator('[data-testid=samples-signed]').waitFor();
    await screenshot(page, 'samples-04-signed', { fullPage: true });
    await page.locator('[data-testid=submit-call]').click();
    await page.locator('[data-testid=today]').waitFor();
    await waitIndicator(1);

    // The payload as queued: one disbursement, lines as signed.
    const queued = (await deviceOutbox(page))
      .filter((o) => o.kind === 'call.submit' && o.payload.hcp_ids[0] === hcp.id)
      .map((o) => o.payload);
    assert.equal(queued.length, 1);
    callId = queued[0].id;
    const d = queued[0].disbursement;
    assert.deepEqual(d.lines, [{ sku_id: sku.sku_id, lot_id: lot.lot_id, quantity: qty }]);
    assert.equal(d.signature.record.record_id, d.id);
    assert.match(d.signature.image, /^M [\d.]+ [\d.]+ L /);

    // The Samples screen already counts the units given (before any sync).
    await page.locator('.tabs a[href="#/samples"]').click();
    await page.waitForFunction(
      ([l, v]) =>
        document
          .querySelector(`[data-testid=inv-lot][data-lot="${l}"]`)
          ?.getAttribute('data-on-hand') === String(v),
      [lot.lot_number, lot.on_hand - qty],
      { timeout: 10_000 },
    );
    assert.equal(
      await page.locator('[data-testid=ledger-pending][data-kind=disbursement]').count(),
      1,
    );
  });

  test('back online: the server holds exactly one signed disbursement, linked to the call', async () => {
    await ctx.setOffline(false);
    await waitIndicator(0, 0);
    const records = await api.get(repToken, `/api/v1/samples/records?hcp_id=${hcp.id}`);
    assert.equal(records.length, 1, 'exactly one sample record');
    const r = records[0];
    assert.equal(r.record_type, 'sample_disbursement');
    assert.equal(r.call_id, callId);
    assert.equal(r.lines.length, 1);
    assert.equal(r.lines[0].lot_id, lot.lot_id);
    assert.ok(r.signature.image.startsWith('M '), 'the drawn signature');
    assert.match(r.signature.hash, /^[0-9a-f]{64}$/);
    assert.equal(r.signature.record.signer_name, `Dr. ${hcp.first_name} ${hcp.last_name}`);
    assert.equal(r.signature.record.record_id, r.id);
    assert.deepEqual(
      r.findings.filter((f) => f.severity === 'error'),
      [],
      'no rule broken on the server either',
    );
    const calls = await api.get(repToken, `/api/v1/hcps/${hcp.id}/calls`);
    const call = calls.find((c) => c.id === callId);
    assert.ok(call, 'the call is on the server');
    assert.equal(call.disbursement_id, r.id, 'the call carries its disbursement');
    // The next pull brings the book: the app shows the server's on-hand, nothing pending.
    await page.waitForFunction(
      ([lotNumber, n]) =>
        document
          .querySelector(`[data-testid=inv-lot][data-lot="${lotNumber}"]`)
          ?.getAttribute('data-on-hand') === String(n) &&
        document.querySelectorAll('[data-testid=ledger-pending]').length === 0,
      [lot.lot_number, lot.on_hand - records[0].lines[0].quantity],
      { timeout: 30_000 },
    );
    await screenshot(page, 'samples-05-synced', { fullPage: true });
  });
  test('offline inventory records and a signed sample request: the server applies every one', async () => {
    const today = todayUtc();
    await ctx.setOffline(true);
    await page.goto(`${server.baseUrl}/#/samples`);
    await page.locator('[data-testid=inventory]').waitFor();
    const onHand = async (lotNumber) =>
      Number(
        await page
          .locator(`[data-testid=inv-lot][data-lot="${lotNumber}"]`)
          .getAttribute('data-on-hand'),
      );
    /** Waits until the inventory shows `n` on hand of the lot (the screen re-reads the outbox after a record). */
    const waitOnHand = (lotNumber, n) =>
      page.waitForFunction(
        ([l, v]) =>
          document
            .querySelector(`[data-testid=inv-lot][data-lot="${l}"]`)
            ?.getAttribute('data-on-hand') === String(v),
        [lotNumber, n],
        { timeout: 10_000 },
      );

    // The shipment in transit: quantities prefilled with what was sent; one unit short needs a note.
    const ship = book.incoming[0];
    assert.ok(ship, 'the demo has a shipment in transit for the rep');
    const shipLot = book.lots.find((l) => l.lot_id === ship.lines[0].lot_id);
    const before = await onHand(shipLot.lot_number);
    const el = page.locator(`[data-testid=shipment][data-id="${ship.id}"]`);
    const firstQty = el.locator('[data-testid=receive-qty]').first();
    assert.equal(await firstQty.inputValue(), String(ship.lines[0].quantity));
    await firstQty.fill(String(ship.lines[0].quantity - 1));
    await el.locator('[data-testid=receive-submit]').click();
    await el.locator('[data-testid=error-note]').waitFor();
    await el.locator('[data-testid=receive-note]').fill('One unit missing from the box');
    await el.locator('[data-testid=receive-submit]').click();
    await page.locator('[data-testid=samples-done]').waitFor();
    await waitOnHand(shipLot.lot_number, before + ship.lines[0].quantity - 1);

    // A transfer to a colleague and a theft, from a lot of another product with stock.
    const moveLot = book.lots.find(
      (l) =>
        l.sku_id !== sku.sku_id &&
        l.on_hand >= 5 &&
        l.expires_on >= today &&
        l.lot_id !== shipLot.lot_id,
    );
    const moveBefore = await onHand(moveLot.lot_number);
    await page.locator('[data-testid=action-transfer]').click();
    const tf = page.locator('[data-testid=transfer-form]');
    await tf.locator('[data-testid=transfer-submit]').click();
    await tf.locator('[data-testid=error-to_rep_id]').waitFor();
    await tf.locator('[data-testid=error-lines]').waitFor();
    await tf.locator('[data-testid=transfer-to]').selectOption(book.colleagues[0].id);
    await tf
      .locator(`[data-testid=lot-row][data-lot="${moveLot.lot_number}"] [data-testid=lot-qty]`)
      .fill(String(moveBefore + 1));
    await tf.locator('[data-testid=transfer-submit]').click();
    await tf.locator('[data-testid=error-lot]').waitFor(); // more than on hand
    await tf
      .locator(`[data-testid=lot-row][data-lot="${moveLot.lot_number}"] [data-testid=lot-qty]`)
      .fill('2');
    await tf.locator('[data-testid=transfer-submit]').click();
    await page.locator('[data-testid=samples-done]').waitFor();
    await waitOnHand(moveLot.lot_number, moveBefore - 2);

    await page.locator('[data-testid=action-loss]').click();
    const lf = page.locator('[data-testid=loss-form]');
    await lf.locator('[data-testid=loss-kind-theft]').click();
    await lf.locator('[data-testid=loss-reason]').fill('Car broken into in the clinic car park');
    await lf
      .locator(`[data-testid=lot-row][data-lot="${moveLot.lot_number}"] [data-testid=lot-qty]`)
      .fill('1');
    await lf.locator('[data-testid=loss-submit]').click();
    await lf.locator('[data-testid=error-police_report]').waitFor();
    await lf.locator('[data-testid=loss-police]').fill('BPD-2026-118842');
    await lf.locator('[data-testid=loss-submit]').click();
    await page.locator('[data-testid=samples-done]').waitFor();
    await waitOnHand(moveLot.lot_number, moveBefore - 3);

    // A witnessed destruction of an expired lot: the expired lots come prefilled with all they hold;
    // the others are cleared. Without the witness and the method it is refused on the device.
    const expired = book.lots
      .filter(
        (l) =>
          l.on_hand > 0 &&
          l.expires_on < today &&
          l.lot_id !== shipLot.lot_id &&
          l.lot_id !== moveLot.lot_id,
      )
      .sort(
        (a, b) =>
          a.expires_on.localeCompare(b.expires_on) || (a.lot_number < b.lot_number ? -1 : 1),
      );
    const deadLot = expired[0];
    assert.ok(deadLot, 'the demo rep holds an expired lot');
    const witness = 'Witnessed by Dana Brooks (district manager); incinerated at the Boston depot';
    await page.locator('[data-testid=action-destroy]').click();
    const df = page.locator('[data-testid=destroy-form]');
    for (const l of expired) {
      const input = df.locator(
        `[data-testid=lot-row][data-lot="${l.lot_number}"] [data-testid=lot-qty]`,
      );
      assert.equal(
        await input.inputValue(),
        String(await onHand(l.lot_number)),
        `expired lot ${l.lot_number} prefilled`,
      );
      if (l !== deadLot) await input.fill('');
    }
    await df.locator('[data-testid=destroy-submit]').click();
    await df.locator('[data-testid=error-note]').waitFor();
    await df.locator('[data-testid=destroy-note]').fill(witness);
    await df.locator('[data-testid=destroy-submit]').click();
    await page.locator('[data-testid=samples-done]').waitFor();
    // Nothing left of the lot: it leaves the inventory; the ledger shows the pending destruction.
    await page
      .locator(`[data-testid=inv-lot][data-lot="${deadLot.lot_number}"]`)
      .waitFor({ state: 'detached', timeout: 10_000 });
    const destroyed = page.locator('[data-testid=ledger-pending][data-kind=destruction]');
    assert.equal(await destroyed.count(), 1);
    assert.match(
      await destroyed.innerText(),
      new RegExp(`Destroyed −${deadLot.on_hand} · .*lot ${deadLot.lot_number}`),
    );
    assert.ok((await destroyed.innerText()).includes(`Destroyed, witnessed: ${witness}`));

    // A physical count, prefilled with what the device says is on hand.
    await page.locator('[data-testid=action-count]').click();
    const cf = page.locator('[data-testid=count-form]');
    assert.equal(
      await cf
        .locator(`[data-testid=lot-row][data-lot="${moveLot.lot_number}"] [data-testid=lot-qty]`)
        .inputValue(),
      String(moveBefore - 3),
    );
    await cf.locator('[data-testid=count-submit]').click();
    await page.locator('[data-testid=samples-done]').waitFor();
    await screenshot(page, 'samples-06-records-offline', { fullPage: true });

    // A sample request signed on the HCP's profile, shipped to the practice.
    await page.goto(`${server.baseUrl}/#/hcps/${other.id}`);
    await page.locator('[data-testid=request-start]').click();
    await page.locator('[data-testid=request-sku-0]').selectOption(sku.sku_id);
    await page.locator('[data-testid=request-qty-0]').fill(String(limit.max + 1));
    await page
      .locator('[data-testid=request-findings-0] [data-code=sample_limit][data-severity=error]')
      .waitFor();
    await page.locator('[data-testid=request-qty-0]').fill('2');
    await page
      .locator('[data-testid=request-findings-0] [data-severity=error]')
      .waitFor({ state: 'detached' });
    if (await page.locator('[data-testid=request-ack]').count())
      await page.locator('[data-testid=request-ack]').check();
    await page.locator('[data-testid=request-sign]').click();
    await page.locator('[data-testid=signature-step]').waitFor();
    assert.equal(await page.locator('.topbar').isVisible(), false);
    assert.match(
      await page.locator('[data-testid=sign-ship-to]').innerText(),
      new RegExp(other.address.zip),
    );
    assert.match(
      await page.locator('[data-testid=sign-meaning]').innerText(),
      /I request the samples listed above/,
    );
    await drawSignature(page);
    await page.locator('[data-testid=sign-submit]').click();
    await page.locator('[data-testid=request-done]').waitFor();
    await waitIndicator(6);

    await ctx.setOffline(false);
    await waitIndicator(0, 0);
    const after = await api.get(repToken, '/api/v1/samples/book');
    assert.ok(!after.incoming.some((s) => s.id === ship.id), 'the shipment is acknowledged');
    const lotAfter = (id) => after.lots.find((l) => l.lot_id === id).on_hand;
    assert.equal(
      lotAfter(moveLot.lot_id),
      moveLot.on_hand - 3,
      'transfer and theft left the inventory',
    );
    assert.equal(
      lotAfter(shipLot.lot_id),
      shipLot.on_hand + ship.lines[0].quantity - 1,
      'the units received were added',
    );
    assert.ok(
      after.recent.some(
        (e) => e.kind === 'transfer_out' && e.lot_id === moveLot.lot_id && e.quantity === 2,
      ),
    );
    const losses = await api.get(repToken, '/api/v1/samples/loss-reports');
    assert.ok(losses.some((r) => r.kind === 'theft' && r.police_report === 'BPD-2026-118842'));
    // The destruction is in the rep's book and in the reconciliation of the period, with its witness.
    assert.equal(
      after.lots.find((l) => l.lot_id === deadLot.lot_id)?.on_hand ?? 0,
      0,
      'the destroyed lot left the inventory',
    );
    assert.ok(
      after.recent.some(
        (e) =>
          e.kind === 'destruction' &&
          e.lot_id === deadLot.lot_id &&
          e.quantity === deadLot.on_hand &&
          e.counterparty === `Destroyed, witnessed: ${witness}`,
      ),
      'the destruction is in the ledger',
    );
    await assertDestroyed(api, repToken, book.rep_id, deadLot, witness);
    // The app shows it in the synced ledger, labelled.
    await page.locator('.tabs a[href="#/samples"]').click();
    await page
      .locator('[data-testid=ledger-entry][data-kind=destruction]', { hasText: 'Destroyed' })
      .first()
      .waitFor({ timeout: 30_000 });
    const requests = await api.get(repToken, `/api/v1/samples/records?hcp_id=${other.id}`);
    assert.equal(requests.length, 1);
    assert.equal(requests[0].record_type, 'sample_request');
    assert.ok(requests[0].ship_to.includes(other.address.zip));
    assert.equal(requests[0].signature.record.lines[0].lot_number, null);
  });
});
