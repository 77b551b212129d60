// Live countdown and local times. The page works without this script: it only adds
// the ticking countdown and each deadline in the viewer's own time zone.
(function () {
  "use strict";
  var page = document.querySelector("[data-server-now]");
  // The server's clock may be moved for demos (HAET_NOW): count from its "now".
  var skew = page ? Date.parse(page.getAttribute("data-server-now")) - Date.now() : 0;

  document.querySelectorAll("time[data-local]").forEach(function (el) {
    var at = new Date(el.getAttribute("datetime"));
    // In UTC the page's own "(… UTC)" already is the viewer's time.
    if (isNaN(at.getTime()) || at.getTimezoneOffset() === 0) {
      return;
    }
    el.textContent = at.toLocaleString(undefined, {
      day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit",
      timeZoneName: "short"
    }) + " in your time zone";
    el.textContent = "· " + el.textContent;
    el.hidden = false;
  });

  function tick(el) {
    var end = Date.parse(el.getAttribute("data-countdown"));
    var left = Math.max(0, Math.floor((end - (Date.now() + skew)) / 1000));
    var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600);
    var m = Math.floor(left % 3600 / 60), s = left % 60;
    el.textContent = left === 0 ? "closed" :
      d + "d " + String(h).padStart(2, "0") + "h " + String(m).padStart(2, "0") + "m " +
      String(s).padStart(2, "0") + "s";
  }
  document.querySelectorAll("[data-countdown]").forEach(function (el) {
    tick(el);
    setInterval(function () { tick(el); }, 1000);
  });
})();
