// The submission form, made nicer with JavaScript: the author lines' Up, Down,
// Remove and Add buttons act at once in the page (without JavaScript they send the
// form back with the line moved), and the error summary's links focus their field.
(function () {
  "use strict";
  var form = document.querySelector("form.submission-form");
  if (!form) return;

  // --- the error summary ----------------------------------------------------------
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (!target) return;
      if (!target.matches("input, select, textarea, button")) {
        target = target.querySelector("input, select, textarea") || target;
      }
      event.preventDefault();
      target.focus();
      target.scrollIntoView({ block: "center" });
    });
  }

  // --- the author lines -----------------------------------------------------------
  var table = document.getElementById("author-rows");
  var total = form.querySelector("input[name='authors-TOTAL_FORMS']");
  var initial = form.querySelector("input[name='authors-INITIAL_FORMS']");
  var maximum = form.querySelector("input[name='authors-MAX_NUM_FORMS']");
  if (!table || !total) return;
  var body = table.tBodies[0];
  var INDEX = /authors-\d+-/;

  function rows() {
    return Array.prototype.slice.call(body.querySelectorAll("tr.author-row"));
  }

  // Names, ids and labels follow the position; the order numbers too, so the
  // server reads the lines in the order shown.
  function renumber() {
    rows().forEach(function (row, i) {
      row.querySelectorAll("[name], [id], label[for]").forEach(function (el) {
        ["name", "id", "for"].forEach(function (attribute) {
          var value = el.getAttribute(attribute);
          if (value && INDEX.test(value)) {
            el.setAttribute(attribute, value.replace(INDEX, "authors-" + i + "-"));
          }
        });
      });
      row.querySelectorAll("label.visually-hidden").forEach(function (label) {
        label.textContent = label.textContent.replace(/\d+/, String(i + 1));
      });
      var order = row.querySelector("input[name$='-ORDER']");
      if (order) order.value = String(i + 1);
      row.querySelectorAll("button[data-row-action]").forEach(function (button) {
        var action = button.getAttribute("data-row-action");
        button.value = action + "-" + i;
        var label = button.getAttribute("aria-label");
        if (label) button.setAttribute("aria-label", label.replace(/\d+/, String(i + 1)));
      });
    });
    total.value = String(rows().length);
    // Every line is now "extra": an empty one is skipped, a filled one is read.
    if (initial) initial.value = "0";
  }

  function add() {
    var all = rows();
    var limit = maximum ? parseInt(maximum.value, 10) : 1000;
    if (all.length >= limit) return;
    var row = all[all.length - 1].cloneNode(true);
    row.querySelectorAll("input").forEach(function (input) {
      if (input.type === "checkbox") input.checked = false;
      else input.value = "";
    });
    row.querySelectorAll(".errorlist").forEach(function (list) {
      list.remove();
    });
    body.appendChild(row);
    renumber();
    row.querySelector("input[name$='-name']").focus();
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-row-action]");
    if (!button) return;
    event.preventDefault();
    var action = button.getAttribute("data-row-action");
    if (action === "add") return add();
    var row = button.closest("tr.author-row");
    if (action === "up" && row.previousElementSibling) {
      body.insertBefore(row, row.previousElementSibling);
    } else if (action === "down" && row.nextElementSibling) {
      body.insertBefore(row.nextElementSibling, row);
    } else if (action === "remove") {
      if (rows().length === 1) add();
      var next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      renumber();
      var focus = next && next.querySelector("button[data-row-action='remove']");
      (focus || form.querySelector("button[data-row-action='add']")).focus();
      return;
    }
    renumber();
    button.focus();
  });
})();
