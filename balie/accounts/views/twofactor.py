"""The pages of the second factor: the code at login, setting up an app, the own account page, and the coordinator's
overview of the staff's second factor (with a reset for a lost phone). The rules are in ``accounts.twofactor``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from balie.core.access import Cap, get_or_404, request_scope, requires, signed_in
from balie.core.errors import bad_request
from balie.core.language import remember
from balie.core.qr import qr_svg
from balie.core.ratelimit import client_ip

from .. import services, twofactor
from ..forms import CodeForm


def page(request: HttpRequest, template: str, context: dict[str, Any] | None = None, status: int = 200) -> HttpResponse:
    """render(), with the page's language for <html lang> (these pages follow the browser: Dutch, or English)."""
    return render(request, template, {"LANGUAGE_CODE": get_language(), **(context or {})}, status=status)


class LanguageMixin:
    """The same for Django's class-based views."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(LANGUAGE_CODE=get_language(), **kwargs)  # type: ignore[misc]


def address(request: HttpRequest) -> str:
    return client_ip(request)


def next_url(request: HttpRequest) -> str:
    """Where to go after the code: the page the person asked for (on this site only), else the start page."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return reverse("home")


def _with_next(name: str, target: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': target})}"


def _verified(request: HttpRequest, device: Any) -> None:
    django_otp.login(request, device)
    request.session.cycle_key()  # a new session id once the second factor is given (no fixation across the step)
    twofactor.remember_app(request, True)


def _refusal(form: CodeForm, check: services.Check) -> int:
    """Put the right message on the form and give the status: 429 while locked, else 422."""
    if check.locked_until is not None:
        minutes = max(1, int((check.locked_until - timezone.now()).total_seconds() // 60) + 1)
        form.add_error("code", ngettext(
            "Er is te vaak een verkeerde code ingevuld. Probeer het over %(minutes)d minuut opnieuw.",
            "Er is te vaak een verkeerde code ingevuld. Probeer het over %(minutes)d minuten opnieuw.", minutes) % {"minutes": minutes})
        return 429
    form.add_error("code", _("Deze code klopt niet. Kijk of de tijd op uw telefoon goed staat en vul de nieuwste code in."))
    return 422


def _secret_text(device: TOTPDevice) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _codes_page(request: HttpRequest, codes: list[str], target: str, *, new_app: bool) -> HttpResponse:
    return page(request, "accounts/recovery_codes.html", {"codes": codes, "next": target, "new_app": new_app})


@never_cache
@signed_in
def verify(request: HttpRequest) -> HttpResponse:
    """Step two of the login: six digits from the app, or one recovery code."""
    user, target = request.user, next_url(request)
    if not twofactor.owes_second_factor(request):
        return redirect(target)
    if services.confirmed_app(user) is None:
        if twofactor.required_for(user):
            return redirect(_with_next("accounts:setup", target))
        twofactor.remember_app(request, False)  # the app was wiped (reset) and this account is not forced
        return redirect(target)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            check = services.check_code(user=user, code=form.cleaned_data["code"], address=address(request))
            if check.ok:
                _verified(request, check.device)
                if check.recovery:
                    messages.warning(request, ngettext(
                        "U bent binnen met een herstelcode. Die werkt nu niet meer. U heeft nog %(left)d herstelcode.",
                        "U bent binnen met een herstelcode. Die werkt nu niet meer. U heeft nog %(left)d herstelcodes.",
                        check.left) % {"left": check.left} + " " + _("Maak nieuwe codes op de pagina Account als u er weinig over heeft."))
                return redirect(target)
            status = _refusal(form, check)
    return page(request, "accounts/verify.html", {"form": form, "next": target}, status=status)


@never_cache
@signed_in
def setup(request: HttpRequest) -> HttpResponse:
    """Link an app: scan the QR code (or type the key), confirm with its first code, get the recovery codes once."""
    user, target = request.user, next_url(request)
    replacing = services.confirmed_app(user) is not None
    if replacing and twofactor.owes_second_factor(request):
        # Someone with only the password must not swap the app: first the code of the current one (or a reset).
        return redirect(_with_next("accounts:verify", target))
    device = services.pending_app(user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            check, codes = services.confirm_app(user=user, device=device, code=form.cleaned_data["code"], address=address(request))
            if check.ok:
                _verified(request, check.device)
                return _codes_page(request, codes, target, new_app=True)
            status = _refusal(form, check)
    return page(request, "accounts/setup.html", {
        "form": form, "next": target, "replacing": replacing, "required": twofactor.required_for(user),
        "qr": qr_svg(device.config_url, scale=5, label=_("QR-code om Balie aan uw app toe te voegen")),
        "secret": _secret_text(device),
    }, status=status)


@never_cache
@signed_in
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    app = services.confirmed_app(user)
    return page(request, "accounts/account.html", {
        "app": app, "codes_left": services.recovery_codes_left(user) if app else 0,
        "required": twofactor.required_for(user), "required_setting": settings.BALIE_REQUIRE_2FA,
    })


@never_cache
@signed_in
@require_POST
def renew_codes(request: HttpRequest) -> HttpResponse:
    codes = services.renew_recovery_codes(user=request.user)
    return _codes_page(request, codes, reverse("accounts:account"), new_app=False)


@signed_in
@require_POST
def switch_off(request: HttpRequest) -> HttpResponse:
    services.switch_off(user=request.user)
    twofactor.remember_app(request, False)
    messages.success(request, _("Tweestapsverificatie staat uit. U logt weer in met alleen uw wachtwoord."))
    return redirect("accounts:account")


def _staff(request: HttpRequest) -> Any:
    apps = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    scope = request_scope(request)
    return get_user_model().objects.for_scope(scope).exclude(pk=request.user.pk).annotate(has_app=Exists(apps))


@requires(Cap.COORDINATE)
def staff(request: HttpRequest) -> HttpResponse:
    """The coordinator's overview: who of the own staff uses a second factor; wipe it after a lost phone."""
    return page(request, "accounts/staff.html", {"staff": _staff(request).order_by("username")})


@requires(Cap.COORDINATE)
@require_POST
def reset(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_or_404(_staff(request), pk=pk)
    services.reset_second_factor(by=request.user, target=target, via="coordinator")
    messages.success(request, _("De tweestapsverificatie van %(name)s is gewist: de app en de herstelcodes werken niet meer. "
                                "Moet dit account een tweede stap gebruiken, dan stelt het die bij de volgende keer inloggen "
                                "opnieuw in.") % {"name": target.get_full_name() or target.get_username()})
    return redirect("accounts:staff")


@signed_in
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switch in the footer and on the account page: stored with the user, so it follows them to every
    computer, and in the language cookie, so the login page after logging out speaks it too."""
    language = request.POST.get("language", "")
    if language not in ("nl", "en"):
        return bad_request(request)  # core/errors.py's 400 page
    services.user_language_set(user=request.user, language=language)
    response = redirect(next_url(request))
    remember(response, language)
    return response
