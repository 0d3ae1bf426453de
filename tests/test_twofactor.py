"""Two-factor authentication (issue 12 item 1, review M6): TOTP app plus one-time recovery codes, through the real stack.

Every test here turns BALIE_REQUIRE_2FA on (the rest of the suite runs with it off, tests/conftest.py) and logs in
through the login form with a password, as a person would; codes come from django_otp.oath.totp with the device key.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from balie.accounts import services
from balie.core.models import AuditEvent

PASSWORD = "demo"
# Pages of every kind: start, desk, organisation, insight, signals, own account, admin, public site, API docs page.
PROTECTED = ["/start/", "/balie/", "/organisatie/", "/inzicht/", "/signalen/", "/verwijzingen/", "/hulpmiddelen/", "/account/",
             "/account/wachtwoord/", "/beheer/", "/beheer/accounts/user/", "/", "/wachtrij/"]


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.BALIE_REQUIRE_2FA = True


def login(username: str, address: str = "127.0.0.1") -> Client:
    client = Client(REMOTE_ADDR=address)
    response = client.post("/inloggen/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, f"password login of {username} failed"
    return client


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The app's code now (or a later 30-second step: a code is accepted only once, so a second login needs the next)."""
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift + steps_ahead)
    return f"{value:0{device.digits}d}"  # the app shows leading zeros


def set_up_app(client: Client, username: str) -> tuple[TOTPDevice, list[str]]:
    client.get("/inloggen/app-instellen/")
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    response = client.post("/inloggen/app-instellen/", {"code": code_for(device)})
    assert response.status_code == 200
    codes = re.findall(r"<code>([a-z0-9-]{19})</code>", response.content.decode())
    return device, codes


def audit(event: str, username: str | None = None) -> list[AuditEvent]:
    rows = AuditEvent.objects.filter(event=event).order_by("timestamp")
    return list(rows.filter(user__username=username) if username else rows)


# --- who is held, and where ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("username", ["coordinator", "gemeente", "landelijk", "partner", "beheerder"])
def test_a_role_above_staff_without_an_app_reaches_no_page_before_setting_one_up(users, username):
    client = login(username)
    for path in PROTECTED:
        response = client.get(path)
        assert response.status_code == 302, path
        target = urlsplit(response["Location"])
        assert target.path == "/inloggen/code/" and parse_qs(target.query)["next"] == [path], path
    # The code page has nothing to ask yet: it sends the account on to set up an app.
    assert client.get("/inloggen/code/").headers["Location"].startswith("/inloggen/app-instellen/")
    # A POST is held too (nothing is written), and so is an htmx call (the browser is told where to go instead).
    assert client.post("/account/herstelcodes/").status_code == 302
    held = client.get("/balie/vandaag/", HTTP_HX_REQUEST="true")
    assert held.status_code == 204 and held["HX-Redirect"].startswith("/inloggen/code/")


def test_the_setup_page_shows_a_server_side_qr_code_and_the_key_and_no_menu(users):
    client = login("coordinator")
    html = client.get("/inloggen/app-instellen/").content.decode()
    device = TOTPDevice.objects.get(user__username="coordinator")
    assert "<svg" in html and 'aria-label="QR-code om Balie aan uw app toe te voegen"' in html
    # The QR code is the app's standard otpauth:// link with this device's secret, drawn on the server.
    from balie.core.qr import qr_svg

    assert device.config_url.startswith("otpauth://totp/Balie%3Acoordinator?secret=") and "issuer=Balie" in device.config_url
    assert str(qr_svg(device.config_url, scale=5, label="QR-code om Balie aan uw app toe te voegen")) in html
    assert "http://" not in html.split("<svg", 1)[1].split("</svg>", 1)[0] and "<script" not in html
    from base64 import b32encode

    assert " ".join(re.findall(".{1,4}", b32encode(device.bin_key).decode())) in html
    # Until the code is given the account may do nothing: no menu, only logout.
    assert 'aria-label="Hoofdmenu"' in html and "Registreren" not in html and "Cijfers" not in html
    # A reload keeps the same secret (an app that already scanned it must still work).
    client.get("/inloggen/app-instellen/")
    assert TOTPDevice.objects.filter(user__username="coordinator").count() == 1


