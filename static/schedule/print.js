// The "Print or save as PDF" button (no inline handlers: the CSP has none).
document.querySelectorAll("[data-print]").forEach(function (button) {
  "use strict";
  button.addEventListener("click", function () { window.print(); });
});
