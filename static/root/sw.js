/* The service worker of field work offline (static/js/fieldwork-offline.js).
   It keeps the assistant's field-work pages (/assistant/…) and the site's
   files (/static/…): pages network first (the kept copy when there is no
   connection), files with a hashed name cache first. It keeps only what the
   page asks it to keep or what the assistant opened, and forgets it all when
   they sign out or another person signs in on the phone. Every other request
   goes to the network as usual. */
"use strict";
var CACHE = "gplatform-fieldwork-v1";

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name !== CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "forget") {
    event.waitUntil(caches.delete(CACHE));
  } else if (data.type === "keep" && Array.isArray(data.urls)) {
    event.waitUntil(caches.open(CACHE).then(function (cache) {
      return Promise.all(data.urls.filter(kept).map(function (url) {
        return fetch(url, { credentials: "same-origin" }).then(function (response) {
          if (keepable(response)) return cache.put(url, response);
        }).catch(function () {});
      }));
    }).then(function () {
      if (event.source) event.source.postMessage({ type: "kept" });
    }));
  }
});

function kept(url) {
  var path = new URL(url, self.location.origin);
  return path.origin === self.location.origin &&
    (path.pathname.indexOf("/assistant/") === 0 || path.pathname.indexOf("/static/") === 0);
}

function keepable(response) {
  return response && response.ok && response.type === "basic" && !response.redirected;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || !kept(request.url)) return;
  /* Files whose names carry their hash (production) never change: cache first. */
  var isFile = /^\/static\/.*\.[0-9a-f]{12}\.\w+$/.test(new URL(request.url).pathname);
  if (isFile) {
    event.respondWith(caches.match(request, { ignoreVary: true }).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        if (keepable(response)) {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
        }
        return response;
      });
    }));
    return;
  }
  /* The whole page is read before it is shown, so a connection lost half-way
     falls back to the kept copy instead of a broken page. */
  event.respondWith(fetch(request).then(function (response) {
    if (!keepable(response)) return response;
    return response.arrayBuffer().then(function (body) {
      var whole = { status: response.status, statusText: response.statusText,
                    headers: response.headers };
      caches.open(CACHE).then(function (cache) {
        cache.put(request, new Response(body.slice(0), whole));
      });
      return new Response(body, whole);
    });
  }).catch(function () {
    /* Pages vary on the cookie and the language (Django's Vary header), which a
       cached copy made by this worker cannot match: it is this person's page,
       since the cache is forgotten when another signs in. */
    var loose = { ignoreSearch: true, ignoreVary: true };
    return caches.match(request, loose).then(function (hit) {
      return hit || caches.match("/assistant/offline/", loose);
    });
  }));
});
