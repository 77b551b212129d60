// Decisions dashboard: a "select all shown" box for bulk decisions. Everything else
// (sorting, filtering) is server-side and works without JavaScript.
(function () {
  "use strict";
  var table = document.getElementById("decision-table");
  if (!table) return;
  var cell = table.querySelector("thead th");
  var all = document.createElement("input");
  all.type = "checkbox";
  all.setAttribute("aria-label", "Select all shown");
  cell.appendChild(all);
  all.addEventListener("change", function () {
    table.querySelectorAll("tbody input[name=numbers]:not(:disabled)").forEach(function (box) {
      box.checked = all.checked;
    });
  });
})();
