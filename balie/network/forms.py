from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy

from balie.accounts.models import Role
from balie.core import codelists
from balie.core.models import CodeList

from .models import Gemeente, LocalCode, Location

CBS_CODE = re.compile(r"GM[0-9]{4}")


class GemeenteInput(forms.TextInput):
    """A municipality typed by name with suggestions (issue 14: by name, never by CBS code).

    An <input list> with a <datalist> of every active municipality's name: the browser's own accessible combobox,
    no script and nothing from a CDN. The server reads a name (any case) or, for old habits, a CBS code.
    """

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({"class": "input", "autocomplete": "off", **(attrs or {})})

    @property
    def names(self) -> list[str]:
        """The names for the <datalist> (the staff form templates render the input and this list themselves)."""
        return list(Gemeente.objects.filter(active=True).order_by("naam").values_list("naam", flat=True))

    def render(self, name, value, attrs=None, renderer=None):  # type: ignore[no-untyped-def]
        from django.utils.html import format_html, format_html_join

        list_id = f"gemeenten-{name}"
        field = super().render(name, value, {**(attrs or {}), "list": list_id}, renderer)
        options = format_html_join("", '<option value="{}"></option>', ((n,) for n in self.names))
        return format_html('{}<datalist id="{}">{}</datalist>', field, list_id, options)


def find_gemeente(text: str) -> Gemeente | None:
    """A municipality by its name (case and spacing ignored) or its CBS code."""
    value = " ".join(text.split())
    if not value:
        return None
    if CBS_CODE.fullmatch(value.upper()):
        return Gemeente.objects.filter(cbs_code=value.upper()).first()
    return Gemeente.objects.filter(naam__iexact=value).order_by("-active", "pk").first()


def gemeente_error(text: str) -> str:
    value = " ".join(text.split())[:60]
    if CBS_CODE.fullmatch(value.upper()):
        return gettext_lazy("Geen gemeente met CBS-code %(code)s. Typ liever de naam van de gemeente, bijvoorbeeld Rotterdam.") % {"code": value.upper()}
    return gettext_lazy("Geen gemeente met de naam '%(naam)s'. Typ de naam en kies uit de lijst, bijvoorbeeld Rotterdam of Capelle aan den IJssel.") % {"naam": value}


class LocationForm(forms.ModelForm):
    gemeente_code = forms.CharField(
        label=gettext_lazy("Gemeente"), help_text=gettext_lazy("Typ de naam en kies uit de lijst, bijvoorbeeld Rotterdam."), max_length=100,
        widget=GemeenteInput(),
    )

    class Meta:
        model = Location
        fields = ["code", "naam", "kind", "address", "postcode", "plaats", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["gemeente_code"].initial = self.instance.gemeente.naam

    def clean_postcode(self) -> str:
        value = (self.cleaned_data.get("postcode") or "").upper().replace(" ", "")
        return f"{value[:4]} {value[4:]}" if value else ""

    def clean_code(self) -> str:
        return self.cleaned_data["code"].upper()

    def clean_gemeente_code(self) -> Gemeente:
        gemeente = find_gemeente(self.cleaned_data["gemeente_code"])
        if gemeente is None:
            raise forms.ValidationError(gemeente_error(self.cleaned_data["gemeente_code"]))
        return gemeente


class StaffForm(forms.ModelForm):
    role = forms.ChoiceField(label=gettext_lazy("Rol"), choices=[(Role.MEDEWERKER, gettext_lazy("Medewerker")), (Role.COORDINATOR, gettext_lazy("Coördinator"))])
    password = forms.CharField(
        label=gettext_lazy("Wachtwoord"), required=False, widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy("Minstens 10 tekens. Leeg laten om het wachtwoord niet te wijzigen."),
    )

    class Meta:
        model = get_user_model()
        fields = ["username", "first_name", "last_name", "email", "role", "default_location", "is_active"]

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_location"].queryset = Location.objects.filter(organisation=organisation, active=True)
        if not self.instance.pk:
            self.fields["password"].required = True
            self.fields["password"].help_text = gettext_lazy("Minstens 10 tekens.")

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password") or ""
        if password:
            validate_password(password, self.instance)
        return password


class LocalCodeForm(forms.ModelForm):
    # The national code is chosen by its label (issue 14); the value says which list it is on ("instantie:WONEN").
    # A CharField shown as a select: older clients (and the tests) may still send the bare code, in any case.
    national_code = forms.CharField(
        label=gettext_lazy("Valt onder de landelijke code"), max_length=80, widget=forms.Select(),
        help_text=gettext_lazy("Kies de landelijke instantie of het onderwerp waar deze eigen code onder valt."),
    )

    class Meta:
        model = LocalCode
        fields = ["list", "code", "label", "national_code", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        version = codelists.current_version()
        choices: list[tuple[str, str]] = [("", str(gettext_lazy("Kies…")))]
        for list_name, title in ((CodeList.INSTANTIE, gettext_lazy("Instantie")), (CodeList.ONDERWERP, gettext_lazy("Onderwerp"))):
            choices += [(f"{list_name}:{code}", f"{title}: {label}") for code, label in codelists.display_codes(version, list_name).items()]
        self.fields["national_code"].choices = choices  # type: ignore[attr-defined]  # read by network/form.html
        self.fields["national_code"].widget.choices = choices  # type: ignore[attr-defined]
        if self.instance.pk:
            self.initial["national_code"] = f"{self.instance.list}:{self.instance.national_code}"

    def clean_code(self) -> str:
        return self.cleaned_data["code"].upper()

    def clean(self):
        data = super().clean()
        raw = (data.get("national_code") or "").strip()
        chosen_list, _, national = raw.partition(":") if ":" in raw else (data.get("list") or "", "", raw)
        national = national.upper()
        list_name = data.get("list")
        if list_name and national:
            known = codelists.codes(codelists.current_version(), list_name)
            if chosen_list != list_name or national not in known:
                self.add_error("national_code", gettext_lazy("Dit is geen landelijke code van de lijst %(list)s. Kies er een uit de lijst.") % {"list": list_name})
            data["national_code"] = national
            if data.get("code") in known:
                self.add_error("code", gettext_lazy("Deze code bestaat al landelijk; kies een eigen naam, bijvoorbeeld WONEN_WOONSTAD."))
        return data
