/* The desk's service worker (served as /desk/sw.js, scope /desk/). It keeps the desk page
   and its files so that the desk opens without a connection after a first visit:
   - the desk page: from the network when there is one (and a copy is kept), else the copy;
   - the app's files under /static/: their addresses carry a hash of their content, so a
     kept copy is right for as long as its address is asked for.
   Questions are not sent through here: the page keeps them in its queue (desk-offline.js)
   until the server has them. Nothing else is kept. */
"use strict";
var CACHE = "ido-desk-v1";
var DESK = new URL("./", self.registration.scope).pathname;  // "/desk/"

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n !== CACHE; }).map(function (n) {
      return caches.delete(n);
    }));
  }).then(function () { return self.clients.claim(); }));
});

function deskPage(request) {
  return caches.open(CACHE).then(function (cache) {
    return fetch(request).then(function (response) {
      // a log-in page (the session ended) is not the desk: keep the copy there is
      if (response.ok && !response.redirected && response.type === "basic") {
        cache.put(DESK, response.clone());
      }
      return response;
    }, function () {
      return cache.match(DESK).then(function (kept) {
        return kept || new Response("Geen verbinding / no connection", {
          status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" }
        });
      });
    });
  });
}

function appFile(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request).then(function (kept) {
      return kept || fetch(request).then(function (response) {
        if (response.ok) cache.put(request, response.clone());
        return response;
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === DESK) {
    event.respondWith(deskPage(request));
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(appFile(request));
  }
});
