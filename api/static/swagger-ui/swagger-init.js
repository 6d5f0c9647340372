/* Starts Swagger UI on /schema from a file (no inline script: see api/security.py). */
(function () {
  "use strict";
  var container = document.getElementById("swagger-container");
  window.ui = SwaggerUIBundle({
    url: container.getAttribute("data-spec-url"),
    dom_id: "#swagger-container",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  });
})();
