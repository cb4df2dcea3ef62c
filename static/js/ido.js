// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // Show a topic's follow-up questions (DigiD: aanvragen, activeren, ...) only once it is chosen.
  function syncFollowups() {
    document.querySelectorAll("[data-followups-for]").forEach(function (block) {
      var parent = document.getElementById(block.getAttribute("data-followups-for"));
      var anyChildChecked = block.querySelector("input:checked") !== null;
      if (parent) block.hidden = !(parent.checked || anyChildChecked);
    });
  }

  // Ask before a destructive action: a delete button, or saving with "active" switched off.
  // The server checks permissions regardless.
  function confirmSubmit(event) {
    var form = event.target;
    var message = form.getAttribute("data-confirm");
    var watched = form.getAttribute("data-confirm-if-unchecked");
    if (watched) {
      var box = document.getElementById(watched);
      if (!box || box.checked || box.defaultChecked === false) return;
    }
    if (message && !window.confirm(message)) event.preventDefault();
  }

  // A second tap on a save button while the first is on its way does nothing.
  function guardDoubleSubmit(event) {
    var form = event.target;
    if (form.dataset.submitting === "1") { event.preventDefault(); return; }
    form.dataset.submitting = "1";
  }

  document.addEventListener("DOMContentLoaded", function () {
    syncFollowups();
    document.addEventListener("change", syncFollowups);
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", confirmSubmit);
    });
    document.querySelectorAll("form.question-form, form.quick-form").forEach(function (form) {
      form.addEventListener("submit", guardDoubleSubmit);
    });
  });
  // Coming back through the browser's history must not leave a form blocked.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitting]").forEach(function (form) {
      delete form.dataset.submitting;
    });
  });
})();
