"""A few months of demo referrals and course enrolments on the demo questions, so the closed loop has content.

Goes through the referral and course services (unlike the registrations), so audit events and statuses are real.
Deterministic per seed; idempotent: nothing happens when there are referrals already.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from balie.courses import services as course_services
from balie.courses.models import Course
from balie.desk.models import Question
from balie.partners.models import Partner
from balie.referrals import services
from balie.referrals.models import Kind, Referral, Status

# Onderwerp of the question -> the demo partner it is referred to.
PARTNER_FOR = {
    "BETALEN": "SchuldHulpMaatje Rotterdam",
    "BERICHT": "Humanitas Thuisadministratie Rotterdam",
    "BEZWAAR": "Het Juridisch Loket",
    "AANVRAGEN": "Sociaal wijkteam Feijenoord",
}
NAMES = ["Demo Bezoeker", "Test Persoon", "Voorbeeld Klant"]
KINDS = [Kind.SAMEN_GEBELD, Kind.SAMEN_GEBELD, Kind.PER_EMAIL, Kind.BEGELEID, Kind.INFORMATIE]
ENDINGS = [Status.GEHOLPEN, Status.GEHOLPEN, Status.GEHOLPEN, Status.NIET_BEREIKT, Status.AFGEWEZEN]
MAX_REFERRALS = 60


def build_referrals(seed: int = 1) -> int:
    """A few months of referrals on existing demo questions, with every status, so figures and follow-up have content."""
    if Referral.objects.exists():
        return 0
    rng = random.Random(seed)
    staff = get_user_model().objects.get(username="medewerker")
    partners = {onderwerp: Partner.objects.get(name=name) for onderwerp, name in PARTNER_FOR.items()}
    now = timezone.now()
    created = 0
    for n, question in enumerate(_candidates(staff, now)):
        _refer(rng, n, question, staff=staff, partner=partners[question.onderwerp], now=now)
        created += 1
    _course_referrals(rng, staff)
    return created


def _candidates(staff, now: dt.datetime) -> list[Question]:
    candidates = list(Question.objects.filter(organisation=staff.organisation, date__gte=(now - dt.timedelta(days=120)).date(),
                                              onderwerp__in=list(PARTNER_FOR)).order_by("-started_at"))
    # Spread over the four months, so figures, open referrals and the follow-up list all have content.
    return candidates[::max(1, len(candidates) // MAX_REFERRALS)][:MAX_REFERRALS]


def _refer(rng: random.Random, n: int, question: Question, *, staff, partner: Partner, now: dt.datetime) -> None:
    kind = rng.choice(KINDS)
    consent = kind == Kind.PER_EMAIL
    at = question.started_at + dt.timedelta(minutes=10)
    referral, _ = services.referral_create(
        user=staff, question=question, partner=partner, service=partner.services.first(), kind=kind, consent=consent,
        contact={"naam": rng.choice(NAMES), "telefoon": "06 12345678", "voorkeur": "ochtend"} if consent else None, now=at, via="demo",
        notify=False,
    )
    if kind == Kind.INFORMATIE or n % 7 == 3:
        return  # information only needs no answer; every seventh the partner never answered: the follow-up list
    when = at
    for step in _steps(rng, n, age=(now - at).days):
        when += dt.timedelta(hours=rng.randint(4, 24 * 6))
        if when > now:
            break
        reason = "geen_capaciteit" if step == Status.AFGEWEZEN else ""
        services.transition(referral, step, actor=services.PARTNER, via="demo", reason=reason, now=when)


def _steps(rng: random.Random, n: int, *, age: int) -> list[str]:
    """The statuses a partner has reported by now on a referral ``age`` days old (older ones got further)."""
    steps = []
    if age > 2:
        steps.append(Status.ONTVANGEN)
    if age > 8 and n % 5:
        steps.append(Status.IN_BEHANDELING)
    if age > 20 and n % 4:
        steps.append(rng.choice(ENDINGS))
    return steps


def _course_referrals(rng: random.Random, staff) -> None:
    """A third of the recent questions without an instantie enrol in a course, the rest are referred to one."""
    courses = list(Course.objects.filter(organisation=staff.organisation))
    questions = Question.objects.filter(organisation=staff.organisation, instantie="GEEN").order_by("-started_at")[:25]
    for n, question in enumerate(questions):
        course = courses[n % len(courses)]
        if n % 3 == 0:
            course_services.enrol(user=staff, course=course, question=question, consent=True, name=rng.choice(NAMES), phone="06 12345678")
        else:
            course_services.course_refer(user=staff, course=course, question=question)
