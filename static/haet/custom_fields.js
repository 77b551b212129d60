// Chair-defined submission fields (issue 15): a conditional question is hidden
// while the answer it depends on says otherwise. Without this script every
// question shows, with its "Only if …" note; the server decides either way.
(function () {
  "use strict";
  function answerOf(form, name) {
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    if (!inputs.length) return null; // asked on another form: the server knows
    var values = [];
    inputs.forEach(function (input) {
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) values.push(input.value);
      } else if (input.value) {
        values.push(input.value);
      }
    });
    return values.map(function (v) { return v.trim().toLowerCase(); });
  }
  function update(form) {
    form.querySelectorAll("[data-condition-field]").forEach(function (block) {
      var wanted = (block.dataset.conditionValue || "").trim().toLowerCase();
      var answer = answerOf(form, block.dataset.conditionField);
      var shown = answer === null || answer.indexOf(wanted) >= 0;
      block.style.display = shown ? "" : "none";
    });
  }
  document.querySelectorAll("section.custom-fields").forEach(function (section) {
    var form = section.closest("form");
    if (!form) return;
    form.addEventListener("change", function () { update(form); });
    update(form);
  });
})();
