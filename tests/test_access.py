"""core.access: the one scope per user. What each role may do, what a half set-up account may do (nothing), the one
answer to "must small cells be hidden?", and that the scope is derived once per request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from balie.core import access
from balie.core.access import Cap
from balie.demo.partners import build_social_map
from balie.network.models import Gemeente
from balie.partners.models import PartnerUser

EXPECTED_CAPS = {
    "medewerker": {Cap.REGISTER},
    "collega": {Cap.REGISTER},
    "coordinator": {Cap.REGISTER, Cap.COORDINATE, Cap.SEE_INSIGHT, Cap.SEE_SIGNALS, Cap.MANAGE_RECIPIENTS},
    "gemeente": {Cap.SEE_INSIGHT, Cap.SEE_SIGNALS, Cap.ANNOUNCE},  # announce: aanmeldingen (issue 16)
    "landelijk": {Cap.SEE_INSIGHT, Cap.SEE_SIGNALS, Cap.MANAGE_RECIPIENTS, Cap.NATIONAL},
    "partner": {Cap.SEE_SIGNALS, Cap.ANSWER_REFERRALS, Cap.ANNOUNCE},
    "beheerder": {Cap.ADMINISTER},
}


@pytest.mark.parametrize("username", sorted(EXPECTED_CAPS))
def test_each_role_gets_exactly_its_capabilities(users, username):
    build_social_map()  # links the partner account to its organisation
    user = users[username]
    access.forget(user)
    assert set(access.scope_of(user).caps) == EXPECTED_CAPS[username]


def test_only_a_librarys_own_staff_see_exact_small_counts(users):
    build_social_map()
    suppressed = {name: access.scope_of(users[name]).suppressed for name in EXPECTED_CAPS}
    assert suppressed == {"medewerker": False, "collega": False, "coordinator": False, "gemeente": True, "landelijk": True,
                          "partner": True, "beheerder": True}
    assert access.ANONYMOUS.suppressed  # the public (open data) too


def test_a_half_set_up_account_may_do_nothing(users):
    staff = users["medewerker"]
    staff.organisation = None
    staff.save()
    access.forget(staff)
    assert access.scope_of(staff).caps == frozenset()
    partner = users["partner"]  # the network alone does not link it to an outside organisation
    assert not PartnerUser.objects.filter(user=partner).exists()
    assert access.scope_of(partner).caps == frozenset() and access.scope_of(partner).partner_id is None


def test_the_scope_knows_the_organisation_the_gemeenten_and_the_partner(users):
    build_social_map()
    coordinator, gemeente, partner = users["coordinator"], users["gemeente"], users["partner"]
    assert access.scope_of(coordinator).organisation_id == coordinator.organisation_id
    assert access.scope_of(gemeente).gemeente_ids == frozenset(gemeente.gemeenten.values_list("pk", flat=True))
    assert access.scope_of(gemeente).organisation_id is None  # a municipality is no library
    assert access.scope_of(partner).partner_id == PartnerUser.objects.get(user=partner).partner_id


def test_owns_and_manages_are_about_the_own_organisation_only(users):
    scope = access.scope_of(users["coordinator"])
    other = users["medewerker-gouda"].organisation_id
    assert scope.owns(scope.organisation_id) and scope.manages(scope.organisation_id)
    assert not scope.owns(other) and not scope.manages(other) and not scope.owns(None)
    staff = access.scope_of(users["medewerker"])
    assert staff.owns(staff.organisation_id) and not staff.manages(staff.organisation_id)


def test_the_scope_is_derived_once_per_user_object(users):
    gemeente = users["gemeente"]
    gemeente.gemeenten.add(Gemeente.objects.exclude(pk__in=gemeente.gemeenten.all()).first())
    access.forget(gemeente)
    with CaptureQueriesContext(connection) as first:
        scope = access.scope_of(gemeente)
    with CaptureQueriesContext(connection) as again:
        assert access.scope_of(gemeente) is scope
    assert len(first) >= 1 and len(again) == 0


def test_a_page_answers_login_403_or_200_from_the_capability(client, client_for):
    assert client.get("/codelijsten/").status_code == 302  # anonymous: to the login page
    assert client_for("coordinator").get("/codelijsten/").status_code == 403
    assert client_for("landelijk").get("/codelijsten/").status_code == 200


def test_a_malformed_id_is_not_found_rather_than_an_error(client_for):
    client = client_for("coordinator")
    assert client.get("/balie/vraag/not-a-uuid/").status_code == 404
    assert client.post("/cursussen/00000000-0000-0000-0000-000000000000/", {"inschrijving": ""}).status_code == 404
