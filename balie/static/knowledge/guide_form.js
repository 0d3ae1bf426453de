// After a failed save, move focus to the list of errors (a file: the Content-Security-Policy allows no inline scripts).
(function () {
  "use strict";
  var errors = document.getElementById("foutmeldingen");
  if (errors) { errors.focus(); }
})();
