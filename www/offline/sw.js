// The service worker: after a first visit the lab opens and trains without
// a network. It keeps every file of its build (the page, its scripts and
// style, the wasm, the backbone's weights, the built-in samples) in one
// cache named after the build (cache-plan.js). Emitted as /sw.js by
// offline-plugin.js, which fills in the build's list of files.
import { PAGE, cacheName, staleCaches, strategyFor } from './cache-plan.js';

const { version, files } = JSON.parse('__SMOOTHLAB_BUILD__');
const CACHE = cacheName(version);
const FILES = new Set(files);
const scope = self.registration.scope;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // Revalidated ('no-cache'): a file the HTTP cache kept from an earlier
    // build must not be stored under this build's name.
    await cache.addAll(files.map((file) => new Request(new URL(file, scope), { cache: 'no-cache' })));
    // A new build takes over at once; the open tabs of the old one keep
    // working because whatever this build does not know goes to the network.
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    await Promise.all(staleCaches(await caches.keys(), CACHE).map((name) => caches.delete(name)));
  })());
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const strategy = strategyFor(request.url, scope, FILES);
  if (strategy === 'page') event.respondWith(pageFromNetworkFirst(request));
  else if (strategy === 'cached') event.respondWith(fromCacheFirst(request));
});

// One copy of each file is kept, fetched without an Origin header: a
// server's `Vary: Origin` (vite preview sends one) must not make the page's
// own requests, which do carry one, miss it.
const MATCH = { ignoreVary: true };

async function fromCacheFirst(request) {
  const cache = await caches.open(CACHE);
  return (await cache.match(request, MATCH)) ?? fetch(request);
}

// The page from the network when there is one (it may belong to a newer
// build, and is then not stored here, where only this build's files live),
// else this build's copy.
async function pageFromNetworkFirst(request) {
  try {
    return await fetch(request);
  } catch (offline) {
    const cached = await (await caches.open(CACHE)).match(new URL(PAGE, scope).href, MATCH);
    if (cached) return cached;
    throw offline;
  }
}
