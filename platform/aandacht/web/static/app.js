/* The participant app's small helpers; the pages work without them.
   - registers the service worker (offline page, cached styles), with the app's own scope;
   - shows a chosen text size at once, before saving;
   - offers "Install the app" when the browser allows it. */
(function () {
  "use strict";
  var body = document.body;
  if ("serviceWorker" in navigator && body.dataset.serviceWorker) {
    navigator.serviceWorker.register(body.dataset.serviceWorker, { scope: body.dataset.scope }).catch(function () {});
  }

  document.querySelectorAll('input[name="text_size"]').forEach(function (input) {
    input.addEventListener("change", function () {
      var root = document.documentElement;
      root.className = root.className.replace(/\btext-size-[a-z-]+/g, "").trim() + " text-size-" + input.value;
    });
  });

  var installSection = document.querySelector("[data-install]");
  var deferred = null;
  window.addEventListener("beforeinstallprompt", function (event) {
    event.preventDefault();
    deferred = event;
    if (installSection) installSection.hidden = false;
  });
  var installButton = document.querySelector("[data-install-button]");
  if (installButton) {
    installButton.addEventListener("click", function () {
      if (!deferred) return;
      deferred.prompt();
      deferred.userChoice.finally(function () {
        deferred = null;
        installSection.hidden = true;
      });
    });
  }
})();
