/* The service worker (desk-sw.js), and this page kept for offline use from the first visit. */

export function keepForOffline(root) {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register(root.getAttribute("data-sw"))
    .then(() => navigator.serviceWorker.ready)
    .then(async () => {
      const path = location.pathname;
      if (location.search || !window.caches) return;
      const cache = await caches.open("ido-desk-v1");  // the service worker's (desk-sw.js)
      if (await cache.match(path)) return;
      const response = await fetch(path, { credentials: "same-origin" });
      if (response.ok && !response.redirected) await cache.put(path, response);
    })
    .catch(() => {});
}
