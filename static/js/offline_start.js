// Every page: start the service worker (/sw.js, README "Without signal") and, on logout, clear what
// the site stored on this device (the server's Clear-Site-Data header does it too).
(function () {
  var worker = document.documentElement.dataset.serviceWorker;
  if (worker && "serviceWorker" in navigator) {
    navigator.serviceWorker.register(worker, { scope: "/" }).catch(function () {
      // No worker (private window, old browser): the site still works online.
    });
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-logout")) return;
    var pending = parseInt(window.localStorage.getItem("clb-offline-pending") || "0", 10);
    if (pending > 0 && !window.confirm(form.dataset.logoutPending)) {
      event.preventDefault();
      return;
    }
    window.localStorage.removeItem("clb-offline-pending");
    if (window.indexedDB) window.indexedDB.deleteDatabase("clb-offline");
    if (window.caches) {
      window.caches.keys().then(function (names) {
        names.forEach(function (name) { window.caches.delete(name); });
      });
    }
  });
})();
