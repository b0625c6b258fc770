/* The service worker of the participant app of one tenant (its scope is the app's address).
   Static files (styles, scripts, icons) come from the cache first; pages always come from the
   network, and when there is none the offline page is shown. Pages are never stored: nothing
   personal stays on a shared or lost phone. Static files are fetched without cookies: they need
   none, and a response that carries no session cannot overwrite a newer one. */
const PREFIX = {{ cache_prefix|tojson }};
const CACHE = PREFIX + {{ version|tojson }};
const OFFLINE_URL = {{ offline_url|tojson }};
const PRECACHE = {{ precache|tojson }};
const STATIC_PREFIXES = {{ static_prefixes|tojson }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll([OFFLINE_URL, ...PRECACHE].map((url) => new Request(url, { credentials: "omit" }))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((name) => name.startsWith(PREFIX) && name !== CACHE).map((name) => caches.delete(name))
      ))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_URL)));
    return;
  }
  if (STATIC_PREFIXES.some((prefix) => url.pathname.startsWith(prefix))) {
    event.respondWith(
      caches.open(CACHE).then((cache) => cache.match(request).then((hit) => hit || fetch(request.url, { credentials: "omit" }).then((response) => {
        if (response.ok) cache.put(request, response.clone());
        return response;
      })))
    );
  }
});

/* Web push: a message of the app as a notification. Its tag is the message's id, so a message that
   was handed over twice replaces its own notification instead of showing twice. Once it is shown,
   its receipt address (a signed token of the message, no cookies needed) is told, which makes the
   message "delivered" for the coach. */
self.addEventListener("push", (event) => {
  const message = event.data ? event.data.json() : {};
  event.waitUntil(self.registration.showNotification(message.title || "", {
    body: message.body || "",
    tag: message.tag,
    data: { url: message.url },
  }).then(() => {
    if (message.receipt && new URL(message.receipt, self.location.href).origin === self.location.origin) {
      return fetch(message.receipt, { method: "POST", credentials: "omit" }).catch(() => undefined);
    }
    return undefined;
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = event.notification.data && event.notification.data.url;
  if (url && new URL(url, self.location.href).origin === self.location.origin) {
    event.waitUntil(self.clients.openWindow(url));
  }
});
