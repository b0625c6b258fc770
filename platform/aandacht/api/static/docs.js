// The API documentation page: Swagger UI on this organisation's OpenAPI document.
// A logged-in staff member may try operations with their login session; writes then carry the page's
// CSRF token (only to this same address), as the API asks of login sessions.
window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  var csrfToken = document.querySelector('meta[name="csrf-token"]').content;
  var safe = /^(GET|HEAD|OPTIONS)$/i;
  window.ui = SwaggerUIBundle({
    url: root.dataset.specUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    requestInterceptor: function (request) {
      var sameOrigin = new URL(request.url, window.location.href).origin === window.location.origin;
      if (sameOrigin && !safe.test(request.method || "GET")) {
        request.headers["X-CSRFToken"] = csrfToken;
      }
      return request;
    },
  });
});
