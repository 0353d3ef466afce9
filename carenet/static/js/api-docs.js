// Start Swagger UI on /api/docs (see templates/swagger_ui.html): the page's settings come
// from data attributes, because the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";
  var container = document.getElementById("swagger-ui-container");
  if (!container || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  var config = {
    url: container.dataset.specUrl,
    dom_id: "#swagger-ui-container",
    // The public validator is an external service: never call it.
    validatorUrl: null,
    deepLinking: true,
  };
  var overrides = JSON.parse(container.dataset.config || "{}");
  Object.keys(overrides).forEach(function (key) {
    config[key] = overrides[key];
  });
  window.ui = window.SwaggerUIBundle(config);
})();
