// Drag and drop for the schedule editor, on top of the move forms that work
// without it: dropping an item fills its own move form (session and start time)
// and submits it, so the server sees exactly what the no-JS form sends.
// Dropped on another item: it takes that item's start. Dropped on a session's
// free space: it goes after the session's last item.
(function () {
  "use strict";
  var dragged = null;
  function moveTo(item, session, start) {
    var form = item.querySelector("form.move-form");
    if (!form || !start) { return; }
    form.querySelector("select[name=session]").value = session;
    form.querySelector("input[name=start]").value = start;
    form.submit();
  }
  document.querySelectorAll(".editor-item").forEach(function (item) {
    item.setAttribute("draggable", "true");
    item.addEventListener("dragstart", function (event) {
      dragged = item;
      item.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", item.dataset.code);
    });
    item.addEventListener("dragend", function () {
      item.classList.remove("dragging");
    });
    item.addEventListener("dragover", function (event) { event.preventDefault(); });
    item.addEventListener("drop", function (event) {
      event.preventDefault();
      event.stopPropagation();
      if (dragged && dragged !== item) {
        moveTo(dragged, item.dataset.session, item.dataset.start);
      }
    });
  });
  document.querySelectorAll(".editor-session").forEach(function (session) {
    session.addEventListener("dragover", function (event) {
      event.preventDefault();
      session.classList.add("drop-target");
    });
    session.addEventListener("dragleave", function () {
      session.classList.remove("drop-target");
    });
    session.addEventListener("drop", function (event) {
      event.preventDefault();
      session.classList.remove("drop-target");
      if (dragged && dragged.dataset.session !== session.dataset.session) {
        moveTo(dragged, session.dataset.session, session.dataset.nextStart);
      }
    });
  });
})();
