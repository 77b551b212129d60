// A running job's page follows the job (issue 14 item 10): every 2 seconds it reads
// the page again and swaps in the job's section and heading. No <meta refresh>, which
// reloads the whole page and moves focus (WCAG 2.2.1, axe's meta-refresh rule);
// without JavaScript the page offers a "refresh it" link instead.
(function () {
  "use strict";
  var FINISHED = ["done", "failed"];
  function follow() {
    var section = document.getElementById("job");
    if (!section || FINISHED.indexOf(section.dataset.status) !== -1) return;
    window.setTimeout(function () {
      fetch(window.location.href, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.text();
        })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html");
          var next = fresh.getElementById("job");
          var heading = fresh.querySelector("main h1");
          if (next) section.replaceWith(next);
          if (heading) document.querySelector("main h1").textContent = heading.textContent;
          if (fresh.title) document.title = fresh.title;
          follow();
        })
        .catch(function () {
          window.setTimeout(follow, 4000);
        });
    }, 2000);
  }
  follow();
})();
