/* The desk's service worker (served as /desk/sw.js by ido/desk/offline.py, scope /desk/): the
   desk opens without a connection from the first visit on.
   - install: keep the desk's files (stylesheet, scripts, icon: SETUP.assets, each under its
     content hash) and its pages (the desk, typing in from paper), then take over at once, so
     the page of the first visit is already served from here;
   - activate: drop what an earlier version kept and this one does not;
   - the desk page and the paper page: from the network when there is one (the kept copy is
     renewed, and whatever else is missing kept again), else the kept copy;
   - a file under /static/ with ?v=<hash>: the kept copy (that address never changes content);
   - any other desk page, or a form sent, without a connection: a page in the person's
     language that says so, with a link back to the desk, instead of the browser's error.
   The server writes SETUP (below) when it serves this script: a changed file changes its
   address, so these bytes, so the browser installs the new version. Questions are not sent
   through here: the page keeps them in its queue (IndexedDB) until the server has them. */
"use strict";
const SETUP = {};
const CACHE = "ido-desk-v1";  // named by the pages too: the log-in page drops it (ido.js)

async function keepPage(cache, path) {
  const response = await fetch(path, { credentials: "same-origin", cache: "no-store" });
  // a log-in page (the session ended) is not the desk: then this version is not installed
  if (!response.ok || response.redirected) throw new Error("not kept: " + path);
  await cache.put(path, response);
}

async function keep(assets, pages) {
  const cache = await caches.open(CACHE);
  await cache.addAll(assets);  // the files first: a kept page always finds its own
  await Promise.all(pages.map((path) => keepPage(cache, path)));
}

self.addEventListener("install", (event) => {
  event.waitUntil(keep(SETUP.assets, SETUP.pages).then(() => self.skipWaiting()));
});

// The log-in page drops the kept copy (a shared computer's next person): the desk opened
// after it keeps everything again, not only what that person happens to open.
async function keepWhatIsMissing(openedPath) {
  const cache = await caches.open(CACHE);
  const missing = async (url) => !(await cache.match(url));
  const pages = SETUP.pages.filter((path) => path !== openedPath);
  if ((await Promise.all([...SETUP.assets, ...pages].map(missing))).some(Boolean)) {
    await keep(SETUP.assets, pages).catch(() => {});
  }
}

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name !== CACHE) await caches.delete(name);
    }
    const cache = await caches.open(CACHE);
    for (const request of await cache.keys()) {
      const url = new URL(request.url);
      const file = url.pathname.startsWith(SETUP.static);
      if (file && !SETUP.assets.includes(url.pathname + url.search)) await cache.delete(request);
    }
    await self.clients.claim();
  })());
});

function offlinePage(sent) {
  return new Response(sent ? SETUP.offline.sent : SETUP.offline.page, {
    status: 503, headers: { "Content-Type": "text/html; charset=utf-8" }
  });
}

async function keptPage(request, path) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected && response.type === "basic") {
      cache.put(path, response.clone()).catch(() => {});
    }
    return response;
  } catch (offline) {
    return (await cache.match(path)) || offlinePage(false);
  }
}

async function staticFile(request, url) {
  const cache = await caches.open(CACHE);
  if (url.searchParams.has("v")) {
    const kept = await cache.match(request);
    if (kept) return kept;
    const response = await fetch(request);
    if (response.ok) cache.put(request, response.clone()).catch(() => {});
    return response;
  }
  try {  // an address without a hash (a module imported by its name): fresh when online
    return await fetch(request);
  } catch (offline) {
    const kept = await cache.match(request, { ignoreSearch: true });
    if (kept) return kept;
    throw offline;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // kept without a query: the paper page's "other day" must not replace the kept day
    if (request.method === "GET" && SETUP.pages.includes(url.pathname) && !url.search) {
      event.respondWith(keptPage(request, url.pathname));
      event.waitUntil(keepWhatIsMissing(url.pathname));
    } else {
      event.respondWith(fetch(request).catch(() => offlinePage(request.method !== "GET")));
    }
  } else if (request.method === "GET" && url.pathname.startsWith(SETUP.static)) {
    event.respondWith(staticFile(request, url));
  }
});
