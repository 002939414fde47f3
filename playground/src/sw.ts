/**
 * The playground's service worker: the page keeps working offline, reloads included. Network
 * first (a new build is seen as soon as it is online), the last good copy of each of the page's
 * own files when the network fails. It caches nothing from another origin (the page asks for
 * none) and nothing but successful GETs.
 */
export {}; // (a module: `self` below is this file's, typed as the service worker scope)
declare const self: ServiceWorkerGlobalScope;

const CACHE = 'rubric-playground-v1';
const FILES = ['./', './index.html', './style.css', './main.js', './worker.js'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(FILES))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(request)
      .then(async (response) => {
        if (response.ok) await (await caches.open(CACHE)).put(request, response.clone());
        return response;
      })
      .catch(async () => (await caches.match(request, { ignoreSearch: true })) ?? Response.error()),
  );
});
