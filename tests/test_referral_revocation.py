"""Review M2 and L8: the partner loses the contact data when a referral is withdrawn or closed; links can be revoked;
reads through a link are traceable. Through the real stack: web pages, the partner link and the API."""

from __future__ import annotations

import io

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from balie.core.models import AuditEvent
from balie.demo.partners import build_social_map
from balie.desk import services as desk_services
from balie.network.models import Location
from balie.referrals import links, services
from balie.referrals.models import Kind, Referral, Status

NAME, PHONE = "Jantine Voorbeeldig", "06 41234567"


@pytest.fixture
def social(network, users, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.BALIE_PII_NAMES = False
    mail.outbox = []
    return build_social_map()


def refer(users, social) -> Referral:
    visit, _ = desk_services.visit_register(user=users["medewerker"], location=Location.objects.get(code="RDAM-CENTRAAL"),
                                            questions=[{"instantie": "BELASTINGDIENST", "onderwerp": "BETALEN", "uitkomst": "DOORVERWEZEN"}])
    partner = social["SchuldHulpMaatje Rotterdam"]
    referral, _ = services.referral_create(user=users["medewerker"], question=visit.questions.get(), partner=partner,
                                           service=partner.services.first(), kind=Kind.SAMEN_GEBELD, consent=True,
                                           contact={"naam": NAME, "telefoon": PHONE}, notify=False)
    return referral


def api(username: str) -> APIClient:
    out = io.StringIO()
    call_command("create_api_token", username, stdout=out, stderr=io.StringIO())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {out.getvalue().strip()}")
    return client


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def link(referral: Referral) -> str:
    referral.refresh_from_db()
    return f"/verwijzingen/{referral.uuid}/partner/{links.link_token(referral)}/"


def partner_sees_name(users, referral: Referral, path: str) -> dict[str, bool]:
    """Every way the partner can ask for the contact data: the account page, the API (detail and list), the link."""
    account = client_for(users["partner"]).get(f"/verwijzingen/{referral.uuid}/?contact=1").content.decode()
    detail = api("partner").get(f"/api/v1/verwijzingen/{referral.uuid}").json()
    listing = api("partner").get("/api/v1/verwijzingen").json()["results"]
    by_link = Client().get(path + "?contact=1").content.decode()
    return {"account": NAME in account, "api": detail["contactgegevens"] is not None,
            "api_list": any(r["contactgegevens"] for r in listing if r["uuid"] == str(referral.uuid)), "link": NAME in by_link}


# --- M2: withdrawing and closing ---------------------------------------------------------------------------------
@pytest.mark.parametrize("how", ["api", "web"])
def test_withdrawing_erases_the_contact_data_for_everyone(users, social, how):
    referral = refer(users, social)
    path = link(referral)
    assert partner_sees_name(users, referral, path) == {"account": True, "api": True, "api_list": True, "link": True}
    if how == "api":  # the review's reproduction
        assert api("medewerker").post(f"/api/v1/verwijzingen/{referral.uuid}/status", {"status": "teruggetrokken"}, format="json").status_code == 200
    else:
        client_for(users["collega"]).post(f"/verwijzingen/{referral.uuid}/", {"status": "teruggetrokken"})
    referral.refresh_from_db()
    assert referral.status == Status.TERUGGETROKKEN
    assert referral.contact_ciphertext == "" and referral.personal_data_deleted_at is not None
    assert partner_sees_name(users, referral, path) == {"account": False, "api": False, "api_list": False, "link": False}
    erased = AuditEvent.objects.get(event="referral_contact_deleted", object_uuid=str(referral.uuid))
    assert erased.extra["reason"] == "verwijzing teruggetrokken" and erased.personal_data
    # The link still tells the partner what happened, without the data.
    page = Client().get(path).content.decode()
    assert "Teruggetrokken" in page and NAME not in page


@pytest.mark.parametrize("outcome", [Status.GEHOLPEN, Status.NIET_BEREIKT])
def test_closing_ends_the_partners_access_but_the_library_keeps_it_until_retention(users, social, outcome):
    referral = refer(users, social)
    path = link(referral)
    Client().post(path, {"status": outcome})
    referral.refresh_from_db()
    assert referral.status == outcome and referral.contact_ciphertext  # kept for the library (retention, ADR 0009)
    assert partner_sees_name(users, referral, path) == {"account": False, "api": False, "api_list": False, "link": False}
    page = client_for(users["partner"]).get(f"/verwijzingen/{referral.uuid}/").content.decode()
    assert "niet meer te zien voor de partner" in page and "Contactgegevens tonen" not in page
    assert NAME in client_for(users["medewerker"]).get(f"/verwijzingen/{referral.uuid}/?contact=1").content.decode()
    with pytest.raises(PermissionError):
        services.contact_for(referral, user=users["partner"], via="partneraccount")


# --- M2: revoking the link ---------------------------------------------------------------------------------------
def test_the_library_revokes_a_link_and_old_links_get_a_dutch_410(users, social):
    referral = refer(users, social)
    old = link(referral)
    assert Client().get(old).status_code == 200
    assert 'value="revoke_link"' in client_for(users["collega"]).get(f"/verwijzingen/{referral.uuid}/").content.decode()
    assert 'value="revoke_link"' not in client_for(users["partner"]).get(f"/verwijzingen/{referral.uuid}/").content.decode()
    client_for(users["collega"]).post(f"/verwijzingen/{referral.uuid}/", {"action": "revoke_link"})
    stranger = Client(HTTP_USER_AGENT="Doorgestuurd/1.0", REMOTE_ADDR="203.0.113.9")
    response = stranger.get(old + "?contact=1")
    html = response.content.decode()
    assert response.status_code == 410 and "Deze link is ingetrokken" in html and NAME not in html and "SchuldHulpMaatje" not in html
    assert stranger.post(old, {"status": "geholpen"}).status_code == 410
    referral.refresh_from_db()
    assert referral.status == Status.VERSTUURD and referral.link_version == 1
    revoked = AuditEvent.objects.get(event="referral_link_revoked")
    assert revoked.user == users["collega"] and revoked.extra["link_version"] == 1 and revoked.extra["new_link_sent"] is False
    refused = AuditEvent.objects.filter(event="referral_link_refused", object_uuid=str(referral.uuid)).first()
    assert refused and refused.extra["address"] == "203.0.113.9" and refused.extra["user_agent"] == "Doorgestuurd/1.0"
    # A new link (the coordinator's reminder carries one) works; the old one stays dead.
    assert Client().get(link(referral)).status_code == 200
    assert Client().get(old).status_code == 410


def test_revoke_and_send_a_new_link_by_email(users, social, django_capture_on_commit_callbacks):
    referral = refer(users, social)
    old = link(referral)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(users["medewerker"]).post(f"/verwijzingen/{referral.uuid}/", {"action": "new_link"})
    # Partner e-mail goes through the outbox (core/outbox.py): the worker sends it after the commit.
    call_command("run_worker", "--once", verbosity=0)
    links = [line for m in mail.outbox for line in m.body.splitlines() if "/partner/" in line]
    new = links[-1]
    assert links.count(new) == 1 and new.removeprefix("http://testserver") != old
    assert Client().get(new.removeprefix("http://testserver")).status_code == 200
    assert Client().get(old).status_code == 410
    assert AuditEvent.objects.get(event="referral_link_revoked").extra["new_link_sent"] is True


def test_only_the_referring_library_revokes(users, social):
    referral = refer(users, social)
    path = link(referral)
    assert client_for(users["partner"]).post(f"/verwijzingen/{referral.uuid}/", {"action": "revoke_link"}).status_code == 403
    assert client_for(users["medewerker-gouda"]).post(f"/verwijzingen/{referral.uuid}/", {"action": "revoke_link"}).status_code == 404
    assert Client().get(path).status_code == 200
    referral.refresh_from_db()
    assert referral.link_version == 0


def test_a_link_from_before_versions_works_until_the_first_revocation(users, social):
    referral = refer(users, social)
    legacy = signing.TimestampSigner(salt=links.LINK_SALT).sign_object({"r": str(referral.uuid), "p": links.LINK_PURPOSE})
    path = f"/verwijzingen/{referral.uuid}/partner/{legacy}/"
    assert Client().get(path).status_code == 200
    services.link_revoke(referral=referral, by=users["medewerker"])
    assert Client().get(path).status_code == 410


def test_a_tampered_or_expired_link_is_still_a_plain_404(users, social, settings):
    referral = refer(users, social)
    path = link(referral)
    assert Client().get(path[:-3] + "xx/").status_code == 404
    settings.BALIE_PARTNER_LINK_DAYS = 0
    assert Client().get(path).status_code == 404


# --- L8: who read the contact data through a link ----------------------------------------------------------------
def test_a_link_read_is_audited_with_the_links_identity(users, social):
    referral = refer(users, social)
    path = link(referral)
    Client(HTTP_USER_AGENT="Mozilla/5.0 (Partner)", REMOTE_ADDR="198.51.100.7").get(path + "?contact=1")
    Client(HTTP_USER_AGENT="curl/8.0", REMOTE_ADDR="203.0.113.50").get(path + "?contact=1")
    first, second = AuditEvent.objects.filter(event="referral_contact_read").order_by("id")
    for event in (first, second):
        assert event.user is None and event.personal_data and event.object_uuid == str(referral.uuid)
        assert event.extra["via"] == "link" and event.extra["partner"] == "SchuldHulpMaatje Rotterdam"
        assert event.extra["partner_uuid"] == str(referral.partner.uuid) and event.extra["link_version"] == 0
        assert event.extra["link_issued_at"]
    assert (first.extra["address"], first.extra["user_agent"]) == ("198.51.100.7", "Mozilla/5.0 (Partner)")
    # The second reader (a forwarded link?) is told apart by address and browser.
    assert second.extra["address"] == "203.0.113.50" and second.extra["user_agent_hash"] != first.extra["user_agent_hash"]
    # Reads by accounts keep the person and now also the address.
    client_for(users["partner"]).get(f"/verwijzingen/{referral.uuid}/?contact=1", REMOTE_ADDR="192.0.2.1")
    account = AuditEvent.objects.filter(event="referral_contact_read").order_by("-id").first()
    assert account.user == users["partner"] and account.extra["address"] == "192.0.2.1"


def test_a_read_without_account_needs_a_link(users, social):
    referral = refer(users, social)
    with pytest.raises(ValueError):
        services.contact_for(referral, user=None, via="link")
