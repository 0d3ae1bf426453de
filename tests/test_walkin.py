"""The walk-in queue: numbering, calling, waits, statistics, bad input and scoping, through HTTP and the real database."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from balie.core.models import AuditEvent
from balie.desk import services as desk_services
from balie.desk.models import Visit
from balie.network.models import Location
from balie.walkin import selectors, services
from balie.walkin.models import Channel, DailyCounter, QueueSettings, Status, Ticket
from balie.walkin.services import QueueError

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_name_model(settings):
    settings.BALIE_PII_NAMES = False


@pytest.fixture
def central(network) -> Location:
    return Location.objects.get(code="RDAM-CENTRAAL")


@pytest.fixture
def queue(central) -> QueueSettings:
    return QueueSettings.objects.create(location=central, enabled=True)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def issue(location: Location, topic: str = "", **kwargs) -> Ticket:
    ticket, _ = services.ticket_issue(location=location, topic=topic, **kwargs)
    return ticket


def served_ticket(location: Location, *, day: dt.date, number: int, minutes: float, topic: str = "DIGID") -> Ticket:
    """A ticket from an earlier day with a hand-chosen service time (called_at -> served_at)."""
    called_at = at(day, 10) + dt.timedelta(minutes=number)
    return Ticket.objects.create(
        location=location, service_date=day, number=number, topic=topic, status=Status.GEHOLPEN,
        issued_at=called_at - dt.timedelta(minutes=5), called_at=called_at, announced_at=called_at,
        served_at=called_at + dt.timedelta(minutes=minutes),
    )


# ---------------------------------------------------------------- numbering


def test_it_numbers_tickets_per_location_per_day_and_restarts_at_one_the_next_day(queue, central):
    QueueSettings.objects.create(location=Location.objects.get(code="RDAM-ZUIDPLEIN"), enabled=True)
    assert [issue(central).number for _ in range(3)] == [1, 2, 3]
    assert issue(Location.objects.get(code="RDAM-ZUIDPLEIN")).number == 1, "every location counts on its own"
    tomorrow = timezone.now() + dt.timedelta(days=1)
    ticket = issue(central, now=tomorrow)
    assert (ticket.number, ticket.service_date) == (1, timezone.localdate(tomorrow))


def test_it_refuses_two_tickets_with_the_same_number_on_the_same_day_in_the_database(queue, central):
    issue(central)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ticket.objects.create(location=central, service_date=timezone.localdate(), number=1, issued_at=timezone.now())


def test_it_recovers_from_a_collision_by_taking_the_next_free_number(queue, central):
    # Simulates the losing side of a race (or a counter restored from an old backup): the counter is behind the tickets.
    issue(central)
    issue(central)
    DailyCounter.objects.update(last_number=0)
    ticket = issue(central)
    assert ticket.number == 3
    assert DailyCounter.objects.get().last_number == 3


def test_it_gives_one_ticket_for_a_double_tap_on_the_kiosk(queue, central):
    kiosk = Client()
    url = f"/wachtrij/RDAM-CENTRAAL/kiosk/{queue.kiosk_token}/"
    first = kiosk.post(url, {"sleutel": "tap-1", "onderwerp": "DIGID"})
    second = kiosk.post(url, {"sleutel": "tap-1", "onderwerp": "DIGID"})
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert Ticket.objects.count() == 1
    page = kiosk.get(first.url).content.decode()
    assert 'class="walkin-bignumber">1<' in page and "<svg" in page, "the big number and the QR code"


def test_it_gives_one_ticket_for_a_double_click_at_the_desk(queue, client_for):
    client = client_for("medewerker")
    for _ in range(2):
        client.post("/wachtrij/balie/uitgeven/", {"issue_key": "k1", "onderwerp": "BRIEF"})
    assert list(Ticket.objects.values_list("number", "topic", "channel")) == [(1, "BRIEF", Channel.BALIE)]


def test_it_does_not_hand_out_numbers_when_the_queue_is_off(central, network):
    QueueSettings.objects.create(location=central, enabled=False)
    with pytest.raises(QueueError, match="geen nummers"):
        issue(central)


def test_it_rejects_an_unknown_topic_with_a_message(queue, central):
    response = Client().post(f"/wachtrij/RDAM-CENTRAAL/kiosk/{queue.kiosk_token}/", {"sleutel": "x", "onderwerp": "RAKETTEN"})
    assert response.status_code == 200
    assert "Kies een van de onderwerpen" in response.content.decode()
    assert Ticket.objects.count() == 0


# ---------------------------------------------------------------- calling


def test_it_calls_the_lowest_waiting_number_and_records_the_desk(queue, central, users):
    first, second, third = issue(central), issue(central), issue(central)
    services.ticket_cancel(ticket=first)
    called = services.ticket_call_next(user=users["medewerker"], location=central, desk_label="balie 2")
    assert called.pk == second.pk
    called.refresh_from_db()
    assert (called.status, called.desk_label, called.called_by.username) == (Status.OPGEROEPEN, "balie 2", "medewerker")
    assert services.ticket_call_next(user=users["collega"], location=central, desk_label="balie 3").pk == third.pk
    assert services.ticket_call_next(user=users["collega"], location=central, desk_label="balie 3") is None


def test_it_calls_only_one_visitor_for_a_double_click_on_call_next(queue, central, client_for):
    issue(central)
    issue(central)
    client = client_for("medewerker")
    for _ in range(2):
        client.post("/wachtrij/balie/oproepen/", {"desk_label": "balie 1", "call_key": "click-1"})
    assert list(Ticket.objects.order_by("number").values_list("status", flat=True)) == [Status.OPGEROEPEN, Status.WACHTEND]


def test_it_marks_a_called_visitor_as_no_show_and_audits_every_status_change(queue, central, users, client_for):
    ticket = issue(central)
    client = client_for("medewerker")
    client.post("/wachtrij/balie/oproepen/", {"desk_label": "balie 1", "call_key": "c"})
    client.post(f"/wachtrij/balie/nummer/{ticket.uuid}/", {"action": "opnieuw"})
    client.post(f"/wachtrij/balie/nummer/{ticket.uuid}/", {"action": "niet_verschenen"})
    ticket.refresh_from_db()
    assert ticket.status == Status.NIET_VERSCHENEN and ticket.closed_at is not None
    events = list(AuditEvent.objects.filter(object_uuid=str(ticket.uuid)).order_by("id").values_list("event", "extra"))
    assert [e for e, _ in events] == ["walkin_ticket_issued", "walkin_ticket_called", "walkin_ticket_recalled", "walkin_ticket_no_show"]
    assert events[-1][1]["from_status"] == Status.OPGEROEPEN and events[-1][1]["to_status"] == Status.NIET_VERSCHENEN


def test_it_explains_why_a_waiting_ticket_cannot_be_a_no_show(queue, central, client_for):
    ticket = issue(central)
    client = client_for("medewerker")
    response = client.post(f"/wachtrij/balie/nummer/{ticket.uuid}/", {"action": "niet_verschenen"}, follow=True)
    assert response.status_code == 200
    assert "is nog niet opgeroepen" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.WACHTEND


def test_it_calls_the_number_a_visitor_shows_and_explains_a_number_from_another_day(queue, central, client_for):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Ticket.objects.create(location=central, service_date=yesterday, number=7, issued_at=at(yesterday, 11))
    issue(central)
    client = client_for("medewerker")
    html = client.post("/wachtrij/balie/oproepen/", {"nummer": "7", "desk_label": "balie 1"}, follow=True).content.decode()
    assert f"Nummer 7 is van een andere dag ({yesterday:%d-%m-%Y})" in html and "nieuw nummer" in html
    html = client.post("/wachtrij/balie/oproepen/", {"nummer": "twaalf"}, follow=True).content.decode()
    assert "geen volgnummer" in html
    html = client.post("/wachtrij/balie/oproepen/", {"nummer": "99"}, follow=True).content.decode()
    assert "Nummer 99 is vandaag niet uitgegeven" in html
    client.post("/wachtrij/balie/oproepen/", {"nummer": "1", "desk_label": "balie 4"})
    assert Ticket.objects.get(service_date=timezone.localdate()).desk_label == "balie 4"


def test_it_refuses_staff_actions_on_yesterdays_ticket_with_a_message(queue, central, client_for):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    old = Ticket.objects.create(location=central, service_date=yesterday, number=3, issued_at=at(yesterday, 11),
                                status=Status.OPGEROEPEN, called_at=at(yesterday, 11, 5), announced_at=at(yesterday, 11, 5))
    response = client_for("medewerker").post(f"/wachtrij/balie/nummer/{old.uuid}/", {"action": "niet_verschenen"}, follow=True)
    assert response.status_code == 200
    assert "Nummer 3 is van een andere dag" in response.content.decode()


# ---------------------------------------------------------------- expected wait


def test_it_estimates_the_wait_from_measured_service_times_as_a_range(queue, central, users):
    last_week = timezone.localdate() - dt.timedelta(days=7)
    # Service times 4..18: p25 = 6 + 0.75 * 2 = 7.5 and p75 = 14 + 0.25 * 2 = 14.5 (linear interpolation).
    for number, minutes in enumerate([4, 6, 8, 10, 12, 14, 16, 18], start=1):
        served_ticket(central, day=last_week, number=number, minutes=minutes)
    times = selectors.service_times(central)
    assert (times["DIGID"].p25, times["DIGID"].p75, times["DIGID"].source) == (7.5, 14.5, "wachtrij")

    issue(central, "DIGID")
    issue(central, "DIGID")
    third = issue(central, "DIGID")
    # Two ahead, one staff member: 15 to 29 minutes, widened to whole 5 minutes.
    assert selectors.expected_wait(third).text == "ongeveer 15 tot 30 minuten"
    services.queue_settings_update(user=users["medewerker"], location=central, staff_on_duty=2)
    # Two staff: 7.5 to 14.5 -> 5 to 15.
    assert selectors.expected_wait(third).text == "ongeveer 5 tot 15 minuten"


def test_it_says_you_are_next_when_nobody_is_ahead(queue, central):
    ticket = issue(central, "BRIEF")
    wait = selectors.expected_wait(ticket)
    assert (wait.ahead, wait.position, wait.text) == (0, 1, "u bent de volgende")


def test_it_falls_back_to_registration_durations_for_the_topic_and_then_to_ten_minutes(queue, central, users):
    for minutes in (5, 5, 10, 10, 15):
        desk_services.visit_register(user=users["medewerker"], location=central, questions=[
            {"instantie": "DIGID", "onderwerp": "INLOGGEN", "uitkomst": "OPGELOST", "duur_minuten": str(minutes)}])
    times = selectors.service_times(central)
    assert (times["DIGID"].p25, times["DIGID"].p75, times["DIGID"].source) == (5.0, 10.0, "registraties")
    assert times["ZORG"].source == "standaard", "no care questions registered: the default applies"
    issue(central, "DIGID")
    issue(central, "ZORG")
    last = issue(central, "GELD")
    # DIGID 5-10 plus ZORG 5-15 (default) ahead.
    assert selectors.expected_wait(last).text == "ongeveer 10 tot 25 minuten"


def test_it_says_less_than_when_the_lower_bound_rounds_to_zero(queue, central):
    last_week = timezone.localdate() - dt.timedelta(days=7)
    for number, minutes in enumerate([1, 2, 2, 3, 4], start=1):
        served_ticket(central, day=last_week, number=number, minutes=minutes)
    issue(central, "DIGID")
    assert selectors.expected_wait(issue(central, "DIGID")).text == "minder dan 5 minuten"


def test_it_ignores_the_staff_count_of_an_earlier_day(queue, central):
    queue.staff_on_duty = 4
    queue.staff_on_duty_date = timezone.localdate() - dt.timedelta(days=1)
    queue.save()
    issue(central)
    assert selectors.expected_wait(issue(central)).text == "ongeveer 5 tot 15 minuten"


# ---------------------------------------------------------------- public pages and bad input


def test_it_tells_the_visitor_a_ticket_from_another_day_is_no_longer_valid(queue, central):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    old = Ticket.objects.create(location=central, service_date=yesterday, number=12, issued_at=at(yesterday, 14))
    response = Client().get(f"/wachtrij/ticket/{old.uuid}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dit nummer is van een andere dag" in html and "Neem een nieuw nummer" in html
    # A phone that keeps polling past midnight gets a block to swap in, without a new poll trigger.
    poll = Client().get(f"/wachtrij/ticket/{old.uuid}/?gezien=x", HTTP_HX_REQUEST="true").content.decode()
    assert "Dit nummer is van een andere dag" in poll and "<html" not in poll and "hx-trigger" not in poll


@pytest.mark.parametrize("raw", ["0b5c9a4e-0000-4000-8000-000000000000", "niet-een-uuid", "%20"])
def test_it_answers_an_unknown_ticket_link_with_a_friendly_404(network, raw):
    response = Client().get(f"/wachtrij/ticket/{raw}/")
    assert response.status_code == 404
    assert "We kennen dit nummer niet" in response.content.decode()


def test_it_shows_the_visitor_their_position_and_then_where_to_go(queue, central, users):
    issue(central, "DIGID")
    mine = issue(central, "BRIEF")
    client = Client()
    html = client.get(f"/wachtrij/ticket/{mine.uuid}/").content.decode()
    assert "Er is nog 1 persoon voor u." in html and "Wachttijd: ongeveer 5 tot 15 minuten." in html
    services.ticket_call_next(user=users["medewerker"], location=central, desk_label="balie 1")
    services.ticket_call(user=users["medewerker"], ticket=mine, desk_label="balie 2")
    poll = client.get(f"/wachtrij/ticket/{mine.uuid}/?gezien=WACHTEND--0", HTTP_HX_REQUEST="true").content.decode()
    assert "U bent aan de beurt! Ga naar balie 2." in poll
    assert 'id="status-omroep" hx-swap-oob="innerHTML"' in poll, "the change is announced to screen readers once"


def test_it_lets_the_visitor_stop_waiting_after_confirming(queue, central):
    ticket = issue(central)
    client = Client()
    url = f"/wachtrij/ticket/{ticket.uuid}/"
    client.get(url)
    assert "Weet u het zeker?" in client.post(url, {"stoppen": "vraag"}).content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.WACHTEND, "one tap must not throw the place away"
    client.post(url, {"stoppen": "zeker"})
    ticket.refresh_from_db()
    assert ticket.status == Status.GEANNULEERD
    assert AuditEvent.objects.filter(event="walkin_ticket_cancelled", user=None).count() == 1


def test_it_opens_the_kiosk_only_with_the_right_token(queue, central, client_for):
    assert Client().get(f"/wachtrij/RDAM-CENTRAAL/kiosk/{queue.kiosk_token}/").status_code == 200
    wrong = Client().get("/wachtrij/RDAM-CENTRAAL/kiosk/raden-lukt-niet/")
    assert wrong.status_code == 404 and "Deze pagina bestaat niet" in wrong.content.decode()
    assert Client().get(f"/wachtrij/GOUDA-CHOCOLADEFABRIEK/kiosk/{queue.kiosk_token}/").status_code == 404, "a token opens one location only"
    assert Client().post("/wachtrij/RDAM-CENTRAAL/kiosk/fout/", {"onderwerp": "DIGID"}).status_code == 404
    assert Ticket.objects.count() == 0
    old_token = queue.kiosk_token
    client_for("coordinator").post("/wachtrij/balie/instellingen/", {"kioskcode": "1"})
    assert Client().get(f"/wachtrij/RDAM-CENTRAAL/kiosk/{old_token}/").status_code == 404
    client_for("medewerker").post("/wachtrij/balie/instellingen/", {"kioskcode": "1"})
    assert QueueSettings.objects.get().kiosk_token != old_token


def test_it_tells_kiosk_visitors_to_go_to_the_desk_when_the_queue_is_off(queue, central):
    queue.enabled = False
    queue.save()
    html = Client().get(f"/wachtrij/RDAM-CENTRAAL/kiosk/{queue.kiosk_token}/").content.decode()
    assert "Er worden nu geen nummers uitgegeven" in html and "walkin-topic" not in html


def test_it_announces_a_new_call_on_the_display_once(queue, central, users):
    issue(central)
    display = Client()
    assert Client().get("/wachtrij/ONBEKEND/scherm/").status_code == 404
    assert "Nog niemand opgeroepen" in display.get("/wachtrij/RDAM-CENTRAAL/scherm/").content.decode()
    ticket = services.ticket_call_next(user=users["medewerker"], location=central, desk_label="balie 2")
    poll = display.get("/wachtrij/RDAM-CENTRAAL/scherm/?gezien=", HTTP_HX_REQUEST="true").content.decode()
    assert "Nummer <strong>1</strong>" in poll and "balie 2" in poll
    assert '<div id="omroep" hx-swap-oob="innerHTML">Nummer 1, ga naar balie 2.</div>' in poll
    key = re.search(r"gezien=([0-9-]+)", poll).group(1)
    assert key == selectors.announcement_key(ticket)
    again = display.get(f"/wachtrij/RDAM-CENTRAAL/scherm/?gezien={key}", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-swap-oob" not in again and "data-new-call" not in again


# ---------------------------------------------------------------- the desk: pre-filled registration


def test_it_prefills_the_desk_form_from_a_ticket_and_marks_it_served_after_saving(queue, central, users, client_for):
    ticket = issue(central, "DIGID")
    services.ticket_call_next(user=users["medewerker"], location=central, desk_label="balie 1")
    client = client_for("medewerker")
    staff_page = client.get("/wachtrij/balie/").content.decode()
    link = f"/balie/?instantie=DIGID&amp;onderwerp=INLOGGEN&amp;ticket={ticket.uuid}&amp;locatie=RDAM-CENTRAAL"
    assert link in staff_page
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert 'name="q-0-instantie" list="lijst-instantie" autocomplete="off"\n        value="DigiD (Logius)"' in form  # the label; the form reads it back to DIGID
    assert f'<input type="hidden" name="ticket" value="{ticket.uuid}">' in form
    response = client.post("/balie/", {"submission_key": "s1", "save": "1", "ticket": str(ticket.uuid),
                                       "q-0-instantie": "DIGID", "q-0-onderwerp": "INLOGGEN", "q-0-uitkomst": "OPGELOST"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.GEHOLPEN and ticket.served_at is not None
    assert ticket.visit == Visit.objects.get()
    assert AuditEvent.objects.filter(event="walkin_ticket_served", object_uuid=str(ticket.uuid)).exists()


def test_it_keeps_the_ticket_through_form_buttons_and_ignores_bad_or_foreign_tickets(queue, central, users, client_for):
    ticket = issue(central, "BRIEF")
    client = client_for("medewerker")
    html = client.post("/balie/", {"submission_key": "s", "ticket": str(ticket.uuid), "add_question": "1"}).content.decode()
    assert f'name="ticket" value="{ticket.uuid}"' in html, "adding a question must not lose the ticket"
    # A garbage ticket id never spoils a registration.
    response = client.post("/balie/", {"submission_key": "s2", "save": "1", "ticket": "kapot",
                                       "q-0-instantie": "DIGID", "q-0-onderwerp": "INLOGGEN", "q-0-uitkomst": "OPGELOST"})
    assert response.status_code == 302
    # Gouda cannot close a Rotterdam ticket by sending its id along.
    client_for("medewerker-gouda").post("/balie/", {"submission_key": "s3", "save": "1", "ticket": str(ticket.uuid),
                                                    "q-0-instantie": "DIGID", "q-0-onderwerp": "INLOGGEN", "q-0-uitkomst": "OPGELOST"})
    ticket.refresh_from_db()
    assert ticket.status == Status.WACHTEND
    assert Visit.objects.count() == 2


# ---------------------------------------------------------------- scoping


def test_it_shows_the_queue_to_the_owner_and_a_colleague_coordinator(queue, central, client_for):
    ticket = issue(central)
    for username in ("medewerker", "coordinator"):
        response = client_for(username).get("/wachtrij/balie/?locatie=RDAM-CENTRAAL")
        assert response.status_code == 200 and f"<strong class=\"walkin-number\">{ticket.number}</strong>" in response.content.decode()


def test_it_hides_another_organisations_queue_and_tickets_from_outsiders(queue, central, client_for):
    ticket = issue(central)
    outsider = client_for("medewerker-gouda")
    assert outsider.get("/wachtrij/balie/?locatie=RDAM-CENTRAAL").status_code == 404
    assert outsider.post(f"/wachtrij/balie/nummer/{ticket.uuid}/", {"action": "annuleren"}).status_code == 404
    assert outsider.post("/wachtrij/balie/oproepen/?locatie=RDAM-CENTRAAL", {"desk_label": "x"}).status_code == 404
    assert client_for("coordinator-gouda").get("/wachtrij/statistiek/?locatie=RDAM-CENTRAAL").status_code == 404
    home = outsider.get("/wachtrij/balie/").content.decode()
    assert "Bibliotheek Gouda" in home and "walkin-number" not in home
    ticket.refresh_from_db()
    assert ticket.status == Status.WACHTEND


@pytest.mark.parametrize("username", ["gemeente", "partner", "landelijk"])
def test_it_refuses_the_staff_pages_to_roles_without_desk_access(queue, central, client_for, username):
    ticket = issue(central)
    client = client_for(username)
    assert client.get("/wachtrij/balie/").status_code == 403
    assert client.post("/wachtrij/balie/oproepen/", {}).status_code == 403
    assert client.post(f"/wachtrij/balie/nummer/{ticket.uuid}/", {"action": "annuleren"}).status_code == 403
    assert client.get("/wachtrij/statistiek/").status_code == 403


def test_it_shows_statistics_to_coordinators_only(queue, client_for):
    assert client_for("medewerker").get("/wachtrij/statistiek/").status_code == 403
    assert client_for("coordinator").get("/wachtrij/statistiek/").status_code == 200


def test_it_requires_a_login_for_the_staff_pages(network):
    response = Client().get("/wachtrij/balie/")
    assert response.status_code == 302 and "/inloggen/" in response.url


# ---------------------------------------------------------------- statistics


def test_it_computes_queue_statistics_that_match_a_hand_count(central):
    monday = dt.date(2026, 11, 16)
    assert monday.weekday() == 0
    tuesday = monday + dt.timedelta(days=1)

    def make(day, number, issued, wait=None, status=Status.GEHOLPEN, service=None, topic="DIGID"):
        issued_at = at(day, *issued)
        called_at = issued_at + dt.timedelta(minutes=wait) if wait is not None else None
        return Ticket.objects.create(
            location=central, service_date=day, number=number, topic=topic, status=status, issued_at=issued_at,
            called_at=called_at, announced_at=called_at,
            served_at=called_at + dt.timedelta(minutes=service) if service is not None else None,
        )

    make(monday, 1, (10, 0), wait=5, service=10)
    make(monday, 2, (10, 20), wait=10, service=20)
    make(monday, 3, (10, 40), wait=20, status=Status.NIET_VERSCHENEN)
    make(monday, 4, (11, 5), wait=30, service=12, topic="BRIEF")
    make(monday, 5, (11, 30), status=Status.GEANNULEERD)
    make(tuesday, 1, (14, 0), status=Status.WACHTEND, topic="")
    # Outside the period and at another location: must not count.
    make(monday - dt.timedelta(days=1), 1, (10, 0), wait=99)
    Ticket.objects.create(location=Location.objects.get(code="RDAM-ZUIDPLEIN"), service_date=monday, number=1, issued_at=at(monday, 10))

    stats = selectors.queue_stats(central, monday, tuesday)
    assert (stats.tickets, stats.called, stats.served, stats.no_shows, stats.cancelled, stats.never_called) == (6, 4, 3, 1, 1, 1)
    # Waits 5, 10, 20, 30: median (10 + 20) / 2 = 15; p90 at rank 0.9 * 3 = 2.7 -> 20 + 0.7 * 10 = 27.
    assert stats.median_wait == 15 and stats.p90_wait == pytest.approx(27)
    assert stats.no_show_share == 0.25  # one of the four called numbers
    assert stats.by_weekday_hour == {(0, 10): 3, (0, 11): 2, (1, 14): 1}
    assert stats.peak_slots[0] == ("maandag", 10, 3)
    digid = next(row for row in stats.by_topic if row["code"] == "DIGID")
    assert (digid["tickets"], digid["median_service"]) == (4, 15)  # numbers 1, 2, 3 and 5; served 10 and 20 minutes
    rows = {row["weekday"]: row for row in stats.heatmap_rows()}
    assert [c["count"] for c in rows["maandag"]["cells"]] == [0, 3, 2, 0, 0, 0, 0, 0, 0]  # 9:00 .. 17:00
    assert rows["maandag"]["cells"][1]["level"] == 4 and rows["dinsdag"]["total"] == 1


def test_it_shows_the_statistics_page_and_survives_bad_dates(central, client_for):
    monday = dt.date(2026, 11, 16)
    Ticket.objects.create(location=central, service_date=monday, number=1, issued_at=at(monday, 10),
                          called_at=at(monday, 10, 12), status=Status.NIET_VERSCHENEN)
    client = client_for("coordinator")
    html = client.get("/wachtrij/statistiek/?locatie=RDAM-CENTRAAL&van=2026-11-16&tot=2026-11-16").content.decode()
    assert '<dd id="stat-tickets">1</dd>' in html and '<dd id="stat-median">12 min</dd>' in html
    assert '1 <small class="walkin-share">= 100% van de opgeroepen</small>' in html
    response = client.get("/wachtrij/statistiek/?van=gisteren&tot=2026-13-45")
    assert response.status_code == 200
    assert "&#x27;gisteren&#x27; is geen datum" in response.content.decode()
    swapped = client.get("/wachtrij/statistiek/?van=2026-11-20&tot=2026-11-01").content.decode()
    assert "omgedraaid" in swapped


def test_it_lets_staff_switch_the_queue_on_and_set_the_staff_on_duty(central, client_for):
    client = client_for("medewerker")
    assert "De wachtrij staat uit" in client.get("/wachtrij/balie/").content.decode()
    client.post("/wachtrij/balie/instellingen/", {"enabled": "1"})
    client.post("/wachtrij/balie/instellingen/", {"staff_on_duty": "3", "opening_note": "Vandaag nummers tot 16.30 uur"})
    settings = QueueSettings.objects.get(location=central)
    assert settings.enabled and settings.staff_on(timezone.localdate()) == 3 and settings.opening_note.startswith("Vandaag")
    html = client.post("/wachtrij/balie/instellingen/", {"staff_on_duty": "veel"}, follow=True).content.decode()
    assert "geen aantal" in html
    html = client.post("/wachtrij/balie/instellingen/", {"staff_on_duty": "0"}, follow=True).content.decode()
    assert "van 1 tot 20" in html
    assert AuditEvent.objects.filter(event="walkin_settings_changed").count() == 2


@pytest.mark.django_db(transaction=True)
def test_it_hands_out_distinct_numbers_to_kiosks_that_tap_at_the_same_moment(settings):
    """Real threads and real transactions: the counter row lock (or SQLite's write lock) keeps numbers unique."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    from balie.demo.network import build_network
    from balie.network.reference import ensure_reference_data

    if connection.vendor == "sqlite":
        # The in-memory test database shares one cache between threads and then fails fast with "table is locked"
        # instead of waiting; a real SQLite file (WAL, IMMEDIATE, 20 s timeout) waits. CI runs this on PostgreSQL.
        pytest.skip("gelijktijdige transacties alleen te testen op PostgreSQL (CI draait de suite ook daarop)")
    ensure_reference_data()  # a transactional test starts from flushed tables
    build_network()
    location = Location.objects.get(code="RDAM-CENTRAAL")
    QueueSettings.objects.create(location=location, enabled=True)
    kiosks = 6
    start = threading.Barrier(kiosks)

    def tap(index: int) -> int:
        try:
            start.wait()
            return issue(location, idempotency_key=f"kiosk-{index}").number
        finally:
            connection.close()

    with ThreadPoolExecutor(kiosks) as pool:
        numbers = list(pool.map(tap, range(kiosks)))
    assert sorted(numbers) == list(range(1, kiosks + 1))
    assert DailyCounter.objects.get(location=location).last_number == kiosks
