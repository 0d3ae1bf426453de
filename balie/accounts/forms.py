"""Forms of the login pages: the code of the second factor, and the e-mail for a forgotten password."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=40, strip=True,
        error_messages={"required": _("Vul de code in.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}),
    )


class ResetRequestForm(PasswordResetForm):
    """Django's form and its rule for who gets a mail (active, usable password, same address); the mail itself is
    sent by ``tasks.send_password_reset_task``."""

    email = forms.EmailField(
        label=_("E-mailadres"), max_length=254,
        error_messages={"required": _("Vul uw e-mailadres in."), "invalid": _("Vul een e-mailadres in zoals naam@bibliotheek.nl.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def matching_users(self) -> list[Any]:
        return list(self.get_users(self.cleaned_data["email"]))
