"""Keyboard, hover and zoom polish (issue 14 item 5): at most 5 keys for the common registration, focus back in the
form after saving, no hover state below WCAG contrast, no table wider than the screen at 200% zoom."""

from __future__ import annotations

from pathlib import Path

import pytest

from balie.desk.models import Question

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots-everyday-b")

# Contrast of an element's text against the colour behind it, after the browser resolved :hover.
CONTRAST_JS = """
el => {
  function rgba(s) { const m = s.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; }
  function lum(c) { const a = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
                    return 0.2126 * a[0] + 0.7152 * a[1] + 0.0722 * a[2]; }
  let bg = null, node = el;
  while (node && node.nodeType === 1) {
    const c = rgba(getComputedStyle(node).backgroundColor);
    if (c[3] > 0.5) { bg = c; break; }
    node = node.parentElement;
  }
  bg = bg || [255, 255, 255, 1];
  const style = getComputedStyle(el);
  const fg = rgba(style.color);
  const l1 = lum(fg), l2 = lum(bg);
  const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
  const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
  const large = size >= 24 || (bold && size >= 18.66);
  return {ratio: Math.round(ratio * 100) / 100, needed: large ? 3 : 4.5, text: (el.innerText || el.value || "").trim().slice(0, 40),
          fg: style.color, bg: "rgb(" + bg.slice(0, 3).join(",") + ")"};
}
"""


def _keys_for_one_registration(page) -> int:
    """Keys from a freshly loaded register page to a saved question: Tabs until a chip, Enter, Enter."""
    keys = 0
    while not page.evaluate("document.activeElement.classList.contains('chip')"):
        page.keyboard.press("Tab")
        keys += 1
        assert keys < 20
    page.keyboard.press("Enter")  # the chip fills the question and moves focus to "Opgelost"
    keys += 1
    assert page.evaluate("document.activeElement.name") == "q-0-uitkomst"
    with page.expect_navigation():
        page.keyboard.press("Enter")  # chooses the focused outcome and saves
    keys += 1
    page.wait_for_selector(".utrecht-alert--ok")
    return keys


def test_the_common_registration_takes_at_most_five_keys_and_focus_returns_to_the_form(page, live_server, login, assert_accessible):
    page.set_default_timeout(60_000)  # a shared, busy test machine
    login("medewerker")
    page.goto(f"{live_server.url}/balie/")
    assert page.evaluate("document.activeElement.classList.contains('chip')"), "focus must start in the form"
    page.screenshot(path=str(SHOTS / "keys-1-on-load.png"))
    first = _keys_for_one_registration(page)
    page.screenshot(path=str(SHOTS / "keys-2-after-save.png"))
    # After saving the next visitor starts in the form again, without a mouse.
    assert page.evaluate("document.activeElement.classList.contains('chip')")
    second = _keys_for_one_registration(page)
    assert first <= 5 and second <= 5, (first, second)
    assert Question.objects.filter(uitkomst="OPGELOST").count() == 2
    assert_accessible(page, "polish-desk-after-two")


def _hover_problems(page, selector: str) -> list[dict]:
    problems = []
    for element in page.locator(selector).all():
        if not element.is_visible():
            continue
        element.scroll_into_view_if_needed()
        element.hover(force=True, timeout=5000)
        found = element.evaluate(CONTRAST_JS)
        if found["ratio"] < found["needed"]:
            problems.append({"url": page.url, **found})
    page.mouse.move(0, 0)
    return problems


