"""Login, a new password of one's own, and "Wachtwoord vergeten?" (Django's reset flow, in Dutch, rate limited).

A reset never signs anyone in: after a new password the login still asks for the second factor where it is due.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

from balie.core import audit
from balie.core.audit import Event

from .. import services
from ..forms import ResetRequestForm
from ..tasks import reset_minutes, send_password_reset_task
from .twofactor import LanguageMixin, address, page


class StyledFormMixin:
    """Django's password forms, with Balie's input style."""

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)  # type: ignore[misc]
        for field in form.fields.values():
            field.widget.attrs.setdefault("class", "input")
        return form


class LoginView(LanguageMixin, auth_views.LoginView):
    """Django's login; the page says when the second factor is off (the demo)."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(two_factor_required=settings.BALIE_REQUIRE_2FA, **kwargs)


class PasswordChangeView(LanguageMixin, StyledFormMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.password_changed(user=form.user, via="form", address=address(self.request))
        messages.success(self.request, _("Uw nieuwe wachtwoord is opgeslagen."))
        return response


def _typed_email(group: str, request: HttpRequest) -> str:
    return request.POST.get("email", "").strip().lower()[:254]


def _too_many(request: HttpRequest) -> bool:
    """Five requests an hour from one address, and five for one e-mail address (whichever is reached first).

    Both counters go up on every request, so trying many addresses from one machine, or one address from many
    machines, is held back alike. The counts live in the default cache.
    """
    rate = settings.BALIE_PASSWORD_RESET_RATE
    try:  # django-ratelimit's address key (RATELIMIT_IP_META_KEY behind a proxy; IPv6 per /64)
        by_address = is_ratelimited(request, group="password_reset_ip", key="ip", rate=rate, method="POST", increment=True)
    except (ImproperlyConfigured, ValueError):  # no usable address (a Unix socket): one shared count, never a 500
        by_address = is_ratelimited(request, group="password_reset_ip", key=lambda group, request: "onbekend", rate=rate,
                                    method="POST", increment=True)
    by_email = is_ratelimited(request, group="password_reset_email", key=_typed_email, rate=rate, method="POST", increment=True)
    return by_address or by_email


class PasswordResetView(LanguageMixin, auth_views.PasswordResetView):
    form_class = ResetRequestForm
    template_name = "registration/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _too_many(request):
            return page(request, "registration/password_reset_throttled.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=422)

    def form_valid(self, form: ResetRequestForm) -> HttpResponse:
        # Which account asked is audited (never the e-mail address typed). The mail goes out through the worker, and a
        # task is queued also when no account matches: the page looks and takes the same either way.
        accounts = [user.pk for user in form.matching_users()]
        audit.log(Event.PASSWORD_RESET_REQUESTED, object_type="accounts.user", object_uuid=",".join(map(str, accounts)),
                  address=address(self.request), account_found=bool(accounts))
        send_password_reset_task.enqueue(user_ids=accounts)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(LanguageMixin, StyledFormMixin, auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        if not self.validlink:
            kwargs["status"] = 400  # an expired, used or broken link
        elif context.get("form") is not None and context["form"].errors:
            kwargs["status"] = 422
        return super().render_to_response(context, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.password_changed(user=form.user, via="email", address=address(self.request))
        return response


class PasswordResetDoneView(LanguageMixin, auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(reset_minutes=reset_minutes(), **kwargs)


class PasswordResetCompleteView(LanguageMixin, auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
