"""Who may see and do what: the one access model of Balie (ADR 0013, docs/architecture.md).

Every request gets one typed ``Scope``, derived once from the user (``scope_of``; the middleware puts it on
``request.scope`` and the context processor in templates as ``scope``). Everything else asks the scope:

- capabilities (``scope.can(Cap.REGISTER)``, ``scope.require(...)``, the ``@requires`` view decorator);
- which rows exist for the user: every scoped model has a ``for_scope(scope)`` queryset method that reads
  ``scope.organisation_id``, ``scope.gemeente_ids`` or ``scope.partner_id`` — never the role;
- the one answer to "must small cells be hidden?" (``scope.suppressed``); the threshold itself lives in
  ``core.privacy``.

This is the only module outside ``accounts`` that knows the roles (a test greps for role comparisons elsewhere).
Conventions: anonymous users are sent to the login page; a signed-in user without the capability gets 403; an
object outside the scope does not exist for the user (404), so nobody learns that another library has it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _l

from .roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from balie.accounts.models import User


class Cap(StrEnum):
    """Capabilities: what a scope may do. Views and templates ask for these, never for a role."""

    REGISTER = "register"  # library staff: register, today, queue, toolkit, social map, referrals, courses
    COORDINATE = "coordinate"  # a library's coordinator: locations, staff, imports, social map, courses, guides
    SEE_INSIGHT = "see_insight"  # dashboards and the accountability report (coordinator, gemeente, landelijk)
    SEE_SIGNALS = "see_signals"  # signals (coordinator, gemeente, landelijk, partner organisation)
    MANAGE_RECIPIENTS = "manage_recipients"  # signal recipients (coordinator: local ones, landelijk: national)
    NATIONAL = "national"  # the national role: code lists, national signals and recipients, every figure
    ANSWER_REFERRALS = "answer_referrals"  # a partner organisation's account: referrals and signals sent to it
    ANNOUNCE = "announce"  # announce a visitor to an IDO (aanmelding): a partner organisation or a municipality
    ADMINISTER = "administer"  # Django admin ("Beheer")


# What each role may do. A library role without an organisation, or a partner without an organisation link,
# gets nothing beyond signing in: half-configured accounts see nothing rather than everything.
_ROLE_CAPS: dict[Any, frozenset[Cap]] = {  # keys: Role members (str values)
    Role.MEDEWERKER: frozenset({Cap.REGISTER}),
    Role.COORDINATOR: frozenset({Cap.REGISTER, Cap.COORDINATE, Cap.SEE_INSIGHT, Cap.SEE_SIGNALS, Cap.MANAGE_RECIPIENTS}),
    Role.GEMEENTE: frozenset({Cap.SEE_INSIGHT, Cap.SEE_SIGNALS, Cap.ANNOUNCE}),
    Role.LANDELIJK: frozenset({Cap.SEE_INSIGHT, Cap.SEE_SIGNALS, Cap.MANAGE_RECIPIENTS, Cap.NATIONAL}),
    Role.PARTNER: frozenset({Cap.SEE_SIGNALS, Cap.ANSWER_REFERRALS, Cap.ANNOUNCE}),
    Role.BEHEERDER: frozenset({Cap.ADMINISTER}),
}
_NEEDS_ORGANISATION = frozenset({Cap.REGISTER, Cap.COORDINATE, Cap.SEE_INSIGHT, Cap.SEE_SIGNALS, Cap.MANAGE_RECIPIENTS})
_MESSAGES = {
    Cap.REGISTER: _l("Deze pagina is alleen voor medewerkers van een bibliotheek."),
    Cap.COORDINATE: _l("Alleen een coördinator van de organisatie mag dit."),
    Cap.SEE_INSIGHT: _l("Inzicht is er voor coördinatoren, gemeenten en de landelijke rol."),
    Cap.SEE_SIGNALS: _l("Signalen zijn voor coördinatoren, gemeenten, landelijk en partnerorganisaties."),
    Cap.MANAGE_RECIPIENTS: _l("Ontvangers van signalen beheren coördinatoren (lokaal) en de landelijke rol (landelijk)."),
    Cap.NATIONAL: _l("Alleen de landelijke rol mag dit."),
    Cap.ANSWER_REFERRALS: _l("Deze pagina is voor partnerorganisaties."),
    Cap.ANNOUNCE: _l("Bezoekers aanmelden kunnen partnerorganisaties en gemeenten."),
    Cap.ADMINISTER: _l("Alleen beheerders mogen dit."),
}


@dataclass(frozen=True)
class Scope:
    """What one signed-in user (or an anonymous visitor) may see and do. Derived once per request."""

    user_id: int | None = None
    role: str = ""
    organisation_id: int | None = None  # the library organisation of staff and coordinators
    gemeente_ids: frozenset[int] = frozenset()  # the municipalities a gemeente account reads
    partner_id: int | None = None  # the outside organisation a partner account speaks for
    caps: frozenset[Cap] = field(default_factory=frozenset)

    @property
    def authenticated(self) -> bool:
        return self.user_id is not None

    def can(self, cap: Cap | str) -> bool:
        return Cap(cap) in self.caps

    def require(self, cap: Cap, message: str | None = None) -> None:
        if not self.can(cap):
            raise PermissionDenied(message or _MESSAGES[cap])

    # Readable shorthands for templates and views; each is a capability, not a role.
    @property
    def is_desk_staff(self) -> bool:
        return Cap.REGISTER in self.caps

    @property
    def is_coordinator(self) -> bool:
        return Cap.COORDINATE in self.caps

    @property
    def is_national(self) -> bool:
        return Cap.NATIONAL in self.caps

    @property
    def is_partner(self) -> bool:
        return Cap.ANSWER_REFERRALS in self.caps

    @property
    def reads_gemeenten(self) -> bool:
        """A municipality account: its figures and signals are those of its gemeenten."""
        return self.role == Role.GEMEENTE and Cap.SEE_INSIGHT in self.caps

    @property
    def suppressed(self) -> bool:
        """Must small cells be hidden? Yes for everyone outside the library organisation (DESIGN.md: privacy).

        Only a library's own staff see exact small counts of their own organisation; a municipality, the nation,
        a partner and the public see suppressed figures (core.privacy). Fail safe: unknown means suppressed.
        """
        return not self.is_desk_staff

    def owns(self, organisation_id: int | None) -> bool:
        """Is this the scope's own library organisation?"""
        return self.is_desk_staff and organisation_id is not None and organisation_id == self.organisation_id

    def manages(self, organisation_id: int | None) -> bool:
        """May this scope change things of that library organisation (coordinator of it)?"""
        return self.is_coordinator and self.owns(organisation_id)


