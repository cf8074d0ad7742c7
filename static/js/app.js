// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Send the CSRF token with every htmx request that changes something.
  document.addEventListener("htmx:config:request", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    var request = event.detail && event.detail.ctx && event.detail.ctx.request;
    if (meta && request && request.method && request.method.toUpperCase() !== "GET") {
      request.headers["X-CSRFToken"] = meta.content;
    }
  });
  // A form that came back with errors: take keyboard and screen-reader users to the summary.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  });
})();
