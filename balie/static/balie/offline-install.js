// On the normal desk page: keep the offline desk (/balie/offline/) on this device, so it opens without a network at
// an outreach location later (issue 16). The service worker's scope is the offline page only; this page is untouched.
(function () {
  "use strict";
  var link = document.getElementById("offline-link");
  if (!link || !("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register(link.dataset.worker, { scope: link.dataset.scope }).catch(function () {});
})();
