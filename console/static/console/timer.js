// The monitoring panel's timer: Start and Stop propose the minutes of a time entry (rounded
// up to whole minutes) in its Minutes field. Nothing is recorded until the form is submitted.
// Delegated on the document, so it works in panels that htmx loads or swaps in later.
(function () {
  "use strict";
  var started = new WeakMap();
  function parts(button) {
    var box = button.closest("[data-timer]");
    var form = button.closest("form");
    return {
      box: box,
      start: box.querySelector("[data-timer-start]"),
      stop: box.querySelector("[data-timer-stop]"),
      shown: box.querySelector("[data-timer-shown]"),
      minutes: form && form.querySelector("[data-timer-minutes]")
    };
  }
  function minutesSince(at) {
    return Math.max(1, Math.ceil((Date.now() - at) / 60000));
  }
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var start = target.closest("[data-timer-start]");
    var stop = target.closest("[data-timer-stop]");
    if (start) {
      var p = parts(start);
      var at = Date.now();
      started.set(p.box, at);
      p.start.disabled = true;
      p.stop.disabled = false;
      p.shown.textContent = "Timer running since " + new Date(at).toLocaleTimeString([], {hour: "2-digit", minute: "2-digit"}) + ". Stop it to fill in the minutes.";
      p.stop.focus();
    } else if (stop) {
      var q = parts(stop);
      var since = started.get(q.box);
      if (since === undefined) return;
      var minutes = minutesSince(since);
      started.delete(q.box);
      q.start.disabled = false;
      q.stop.disabled = true;
      if (q.minutes) q.minutes.value = String(minutes);
      q.shown.textContent = "Timer stopped: " + minutes + " minute" + (minutes === 1 ? "" : "s") + " proposed. Check them, then record.";
      if (q.minutes) q.minutes.focus();
    }
  });
})();