def test_setting_up_an_app_gives_ten_single_use_recovery_codes_stored_only_as_hashes(users):
    client = login("coordinator")
    client.get("/inloggen/app-instellen/")
    device = TOTPDevice.objects.get(user__username="coordinator")
    wrong = client.post("/inloggen/app-instellen/", {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert wrong.status_code == 422 and "Deze code klopt niet" in wrong.content.decode()
    assert client.get("/balie/").status_code == 302  # still held
    device, codes = set_up_app(client, "coordinator")
    assert len(codes) == len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed
    stored = set(StaticToken.objects.filter(device__user=device.user).values_list("token", flat=True))
    assert len(stored) == 10 and not stored & {c for c in codes} and not stored & {c.replace("-", "") for c in codes}
    # Verified in this session: every page opens.
    for path in ["/balie/", "/organisatie/", "/inzicht/", "/account/"]:
        assert client.get(path).status_code == 200, path
    assert [e.extra["stage"] for e in audit("two_factor_failed", "coordinator")] == ["setup"]
    assert len(audit("two_factor_set_up", "coordinator")) == 1
    # The codes are shown once: the account page only counts them.
    page = client.get("/account/").content.decode()
    assert "10 herstelcodes" in page and codes[0] not in page


def test_the_next_login_asks_for_the_code_and_accepts_the_app_code_once(users):
    first = login("coordinator")
    device, _ = set_up_app(first, "coordinator")
    client = login("coordinator")
    assert client.get("/inzicht/").status_code == 302
    page = client.get("/inloggen/code/?next=/inzicht/")
    assert page.status_code == 200 and "Code uit de app" in page.content.decode()
    session_before = client.session.session_key
    code = code_for(device, steps_ahead=1)  # the setup used the current step
    response = client.post("/inloggen/code/", {"code": f" {code[:3]} {code[3:]} ", "next": "/inzicht/"})
    assert response.status_code == 302 and response["Location"] == "/inzicht/"
    assert client.session.session_key != session_before  # a new session id after the second step
    assert client.get("/inzicht/").status_code == 200
    assert len(audit("two_factor_verified", "coordinator")) == 1
    # The same code again (another login): refused, a code works once.
    again = login("coordinator")
    assert again.post("/inloggen/code/", {"code": code}).status_code == 422


def test_a_recovery_code_works_once_in_any_spelling_and_is_audited(users):
    _, codes = set_up_app(login("gemeente"), "gemeente")
    client = login("gemeente")
    typed = codes[3].upper().replace("-", " ")
    response = client.post("/inloggen/code/", {"code": typed, "next": "/inzicht/"}, follow=True)
    assert response.redirect_chain[0] == ("/inzicht/", 302)
    assert "nog 9 herstelcodes" in response.content.decode()
    used = audit("two_factor_recovery_used", "gemeente")
    assert len(used) == 1 and used[0].extra["codes_left"] == 9
    assert codes[3] not in str(used[0].extra)
    other = login("gemeente")
    assert other.post("/inloggen/code/", {"code": codes[3]}).status_code == 422
    assert other.post("/inloggen/code/", {"code": codes[4]}).status_code == 302
    assert services.recovery_codes_left(get_user_model().objects.get(username="gemeente")) == 8


def test_five_wrong_codes_lock_the_account_for_fifteen_minutes(users, monkeypatch):
    device, _ = set_up_app(login("landelijk"), "landelijk")
    client = login("landelijk")
    good = code_for(device, steps_ahead=1)
    wrong = [c for c in ("123456", "654321", "000000", "999999", "111111", "222222") if c != good][:5]
    for n, code in enumerate(wrong):
        assert client.post("/inloggen/code/", {"code": code}).status_code == 422, n
    # Locked: even the right code is not looked at, for the app and for recovery codes alike, from any session.
    locked = client.post("/inloggen/code/", {"code": good})
    assert locked.status_code == 429 and "te vaak een verkeerde code" in locked.content.decode()
    assert login("landelijk", "10.0.0.9").post("/inloggen/code/", {"code": good}).status_code == 429
    # Hammering on while locked changes nothing: those tries are not read, and do not hide the wrong ones.
    for _ in range(25):
        assert client.post("/inloggen/code/", {"code": "123123"}).status_code == 429
    assert client.get("/codelijsten/").status_code == 302
    failed = audit("two_factor_failed", "landelijk")
    assert sum(1 for e in failed if e.extra.get("blocked")) == 27 and sum(1 for e in failed if not e.extra.get("blocked")) == 5
    # Fifteen minutes later the right code works (and resets the count).
    later = timezone.now() + dt.timedelta(minutes=16)
    monkeypatch.setattr("balie.accounts.twofactor.timezone.now", lambda: later)
    assert client.post("/inloggen/code/", {"code": good}).status_code == 302
    assert client.get("/codelijsten/").status_code == 200


def test_library_staff_are_not_forced_but_may_switch_it_on(users):
    client = login("medewerker")
    assert client.get("/balie/").status_code == 200
    assert "niet verplicht" in client.get("/account/").content.decode()
    device, _ = set_up_app(client, "medewerker")
    # Chosen by the medewerker: asked at the next login, like everyone with an app.
    again = login("medewerker")
    assert again.get("/balie/").status_code == 302
    assert again.post("/inloggen/code/", {"code": code_for(device, 1), "next": "/balie/"}).status_code == 302
    assert again.get("/balie/").status_code == 200
    # And may switch it off again (a forced role may not).
    assert again.post("/account/tweestapsverificatie-uitzetten/").status_code == 302
    assert not TOTPDevice.objects.filter(user__username="medewerker").exists()
    assert login("medewerker").get("/balie/").status_code == 200
    coordinator = login("coordinator")
    set_up_app(coordinator, "coordinator")
    assert coordinator.post("/account/tweestapsverificatie-uitzetten/").status_code == 403
    assert TOTPDevice.objects.filter(user__username="coordinator", confirmed=True).exists()


def test_with_the_setting_off_nobody_is_forced_and_the_login_page_says_so(users, settings):
    assert "tweestapsverificatie uit" not in Client().get("/inloggen/").content.decode()
    settings.BALIE_REQUIRE_2FA = False
    assert "In deze demo is tweestapsverificatie uit" in Client().get("/inloggen/").content.decode()
    for username in ["coordinator", "gemeente", "beheerder"]:
        assert login(username).get("/start/").status_code == 302
        assert login(username).get("/account/").status_code == 200


def test_someone_with_only_the_password_cannot_swap_the_app(users):
    device, _ = set_up_app(login("coordinator"), "coordinator")
    thief = login("coordinator")
    response = thief.get("/inloggen/app-instellen/")
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/code/")
    assert thief.post("/inloggen/app-instellen/", {"code": "123456"}).status_code == 302
    assert list(TOTPDevice.objects.filter(user__username="coordinator")) == [device]


@pytest.mark.parametrize("target", ["https://kwaad.example/", "//kwaad.example/pad", "javascript:alert(1)"])
def test_the_code_page_sends_only_to_pages_of_balie(users, target):
    device, _ = set_up_app(login("coordinator"), "coordinator")
    client = login("coordinator")
    response = client.post("/inloggen/code/", {"code": code_for(device, 1), "next": target})
    assert response.status_code == 302 and response["Location"] == "/start/"


# --- API and admin -------------------------------------------------------------------------------------------------
def test_the_api_refuses_a_half_signed_in_session_but_takes_a_token(users):
    client = login("coordinator")
    response = client.get("/api/v1/registraties")
    assert response.status_code == 403 and response["Content-Type"] == "application/problem+json"
    assert "tweestapsverificatie" in response.json()["detail"]
    import io

    out = io.StringIO()
    call_command("create_api_token", "coordinator", stdout=out)
    token = out.getvalue().strip().split()[-1]
    assert Client().get("/api/v1/registraties", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    # A token does not make the half session whole: without it, the same client is still refused.
    assert client.get("/api/v1/registraties", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    assert client.get("/api/v1/registraties").status_code == 403


def test_the_admin_needs_the_second_factor_of_a_superuser(users, rf):
    client = Client()
    assert client.post("/beheer/login/?next=/beheer/", {"username": "beheerder", "password": PASSWORD}).status_code == 302
    response = client.get("/beheer/accounts/user/")
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/code/")
    device, _ = set_up_app(client, "beheerder")
    assert client.get("/beheer/accounts/user/").status_code == 200
    # The device pages of django-otp are not in the admin (they would show every secret).
    assert client.get("/beheer/otp_totp/totpdevice/").status_code == 404
    # The admin site asks by itself too, whatever the middleware did: a request without a verified device is refused.
    request = rf.get("/beheer/")
    request.user = users["beheerder"]
    request.session = {}
    assert admin.site.has_permission(request) is False
    request.user.is_verified = lambda: True
    assert admin.site.has_permission(request) is True


# --- resetting someone else's second factor ------------------------------------------------------------------------
def _verified(username: str) -> Client:
    client = login(username)
    set_up_app(client, username)
    return client


def test_a_coordinator_wipes_the_app_of_own_staff_only_and_it_is_audited(users):
    set_up_app(login("collega"), "collega")
    coordinator = _verified("coordinator")
    page = coordinator.get("/account/medewerkers/").content.decode()
    assert re.findall(r"<tr>\s*<td>([\w-]+)</td>", page) == ["collega", "medewerker"]  # own staff, not the coordinator
    collega = users["collega"]
    response = coordinator.post(f"/account/medewerkers/{collega.pk}/tweestapsverificatie-wissen/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=collega).exists() and not StaticToken.objects.filter(device__user=collega).exists()
    event = audit("two_factor_reset", "coordinator")[0]
    assert event.object_uuid == str(collega.pk) and event.extra["via"] == "coordinator"
    # Higher roles, admins, another library's staff, and the coordinator's own account: not theirs (404).
    for username in ["gemeente", "landelijk", "partner", "beheerder", "medewerker-gouda", "coordinator-gouda", "coordinator"]:
        target = users[username]
        set_up_app(login(username), username) if not TOTPDevice.objects.filter(user=target).exists() else None
        assert coordinator.post(f"/account/medewerkers/{target.pk}/tweestapsverificatie-wissen/").status_code == 404, username
        assert TOTPDevice.objects.filter(user=target, confirmed=True).exists(), username
    # Staff may not wipe anyone's.
    assert login("medewerker").post(f"/account/medewerkers/{collega.pk}/tweestapsverificatie-wissen/").status_code == 403


def test_an_admin_wipes_an_app_from_the_user_list_and_the_owner_sets_up_a_new_one(users):
    set_up_app(login("gemeente"), "gemeente")
    admin_client = _verified("beheerder")
    target = users["gemeente"]
    response = admin_client.post("/beheer/accounts/user/", {"action": "reset_second_factor", "_selected_action": [target.pk]})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=target).exists()
    assert audit("two_factor_reset", "beheerder")[0].extra["via"] == "admin"
    # An open session of the owner is held again, and the next login goes to setting up a new app.
    client = login("gemeente")
    assert client.get("/inloggen/code/").headers["Location"].startswith("/inloggen/app-instellen/")


def test_the_services_refuse_a_coordinator_who_reaches_past_the_pages(users):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.reset_second_factor(by=users["coordinator"], target=users["beheerder"], via="coordinator")
    with pytest.raises(PermissionDenied):
        services.reset_second_factor(by=users["coordinator"], target=users["gemeente"], via="coordinator")
    services.reset_second_factor(by=users["beheerder"], target=users["coordinator"], via="admin")


# --- a password chosen by the coordinator is for the first login only ------------------------------------------------
def test_staff_change_the_password_the_coordinator_chose_at_the_first_login(users, settings):
    settings.BALIE_REQUIRE_2FA = False
    coordinator = login("coordinator")
    response = coordinator.post("/organisatie/medewerkers/nieuw/", {
        "username": "nieuwkomer", "role": "medewerker", "password": "Tijdelijk-2026-balie", "is_active": "on"})
    assert response.status_code == 302
    client = Client()
    assert client.post("/inloggen/", {"username": "nieuwkomer", "password": "Tijdelijk-2026-balie"}).status_code == 302
    for path in ["/balie/", "/start/", "/account/"]:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/account/wachtwoord/"), path
    weak = client.post("/account/wachtwoord/", {"old_password": "Tijdelijk-2026-balie", "new_password1": "1234567890",
                                                "new_password2": "1234567890"})
    assert weak.status_code == 200 and get_user_model().objects.get(username="nieuwkomer").must_change_password
    done = client.post("/account/wachtwoord/", {"old_password": "Tijdelijk-2026-balie", "new_password1": "Eigen-keuze-van-mij-42",
                                                "new_password2": "Eigen-keuze-van-mij-42"})
    assert done.status_code == 302
    assert not get_user_model().objects.get(username="nieuwkomer").must_change_password
    assert client.get("/balie/").status_code == 200
    assert len(audit("password_changed", "nieuwkomer")) == 1
