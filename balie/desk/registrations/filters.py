"""The overview's filters: a plain GET form (django-filter is not in the pinned dependencies), every input bounded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from balie.core import codelists
from balie.core.access import Scope
from balie.core.models import CodeList
from balie.network.selectors import own_locations

from ..models import Question
from ..validation import EARLIEST_DATE

DEFAULT_DAYS = 30
MAX_DAYS = 3 * 366  # one page of filters never asks for more than three years at once


def _choices(version: Any, code_list: str) -> list[tuple[str, str]]:
    labels = codelists.display_codes(version, code_list)
    return [("", _("Alle"))] + sorted(labels.items(), key=lambda item: item[1].lower())


class OverviewFilter(forms.Form):
    """What the coordinator (or staff member) looks for. Unknown values are refused with a message, never a 500."""

    van = forms.DateField(label=gettext_lazy("Van"), required=False, widget=forms.DateInput(attrs={"type": "date", "class": "input"}))
    tot = forms.DateField(label=gettext_lazy("Tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date", "class": "input"}))
    locatie = forms.ChoiceField(label=gettext_lazy("Locatie"), required=False, widget=forms.Select(attrs={"class": "input"}))
    medewerker = forms.ChoiceField(label=gettext_lazy("Medewerker"), required=False, widget=forms.Select(attrs={"class": "input"}))
    instantie = forms.ChoiceField(label=gettext_lazy("Instantie"), required=False, widget=forms.Select(attrs={"class": "input"}))
    onderwerp = forms.ChoiceField(label=gettext_lazy("Onderwerp"), required=False, widget=forms.Select(attrs={"class": "input"}))
    uitkomst = forms.ChoiceField(label=gettext_lazy("Uitkomst"), required=False, widget=forms.Select(attrs={"class": "input"}))
    kanaal = forms.ChoiceField(label=gettext_lazy("Kanaal"), required=False, widget=forms.Select(attrs={"class": "input"}))
    achteraf = forms.BooleanField(
        label=gettext_lazy("Alleen achteraf geregistreerd"), required=False, help_text=gettext_lazy("Later ingevoerd dan het bezoek plaatsvond."),
    )

    def __init__(self, data: Any, *, scope: Scope, user: Any) -> None:
        super().__init__(data)
        self.scope = scope
        self.user = user
        locations = own_locations(scope)
        self.location_ids = {loc.code: loc.pk for loc in locations}  # filter on the column, not through a join
        self.fields["locatie"].choices = [("", _("Alle"))] + [(loc.code, loc.naam) for loc in locations]
        self.staff_ids: dict[str, int] = {}
        if scope.is_coordinator:
            staff = list(get_user_model().objects.for_scope(scope).order_by("username"))
            self.staff_ids = {u.username: u.pk for u in staff}
            self.fields["medewerker"].choices = [("", _("Iedereen"))] + [(u.username, _name(u)) for u in staff]
        else:
            del self.fields["medewerker"]
        version = codelists.current_version()  # once per page, not once per list
        for name, code_list in (("instantie", CodeList.INSTANTIE), ("onderwerp", CodeList.ONDERWERP),
                                ("uitkomst", CodeList.UITKOMST), ("kanaal", CodeList.KANAAL)):
            self.fields[name].choices = _choices(version, code_list)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        today = timezone.localdate()
        van, tot = data.get("van"), data.get("tot")
        for name, day in (("van", van), ("tot", tot)):
            if day is not None and not (EARLIEST_DATE <= day <= today + dt.timedelta(days=1)):
                self.add_error(name, _("Kies een datum tussen %(first)s en vandaag.") % {"first": f"{EARLIEST_DATE:%d-%m-%Y}"})
        if van and tot and van > tot:
            self.add_error("tot", _("'Tot en met' ligt vóór 'van'. Draai de datums om."))
        if van and tot and (tot - van).days > MAX_DAYS:
            self.add_error("van", _("Kies een periode van hoogstens drie jaar."))
        return data

    def period(self) -> tuple[dt.date, dt.date]:
        data = self.cleaned_data if self.is_valid() else {}
        tot = data.get("tot") or timezone.localdate()
        van = data.get("van") or (tot - dt.timedelta(days=DEFAULT_DAYS - 1))
        return van, tot

    def apply(self, qs: QuerySet[Question]) -> QuerySet[Question]:
        """The scoped queryset narrowed by the valid filters (an invalid form filters on the default period only)."""
        van, tot = self.period()
        qs = qs.filter(date__gte=van, date__lte=tot)
        if not self.scope.is_coordinator:
            qs = qs.filter(created_by_id=self.user.pk)  # staff find their own registrations
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        # The choices were checked by the form, so both maps hold every valid value.
        if data.get("locatie"):
            qs = qs.filter(location_id=self.location_ids[data["locatie"]])
        if data.get("medewerker"):
            qs = qs.filter(created_by_id=self.staff_ids[data["medewerker"]])
        for name in ("instantie", "onderwerp", "uitkomst", "kanaal"):
            if data.get(name):
                qs = qs.filter(**{name: data[name]})
        if data.get("achteraf"):
            qs = qs.filter(visit__afterwards=True)
        return qs


def _name(user: Any) -> str:
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return f"{full} ({user.username})" if full else user.username