def test_no_hovered_button_has_unreadable_text(page, live_server, login):
    from balie.network.models import Location
    from balie.walkin import services
    from balie.walkin.models import QueueSettings

    page.set_default_timeout(60_000)
    login("coordinator")
    location = Location.objects.get(code="RDAM-CENTRAAL")
    QueueSettings.objects.create(location=location, enabled=True)
    services.ticket_issue(location=location, topic="DIGID")
    # A registration of today, so Vandaag has its "Corrigeren" and "Ongedaan maken" buttons.
    page.goto(f"{live_server.url}/balie/")
    page.click(".chip >> nth=0")
    page.check("input[name=q-0-uitkomst][value=OPGELOST]")
    page.click("#opslaan")
    page.wait_for_selector(".utrecht-alert--ok")
    problems = []
    buttons = "button.btn, a.btn, .chip, .walkin-topic, .tally-btn"
    for path in ["/balie/", "/balie/vandaag/", "/balie/turven/", "/wachtrij/balie/?locatie=RDAM-CENTRAAL", "/account/",
                 "/organisatie/", "/organisatie/locaties/RDAM-CENTRAAL/rooster/"]:
        page.goto(f"{live_server.url}{path}")
        problems += _hover_problems(page, buttons)
    # The note suggestion ("Beide invullen: ...") from review B8.
    page.goto(f"{live_server.url}/balie/")
    page.fill("#q-0-notitie", "kon niet inloggen bij digid sms kwam niet")
    page.wait_for_timeout(1200)
    suggestion = page.locator(".suggestion").first
    if suggestion.count():
        suggestion.hover()
        page.screenshot(path=str(SHOTS / "hover-suggestion.png"))
    problems += _hover_problems(page, ".suggestion, button.btn")
    danger = page.locator(".btn--danger").first
    page.goto(f"{live_server.url}/balie/vandaag/")
    danger = page.locator(".btn--danger, button:has-text('Ongedaan maken')").first
    if danger.count():
        danger.hover()
        page.screenshot(path=str(SHOTS / "hover-danger.png"))
    assert problems == [], "\n".join(f"{p['url']}: '{p['text']}' {p['fg']} op {p['bg']} = {p['ratio']} (< {p['needed']})" for p in problems)


@pytest.mark.parametrize("role, paths", [
    ("medewerker", ["/balie/", "/balie/vandaag/", "/balie/turven/", "/wachtrij/balie/?locatie=RDAM-CENTRAAL", "/verwijzingen/",
                    "/hulpmiddelen/"]),
    ("coordinator", ["/organisatie/", "/organisatie/locaties/RDAM-CENTRAAL/rooster/", "/account/", "/inzicht/", "/signalen/"]),
    ("landelijk", ["/codelijsten/", "/codelijsten/1/"]),
])
def test_no_table_is_wider_than_the_screen_at_200_percent_zoom(browser, live_server, demo, role, paths, assert_accessible):
    # 1366x768 at 200% zoom is a 683x384 CSS-pixel viewport (WCAG 1.4.10 reflow).
    context = browser.new_context(viewport={"width": 683, "height": 384}, locale="nl-NL", timezone_id="Europe/Amsterdam")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{live_server.url}/inloggen/")
    page.fill("#id_username", role)
    page.fill("#id_password", "demo")
    with page.expect_navigation():
        page.click("button[type=submit]")
    if role == "medewerker":  # a row in Vandaag
        page.goto(f"{live_server.url}/balie/")
        page.click(".chip >> nth=0")
        page.check("input[name=q-0-uitkomst][value=OPGELOST]")
        page.click("#opslaan")
        page.wait_for_selector(".utrecht-alert--ok")
    wide = []
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state()
        found = page.evaluate("""() => {
          const width = document.documentElement.clientWidth;
          const out = [];
          if (document.documentElement.scrollWidth > width + 1) out.push("page " + document.documentElement.scrollWidth);
          for (const t of document.querySelectorAll("table")) {
            const r = t.getBoundingClientRect();
            if (r.width && r.right > width + 1) out.push((t.caption ? t.caption.innerText.slice(0, 30) : "table") + " " + Math.round(r.right));
          }
          return out;
        }""")
        wide += [f"{path}: {item}" for item in found]
        name = path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-") or "start"
        page.screenshot(path=str(SHOTS / f"zoom200-{role}-{name}.png"), full_page=True)
    context.close()
    assert wide == [], "\n".join(wide)
