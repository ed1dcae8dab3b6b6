// Ops Dojo keeps working offline after the first visit (a classroom's network is not to be
// trusted). Network first: online, every request goes to the server and the answer is kept,
// so a new release shows at once; offline, the kept answer is served.
//
// The page loads its wasm, JS and CSS before this worker controls it, so installing also
// fetches the page and keeps every asset it names (Trunk gives them hashed names).

const CACHE = 'ops-dojo-v1';

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const page = await fetch('./', { cache: 'no-cache' });
    const html = await page.clone().text();
    await cache.put('./', page);
    const assets = [...html.matchAll(/(?:href|src)="([^"]+\.(?:js|wasm|css))"/g)].map((m) => m[1]);
    await cache.addAll(assets);
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const response = await fetch(request);
      if (response.ok) await cache.put(request, response.clone());
      return response;
    } catch (offline) {
      // The page itself may be asked for as "/", "/index.html" or with a query.
      const kept = await cache.match(request, { ignoreSearch: true })
        ?? (request.mode === 'navigate' ? await cache.match('./') : undefined);
      if (kept) return kept;
      throw offline;
    }
  })());
});
