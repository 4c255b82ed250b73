/* Keep the keyboard focus where it was when htmx replaces a part of the page (issue 14): the
   button someone pressed is replaced by its successor ("Unterstützen" by "Unterstützung
   zurückziehen"), so the focus would fall back to the page body. Before the swap we note the
   focused control (its id, or the data-focus-group of its form); after it we focus the same
   control in the new content, else the first control there, else the part itself. The result
   is announced by the role="status" region the server fills (hx-swap-oob). No inline script. */
(function () {
  "use strict";
  var remembered = null;

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var active = document.activeElement;
    remembered = null;
    if (!target || !active || active === document.body || !target.contains(active)) {
      return;
    }
    var form = active.closest("form");
    remembered = {
      target: target.id,
      id: active.id || null,
      group: form ? form.getAttribute("data-focus-group") : null
    };
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (!remembered) {
      return;
    }
    var note = remembered;
    remembered = null;
    var target = document.getElementById(note.target);
    if (!target) {
      return;
    }
    var current = document.activeElement;
    if (current && current !== document.body && !target.contains(current)) {
      // The person has already moved on to another control while the answer was on its way:
      // leave the focus where they put it.
      return;
    }
    var next = null;
    if (note.id) {
      next = document.getElementById(note.id);
    }
    if (!next && note.group) {
      next = target.querySelector('[data-focus-group="' + note.group + '"] button');
    }
    if (!next) {
      next = target.querySelector("button, a[href], input:not([type=hidden]), select, textarea");
    }
    if (!next) {
      target.setAttribute("tabindex", "-1");
      next = target;
    }
    next.focus();
  });
})();
