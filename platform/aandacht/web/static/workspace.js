/* Keyboard shortcuts of the coach workspace. Single keys work only outside text fields, and a coach
   can turn them off (WCAG 2.1.4): the choice is kept in this browser. */
(function () {
  "use strict";
  var STORAGE_KEY = "aandacht.shortcuts";
  var toggle = document.querySelector("[data-shortcuts-toggle]");
  var enabled = true;
  try { enabled = window.localStorage.getItem(STORAGE_KEY) !== "off"; } catch (e) { /* private mode */ }
  if (toggle) {
    toggle.checked = enabled;
    toggle.addEventListener("change", function () {
      enabled = toggle.checked;
      try { window.localStorage.setItem(STORAGE_KEY, enabled ? "on" : "off"); } catch (e) { /* private mode */ }
    });
  }

  function typing(target) {
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }

  function moveRow(step) {
    var rows = Array.prototype.slice.call(
      document.querySelectorAll("[data-testid=worklist] tbody tr, [data-testid=caseload] tbody tr"));
    if (!rows.length) return;
    rows.forEach(function (row) { row.tabIndex = -1; });
    var index = rows.indexOf(document.activeElement);
    var next = index === -1 ? (step > 0 ? 0 : rows.length - 1) : Math.min(rows.length - 1, Math.max(0, index + step));
    rows[next].focus();
  }

  // On a worklist row: open its "done for today" or "snooze" form and go to its first field.
  function openAction(name) {
    var row = document.activeElement && document.activeElement.closest("[data-testid=worklist] tbody tr");
    var action = row && row.querySelector("details[data-action=" + name + "]");
    if (!action) return false;
    action.open = true;
    action.querySelector("input:checked, input, select").focus();
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var search = document.getElementById("caseload-search");
    if (event.key === "Escape" && search && document.activeElement === search) {
      event.preventDefault(); // keep what was typed: the list stays narrowed
      search.blur();
      return;
    }
    if (!enabled || typing(event.target)) return;
    if (event.key === "/" && search) {
      event.preventDefault();
      search.focus();
      search.select();
    } else if (event.key === "?") {
      var list = document.getElementById("shortcuts");
      if (list) {
        list.open = !list.open;
        list.querySelector("summary").focus();
      }
    } else if (event.key === "j") {
      moveRow(1);
    } else if (event.key === "k") {
      moveRow(-1);
    } else if ((event.key === "d" && openAction("done")) || (event.key === "s" && openAction("snooze"))) {
      event.preventDefault();
    }
  });
})();
