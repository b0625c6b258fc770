/* Notifications on this device (web push): the switch on the settings page.
   The browser subscribes with the platform's VAPID public key and the subscription is posted to the
   app, which sends the person's messages to it; switching off unsubscribes and tells the app. */
(() => {
  const section = document.querySelector("[data-push]");
  if (!section || !("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) return;
  const on = section.querySelector("[data-push-on]");
  const off = section.querySelector("[data-push-off]");
  const status = section.querySelector("[data-push-status]");
  const token = document.querySelector("meta[name=csrf-token]")?.content || section.dataset.csrf;

  const key = (base64) => {
    const padded = (base64 + "===".slice((base64.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  };
  const tell = (method, body) => fetch(section.dataset.url, {
    method, credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": token },
    body: JSON.stringify(body),
  }).then((response) => response.json().then((answer) => { status.textContent = answer.message; }));
  const show = (subscribed) => { on.hidden = subscribed; off.hidden = !subscribed; };

  navigator.serviceWorker.ready.then((registration) => {
    section.hidden = false;
    registration.pushManager.getSubscription().then((found) => show(Boolean(found)));
    on.addEventListener("click", () => {
      Notification.requestPermission().then((permission) => {
        if (permission !== "granted") { status.textContent = section.dataset.refused; return; }
        registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key(section.dataset.key) })
          .then((subscription) => tell("POST", subscription.toJSON()).then(() => show(true)));
      });
    });
    off.addEventListener("click", () => {
      registration.pushManager.getSubscription().then((found) => {
        if (!found) { show(false); return; }
        const endpoint = found.endpoint;
        found.unsubscribe().then(() => tell("DELETE", { endpoint }).then(() => show(false)));
      });
    });
  });
})();
