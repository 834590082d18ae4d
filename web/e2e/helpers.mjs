// Shared helpers for the browser end-to-end tests (plain ESM, run by `node --test e2e/`).
import { spawn, spawnSync } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const RESULTS_DIR = path.join(WEB_DIR, 'test-results');

/** The server binary: $PHARMACRM_BIN (relative paths are taken from web/), else ../target/debug/pharmacrm. */
export function serverBinary() {
  const bin = path.resolve(WEB_DIR, process.env.PHARMACRM_BIN || '../target/debug/pharmacrm');
  if (!existsSync(bin)) {
    throw new Error(
      `pharmacrm binary not found at ${bin}. Build it (cargo build -p pharmacrm-cli, after \`npm run build\` so web/dist is embedded) or set PHARMACRM_BIN.`,
    );
  }
  return bin;
}

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * A database for one server: a fresh SQLite file in `tmp`, or, with E2E_DATABASE=postgres, a
 * fresh PostgreSQL database on E2E_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432),
 * created and dropped with `psql`. Returns { url, drop }.
 */
function freshDatabase(tmp) {
  if (process.env.E2E_DATABASE !== 'postgres') {
    return { url: `sqlite://${path.join(tmp, 'demo.db')}`, drop: () => {} };
  }
  const server = process.env.E2E_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432';
  const name = `pharmacrm_e2e_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  const psql = (sql) => {
    const r = spawnSync('psql', [`${server}/postgres`, '-v', 'ON_ERROR_STOP=1', '-qc', sql], {
      encoding: 'utf8',
    });
    if (r.error || r.status !== 0) throw new Error(`psql failed (${sql}): ${r.error ?? r.stderr}`);
  };
  psql(`CREATE DATABASE ${name}`);
  return {
    url: `${server}/${name}`,
    drop: () => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/**
 * Starts `pharmacrm demo` on a fresh database (see `freshDatabase`) and a free port and waits
 * for /healthz. `extraArgs` are appended to the demo's arguments (the benchmark's dataset sizes).
 * Returns { baseUrl, stop }.
 */
export async function startDemoServer({
  seed = 7,
  scale = 'small',
  timeoutMs = 120_000,
  extraArgs = [],
  logName = 'server.log',
} = {}) {
  const bin = serverBinary();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'pharmacrm-e2e-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  mkdirSync(RESULTS_DIR, { recursive: true });
  const logPath = path.join(RESULTS_DIR, logName);
  const log = createWriteStream(logPath);
  const database = freshDatabase(tmp);
  const args = [
    'demo',
    '--database-url',
    database.url,
    '--listen',
    `127.0.0.1:${port}`,
    '--scale',
    scale,
    '--seed',
    String(seed),
    ...extraArgs,
  ];
  // The seal key file lives outside the database (a PostgreSQL server must be given one).
  const env = { ...process.env, PHARMACRM_SEAL_KEYS: path.join(tmp, 'seal.keys') };
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });

  const stop = async () => {
    if (exited === null) {
      child.kill('SIGTERM');
      for (let i = 0; i < 50 && exited === null; i++) await sleep(100);
      if (exited === null) child.kill('SIGKILL');
    }
    rmSync(tmp, { recursive: true, force: true });
    database.drop();
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited !== null) {
      await stop();
      throw new Error(`server exited early (${JSON.stringify(exited)}); see ${logPath}`);
    }
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`server not healthy after ${timeoutMs} ms; see ${logPath}`);
    }
    await sleep(500);
  }
  await assertEmbeddedUiCurrent(baseUrl, stop);
  return { baseUrl, apiUrl: baseUrl, logPath, stop };
}

const DIST = path.join(WEB_DIR, 'dist');

/**
 * The tests drive the UI the binary embeds. When web/dist was rebuilt after the binary, they
 * would test a stale UI: fail and say so (`make test` builds the UI, then the server).
 */
async function assertEmbeddedUiCurrent(serverUrl, stop) {
  const index = path.join(DIST, 'index.html');
  if (!existsSync(index)) return;
  const embedded = await (await fetch(serverUrl + '/index.html')).text();
  if (embedded !== readFileSync(index, 'utf8')) {
    await stop();
    throw new Error(
      'the pharmacrm binary embeds an older web/dist than the one built: rebuild it (cargo build -p pharmacrm) after `npm run build`',
    );
  }
}

/** Minimal JSON client for checking the UI against the API. */
export function apiClient(baseUrl) {
  const call = async (method, p, { token, body } = {}) => {
    const headers = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(baseUrl + p, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: res.status, headers: res.headers, json };
  };
  const api = {
    call,
    async login(username, password = 'demo') {
      const r = await call('POST', '/api/v1/auth/login', { body: { username, password } });
      if (r.status !== 200)
        throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.json)}`);
      return r.json.token;
    },
    async get(token, p) {
      const r = await call('GET', p, { token });
      if (r.status !== 200) throw new Error(`GET ${p}: ${r.status} ${JSON.stringify(r.json)}`);
      return r.json;
    },
    /** Follows next_cursor through a list endpoint. */
    async all(token, p, params = {}) {
      const items = [];
      let cursor = null;
      for (let i = 0; i < 1000; i++) {
        const sp = new URLSearchParams({ ...params, limit: '200' });
        if (cursor) sp.set('cursor', cursor);
        const page = await api.get(token, `${p}?${sp}`);
        items.push(...page.items);
        if (!page.next_cursor) return items;
        if (page.next_cursor === cursor) throw new Error('cursor did not advance');
        cursor = page.next_cursor;
      }
      throw new Error('too many pages');
    },
  };
  return api;
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-quic',
  '--no-first-run',
  '--disable-sync',
];

