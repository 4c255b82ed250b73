// Forms: after a rejected submission, move focus to the error summary so that keyboard and
// screen-reader users start at the list of what to correct (its links lead to the fields).
// Print buttons (data-print) open the browser's print dialog.
(function () {
  "use strict";
  function ready() {
    var summary = document.querySelector(".error-summary");
    if (summary) {
      summary.focus();
    }
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        window.print();
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