ANONYMOUS = Scope()


def _partner_id(user: Any) -> int | None:
    try:
        link = user.partner_link  # partners.PartnerUser, reverse one-to-one; core does not import partners
    except (AttributeError, ObjectDoesNotExist):
        return None
    return getattr(link, "partner_id", None)


def _derive(user: User) -> Scope:
    role = str(user.role)
    caps = set(_ROLE_CAPS.get(role, frozenset()))
    organisation_id = user.organisation_id if role in (Role.MEDEWERKER, Role.COORDINATOR) else None
    if organisation_id is None and role in (Role.MEDEWERKER, Role.COORDINATOR):
        caps -= _NEEDS_ORGANISATION
    partner_id = _partner_id(user) if role == Role.PARTNER else None
    if role == Role.PARTNER and partner_id is None:
        caps.clear()
    gemeente_ids = frozenset(user.gemeenten.values_list("pk", flat=True)) if role == Role.GEMEENTE else frozenset()
    if user.is_superuser:
        caps.add(Cap.ADMINISTER)
    return Scope(user_id=user.pk, role=role, organisation_id=organisation_id, gemeente_ids=gemeente_ids,
                 partner_id=partner_id, caps=frozenset(caps))


def scope_of(user: User | AnonymousUser | None) -> Scope:
    """The scope of a user; computed once per user object (a request has one) and cached on it."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_balie_scope", None)
    if cached is None:
        cached = _derive(user)
        user._balie_scope = cached
    return cached


def withhold(user: Any) -> None:
    """A signed-in user who still owes a second factor, or a password of their own (``accounts.twofactor``): known,
    but may do nothing yet.

    The two-factor middleware sends such a user to the code page; this makes every capability check agree with it
    (no menu, no page, no API answer), so nothing that slips past the middleware can show data.
    """
    user._balie_scope = Scope(user_id=user.pk, role=str(user.role))


def forget(user: Any) -> None:
    """Drop the cached scope (after a role, organisation or link change within the same request or test)."""
    if hasattr(user, "_balie_scope"):
        del user._balie_scope


def request_scope(request: Any) -> Scope:
    """The scope of a Django or DRF request. Always from ``request.user`` (cached on it), so an API token that DRF
    authenticates inside the view gets its own scope rather than the anonymous one of the middleware."""
    return scope_of(getattr(request, "user", None))


class ScopeMiddleware:
    """Puts ``request.scope`` next to ``request.user`` (lazily: public pages never pay for it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.scope = SimpleLazyObject(lambda: scope_of(getattr(request, "user", None)))
        return self.get_response(request)


V = TypeVar("V", bound=Callable[..., HttpResponse])


def _to_login(request: HttpRequest) -> HttpResponse:
    # Imported here: auth.views loads auth.forms, which needs the user model, and models import this module.
    from django.contrib.auth.views import redirect_to_login

    return redirect_to_login(request.get_full_path())


def requires(*caps: Cap) -> Callable[[V], V]:
    """View decorator: anonymous -> login page; signed in without any of ``caps`` -> 403."""

    def decorate(view: V) -> V:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            scope = request_scope(request)
            if not scope.authenticated:
                return _to_login(request)
            if not any(scope.can(cap) for cap in caps):
                raise PermissionDenied(_MESSAGES[caps[0]])
            return view(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def signed_in(view: V) -> V:
    """View decorator for pages every signed-in user may open (their scope decides what they see)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request_scope(request).authenticated:
            return _to_login(request)
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


M = TypeVar("M", bound=models.Model)


def get_or_404(queryset: models.QuerySet[M], **lookup: Any) -> M:  # type: ignore[type-var]  # untyped Django
    """One object of a scoped queryset; anything outside the scope (or a malformed id) does not exist: 404."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404(_l("Niet gevonden.")) from exc


class OrganisationQuerySet(models.QuerySet[M]):
    """Rows that belong to one library organisation: only that organisation's staff see them.

    Subclasses set ``organisation_field`` when the path to the organisation is longer (``location__organisation``).
    """

    organisation_field = "organisation"

    def for_scope(self, scope: Scope) -> OrganisationQuerySet[M]:
        if not scope.is_desk_staff:
            return self.none()
        return self.filter(**{f"{self.organisation_field}_id": scope.organisation_id})
