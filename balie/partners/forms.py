"""Forms for the social map. Weekly hours are typed the way people say them: "ma-vr 9:00-17:00; za 10-12"."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from balie.core import codelists
from balie.core.models import CodeList
from balie.core.pii import normalise_phone
from balie.network.forms import CBS_CODE, find_gemeente
from balie.network.models import Gemeente

from .models import HoursKind, Partner, Service, ServiceHours, hours_text

NL_DAYS = {"ma": 0, "di": 1, "wo": 2, "do": 3, "vr": 4, "za": 5, "zo": 6}
SLOT_RE = re.compile(r"^(?P<days>[a-z]{2}(?:\s*-\s*[a-z]{2})?(?:\s*,\s*[a-z]{2}(?:\s*-\s*[a-z]{2})?)*)\s+"
                     r"(?P<start>\d{1,2}(?:[:.]\d{2})?)\s*-\s*(?P<end>\d{1,2}(?:[:.]\d{2})?)$")


def _time(text: str) -> dt.time:
    hour, _sep, minute = text.replace(".", ":").partition(":")
    return dt.time(int(hour), int(minute or 0))


def parse_hours(text: str) -> list[tuple[int, dt.time, dt.time]]:
    """'ma-vr 9:00-17:00; za 10-12' -> [(weekday, opens, closes), ...]. Raises ValidationError naming the bad part."""
    slots = []
    for part in [p.strip().lower() for p in re.split(r"[;\n]", text or "") if p.strip()]:
        match = SLOT_RE.match(part)
        if not match:
            raise forms.ValidationError(_("'%(part)s' begrijp ik niet. Schrijf bijvoorbeeld: ma-vr 9:00-17:00; za 10:00-12:00.") % {"part": part})
        days: list[int] = []
        for chunk in match["days"].split(","):
            first, _dash, last = (c.strip() for c in chunk.partition("-"))
            if first not in NL_DAYS or (last and last not in NL_DAYS):
                raise forms.ValidationError(_("In '%(part)s' staat een onbekende dag. Gebruik ma, di, wo, do, vr, za, zo.") % {"part": part})
            days += range(NL_DAYS[first], NL_DAYS[last or first] + 1)
        try:
            opens, closes = _time(match["start"]), _time(match["end"])
        except ValueError as exc:
            raise forms.ValidationError(_("In '%(part)s' staat een tijd die niet bestaat.") % {"part": part}) from exc
        if opens >= closes:
            raise forms.ValidationError(_("In '%(part)s' ligt de eindtijd niet na de begintijd.") % {"part": part})
        slots += [(d, opens, closes) for d in days]
    return slots


def format_hours(hours: list[ServiceHours]) -> str:
    return hours_text(hours)


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["name", "description", "email", "phone", "website", "last_verified", "active"]
        widgets = {
            "name": forms.TextInput(attrs={"class": "input", "autocomplete": "organization"}),
            "description": forms.Textarea(attrs={"class": "input", "rows": 3}),
            "email": forms.EmailInput(attrs={"class": "input"}),
            "phone": forms.TextInput(attrs={"class": "input", "inputmode": "tel"}),
            "website": forms.URLInput(attrs={"class": "input"}),
            "last_verified": forms.DateInput(attrs={"class": "input", "type": "date"}, format="%Y-%m-%d"),
        }

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and normalise_phone(phone) is None:
            raise forms.ValidationError(_("%(phone)s is geen geldig telefoonnummer.") % {"phone": phone})
        return normalise_phone(phone) or "" if phone else ""


class ServiceForm(forms.ModelForm):
    instantie_codes = forms.MultipleChoiceField(label=gettext_lazy("Helpt bij deze instanties"), required=False, widget=forms.CheckboxSelectMultiple)
    onderwerp_codes = forms.MultipleChoiceField(label=gettext_lazy("Helpt bij deze onderwerpen"), required=False, widget=forms.CheckboxSelectMultiple)
    profiel_codes = forms.MultipleChoiceField(label=gettext_lazy("Geschikt voor behoefteprofielen"), required=False,
                                              widget=forms.CheckboxSelectMultiple)
    taal_codes = forms.MultipleChoiceField(label=gettext_lazy("Talen"), required=False, widget=forms.CheckboxSelectMultiple)
    gemeente_codes = forms.CharField(label=gettext_lazy("Werkgebied"), required=False, max_length=4000, widget=forms.TextInput(attrs={"class": "input"}),
                                     help_text=gettext_lazy("Namen van gemeenten, met komma's ertussen, bijvoorbeeld: Rotterdam, Gouda. Leeg: het hele land."))
    warm_hours = forms.CharField(label=gettext_lazy("Warme lijn bemand"), required=False, widget=forms.TextInput(attrs={"class": "input"}),
                                 help_text=gettext_lazy("Bijvoorbeeld: ma-vr 9:00-17:00; za 10:00-12:00"))
    open_hours = forms.CharField(label=gettext_lazy("Open voor bezoek"), required=False, widget=forms.TextInput(attrs={"class": "input"}),
                                 help_text=gettext_lazy("Bijvoorbeeld: di, do 10:00-12:30"))

    class Meta:
        model = Service
        fields = ["name", "description", "warm_phone", "email", "access", "cost", "eligibility", "last_verified", "active"]
        widgets = {
            "name": forms.TextInput(attrs={"class": "input"}),
            "description": forms.Textarea(attrs={"class": "input", "rows": 3}),
            "warm_phone": forms.TextInput(attrs={"class": "input", "inputmode": "tel"}),
            "email": forms.EmailInput(attrs={"class": "input"}),
            "access": forms.Select(attrs={"class": "input"}),
            "cost": forms.TextInput(attrs={"class": "input"}),
            "eligibility": forms.Textarea(attrs={"class": "input", "rows": 2}),
            "last_verified": forms.DateInput(attrs={"class": "input", "type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        version = codelists.current_version()
        self.fields["instantie_codes"].choices = list(codelists.codes(version, CodeList.INSTANTIE).items())
        self.fields["onderwerp_codes"].choices = list(codelists.codes(version, CodeList.ONDERWERP).items())
        self.fields["profiel_codes"].choices = list(codelists.codes(version, CodeList.BEHOEFTEPROFIEL).items())
        self.fields["taal_codes"].choices = list(codelists.codes(version, CodeList.TAAL).items())
        self.order_fields(["name", "description", "instantie_codes", "onderwerp_codes", "profiel_codes", "warm_phone", "warm_hours",
                           "open_hours", "email", "access", "cost", "eligibility", "taal_codes", "gemeente_codes", "last_verified", "active"])
        service = self.instance
        if service.pk:
            self.initial.update({
                "instantie_codes": service.instantie_list, "onderwerp_codes": service.onderwerp_list, "profiel_codes": service.behoefteprofiel_list,
                "taal_codes": service.language_list, "gemeente_codes": ", ".join(g.naam for g in service.gemeenten.all()),
                "warm_hours": format_hours([h for h in service.hours.all() if h.kind == HoursKind.WARME_LIJN]),
                "open_hours": format_hours([h for h in service.hours.all() if h.kind == HoursKind.OPEN]),
            })
        else:
            self.initial.setdefault("taal_codes", ["NL"])

    def clean_warm_phone(self) -> str:
        phone = self.cleaned_data["warm_phone"].strip()
        if phone and normalise_phone(phone) is None:
            raise forms.ValidationError(_("%(phone)s is geen geldig telefoonnummer. Bijvoorbeeld 010 123 45 67 of 0800 0543.") % {"phone": phone})
        return (normalise_phone(phone) or "") if phone else ""

    def clean_gemeente_codes(self) -> list[Gemeente]:
        # Names with commas between them (a name may hold spaces: "Capelle aan den IJssel"); CBS codes still work.
        parts = []
        for part in re.split(r"[,;\n]+", self.cleaned_data["gemeente_codes"]):
            words = part.split()
            parts += words if words and all(CBS_CODE.fullmatch(w.upper()) for w in words) else ([part] if part.strip() else [])
        found: dict[int, Gemeente] = {}
        unknown = []
        for part in parts[:400]:
            gemeente = find_gemeente(part)
            if gemeente is None:
                unknown.append(" ".join(part.split())[:60])
            else:
                found[gemeente.pk] = gemeente
        if unknown:
            raise forms.ValidationError(
                _("Onbekende gemeente: %(names)s. Typ de namen met komma's ertussen, bijvoorbeeld Rotterdam, Gouda.") % {"names": ", ".join(unknown)}
            )
        return list(found.values())

    def clean_warm_hours(self) -> list:
        return parse_hours(self.cleaned_data["warm_hours"])

    def clean_open_hours(self) -> list:
        return parse_hours(self.cleaned_data["open_hours"])
