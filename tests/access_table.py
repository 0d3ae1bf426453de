"""Who may open which page: the permission model of Balie as one table (read by tests/test_access_matrix.py).

Every URL pattern of the project must have a row here; test_access_matrix fails and lists the patterns that do not.
A row maps each actor to the HTTP status of a GET (POST-only pages also have a row in POST_EXPECTED for an empty POST).

Actors (demo users from balie/network/demo.py):
  anonymous    not logged in
  medewerker   IDO staff of Bibliotheek Rotterdam; made the Rotterdam objects of the fixture world
  collega      a second staff member of Bibliotheek Rotterdam
  buiten       medewerker-gouda: staff of another library organisation (Bibliotheek Gouda), the outsider
  coordinator  coordinator of Bibliotheek Rotterdam
  gemeente     policy officer of the municipality of Rotterdam (GM0599)
  landelijk    the national role (KB/BZK)
  partner      account of the partner organisation SchuldHulpMaatje Rotterdam
  beheerder    administrator of the installation (Django admin)

Object URLs are filled with real ids (KWARGS says which object of tests/access_world.py). Each is requested twice:
  [own]    an object of Bibliotheek Rotterdam, made by medewerker: the row below;
  [other]  the same kind of object of Bibliotheek Gouda, made by medewerker-gouda. Its expectations are derived,
           so the table stays one row per URL: medewerker and collega get what buiten gets on Rotterdam's object
           (an outsider: 404, or the 403/405 their role gets on that page anyway), the coordinator gets 404 wherever it
           may use the page at home, and buiten gets what medewerker gets at home. Another organisation's object
           is never 200 and never a 403 that the same role would not get for a missing object. Other actors are
           checked on [other] only where OTHER names them.

Status shorthand: 200 ok, 302 redirect (anonymous: to the login page), 401 the API without credentials,
403 the role may not do this, 404 not found (or: not yours), 405 wrong method, ADMIN_OK (admin only, see there).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ANON, MW, COL, OUT, CO = "anonymous", "medewerker", "collega", "buiten", "coordinator"
GM, NL, PA, BH = "gemeente", "landelijk", "partner", "beheerder"
ACTORS = (ANON, MW, COL, OUT, CO, GM, NL, PA, BH)
LIBRARY_STAFF = (MW, COL, OUT, CO)
ADMIN_PREFIX = "beheer/"
ADMIN_OK = "admin-ok"  # the beheerder inside the Django admin: any answer below 500 (the admin decides, not us)


def row(default: int, **actors: int) -> dict[str, Any]:
    """All actors get `default` unless named: row(403, anonymous=302, coordinator=200)."""
    unknown = set(actors) - set(ACTORS)
    assert not unknown, f"unknown actor(s) {unknown}"
    return {actor: actors.get(actor, default) for actor in ACTORS}


# --- shapes: the usual answers --------------------------------------------------------------------------------------
PUBLIC = row(200)                                                      # citizen-facing, no login
# A GET on a POST-only page: login first, then the capability (403), then the method (405).
STAFF_POST_ONLY = row(403, anonymous=302, medewerker=405, collega=405, buiten=405, coordinator=405)
COORDINATOR_POST_ONLY = row(403, anonymous=302, coordinator=405)
STAFF = row(403, anonymous=302, medewerker=200, collega=200, buiten=200, coordinator=200)   # library staff, any library
STAFF_OBJECT = STAFF | {OUT: 404}                                      # ... on an object of medewerker's organisation
COORDINATOR = row(403, anonymous=302, coordinator=200)                 # the coordinator of the organisation
INSIGHT = COORDINATOR | {GM: 200, NL: 200}                             # aggregated figures: coordinator, gemeente, landelijk
LANDELIJK = row(403, anonymous=302, landelijk=200)                     # national code lists
API_STAFF = row(403, anonymous=401, medewerker=200, collega=200, buiten=200, coordinator=200)
API_STAFF_OBJECT = API_STAFF | {OUT: 404}
API_ANY_LOGIN = row(200, anonymous=401)
ADMIN = row(302, beheerder=ADMIN_OK)                                   # everybody else is sent to the admin login


# --- GET: url name -> {actor: status} ----------------------------------------------------------------------------------
EXPECTED: dict[str, dict[str, Any]] = {
    # Public site: find an IDO, its hours (calendar, poster). No login, nothing scoped.
    "public:index": PUBLIC,
    "public:location": PUBLIC,
    "public:calendar": PUBLIC,
    "public:poster": PUBLIC,

    # Start page sends each role to its main task (staff: the desk, landelijk: code lists, beheerder: admin); gemeente and partner
    # have a page of their own. Login is public; logout only takes POST (Django 5).
    "home": row(302),
    "overview": COORDINATOR,  # the coordinator's first page (everyday-b)  # every signed-in user is sent to their main task; an account without a link sees a welcome page
    "login": PUBLIC,
    "logout": row(405),

    # Login step two and the own account (accounts). With two-factor authentication off (as in these walks) the code
    # page has nothing to ask and sends everyone on; anyone signed in may set up an app and see the own account page.
    # Every signed-in role may change the own password; the coordinator wipes the second factor of the own staff.
    # "Wachtwoord vergeten?" is public; a made-up link is refused (400).
    "accounts:verify": row(302),
    "accounts:setup": row(200, anonymous=302),
    "accounts:account": row(200, anonymous=302),
    "accounts:password_change": row(200, anonymous=302),
    "accounts:renew_codes": row(405, anonymous=302),
    "accounts:switch_off": row(405, anonymous=302),
    "accounts:set_language": row(405, anonymous=302),  # POST only: the language switch (everyday-b)
    "accounts:staff": COORDINATOR,
    "accounts:reset": COORDINATOR_POST_ONLY,
    "accounts:password_reset": PUBLIC,
    "accounts:password_reset_done": PUBLIC,
    "accounts:password_reset_confirm": row(400),
    "accounts:password_reset_complete": PUBLIC,

    # Desk: registering visits and questions is the job of library staff. A question is visible to the whole
    # organisation (owner and colleague), never to another library; import and export are the coordinator's.
    "desk:register": STAFF,
    "desk:pii_check": STAFF_POST_ONLY,
    "desk:offline": STAFF,
    "desk:offline_worker": PUBLIC,  # the service worker script: no data, and an update check must work logged out
    "desk:offline_session": STAFF,
    "desk:tally": STAFF,
    "desk:today": STAFF,
    "desk:registrations": STAFF,  # issue 14: the coordinator's overview of the organisation; staff see their own
    "desk:question": STAFF_OBJECT,
    "desk:question_delete": STAFF_POST_ONLY,
    "desk:delete": STAFF_POST_ONLY,
    "desk:import": COORDINATOR,
    "desk:import_status": COORDINATOR,
    "desk:import_choice": COORDINATOR,
    "desk:export": COORDINATOR,

    # Organisation management (locations, opening hours and sessions, staff, local codes): the coordinator only.
    "network:manage": COORDINATOR,
    "network:location_new": COORDINATOR,
    "network:location_edit": COORDINATOR,
    "network:schedule": COORDINATOR,
    "network:schedule_visitor_info": COORDINATOR,
    "network:schedule_weekly_new": COORDINATOR,
    "network:schedule_week": COORDINATOR,  # the whole week in one grid (everyday-b)
    "network:schedule_weekly_edit": COORDINATOR,
    "network:schedule_session_new": COORDINATOR,
    "network:schedule_session_edit": COORDINATOR,
    "network:schedule_closure_new": COORDINATOR,
    "network:schedule_closure_edit": COORDINATOR,
    "network:schedule_delete": COORDINATOR_POST_ONLY,
    "network:staff_new": COORDINATOR,
    "network:staff_edit": COORDINATOR,
    "network:local_code_new": COORDINATOR,
    "network:local_code_edit": COORDINATOR,

    # National code lists: managed by the landelijk role.
    "core:codelists": LANDELIJK,
    "core:codelist_version": LANDELIJK,
    # Federation: the landelijk page of nodes; the node API knows no session, only a node's Bearer key (docs/federatie.md).
    "federation:nodes": LANDELIJK,
    "federation:api_node": row(401),
    "federation:api_codelists": row(401),
    "federation:api_codelist": row(401),
    "federation:api_deliveries": row(401),
    "federation:api_delivery": row(401),
    "federation:api_signal": row(401),

    # REST API: token or session; without credentials 401 (problem+json). Registrations, locations, the social map
    # and courses are for library staff (scoped to their organisation); referrals also for the partner they are
    # addressed to; code lists for anyone logged in. Schema, docs and the public locations are open.
    "api:registraties": API_STAFF,
    "api:registratie": API_STAFF_OBJECT,
    "api:codelijsten": API_ANY_LOGIN,
    "api:codelijst_versie": API_ANY_LOGIN,
    "api:locaties": API_STAFF,
    "api:locatie": API_STAFF_OBJECT,
    "api:partners": API_STAFF,
    "api:partner": API_STAFF_OBJECT,
    "api:verwijzingen": API_STAFF | {PA: 200},
    "api:verwijzing": API_STAFF_OBJECT | {PA: 200},
    "api:verwijzing_status": row(403, anonymous=401, medewerker=405, collega=405, buiten=405, coordinator=405, partner=405),
    "api:aanmeldingen": row(403, anonymous=401, medewerker=200, collega=200, buiten=200, coordinator=200, gemeente=200, partner=200),
    "api:aanmelding": API_STAFF_OBJECT | {PA: 200, GM: 404},
    "api:cursussen": API_STAFF,
    "api:cursus": API_STAFF_OBJECT,
    "api:public_locaties": PUBLIC,
    "api:schema": PUBLIC,
    "api:openapi_json": PUBLIC,
    "api:docs": PUBLIC,
    "api:not_found": row(404),

    # Walk-in queue: the desk side is for library staff (statistics for the coordinator); the ticket page, the
    # waiting-room display and the kiosk (secret link) are public.
    "walkin:staff": STAFF,
    "walkin:call": STAFF_POST_ONLY,
    "walkin:issue": STAFF_POST_ONLY,
    "walkin:settings": STAFF_POST_ONLY,
    "walkin:ticket_action": STAFF_POST_ONLY,
    "walkin:stats": COORDINATOR,
    "walkin:ticket": PUBLIC,
    "walkin:display": PUBLIC,
    "walkin:kiosk": PUBLIC,
    "walkin:kiosk_ticket": PUBLIC,

    # Toolkit (message check, letters, suggestions, knowledge base): library staff; "is dit echt?" is public.
    # Guides are per organisation (plus national ones); writing them is the coordinator's.
    "toolkit:index": STAFF,
    "toolkit:message": STAFF,
    "toolkit:message_public": PUBLIC,
    "toolkit:letter": STAFF,
    "toolkit:suggest": STAFF_POST_ONLY,
    "toolkit:kb": STAFF,
    "toolkit:kb_new": COORDINATOR,
    "toolkit:kb_guide": STAFF_OBJECT,
    "toolkit:kb_edit": COORDINATOR,
    "toolkit:kb_local": COORDINATOR_POST_ONLY,
    "toolkit:kb_delete": COORDINATOR_POST_ONLY,

    # Signals: the coordinator handles the library's signals (the fixture's signal is one of Bibliotheek Rotterdam,
    # reported to SchuldHulpMaatje Rotterdam); gemeente and landelijk see their own level's signals, so an
    # organisation's signal is not found for them; the partner sees the signals reported to its organisation, but the
    # report PDF stays a library action. Staff members do not handle signals. The response link is public (signed).
    "signals:list": INSIGHT | {PA: 200},
    "signals:detail": COORDINATOR | {GM: 404, NL: 404, PA: 200},
    "signals:report": COORDINATOR | {GM: 404, NL: 404, PA: 403},
    # "Geen signaal" is the coordinator's judgement like confirming (the fixture's signal is already reported: the
    # page explains that it can no longer be dismissed, 200); the partner sees the signal but may not judge it.
    "signals:dismiss": COORDINATOR | {GM: 404, NL: 404, PA: 403},
    "signals:respond_link": PUBLIC,
    "signals:recipients": COORDINATOR | {NL: 200},
    "signals:recipient_new": COORDINATOR | {NL: 200},
    "signals:recipient_edit": COORDINATOR | {NL: 404},   # a library's own recipient: not one of the national ones

    # Social map: staff read their organisation's map (plus national partners); the coordinator edits it.
    "partners:list": STAFF,
    "partners:new": COORDINATOR,
    "partners:import": COORDINATOR,
    "partners:export": COORDINATOR,
    "partners:detail": STAFF_OBJECT,
    "partners:edit": COORDINATOR,
    "partners:verified": COORDINATOR_POST_ONLY,
    "partners:service_new": COORDINATOR,
    "partners:service_edit": COORDINATOR,

    # Warm referrals: staff of the organisation, and the partner the referral is addressed to. Follow-up and figures
    # are the coordinator's. The partner link (signed token) works without an account.
    "referrals:list": STAFF | {PA: 200},
    "referrals:refer": STAFF_OBJECT,
    "referrals:followup": COORDINATOR,
    "referrals:figures": COORDINATOR,
    "referrals:detail": STAFF_OBJECT | {PA: 200},
    "referrals:remind": COORDINATOR_POST_ONLY,
    "referrals:slip": STAFF_OBJECT,  # issue 14: the printed slip for the visitor; the library's own referrals only
    "referrals:partner_link": PUBLIC,

    # Announcements (aanmeldingen): a partner organisation or a municipality announces a visitor; the desk of the location
    # sees it. The list: staff (their organisation's), partner and gemeente (what they announced). Announcing is for partner
    # and gemeente. One announcement: staff of the location's organisation and the partner that sent it; the gemeente did
    # not send this one (404). "Niet gekomen" is the desk's, "intrekken" the sender's. Who sends people: the insight roles.
    "announcements:list": STAFF | {GM: 200, PA: 200},
    "announcements:new": row(403, anonymous=302, gemeente=200, partner=200),
    "announcements:detail": STAFF_OBJECT | {PA: 200, GM: 404},
    "announcements:no_show": STAFF_POST_ONLY,
    "announcements:withdraw": row(403, anonymous=302, gemeente=405, partner=405),
    "announcements:figures": INSIGHT,

    # Courses: staff refer and enrol; the coordinator manages courses.
    "courses:list": STAFF,
    "courses:new": COORDINATOR,
    "courses:detail": STAFF_OBJECT,
    "courses:edit": COORDINATOR,
    "courses:refer": STAFF_OBJECT,

    # Forecast and staffing: the coordinator.
    "forecast:index": COORDINATOR,
    "forecast:location": COORDINATOR,

    # Visitor survey: results and posters for the coordinator; the short form /v/<code>/ is public.
    "survey:index": COORDINATOR,
    "survey:poster": COORDINATOR,
    "survey_public:form": PUBLIC,
    "survey_public:thanks": PUBLIC,

    # Insight: aggregated figures for coordinator, gemeente (own municipality) and landelijk; open data is public.
    "insight:dashboard": INSIGHT,
    "insight:export": INSIGHT,
    "insight:open_data": PUBLIC,
    "insight:open_data_csv": PUBLIC,
    "insight:report_choose": INSIGHT,
    "insight:report": INSIGHT,

    # Django admin (beheer/): only the beheerder (is_staff); every admin pattern gets the ADMIN row via ADMIN_RULES.
    "admin:login": row(200, beheerder=302),
}

# Any pattern under the admin that has no row of its own.
ADMIN_RULES = ADMIN


# --- POST with an empty body, for the POST-only pages (the GET row above says 405) ------------------------------------
# An empty form is refused or ignored, never a 5xx; who may post is the real permission of these pages.
POST_EXPECTED: dict[str, dict[str, Any]] = {
    "logout": row(302),
    # New recovery codes need an app first (403 without); switching off is only for who is not forced (all are not, here).
    "accounts:renew_codes": row(403, anonymous=302),
    "accounts:switch_off": row(302),
    "accounts:set_language": row(400, anonymous=302),  # an empty POST names no language: 400 for anyone signed in
    "accounts:reset": COORDINATOR | {CO: 302},   # the own colleague: wiped (nothing to wipe here) and back to the list
    "desk:pii_check": STAFF,
    "desk:question_delete": STAFF_OBJECT | {MW: 302, CO: 302, COL: 403},   # the maker or the coordinator
    "desk:delete": STAFF_OBJECT | {MW: 302, CO: 302, COL: 403},
    "network:schedule_delete": COORDINATOR | {CO: 302},
    "api:verwijzing_status": row(403, anonymous=401, medewerker=415, collega=415, buiten=404, coordinator=415, partner=415),
    "walkin:call": STAFF | {MW: 302, COL: 302, OUT: 302, CO: 302},
    "walkin:issue": STAFF | {MW: 302, COL: 302, OUT: 302, CO: 302},
    "walkin:settings": STAFF | {MW: 302, COL: 302, OUT: 302, CO: 302},
    "walkin:ticket_action": STAFF_OBJECT | {MW: 302, COL: 302, CO: 302},
    "toolkit:suggest": STAFF,
    "toolkit:kb_local": COORDINATOR | {CO: 302},
    "toolkit:kb_delete": COORDINATOR | {CO: 302},
    "partners:verified": COORDINATOR | {CO: 302},
    "referrals:remind": COORDINATOR | {CO: 302},
    # The first staff member marks "niet gekomen"; the others find it already done (a message, no error): all redirect.
    "announcements:no_show": STAFF_OBJECT | {MW: 302, COL: 302, CO: 302},
    "announcements:withdraw": row(403, anonymous=302, partner=302, gemeente=404),
}


# --- [other]: actors besides library staff that are checked on the other organisation's object ------------------------
OTHER: dict[str, dict[str, Any]] = {
    "api:verwijzing": {PA: 404},
    "referrals:detail": {PA: 404},
    "announcements:detail": {PA: 404, GM: 404},
    "api:aanmelding": {PA: 404, GM: 404},
    "signals:detail": {PA: 404, GM: 404, NL: 404},
    "signals:report": {PA: 404, GM: 404, NL: 404},
    "signals:dismiss": {PA: 404, GM: 404, NL: 404},
    "insight:report": {GM: 404, NL: 200},            # Gouda's municipality: not the gemeente user's
}
OTHER_POST: dict[str, dict[str, Any]] = {
    "announcements:withdraw": {PA: 404, GM: 404},
    "api:verwijzing_status": {PA: 404},
}


def other_row(own: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Expectations on Gouda's object, derived from the [own] row (see the module docstring)."""
    derived = {MW: own[OUT], COL: own[OUT], CO: own[CO] if own[CO] in (403, 405) else 404, OUT: own[MW]}
    return derived | extra


