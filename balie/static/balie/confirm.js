// A button with data-confirm asks first (undo removes a registration). Without JavaScript the button works directly.
(function () {
  "use strict";
  document.addEventListener("submit", function (e) {
    var button = e.submitter;
    if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) e.preventDefault();
  });
})();
