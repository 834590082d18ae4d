// Browser benchmarks of the rep's offline field app (`npm run bench` in web/).
//
// Starts `pharmacrm demo` (the binary and the embedded-UI check of the e2e helper) with large
// datasets, drives headless /usr/bin/chromium (playwright-core) and measures:
//  (a) time to usable after login: submitting the login form -> Today plan rendered with data
//      (initial sync complete), fresh browser profile, for a rep with ~1,000 HCPs and one with
//      15,000 HCPs + accounts;
//  (b) local search latency in the HCP list at 15,000 records (3-letter queries, ~20 of them);
//  (c) an empty incremental pull round trip as seen from the browser;
//  (d) app shell JavaScript size (gzipped) and the precache size.
// Writes/replaces the `<!-- section:browser -->` section of docs/benchmarks.md.
//
// BENCH_RUNS (default 3) login runs per dataset; BENCH_NO_WRITE=1 prints without writing;
// BENCH_PAGE_LIMIT sets the app's pull page size (localStorage `pharmacrm.syncPageLimit`, default
// 500) for experiments; BENCH_ONLY=rep1k|rep15k runs one dataset (both imply BENCH_NO_WRITE);
// BENCH_SMOKE=1 runs everything on the plain small demo (checks the script; implies BENCH_NO_WRITE).
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchBrowser, PHONE, serverBinary, startDemoServer, WEB_DIR } from '../e2e/helpers.mjs';

const DOC = path.resolve(WEB_DIR, '../docs/benchmarks.md');
const DIST = path.join(WEB_DIR, 'dist');
const RUNS = Number(process.env.BENCH_RUNS || 3);
const SMOKE = !!process.env.BENCH_SMOKE;
const PAGE_LIMIT = process.env.BENCH_PAGE_LIMIT || null;
const ONLY = process.env.BENCH_ONLY || null;
const NO_WRITE = !!(process.env.BENCH_NO_WRITE || SMOKE || PAGE_LIMIT || ONLY);

const DATASETS = {
  rep1k: {
    label: 'rep with ~1,000 HCPs',
    args: ['--territories', '5', '--hcps', '5000', '--accounts', '1250', '--history-months', '4'],
  },
  rep15k: {
    label: 'rep with 12,000 HCPs + 3,000 accounts',
    args: ['--territories', '1', '--hcps', '12000', '--accounts', '3000', '--history-months', '1'],
  },
};

const log = (...a) => console.log('#', ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[i];
}
const median = (xs) => quantile(xs, 0.5);
const ms = (x) => (x >= 100 ? `${Math.round(x)} ms` : `${x.toFixed(1)} ms`);
const sec = (x) => `${(x / 1000).toFixed(2)} s`;
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;

function assertDemoOverrides() {
  const bin = serverBinary();
  return import('node:child_process').then(({ execFileSync }) => {
    const help = execFileSync(bin, ['demo', '--help'], { encoding: 'utf8' });
    if (!help.includes('--hcps'))
      throw new Error(`${bin} has no \`demo --hcps\` yet: rebuild it (cargo build -p pharmacrm)`);
  });
}

/** The first user with role `rep` in the logins the demo printed. */
function firstRep(logPath) {
  for (const line of readFileSync(logPath, 'utf8').split('\n')) {
    const m = /^\s+(\S+)\s+rep\s/.exec(line);
    if (m) return m[1];
  }
  throw new Error(`no rep login in ${logPath}`);
}

async function startServer(ds) {
  const t0 = Date.now();
  const extraArgs = SMOKE ? [] : ds.args;
  const server = await startDemoServer({
    seed: 7,
    scale: 'small',
    timeoutMs: 900_000,
    extraArgs,
    logName: 'bench-server.log',
  });
  log(`server up (${ds.label}) after ${sec(Date.now() - t0)}`);
  return { ...server, rep: firstRep(server.logPath) };
}

