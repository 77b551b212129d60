// Markdown preview and word counts for the reviewing text areas.
//
// Each text area of a review form, a discussion post form or an author response
// gets a "Preview" button: the text is POSTed (with the form's CSRF token) to the
// server, which renders it with the same sanitiser as the saved text
// (reviews/markdown.py) and answers HTML that is shown under the text area. The
// text area is never touched: what was typed stays. Without JavaScript there is
// no preview and everything else works.
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.dataset.previewUrl;

  function csrfToken(form) {
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function addPreview(textarea) {
    var form = textarea.form;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary small markdown-preview-button";
    button.textContent = "Preview";
    button.setAttribute("aria-controls", textarea.id + "-preview");
    var box = document.createElement("div");
    box.id = textarea.id + "-preview";
    box.className = "markdown-preview card";
    box.hidden = true;
    box.setAttribute("aria-live", "polite");
    textarea.insertAdjacentElement("afterend", box);
    textarea.insertAdjacentElement("afterend", button);
    button.addEventListener("click", function () {
      var body = new URLSearchParams();
      body.set("text", textarea.value);
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(form) },
        body: body,
      })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.text();
        })
        .then(function (html) {
          // Sanitised on the server (markdown-it-py without HTML, then nh3).
          box.innerHTML = html || "<p class=\"muted\">Nothing to preview.</p>";
          box.hidden = false;
        })
        .catch(function () {
          box.textContent = "The preview could not be loaded; your text is unchanged.";
          box.hidden = false;
        });
    });
  }

  function countWords(textarea, counter) {
    var limit = parseInt(counter.dataset.limit, 10);
    function update() {
      var words = textarea.value.trim().split(/\s+/).filter(Boolean).length;
      counter.textContent = words + " of " + limit + " words";
      counter.classList.toggle("over-limit", words > limit);
    }
    textarea.addEventListener("input", update);
    update();
  }

  var selector =
    ".review-form textarea, .post-form textarea, textarea[data-markdown]";
  if (url) {
    document.querySelectorAll(selector).forEach(function (textarea) {
      if (textarea.id) addPreview(textarea);
    });
  }
  document.querySelectorAll("[data-word-count]").forEach(function (counter) {
    var field = counter.closest(".field");
    var textarea = field && field.querySelector("textarea");
    if (textarea) countWords(textarea, counter);
  });
})();