# Objects anyone may open with the link: no [other] run (the other organisation's object is just as public).
PUBLIC_OBJECTS = {
    "public:location", "public:calendar", "public:poster", "walkin:ticket", "walkin:display", "walkin:kiosk",
    "walkin:kiosk_ticket", "survey_public:form", "survey_public:thanks", "signals:respond_link", "referrals:partner_link",
}


# --- known wrong today: the table holds the CORRECT value; these rows are xfail(strict=True) until fixed --------------
# Key: (method, url name, side, actor). The row's test xfails while that actor still gets the wrong answer (every other
# actor of the row is still checked), and fails once it gets the right one (strict): then remove the entry.
KNOWN_WRONG: dict[tuple[str, str, str, str], str] = {}


# --- which object fills each URL's kwargs --------------------------------------------------------------------------
# A plain string names an object of one organisation in tests/access_world.py ("location", "question"), optionally
# with the attribute ("survey_link.code"; by default the kwarg's name decides: code, uuid, pk, slug, number).
# N("...") names a national object (no [other] run); Lit(...) is a literal value.
@dataclass(frozen=True)
class N:
    key: str


@dataclass(frozen=True)
class Lit:
    value: Any


KWARGS: dict[str, dict[str, Any]] = {
    "public:location": {"code": "location"},
    "public:calendar": {"code": "location"},
    "public:poster": {"code": "location"},
    "desk:question": {"uuid": "question"},
    "desk:question_delete": {"uuid": "question"},
    "desk:delete": {"uuid": "visit"},
    "desk:import_status": {"uuid": "import_job"},
    "desk:import_choice": {"uuid": "import_job"},
    "network:location_edit": {"code": "location"},
    "network:schedule": {"code": "location"},
    "network:schedule_visitor_info": {"code": "location"},
    "network:schedule_weekly_new": {"code": "location"},
    "network:schedule_week": {"code": "location"},
    "network:schedule_weekly_edit": {"code": "location", "pk": "weekly"},
    "network:schedule_session_new": {"code": "location"},
    "network:schedule_session_edit": {"code": "location", "pk": "session"},
    "network:schedule_closure_new": {"code": "location"},
    "network:schedule_closure_edit": {"code": "location", "pk": "closure"},
    "network:schedule_delete": {"code": "location", "kind": Lit("bijeenkomsten"), "pk": "session"},
    "network:staff_edit": {"pk": "staff"},
    "accounts:reset": {"pk": "staff"},
    "accounts:password_reset_confirm": {"uidb64": Lit("MQ"), "token": Lit("ongeldig-token")},
    "network:local_code_edit": {"pk": "local_code"},
    "core:codelist_version": {"number": N("codelist_version")},
    "api:registratie": {"uuid": "question"},
    "api:codelijst_versie": {"versie": N("codelist_version")},
    "federation:api_codelist": {"nummer": Lit(1)},
    "federation:api_delivery": {"periode": Lit("2026-01")},
    "federation:api_signal": {"id": Lit("0190a0b0-0000-7000-8000-000000000001")},
    "api:locatie": {"code": "location"},
    "api:partner": {"uuid": "partner"},
    "api:verwijzing": {"uuid": "referral"},
    "api:verwijzing_status": {"uuid": "referral"},
    "api:cursus": {"uuid": "course"},
    "walkin:ticket_action": {"ticket_uuid": "ticket"},
    "walkin:ticket": {"ticket_uuid": "ticket"},
    "walkin:display": {"code": "location"},
    "walkin:kiosk": {"code": "location", "token": "kiosk_token"},
    "walkin:kiosk_ticket": {"code": "location", "token": "kiosk_token", "ticket_uuid": "ticket"},
    "toolkit:kb_guide": {"slug": "guide"},
    "toolkit:kb_edit": {"slug": "guide"},
    "toolkit:kb_local": {"slug": N("national_guide")},
    "toolkit:kb_delete": {"slug": "guide"},
    "signals:detail": {"uuid": "signal"},
    "signals:report": {"uuid": "signal"},
    "signals:dismiss": {"uuid": "signal"},
    "signals:respond_link": {"token": "signal_token"},
    "signals:recipient_edit": {"uuid": "recipient"},
    "partners:detail": {"uuid": "partner"},
    "partners:edit": {"uuid": "partner"},
    "partners:verified": {"uuid": "partner"},
    "partners:service_new": {"uuid": "partner"},
    "partners:service_edit": {"uuid": "partner", "service_uuid": "service"},
    "referrals:refer": {"question_uuid": "question"},
    "referrals:detail": {"uuid": "referral"},
    "announcements:detail": {"uuid": "announcement"},
    "announcements:no_show": {"uuid": "announcement"},
    "announcements:withdraw": {"uuid": "announcement"},
    "api:aanmelding": {"uuid": "announcement"},
    "referrals:remind": {"uuid": "referral"},
    "referrals:slip": {"uuid": "referral"},
    "referrals:partner_link": {"uuid": "referral", "token": "referral_token"},
    "courses:detail": {"uuid": "course"},
    "courses:edit": {"uuid": "course"},
    "courses:refer": {"uuid": "course", "question_uuid": "question"},
    "forecast:location": {"code": "location"},
    "survey:poster": {"code": "location"},
    "survey_public:form": {"code": "survey_link.code"},
    "survey_public:thanks": {"code": "survey_link.code"},
    "insight:export": {"table": Lit("kerncijfers"), "fmt": Lit("csv")},
    "insight:report": {"cbs": "gemeente", "period": N("year"), "fmt": Lit("csv")},
}
