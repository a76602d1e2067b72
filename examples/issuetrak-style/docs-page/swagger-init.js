// Starts Swagger UI on the example's docs page (GET /api/v2/docs). It is a file the app serves, not an
// inline script, so the page's Content-Security-Policy can allow scripts from this origin only. The
// page passes its settings in data- attributes of #swagger-ui: the OpenAPI document's URL and, in the
// Development environment only, the demo API key that pre-fills X-Api-Key for "Try it out".
'use strict';

(function startSwaggerUi() {
  const root = document.getElementById('swagger-ui');
  const apiKey = root.dataset.tryItApiKey;
  const ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    deepLinking: true,
    // Swagger UI would otherwise load a badge from validator.swagger.io; the page's CSP forbids it anyway.
    validatorUrl: null,
    displayRequestDuration: true,
    // The key is handed to the page by the server on every load; keeping it in localStorage would
    // leave a copy behind in the browser.
    persistAuthorization: false,
    onComplete() {
      if (apiKey) ui.preauthorizeApiKey('ApiKey', apiKey);
    },
  });
})();
