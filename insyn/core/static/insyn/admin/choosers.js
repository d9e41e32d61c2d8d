// Starts Wagtail's date, time and date-time pickers without inline scripts (the Content-Security-Policy
// allows scripts from this site only). Each widget leaves a hidden marker naming Wagtail's init function,
// the input's id and its configuration (insyn/core/templates/wagtailadmin/widgets/*_input.html).
(function () {
  "use strict";
  if (window.insynChoosers) {
    window.insynChoosers.start();
    return;
  }
  function start() {
    document.querySelectorAll("[data-insyn-chooser]:not([data-insyn-started])").forEach(function (marker) {
      var init = window[marker.getAttribute("data-insyn-chooser")];
      var id = marker.getAttribute("data-insyn-chooser-for");
      if (typeof init !== "function" || !id || id.indexOf("__prefix__") !== -1 || !document.getElementById(id)) {
        return; // Wagtail's script not loaded yet, or a form template not yet in use: tried again later
      }
      marker.setAttribute("data-insyn-started", "");
      init(id, JSON.parse(marker.getAttribute("data-insyn-chooser-config") || "{}"));
    });
  }
  window.insynChoosers = { start: start };
  start();
  document.addEventListener("DOMContentLoaded", start);
  window.addEventListener("load", start);
  new MutationObserver(start).observe(document.documentElement, { childList: true, subtree: true });
})();
