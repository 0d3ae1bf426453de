{% autoescape off %}// Service worker of the offline desk (balie/desk/offline.py). It keeps the page and its static files, nothing else:
// registrations live in IndexedDB (balie/static/balie/offline.js), API calls and the session check always go to the
// network. Its scope is /balie/offline/ only.
"use strict";
var CONFIG = {{ config }};
var CACHE = "balie-offline-" + CONFIG.version;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    // The page needs the session cookie; a login redirect must not be stored as "the page".
    var page = fetch(CONFIG.page, { credentials: "same-origin", redirect: "manual" }).then(function (response) {
      if (response.ok && response.type === "basic") return cache.put(CONFIG.page, response);
    });
    return Promise.all([cache.addAll(CONFIG.assets), page]);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key.indexOf("balie-offline-") === 0 && key !== CACHE;
    }).map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); }));
});

function isPage(url) { return url.origin === self.location.origin && url.pathname === CONFIG.page; }
function isAsset(url) { return url.origin === self.location.origin && CONFIG.assets.indexOf(url.pathname) !== -1; }

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (isPage(url) && request.mode === "navigate") {
    // Network first, so a changed code list or favourite arrives as soon as there is a network; the copy otherwise.
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok && !response.redirected) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(CONFIG.page, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(CONFIG.page, { cacheName: CACHE }).then(function (hit) {
        return hit || Response.error();
      });
    }));
    return;
  }
  if (isAsset(url)) {
    event.respondWith(caches.match(url.pathname, { cacheName: CACHE }).then(function (hit) {
      return hit || fetch(request);
    }));
  }
  // Everything else (the API, sessie.json, other pages) goes to the network as usual.
});
{% endautoescape %}
