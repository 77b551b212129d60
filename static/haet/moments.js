// The viewer's own time next to each deadline and moment the server wrote in the
// conference's zone and UTC (haet/templatetags/haet.py). Reads the datetime attribute;
// the page says everything without this script, which only adds "· … your time".
// A viewer whose clock reads UTC at that moment already reads their time there:
// nothing is added (it would say the UTC time a second time).
(function () {
  "use strict";
  var format = new Intl.DateTimeFormat(undefined, {
    day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit",
    timeZoneName: "short"
  });
  document.querySelectorAll("[data-viewer-time]").forEach(function (el) {
    var at = new Date(el.getAttribute("data-viewer-time"));
    if (isNaN(at.getTime()) || at.getTimezoneOffset() === 0) {
      return;
    }
    el.textContent = " · " + format.format(at) + " your time";
    el.hidden = false;
  });
})();
