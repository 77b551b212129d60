// Autosave of a review draft (reviews:autosave).
//
// Every 20 seconds, if anything changed, and when the page is left, the review
// form is POSTed as it is (with its CSRF token) to the autosave address, which
// saves it as a draft with the same service as the "Save draft" button and
// answers {"saved_at": "14:05 UTC-11"}. The status says "Saved at 14:05 UTC-11".
// Without JavaScript nothing happens and "Save draft" works as before.
(function () {
  "use strict";
  var form = document.querySelector("form.review-form[data-autosave-url]");
  if (!form || !window.fetch) return;
  var url = form.dataset.autosaveUrl;
  var status = form.querySelector("[data-autosave-status]");
  var INTERVAL = 20000;
  var saved = snapshot();
  var saving = false;

  function snapshot() {
    return new URLSearchParams(new FormData(form)).toString();
  }

  function show(text) {
    if (status) status.textContent = text;
  }

  function save(leaving) {
    var body = snapshot();
    if (body === saved || saving) return;
    if (leaving && navigator.sendBeacon) {
      // The page is going away: a beacon survives it (same origin, CSRF token
      // in the body). Its answer is not read.
      var blob = new Blob([body], { type: "application/x-www-form-urlencoded" });
      if (navigator.sendBeacon(url, blob)) saved = body;
      return;
    }
    saving = true;
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: body,
      keepalive: !!leaving,
    })
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) throw new Error(data.error || "Not saved.");
          saved = body;
          show("Saved at " + data.saved_at);
        });
      })
      .catch(function (error) {
        show("Not saved automatically (" + error.message + "). Use “Save draft”.");
      })
      .finally(function () {
        saving = false;
      });
  }

  window.setInterval(function () {
    save(false);
  }, INTERVAL);
  // Leaving by a button of the form itself: the form's own POST saves it.
  form.addEventListener("submit", function () {
    saved = snapshot();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") save(true);
  });
  window.addEventListener("pagehide", function () {
    save(true);
  });
})();
