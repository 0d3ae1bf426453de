// Desk form enhancements. Everything works without this file; it only saves keystrokes.
(function () {
  "use strict";
  var form = document.getElementById("registratie");
  if (!form) return;
  var activeBlock = null;

  function blocks() { return form.querySelectorAll("[data-question]"); }
  function currentBlock() {
    var all = blocks();
    return activeBlock && form.contains(activeBlock) ? activeBlock : all[all.length - 1];
  }
  // The fields show labels (issue 14); the datalists name the labels of DigiD and Inloggen. Codes still count.
  function digidLabel(id, code) {
    var list = document.getElementById(id);
    return [code, ((list && list.dataset.digid) || "").toUpperCase()];
  }
  var digidInst = digidLabel("lijst-instantie", "DIGID"), digidOnd = digidLabel("lijst-onderwerp", "INLOGGEN");
  function toggleDigid(block) {
    var inst = (block.querySelector("[data-role=instantie]").value || "").trim().toUpperCase();
    var ond = (block.querySelector("[data-role=onderwerp]").value || "").trim().toUpperCase();
    var set = block.querySelector("[data-digid]");
    if (set) set.hidden = !(digidInst.indexOf(inst) >= 0 || digidOnd.indexOf(ond) >= 0);
  }
  blocks().forEach(function (block) {
    toggleDigid(block);
    block.addEventListener("focusin", function () { activeBlock = block; });
    block.addEventListener("input", function (e) {
      if (e.target.matches("[data-role=instantie], [data-role=onderwerp]")) toggleDigid(block);
    });
  });

  // A favourite chip fills instantie and onderwerp and moves focus to the outcome: chip, outcome, Enter.
  form.addEventListener("click", function (e) {
    var chip = e.target.closest(".chip");
    if (!chip || chip.dataset.previous) return;
    e.preventDefault();
    var block = currentBlock();
    block.querySelector("[data-role=instantie]").value = chip.dataset.instantie;
    block.querySelector("[data-role=onderwerp]").value = chip.dataset.onderwerp;
    form.querySelectorAll(".chip").forEach(function (c) { c.setAttribute("aria-pressed", c === chip ? "true" : "false"); });
    toggleDigid(block);
    var outcome = block.querySelector("[data-role=uitkomst]:checked") || block.querySelector("[data-role=uitkomst]");
    if (outcome) outcome.focus();
  });

  // A suggestion from the note fills instantie and/or onderwerp of its own question (suggestions/_suggestions.html).
  form.addEventListener("click", function (e) {
    var button = e.target.closest(".suggestion");
    if (!button) return;
    var block = button.closest("[data-question]");
    if (button.dataset.instantie) block.querySelector("[data-role=instantie]").value = button.dataset.instantie;
    if (button.dataset.onderwerp) block.querySelector("[data-role=onderwerp]").value = button.dataset.onderwerp;
    button.closest("ul, p").querySelectorAll(".suggestion[aria-pressed]").forEach(function (b) {
      b.setAttribute("aria-pressed", b === button ? "true" : "false");
    });
    toggleDigid(block);
    if (button.dataset.instantie && button.dataset.onderwerp) {
      var outcome = block.querySelector("[data-role=uitkomst]:checked") || block.querySelector("[data-role=uitkomst]");
      if (outcome) outcome.focus();
    }
  });

  // Enter on a radio or checkbox saves, like Enter in a text field does. A focused outcome that is not chosen yet is
  // chosen first: after a chip, focus is on "Opgelost", and Enter means "that one, save" (review 2026-12: 14 keys).
  form.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && e.target.matches("input[type=radio], input[type=checkbox]")) {
      e.preventDefault();
      if (e.target.type === "radio" && !e.target.checked) {
        e.target.checked = true;
        e.target.dispatchEvent(new Event("change", { bubbles: true }));
      }
      form.requestSubmit(document.getElementById("opslaan"));
    }
  });

  // Never send the same registration twice, whatever the network does.
  form.addEventListener("submit", function (e) {
    var submitter = e.submitter;
    if (submitter && submitter.id === "opslaan") {
      if (form.dataset.sent) { e.preventDefault(); return; }
      form.dataset.sent = "1";
    }
  });
  // Focus starts in the form, on load and after saving (the page comes back): the first favourite chip, else the first
  // field. A form that arrives filled in (from a partner's announcement or the walk-in queue) is past the chip step:
  // focus goes to what is still missing, the outcome when instantie and onderwerp are both there. Errors take
  // precedence. Not when the page was opened at an anchor or something else already has focus.
  function prefilledTarget() {
    var all = blocks(), block = all[all.length - 1];  // "Nog een vraag" comes back with a new, empty last block
    if (!block) return null;
    var inst = block.querySelector("[data-role=instantie]"), ond = block.querySelector("[data-role=onderwerp]");
    var filled = [inst, ond].filter(function (f) { return f && f.value.trim(); });
    if (!filled.length) return null;
    if (inst && !inst.value.trim()) return inst;
    if (ond && !ond.value.trim()) return ond;
    return block.querySelector("[data-role=uitkomst]:checked") || block.querySelector("[data-role=uitkomst]");
  }
  var errors = document.getElementById("foutmeldingen");
  if (errors) {
    errors.focus();
  } else if (!location.hash && (document.activeElement === document.body || !document.activeElement)) {
    var first = prefilledTarget() || form.querySelector(".chip") || form.querySelector("[data-role=instantie]");
    if (first) first.focus({ preventScroll: true });
  }
})();
