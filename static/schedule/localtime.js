// Adds the viewer's own time next to every venue time (<time data-utc>), when the
// viewer's zone differs from the venue's. Without JavaScript the venue time stays.
(function () {
  "use strict";
  var viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var clock = new Intl.DateTimeFormat(undefined, {
    hour: "2-digit", minute: "2-digit", hour12: false,
  });
  function sameClock(date, zone) {
    var opts = { hour: "2-digit", minute: "2-digit", day: "2-digit", hour12: false };
    var venue = new Intl.DateTimeFormat("en-GB", Object.assign({ timeZone: zone }, opts));
    var viewer = new Intl.DateTimeFormat("en-GB", opts);
    return venue.format(date) === viewer.format(date);
  }
  var note = document.querySelector("[data-viewer-zone]");
  document.querySelectorAll("time[data-utc]").forEach(function (el) {
    var date = new Date(el.getAttribute("data-utc"));
    if (isNaN(date.getTime()) || sameClock(date, el.getAttribute("data-venue-zone"))) {
      return;
    }
    var local = document.createElement("span");
    local.className = "viewer-time";
    local.textContent = " (" + clock.format(date) + " your time)";
    el.insertAdjacentElement("afterend", local);
    if (note) {
      note.hidden = false;
    }
  });
  if (note) {
    note.querySelector("[data-zone-name]").textContent = viewerZone;
  }
})();
