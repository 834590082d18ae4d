/* PharmaCRM service worker (hand-written). Precaches the app shell listed at build time and serves
 * it cache-first, so the app opens offline. Never touches /api (data lives in IndexedDB). */
const VERSION = '__VERSION__';
const PRECACHE = __PRECACHE__;
const CACHE = 'pharmacrm-shell-' + VERSION;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((c) => c.addAll(PRECACHE.map((u) => new Request(u, { cache: 'reload' })))),
  );
});

// A new build waits (the old one keeps serving the running page) until the page asks it to take
// over: the "new version available — reload" banner (src/lib/swUpdate.ts). The first install has
// nothing to wait for and activates at once.
self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'SKIP_WAITING') self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((k) => k.startsWith('pharmacrm-shell-') && k !== CACHE)
            .map((k) => caches.delete(k)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  const p = url.pathname;
  if (p.startsWith('/api/') || p === '/healthz' || p === '/metrics' || p === '/sw.js') return;
  if (req.mode === 'navigate') {
    // Any page is the single-page app: the cached index.html.
    event.respondWith(
      caches
        .open(CACHE)
        .then((c) => c.match('/index.html'))
        .then((r) => r || fetch(req)),
    );
    return;
  }
  event.respondWith(
    caches
      .open(CACHE)
      .then((c) => c.match(req))
      .then((r) => r || fetch(req)),
  );
});
