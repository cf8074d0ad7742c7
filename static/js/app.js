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

  // The participant picker: a match or a chosen chip ticks (or unticks) the real checkbox,
  // the list of chosen organisations follows, and a live region says what changed.
  function labelOf(box) {
    var label = document.querySelector('label[for="' + box.id + '"]');
    return label ? label.textContent.trim() : box.value;
  }

  function renderChosen(picker) {
    var list = picker.querySelector("[data-chosen-list]");
    if (!list) return;
    list.textContent = "";
    var boxes = picker.querySelectorAll('input[type="checkbox"]:checked');
    if (!boxes.length) {
      var none = document.createElement("li");
      none.textContent = list.getAttribute("data-none");
      list.appendChild(none);
    }
    boxes.forEach(function (box) {
      var item = document.createElement("li");
      var chip = document.createElement("button");
      chip.type = "button";
      chip.className = "ds-chip";
      chip.setAttribute("data-removable", "true");
      chip.setAttribute("data-pick", box.id);
      chip.setAttribute("aria-label", list.getAttribute("data-remove").replace("%(name)s", labelOf(box)));
      chip.textContent = labelOf(box);
      item.appendChild(chip);
      list.appendChild(item);
    });
    picker.querySelectorAll("[data-pick]").forEach(function (button) {
      var box = document.getElementById(button.getAttribute("data-pick"));
      if (button.hasAttribute("aria-pressed")) {
        button.setAttribute("aria-pressed", box && box.checked ? "true" : "false");
      }
    });
  }

  function announce(picker, box) {
    var region = picker.querySelector("[data-announce]");
    var message = picker.getAttribute(box.checked ? "data-added" : "data-removed");
    if (region && message) region.textContent = message.replace("%(name)s", labelOf(box));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-pick]");
    var picker = button && button.closest("[data-picker]");
    var box = button && document.getElementById(button.getAttribute("data-pick"));
    if (!picker || !box) return;
    var wasChip = !button.hasAttribute("aria-pressed");
    box.checked = !box.checked;
    renderChosen(picker);
    announce(picker, box);
    if (wasChip) picker.querySelector("#participant-query").focus();  // the chip is gone
  });

  document.addEventListener("change", function (event) {
    var picker = event.target.closest("[data-picker]");
    if (picker && event.target.type === "checkbox") {
      renderChosen(picker);
      announce(picker, event.target);
    }
  });

  document.addEventListener("htmx:after:swap", function () {
    syncMatches(document);
    document.querySelectorAll("[data-picker]").forEach(renderChosen);
  });

  document.addEventListener("DOMContentLoaded", function () {
    reveal(document);
    document.querySelectorAll("[data-picker]").forEach(renderChosen);

    // A form that came back with errors: take keyboard and screen-reader users to the summary.
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  });
})();