/** Counts of the rep's local data (IndexedDB) in the page. */
function localCounts(page) {
  return page.evaluate(async () => {
    const user = JSON.parse(localStorage.getItem('pharmacrm.user'));
    const db = await new Promise((res, rej) => {
      const r = indexedDB.open(`pharmacrm-u-${user.id}`);
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const count = (s) =>
      new Promise((res) => {
        const r = db.transaction(s).objectStore(s).count();
        r.onsuccess = () => res(r.result);
      });
    const out = {
      hcps: await count('hcps'),
      accounts: await count('accounts'),
      calls: await count('calls'),
    };
    db.close();
    return out;
  });
}

/** (a) One login on a fresh profile: submit -> Today plan rendered with data. */
async function timeToUsable(browser, server) {
  const ctx = await browser.newContext(PHONE);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => log('page error:', e.message));
  const pullsSeen = [];
  page.on('requestfinished', (r) => {
    if (!r.url().includes('/api/v1/sync/pull')) return;
    const timing = r.timing();
    pullsSeen.push(
      r
        .response()
        .then(async (res) => ({ timing, reset: (await res.json()).reset }))
        .catch(() => ({ timing, reset: false })),
    );
  });
  await page.goto(server.baseUrl + '/');
  if (PAGE_LIMIT)
    await page.evaluate((n) => localStorage.setItem('pharmacrm.syncPageLimit', n), PAGE_LIMIT);
  await page.locator('input[name=username]').fill(server.rep);
  await page.locator('input[name=password]').fill('demo');
  // Wait until the service worker has finished precaching, so it does not compete with the sync.
  await page.evaluate(() => navigator.serviceWorker?.ready);
  const tClick = await page.evaluate(() => performance.now());
  const t0 = Date.now();
  await page.locator('button[type=submit]').click();
  const usable = await page.waitForFunction(
    () => {
      const plan = document.querySelector('[data-testid=plan]');
      const ok =
        !!plan &&
        !!document.querySelector('[data-testid=progress]') &&
        (Number(plan.dataset.count) === 0 || !!document.querySelector('[data-testid=plan-item]'));
      return ok ? performance.now() : false;
    },
    null,
    { timeout: 600_000, polling: 'raf' },
  );
  const tUsable = await usable.jsonValue();
  const total = Date.now() - t0;
  await sleep(300); // let the last requestfinished events arrive
  const counts = await localCounts(page);
  // Where the time went, from the app's User Timing marks (src/offline/engine.ts).
  const m = await page.evaluate(() =>
    Object.fromEntries(
      performance
        .getEntriesByType('mark')
        .filter((e) => e.name.startsWith('pharmacrm:initial-sync-'))
        .map((e) => [e.name.slice('pharmacrm:initial-sync-'.length), e.startTime]),
    ),
  );
  const steps = {
    login: m.start - tClick, // login request, /me, the app and the sync engine starting
    pull: m.fetched - m.start, // requesting the pages, writing each to `staging`
    apply: m.applied - m.fetched, // one IndexedDB transaction over everything
    load: m.loaded - m.applied, // reading it back into memory (sorted, search keys)
    render: tUsable - m.loaded, // plan and progress computed and rendered
  };
  // The initial checkpoint's pages (reset: true; not an incremental pull that may follow).
  const pulls = (await Promise.all(pullsSeen)).filter((p) => p.reset).map((p) => p.timing);
  // Network part: first pull request start -> last pull response end.
  const firstStart = Math.min(...pulls.map((t) => t.startTime));
  const lastEnd = Math.max(...pulls.map((t) => t.startTime + t.responseEnd));
  // Waiting for the server's first byte, summed over the pages (the server's share of the pull).
  const serverWait = pulls.reduce((s, t) => s + (t.responseStart - t.requestStart), 0);
  return {
    total,
    steps,
    pages: pulls.length,
    pullNetwork: lastEnd - firstStart,
    serverWait,
    counts,
    ctx,
    page,
  };
}

/** Three-letter substrings of last names that match something (distinct, spread over the list). */
async function searchQueries(page, n = 20) {
  return page.evaluate(async (n) => {
    const user = JSON.parse(localStorage.getItem('pharmacrm.user'));
    const db = await new Promise((res, rej) => {
      const r = indexedDB.open(`pharmacrm-u-${user.id}`);
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const names = await new Promise((res) => {
      const r = db.transaction('hcps').objectStore('hcps').getAll();
      r.onsuccess = () => res(r.result.map((h) => h.last_name.toLowerCase()));
    });
    db.close();
    const out = [];
    const step = Math.max(1, Math.floor(names.length / (n * 3)));
    for (let i = 0; i < names.length && out.length < n; i += step) {
      const s = names[i].replace(/[^a-z]/g, '');
      if (s.length < 4) continue;
      const off = out.length % 2; // prefixes and infixes
      const q = s.slice(off, off + 3);
      if (!out.includes(q)) out.push(q);
    }
    return out;
  }, n);
}

/** (b) Per keystroke: input event -> list re-rendered (DOM) and -> the next frame. */
async function searchLatency(page, baseUrl, queries) {
  await page.goto(`${baseUrl}/#/hcps`);
  await page.locator('[data-testid=hcp-list]').waitFor();
  await page.waitForFunction(
    () => document.querySelector('[data-testid=hcp-list]')?.getAttribute('aria-busy') === 'false',
  );
  return page.evaluate(async (queries) => {
    const input = document.querySelector('[data-testid=hcp-search]');
    const list = () => document.querySelector('[data-testid=hcp-list]');
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const type = (value) =>
      new Promise((resolve) => {
        const want = value.trim() ? new URLSearchParams({ q: value.trim() }).toString() : '';
        const t0 = performance.now();
        const done = async () => {
          const dom = performance.now() - t0;
          await frame();
          resolve({
            dom,
            frame: performance.now() - t0,
            rows: document.querySelectorAll('[data-testid=hcp-card]').length,
            n: document.querySelector('[data-testid=shown-count]')?.textContent,
          });
        };
        const mo = new MutationObserver(() => {
          if (list()?.getAttribute('data-loaded-key') === want) {
            mo.disconnect();
            void done();
          }
        });
        mo.observe(document.querySelector('.screen'), {
          subtree: true,
          attributes: true,
          childList: true,
        });
        input.value = value;
        input.dispatchEvent(new Event('input', { bubbles: true }));
      });
    const keystrokes = [];
    const finals = [];
    for (const q of queries) {
      for (let i = 1; i <= q.length; i++) {
        const r = await type(q.slice(0, i));
        keystrokes.push(r);
        if (i === q.length) finals.push({ q, ...r });
      }
      await type('');
      await new Promise((r) => setTimeout(r, 50));
    }
    return { keystrokes, finals };
  }, queries);
}

/** (c) Empty incremental pull (GET /api/v1/sync/pull?cursor=<stored>) from the page, N times. */
async function emptyPull(page, n = 30) {
  return page.evaluate(async (n) => {
    const user = JSON.parse(localStorage.getItem('pharmacrm.user'));
    const token = localStorage.getItem('pharmacrm.token');
    const db = await new Promise((res, rej) => {
      const r = indexedDB.open(`pharmacrm-u-${user.id}`);
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const cursor = await new Promise((res) => {
      const r = db.transaction('meta').objectStore('meta').get('cursor');
      r.onsuccess = () => res(r.result.value);
    });
    db.close();
    const times = [];
    let changes = 0;
    for (let i = 0; i < n + 2; i++) {
      const t0 = performance.now();
      const res = await fetch(
        `/api/v1/sync/pull?${new URLSearchParams({ cursor, limit: '500' })}`,
        {
          headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
          cache: 'no-store',
        },
      );
      const page = await res.json();
      const t = performance.now() - t0;
      if (i >= 2) times.push(t); // 2 warm-ups
      changes += page.changes.length;
      if (page.has_more || page.reset) throw new Error('not an empty incremental pull');
    }
    return { times, changes };
  }, n);
}

/** "Sync now" on the Sync screen: click -> last sync time updated and idle (engine pull incl. IndexedDB). */
async function syncNow(page, baseUrl, n = 10) {
  await page.goto(`${baseUrl}/#/sync`);
  const times = [];
  for (let i = 0; i < n; i++) {
    const btn = page.locator('[data-testid=sync-now]');
    await page.waitForFunction(() => !document.querySelector('[data-testid=sync-now]')?.disabled);
    const before = await page
      .locator('[data-testid=sync-indicator]')
      .getAttribute('data-last-sync');
    await sleep(5); // a new timestamp
    const t0 = Date.now();
    await btn.click();
    await page.waitForFunction(
      (b) => {
        const d = document.querySelector('[data-testid=sync-indicator]')?.dataset;
        return d && d.lastSync !== b && d.state === 'ok';
      },
      before,
      { polling: 'raf' },
    );
    times.push(Date.now() - t0);
  }
  return times;
}

/** (d) App shell sizes from dist/. */
function shellSizes() {
  const assets = path.join(DIST, 'assets');
  const js = readdirSync(assets).filter((f) => f.endsWith('.js'));
  const jsRaw = js.reduce((s, f) => s + statSync(path.join(assets, f)).size, 0);
  const jsGz = js.reduce((s, f) => s + gzipSync(readFileSync(path.join(assets, f))).length, 0);
  const sw = readFileSync(path.join(DIST, 'sw.js'), 'utf8');
  const m = /const PRECACHE = (\[[\s\S]*?\]);/.exec(sw);
  if (!m) throw new Error('no PRECACHE list in dist/sw.js');
  const urls = JSON.parse(m[1]);
  let preRaw = 0;
  let preGz = 0;
  for (const u of urls) {
    const buf = readFileSync(path.join(DIST, u.replace(/^\//, '')));
    preRaw += buf.length;
    preGz += gzipSync(buf).length;
  }
  return { jsFiles: js.length, jsRaw, jsGz, precacheFiles: urls.length, preRaw, preGz };
}

function machineLine() {
  const cpus = os.cpus();
  const model = (cpus[0]?.model ?? 'unknown CPU').replace(/\s+/g, ' ').trim();
  const ram = Math.floor(os.totalmem() / 1024 ** 3);
  return `Machine: ${cpus.length} cores, ${ram} GiB RAM, ${model}. Date: ${new Date().toISOString().slice(0, 10)}.`;
}

function writeSection(md) {
  const start = '<!-- section:browser -->';
  const end = '<!-- /section:browser -->';
  const block = `${start}\n${md.trim()}\n${end}`;
  let doc = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '# Benchmarks\n';
  const a = doc.indexOf(start);
  const b = doc.indexOf(end);
  if (a >= 0 && b > a) doc = doc.slice(0, a) + block + doc.slice(b + end.length);
  else doc = doc.replace(/\s*$/, '\n\n') + block + '\n';
  writeFileSync(DOC, doc);
}

async function main() {
  if (!SMOKE) await assertDemoOverrides();
  const browser = await launchBrowser();
  const chromiumVersion = browser.version();
  const results = {};
  try {
    for (const [key, ds] of Object.entries(DATASETS)) {
      if (ONLY && key !== ONLY) continue;
      const server = await startServer(ds);
      try {
        const runs = [];
        let last = null;
        for (let i = 0; i < RUNS; i++) {
          const r = await timeToUsable(browser, server);
          log(
            `${ds.label}: usable after ${sec(r.total)} (${r.pages} pull pages, server TTFB ${sec(r.serverWait)}; steps ${Object.entries(
              r.steps,
            )
              .map(([k, v]) => `${k} ${ms(v)}`)
              .join(', ')}; local ${JSON.stringify(r.counts)})`,
          );
          runs.push(r);
          if (last) await last.ctx.close();
          last = r;
        }
        const res = {
          runs: runs.map(({ total, steps, pages, pullNetwork, serverWait, counts }) => ({
            total,
            steps,
            pages,
            pullNetwork,
            serverWait,
            counts,
          })),
        };
        if (key === 'rep15k') {
          const queries = await searchQueries(last.page);
          const s = await searchLatency(last.page, server.baseUrl, queries);
          res.search = s;
          log(
            `search: ${queries.length} queries, last keystroke DOM p50 ${ms(median(s.finals.map((x) => x.dom)))} p95 ${ms(
              quantile(
                s.finals.map((x) => x.dom),
                0.95,
              ),
            )}`,
          );
          const p = await emptyPull(last.page);
          res.pull = p;
          log(`empty pull: p50 ${ms(median(p.times))} p95 ${ms(quantile(p.times, 0.95))}`);
          res.syncNow = await syncNow(last.page, server.baseUrl);
          log(`sync now: p50 ${ms(median(res.syncNow))}`);
        }
        await last.ctx.close();
        results[key] = res;
      } finally {
        await server.stop();
      }
    }
  } finally {
    await browser.close();
  }
  const sizes = shellSizes();

  const row = (label, r) => {
    const totals = r.runs.map((x) => x.total);
    const c = r.runs[0].counts;
    return `| ${label} | ${c.hcps.toLocaleString('en-US')} / ${c.accounts.toLocaleString('en-US')} / ${c.calls.toLocaleString('en-US')} | ${r.runs[0].pages} | **${sec(median(totals))}** | ${sec(Math.min(...totals))}–${sec(Math.max(...totals))} |`;
  };
  const steps = (label, r) => {
    const med = (f) => median(r.runs.map(f));
    const st = (k) => sec(med((x) => x.steps[k]));
    return `| ${label} | ${st('login')} | ${st('pull')} (server ${sec(med((x) => x.serverWait))}) | ${st('apply')} | ${st('load')} | ${st('render')} |`;
  };
  const s = results.rep15k.search;
  const fin = s.finals;
  const all = s.keystrokes;
  const md = `
${machineLine()} Chromium ${chromiumVersion} (headless, \`--disable-gpu\`), phone viewport.

## Rep field app in the browser

Recorded by \`npm run bench\` in web/ (\`web/bench/browser.mjs\`): \`pharmacrm demo\` on SQLite (\`${path.relative(path.resolve(WEB_DIR, '..'), serverBinary())}\`, ${/[\\/]release[\\/]/.test(serverBinary()) ? 'release' : 'debug'} build, as \`PHARMACRM_BIN\` says), the UI the binary embeds, driven through playwright-core; server and browser on the same machine.

**Time to usable after login** (fresh browser profile; from submitting the login form to the Today plan rendered with data, i.e. the initial sync fetched in pages of 500 changes, applied to IndexedDB in one transaction and loaded into memory). ${RUNS} run${RUNS === 1 ? '' : 's'} each.

| rep | HCPs / accounts / calls on the device | pull pages | median | range |
|---|---|---|---|---|
${row('~1,000 HCPs (`--territories 5 --hcps 5000 --accounts 1250 --history-months 4`)', results.rep1k)}
${row('15,000 HCPs + accounts (`--territories 1 --hcps 12000 --accounts 3000 --history-months 1`)', results.rep15k)}

Where the time goes (medians, from the app's User Timing marks): login and app start until the sync starts; requesting the pages and writing each to \`staging\` (in brackets: waiting for the server's first byte, summed over the pages — the debug server's share); applying the checkpoint in one IndexedDB transaction; reading it back into memory; computing and rendering the plan.

| rep | login → sync starts | pull pages | apply | load | render |
|---|---|---|---|---|---|
${steps('~1,000 HCPs', results.rep1k)}
${steps('15,000 HCPs + accounts', results.rep15k)}

At 15,000 records the server's time dominates (a debug build; the release build's in-process figure for the same pull is in the sync section above). Each page is written to \`staging\` while the next one is requested, so the device's share of "pull pages" is small; pages of 2,000 instead of 500 (\`BENCH_PAGE_LIMIT=2000\`) made no measurable difference in a trial run. The biggest device-side step is the atomic apply.

**Local search** in the HCP list at 12,000 HCPs (+ 3,000 accounts on the device): ${fin.length} different 3-letter queries typed a letter at a time; time from the input event to the list re-rendered (DOM updated; "next frame" adds waiting for the following animation frame).

| measure | n | p50 | p95 | max |
|---|---|---|---|---|
| 3rd letter → list updated (DOM) | ${fin.length} | ${ms(median(fin.map((x) => x.dom)))} | ${ms(
    quantile(
      fin.map((x) => x.dom),
      0.95,
    ),
  )} | ${ms(Math.max(...fin.map((x) => x.dom)))} |
| 3rd letter → next frame | ${fin.length} | ${ms(median(fin.map((x) => x.frame)))} | ${ms(
    quantile(
      fin.map((x) => x.frame),
      0.95,
    ),
  )} | ${ms(Math.max(...fin.map((x) => x.frame)))} |
| any keystroke (1–3 letters) → list updated (DOM) | ${all.length} | ${ms(median(all.map((x) => x.dom)))} | ${ms(
    quantile(
      all.map((x) => x.dom),
      0.95,
    ),
  )} | ${ms(Math.max(...all.map((x) => x.dom)))} |

**Sync round trips** for the 15,000-record rep, nothing new on the server:

| measure | n | p50 | p95 | max |
|---|---|---|---|---|
| empty incremental pull (\`fetch\` + JSON, from the page) | ${results.rep15k.pull.times.length} | ${ms(median(results.rep15k.pull.times))} | ${ms(quantile(results.rep15k.pull.times, 0.95))} | ${ms(Math.max(...results.rep15k.pull.times))} |
| "Sync now" → synced (engine: push check, pull, IndexedDB apply, UI) | ${results.rep15k.syncNow.length} | ${ms(median(results.rep15k.syncNow))} | ${ms(quantile(results.rep15k.syncNow, 0.95))} | ${ms(Math.max(...results.rep15k.syncNow))} |

**App shell** (\`dist/\`): JavaScript ${sizes.jsFiles} file(s), ${kb(sizes.jsRaw)}, **${kb(sizes.jsGz)} gzipped** (node:zlib, default level); service-worker precache ${sizes.precacheFiles} files, ${kb(sizes.preRaw)} (${kb(sizes.preGz)} gzipped).
`;
  console.log(md);
  if (ONLY) return;
  if (!NO_WRITE) {
    writeSection(md);
    log(`wrote the browser section of ${DOC}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
