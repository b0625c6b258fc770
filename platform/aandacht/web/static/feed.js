/* The feed's small helpers; the feed works without them.
   - "Share": the phone's own share sheet, else the link copied to the clipboard; then the share is
     recorded (the button stays hidden where neither exists);
   - after htmx changed a card, the focus goes to what took the place of the pressed button. */
(function () {
  "use strict";
  var canShare = Boolean(navigator.share || (navigator.clipboard && window.isSecureContext));

  function offerSharing(root) {
    if (!canShare || !root.querySelectorAll) return;
    root.querySelectorAll("[data-share]").forEach(function (form) {
      form.hidden = false;
    });
  }

  function record(form) {
    // Recorded as htmx would send it: the answer is the card, which stays as it is.
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "HX-Request": "true" },
    }).catch(function () {});
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-share]")) return;
    event.preventDefault();
    var link = { title: form.dataset.shareTitle, url: form.dataset.shareUrl };
    var shared = navigator.share
      ? navigator.share(link)
      : navigator.clipboard.writeText(link.url).then(function () {
          form.querySelector("[data-share-status]").textContent = form.dataset.copied;
        });
    shared.then(function () {
      record(form);
    }, function () {}); // closed without sharing: nothing to record
  });

  document.addEventListener("htmx:load", function (event) {
    var element = event.detail.elt;
    offerSharing(element);
    var target = element.matches && element.matches("[data-feed-focus]")
      ? element
      : element.querySelector && element.querySelector("[data-feed-focus]");
    if (target && element !== document.body) target.focus();
  });

  offerSharing(document);
})();
