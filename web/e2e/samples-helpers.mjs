// Helpers of the sample acceptance test (samples.test.mjs): the demo data it works with (a SKU
// with a blocking per-call maximum, its first-expiry lot, HCPs who may receive it), a full
// pull, the outbox as stored on the device, the drawn signature, the sync indicator and the
// reconciliation check of a witnessed destruction.
import assert from 'node:assert/strict';

/** Today's date in UTC, `YYYY-MM-DD`. */
export const todayUtc = () => new Date().toISOString().slice(0, 10);

/** All changes of a full (initial) pull for this token. */
export async function fullPull(api, token) {
  const changes = [];
  let cursor = null;
  for (let i = 0; i < 500; i++) {
    const q = new URLSearchParams({ limit: '2000' });
    if (cursor) q.set('cursor', cursor);
    const page = await api.get(token, `/api/v1/sync/pull?${q}`);
    changes.push(...page.changes);
    if (!page.has_more) return changes;
    cursor = page.cursor;
  }
  throw new Error('too many pages');
}

/**
 * From the rep's sample book: a non-controlled SKU with a per-call maximum that blocks, enough
 * stock and allocation (`sku`, `limit`), the lot first-expiry-first picks (`lot`), and two HCPs
 * who may receive it (`hcp`, `other`): active, no flags, licensed in the state of the call (their
 * primary account's state, else the practice's), no samples on record yet.
 */
export async function pickSampleFixtures(api, token, book) {
  const today = todayUtc();
  const usable = (s) =>
    book.lots.filter((l) => l.sku_id === s.sku_id && l.on_hand > 0 && l.expires_on >= today);
  let sku;
  let limit;
  for (const s of book.skus.filter((s) => !s.dea_schedule)) {
    const l = book.limits.find(
      (x) =>
        x.product_id === s.product_id &&
        x.window === 'call' &&
        x.measure === 'quantity' &&
        x.severity === 'error',
    );
    const stock = usable(s).reduce((n, x) => n + x.on_hand, 0);
    const alloc = book.allocations.find(
      (a) => a.product_id === s.product_id && a.period_from <= today && today <= a.period_to,
    );
    if (l && stock > l.max && (!alloc || alloc.quantity - alloc.used >= l.max)) {
      sku = s;
      limit = l;
      break;
    }
  }
  assert.ok(sku, 'the demo rep holds a SKU with a per-call maximum');
  const lot = usable(sku).sort(
    (a, b) => a.expires_on.localeCompare(b.expires_on) || (a.lot_number < b.lot_number ? -1 : 1),
  )[0];
  const changes = await fullPull(api, token);
  const accounts = new Map(
    changes.filter((c) => c.entity === 'account').map((c) => [c.id, c.data]),
  );
  const sampled = new Set(book.history.map((p) => p.hcp_id));
  const [hcp, other] = changes
    .filter((c) => c.entity === 'hcp' && c.op === 'put')
    .map((c) => c.data)
    .filter((h) => {
      if (
        h.status !== 'active' ||
        h.do_not_call ||
        h.blacklist ||
        sampled.has(h.id) ||
        !h.credentials
      )
        return false;
      const aff = h.affiliations.find((a) => a.primary) ?? h.affiliations[0];
      const state = (aff && accounts.get(aff.account_id)?.state) || h.address.state;
      return (
        state === h.address.state &&
        h.licences.some((l) => l.state === state && l.expires_on >= today)
      );
    });
  assert.ok(hcp && other, 'HCPs who may receive samples');
  return { sku, limit, lot, hcp, other };
}

/** Every outbox item of the signed-in user, as stored in the device's IndexedDB. */
export function deviceOutbox(page) {
  return page.evaluate(async () => {
    const me = JSON.parse(localStorage.getItem('pharmacrm.user') ?? 'null');
    const names = (await indexedDB.databases())
      .map((d) => d.name)
      .filter((n) => n.startsWith('pharmacrm-u-'));
    const db = await new Promise((res, rej) => {
      const r = indexedDB.open(me ? `pharmacrm-u-${me.id}` : names[0]);
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    return new Promise((res, rej) => {
      const r = db.transaction('outbox').objectStore('outbox').getAll();
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
  });
}

/**
 * Signs on the signature pad with the mouse (a zigzag across the box, a little different each
 * time, as a hand is: the server refuses a drawing identical to one on another record).
 */
export async function drawSignature(page) {
  await page.locator('[data-testid=sign-pad]').scrollIntoViewIfNeeded();
  const pad = await page.locator('[data-testid=sign-pad]').boundingBox();
  await page.mouse.move(pad.x + 30, pad.y + pad.height * 0.7);
  await page.mouse.down();
  for (let i = 1; i <= 24; i++) {
    await page.mouse.move(
      pad.x + 30 + i * 10,
      pad.y + pad.height * (0.7 - 0.4 * Math.abs(Math.sin(i / 3))) + Math.random() * 6,
      { steps: 2 },
    );
  }
  await page.mouse.up();
}

/** Waits until the sync indicator shows `pending` records waiting and `rejected` rejected. */
export function waitIndicatorOf(page, pending, rejected = 0, timeout = 60_000) {
  return page.waitForFunction(
    ([p, r]) => {
      const d = document.querySelector('[data-testid=sync-indicator]')?.dataset;
      return d && d.pending === String(p) && d.rejected === String(r);
    },
    [pending, rejected],
    { timeout },
  );
}

/** The reconciliation of the rep (yesterday and today, UTC) lists the destruction of all of `lot` with its witness. */
export async function assertDestroyed(api, token, repId, lot, witness) {
  const from = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const rec = await api.get(
    token,
    `/api/v1/samples/reconciliation?rep_id=${repId}&from=${from}&to=${todayUtc()}`,
  );
  const line = rec.distributions.find(
    (d) => d.kind === 'destruction' && d.lot_number === lot.lot_number,
  );
  assert.ok(line, 'the destruction is listed among the distributions');
  assert.equal(line.quantity, lot.on_hand);
  assert.equal(line.counterparty, `Destroyed, witnessed: ${witness}`);
  assert.equal(rec.per_lot.find((b) => b.lot_id === lot.lot_id).balance.destroyed, lot.on_hand);
}
