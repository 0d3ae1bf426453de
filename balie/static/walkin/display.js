// Walk-in queue enhancements. The pages work without this file: the display and phone page refresh
// through HTMX or, without JavaScript, a <noscript> meta refresh.
(function () {
  "use strict";

  // Display: an optional beep for a new call. Off by default (a library is a quiet place), and
  // browsers only allow sound after a click, which the toggle provides.
  var soundButton = document.getElementById("geluid");
  var audio = null;
  if (soundButton) {
    soundButton.hidden = false;
    soundButton.addEventListener("click", function () {
      var on = soundButton.getAttribute("aria-pressed") !== "true";
      soundButton.setAttribute("aria-pressed", on ? "true" : "false");
      if (on && !audio && (window.AudioContext || window.webkitAudioContext)) {
        audio = new (window.AudioContext || window.webkitAudioContext)();
      }
    });
    document.body.addEventListener("htmx:afterSettle", function (e) {
      if (soundButton.getAttribute("aria-pressed") !== "true" || !audio) return;
      if (e.target && e.target.hasAttribute && e.target.hasAttribute("data-new-call")) beep();
    });
  }

  function tone(freq, start, length) {
    var osc = audio.createOscillator();
    var gain = audio.createGain();
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.3, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + length);
    osc.connect(gain).connect(audio.destination);
    osc.start(start);
    osc.stop(start + length + 0.05);
  }

  function beep() {
    var now = audio.currentTime;
    tone(880, now, 0.25);
    tone(660, now + 0.3, 0.35);
  }

  // Kiosk: a second tap while the first is on its way must not look like nothing happened.
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (form.dataset.sent) { e.preventDefault(); return; }
      form.dataset.sent = "1";
    });
  });

  // Kiosk ticket: back to the start screen after a while, with a way to get more time (WCAG 2.2.1).
  var notice = document.querySelector("[data-return-after]");
  if (notice) {
    var seconds = parseInt(notice.getAttribute("data-return-after"), 10) || 60;
    var left = seconds;
    var counter = notice.querySelector("[data-countdown]");
    notice.hidden = false;
    notice.querySelector("[data-extend]").addEventListener("click", function () { left += seconds * 2; counter.textContent = left; });
    window.setInterval(function () {
      left -= 1;
      if (counter) counter.textContent = Math.max(left, 0);
      if (left <= 0) window.location.href = notice.getAttribute("data-return-url");
    }, 1000);
  }
})();