export async function launchBrowser() {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  // Every context reports the server's Content-Security-Policy violations (cspViolations).
  const violations = [];
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`),
      );
    });
    context.on('console', (message) => {
      const text = message.text();
      if (/CSP violation|Content Security Policy/.test(text)) violations.push(text);
    });
    return context;
  };
  browser.cspViolations = violations;
  return browser;
}

/** The Content-Security-Policy violations seen so far in contexts of `browser`. */
export function cspViolations(browser) {
  return [...browser.cspViolations];
}

export const PHONE = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 1,
};
export const DESKTOP = { viewport: { width: 1280, height: 900 } };

export async function screenshot(page, name, { fullPage = false } = {}) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(RESULTS_DIR, `${name}.png`), fullPage });
}

/** Logs in through the login form and waits for the first screen. */
export async function uiLogin(page, username, password = 'demo') {
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.locator('button[type=submit]').click();
  await page.locator('[data-testid=user-name]').waitFor({ timeout: 15_000 });
}

/** Waits until the list shows the first page for a filter key containing `keyPart` and nothing is loading. */
export async function waitListSettled(page, listTestId, keyPart = '') {
  await page.waitForFunction(
    ([tid, part]) => {
      const ul = document.querySelector(`[data-testid="${tid}"]`);
      if (!ul) return false;
      const key = ul.getAttribute('data-loaded-key');
      return key !== null && key.includes(part) && ul.getAttribute('aria-busy') === 'false';
    },
    [listTestId, keyPart],
    { timeout: 20_000 },
  );
}

/** Clicks "Load more" until the list is complete; returns the cards' data attributes. */
export async function loadAllCards(page, listTestId, cardTestId) {
  await waitListSettled(page, listTestId);
  for (let i = 0; i < 500; i++) {
    const more = page.locator('[data-testid=load-more]');
    if ((await more.count()) === 0) break;
    const before = await page.locator(`[data-testid=${cardTestId}]`).count();
    await more.click();
    await page.waitForFunction(
      ([tid, n]) =>
        document.querySelectorAll(`[data-testid="${tid}"]`).length > n ||
        !document.querySelector('[data-testid=load-more]') ||
        document.querySelector('[data-testid=error]'),
      [cardTestId, before],
      { timeout: 20_000 },
    );
    if (await page.locator('[data-testid=error]').count()) {
      throw new Error(`list error: ${await page.locator('[data-testid=error]').innerText()}`);
    }
    await page.waitForFunction(
      (tid) =>
        document.querySelector(`[data-testid="${tid}"]`)?.getAttribute('aria-busy') === 'false',
      listTestId,
    );
  }
  return page.$$eval(`[data-testid=${cardTestId}]`, (els) =>
    els.map((el) => ({
      id: el.getAttribute('data-id'),
      npi: el.getAttribute('data-npi'),
      territory: el.getAttribute('data-territory'),
      territoryText: el.querySelector('[data-testid=hcp-territory]')?.textContent?.trim() ?? '',
      name: el.querySelector('[data-testid=hcp-name]')?.textContent?.trim() ?? '',
    })),
  );
}

export async function shownCount(page) {
  return Number(await page.locator('[data-testid=shown-n]').innerText());
}
