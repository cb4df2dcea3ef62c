/* The desk's service worker (served as /desk/sw.js, scope /desk/). It keeps the desk page
   and its files so that the desk opens without a connection after a first visit:
   - the desk page and the paper page: from the network when there is one (and a copy is
     kept), else the copy;
   - the app's files under /static/: their addresses carry a hash of their content, so a
     kept copy is right for as long as its address is asked for.
   Questions are not sent through here: the page keeps them in its queue (desk-offline.js)
   until the server has them. Nothing else is kept. */
"use strict";
var CACHE = "ido-desk-v1";
var DESK = new URL("./", self.registration.scope).pathname;  // "/desk/"
var KEPT = [DESK, DESK + "paper"];  // the desk, and typing in from paper

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n !== CACHE; }).map(function (n) {
      return caches.delete(n);
    }));
  }).then(function () { return self.clients.claim(); }));
});

function deskPage(request, key) {
  return caches.open(CACHE).then(function (cache) {
    return fetch(request).then(function (response) {
      // a log-in page (the session ended) is not the desk: keep the copy there is
      if (response.ok && !response.redirected && response.type === "basic") {
        cache.put(key, response.clone());
      }
      return response;
    }, function () {
      return cache.match(key).then(function (kept) {
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

// Another desk page (typing in from paper, my recent questions, a form sent) without a
// connection: say so plainly, and that a form sent now was not saved, instead of the
// browser's own error page. The desk itself works offline.
function offlinePage(request) {
  var sent = request.method !== "GET";
  var html = "<!doctype html><html lang=\"nl\"><meta charset=\"utf-8\">" +
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
    "<title>Geen verbinding / No connection</title><main>" +
    "<h1>Geen verbinding</h1>" +
    (sent ? "<p><strong>Dit is niet opgeslagen.</strong></p>" : "") +
    "<p>Deze pagina werkt alleen met verbinding. De balie werkt ook zonder: wat u daar " +
    "opslaat, wordt verzonden zodra er weer verbinding is.</p>" +
    "<p><a href=\"" + DESK + "\">Naar de balie</a></p>" +
    "<h2 lang=\"en\">No connection</h2><p lang=\"en\">" +
    (sent ? "<strong>This was not saved.</strong> " : "") +
    "This page needs a connection; the desk works without one. " +
    "<a href=\"" + DESK + "\">To the desk</a></p></main></html>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // kept without a query: the paper page's "other day" must not replace the kept day
    if (request.method === "GET" && KEPT.indexOf(url.pathname) >= 0 && !url.search) {
      event.respondWith(deskPage(request, url.pathname));
    } else {
      event.respondWith(fetch(request).catch(function () { return offlinePage(request); }));
    }
  } else if (request.method === "GET" && url.pathname.indexOf("/static/") === 0) {
    event.respondWith(appFile(request));
  }
});
