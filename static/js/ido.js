// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // Show a topic's follow-up questions (DigiD: aanvragen, activeren, ...) only once it is chosen:
  // right under its tile, scrolled into view (clear of the save bar) and announced.
  function syncFollowups(event) {
    var tapped = event && event.target;
    document.querySelectorAll("[data-followups-for]").forEach(function (block) {
      var parent = document.getElementById(block.getAttribute("data-followups-for"));
      if (!parent) return;
      var anyChildChecked = block.querySelector("input:checked") !== null;
      var show = parent.checked || anyChildChecked;
      var appeared = block.hidden && show;
      block.hidden = !show;
      parent.setAttribute("aria-expanded", show ? "true" : "false");
      if (appeared && tapped === parent) {
        block.scrollIntoView({ block: "nearest" });
        var news = document.querySelector("[data-followup-news]");
        if (news) news.textContent = block.getAttribute("data-announce");
      }
    });
  }

  // A focused control never hides under the sticky save bar (WCAG 2.2, 2.4.11): the page's
  // scroll-padding does it for links and scrolling, but Chromium does not apply it to focus.
  function keepFocusClear(event) {
    var bar = document.querySelector(".save-bar");
    var target = event.target;
    if (!bar || bar.contains(target) || !target.matches(":focus-visible")) return;  // keyboard
    var shown = target.closest(".toggle") || target;  // a toggle's input is hidden, its label not
    var below = shown.getBoundingClientRect().bottom - bar.getBoundingClientRect().top;
    if (below > 0) window.scrollBy(0, below + 8);
  }

  // A refused form: focus goes to the summary of what was wrong (GOV.UK's pattern).
  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary && document.activeElement !== summary) summary.focus();
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

  // The log-in page: the copy of the desk kept for offline use (it lists today's entries and
  // who logged them) is dropped, so the next person on a shared computer does not see it.
  // Questions not yet sent stay in their own queue.
  function forgetDeskCopy() {
    if (document.querySelector("form[data-forget-desk-copy]") && window.caches) {
      window.caches.delete("ido-desk-v1").catch(function () {});
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    forgetDeskCopy();
    syncFollowups();
    focusErrorSummary();
    document.addEventListener("focusin", keepFocusClear);
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
