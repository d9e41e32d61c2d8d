// Keeps the server-rendered 72-hour countdown of the breach pages current (role="timer": not announced on
// every tick). Without this script the page still shows the remaining time as of its rendering.
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    document.querySelectorAll("[data-breach-deadline]").forEach(function (el) {
      var deadline = Date.parse(el.getAttribute("data-breach-deadline"));
      if (isNaN(deadline)) { return; }
      var seconds = Math.round((deadline - Date.now()) / 1000);
      var abs = Math.abs(seconds);
      var template = el.getAttribute(seconds < 0 ? "data-label-overdue" : "data-label-left") || "";
      var text = template.replace("%(hours)s", String(Math.floor(abs / 3600))).replace("%(minutes)s", pad(Math.floor((abs % 3600) / 60)));
      var target = el.querySelector(".privacy-breach-clock__remaining");
      if (target && text) { target.textContent = text; }
    });
  }
  setInterval(tick, 30000);
})();
