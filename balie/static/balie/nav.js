// The menu groups work without this; it only closes an open group when another opens, on a click elsewhere or on Escape.
(function () {
  var groups = document.querySelectorAll(".balie-nav__group");
  function closeAll(except) {
    groups.forEach(function (g) { if (g !== except) { g.removeAttribute("open"); } });
  }
  groups.forEach(function (g) {
    g.addEventListener("toggle", function () { if (g.open) { closeAll(g); } });
  });
  document.addEventListener("click", function (e) {
    if (!e.target.closest(".balie-nav__group")) { closeAll(null); }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") {
      var open = document.querySelector(".balie-nav__group[open]");
      if (open) { open.removeAttribute("open"); open.querySelector("summary").focus(); }
    }
  });
})();
