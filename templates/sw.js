{% autoescape off %}// The service worker (README "Without signal"), served at /sw.js by config.views.service_worker.
// Workbox's modules come from our own static/vendor (make vendor), imported by their static URLs.
importScripts(...{{ modules }});

const { precacheAndRoute, matchPrecache, cleanupOutdatedCaches } = workbox.precaching;
const { registerRoute, setDefaultHandler, setCatchHandler, NavigationRoute } = workbox.routing;
const { NetworkFirst, NetworkOnly, StaleWhileRevalidate } = workbox.strategies;

self.skipWaiting();
workbox.core.clientsClaim();
cleanupOutdatedCaches();

// The app shell and the page shown for what was not kept.
precacheAndRoute({{ shell }});

// Only a page answered as itself is kept: not a redirect to the login page, not an error.
const pagesOnly = {
  cacheWillUpdate: async ({ response }) => (response && response.status === 200 && !response.redirected ? response : null),
};

// The pages a commune officer needs at a meeting: the network first (always the newest when there is
// signal), the kept copy when there is none. static/js/offline.js fills this cache on "Chuẩn bị".
const PAGES = [
  /^\/$/,
  /^\/clubs\/$/,
  /^\/club-life\/meeting-day\/$/,
  /^\/club-life\/referrals\/$/,
  /^\/clubs\/\d+\/meeting-day\/$/,
  /^\/clubs\/\d+\/collection\/(\d{4}-\d{2}-\d{2}\/)?$/,
];
registerRoute(
  new NavigationRoute(
    new NetworkFirst({
      cacheName: "clb-pages",
      networkTimeoutSeconds: 6,
      plugins: [pagesOnly],
      matchOptions: { ignoreSearch: true, ignoreVary: true },
    }),
    { allowlist: PAGES },
  ),
);

// Static files (CSS, scripts, icons): kept copy first, refreshed in the background.
registerRoute(({ url }) => url.origin === self.location.origin && url.pathname.startsWith("/static/"),
  new StaleWhileRevalidate({ cacheName: "clb-static" }));

// Everything else goes to the network; a page that cannot be reached shows the offline page.
setDefaultHandler(new NetworkOnly());
setCatchHandler(async ({ request }) => {
  if (request.mode === "navigate") {
    return (await matchPrecache({{ offline_url }})) || Response.error();
  }
  return Response.error();
});
{% endautoescape %}
