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

  // Controls that only make sense with scripts (the target search) are shown now.
  function reveal(root) {
    root.querySelectorAll("[data-enhanced-only]").forEach(function (el) {
      el.hidden = false;
    });
  }

  // The target picker: a match ticks (or unticks) the real checkbox in the grouped list.
  function checkboxFor(targetId) {
    return document.getElementById("target-" + targetId.replace(".", "-"));
  }

  function syncMatches(root) {
    root.querySelectorAll("[data-pick-target]").forEach(function (button) {
      var box = checkboxFor(button.getAttribute("data-pick-target"));
      button.setAttribute("aria-pressed", box && box.checked ? "true" : "false");
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-pick-target]");
    if (!button) return;
    var box = checkboxFor(button.getAttribute("data-pick-target"));
    if (!box) return;
    box.checked = !box.checked;
    var group = box.closest("details");
    if (group && box.checked) group.open = true;
    button.setAttribute("aria-pressed", box.checked ? "true" : "false");
  });

  document.addEventListener("htmx:after:swap", function () {
    syncMatches(document);
  });

  document.addEventListener("DOMContentLoaded", function () {
    reveal(document);

    // A form that came back with errors: take keyboard and screen-reader users to the summary.
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  });
})();
