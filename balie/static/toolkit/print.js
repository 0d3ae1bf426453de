// Print buttons; and after a check, move focus to the result so keyboard and screen reader users land on it.
// A file, not an inline script: the Content-Security-Policy allows no inline scripts.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (b) { b.addEventListener("click", function () { window.print(); }); });
  var heading = document.getElementById("uitslag");
  if (heading) { heading.focus(); }
})();
