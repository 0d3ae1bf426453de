"""Forms for a location's schedule: weekly slots, one-off sessions, closures and visitor information."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ..models import Closure, Location, Session, WeeklyHours

TIME_WIDGET = forms.TimeInput(format="%H:%M", attrs={"type": "time", "step": 300})
DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
STAFF_WIDGET = forms.NumberInput(attrs={"min": 1, "max": 20, "inputmode": "numeric"})
YES_NO_UNKNOWN = [("", gettext_lazy("Onbekend")), ("True", gettext_lazy("Ja")), ("False", gettext_lazy("Nee"))]


class AccessibleForm(forms.BaseForm):
    """Wires hints and errors to their input (aria-describedby, aria-invalid), so one template renders any field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if not isinstance(field.widget, (forms.CheckboxInput,)):
                field.widget.attrs.setdefault("class", "input")
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}-hint"

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            attrs = self.fields[name].widget.attrs
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = " ".join(filter(None, [attrs.get("aria-describedby", ""), f"{self[name].auto_id}-err"]))


def _check_times(form: forms.BaseForm) -> None:
    start, end = form.cleaned_data.get("start"), form.cleaned_data.get("end")
    if start and end and end <= start:
        form.add_error("end", gettext_lazy("De eindtijd moet later zijn dan de begintijd."))


class WeeklyHoursForm(AccessibleForm, forms.ModelForm):
    class Meta:
        model = WeeklyHours
        fields = ["weekday", "kind", "start", "end", "staff"]
        widgets = {"start": TIME_WIDGET, "end": TIME_WIDGET, "staff": STAFF_WIDGET}

    def clean_staff(self) -> int:
        staff = self.cleaned_data["staff"]
        if not 1 <= staff <= 20:
            raise forms.ValidationError(gettext_lazy("Vul een bezetting in van 1 tot en met 20 medewerkers."))
        return staff

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _check_times(self)
        return data


class SessionForm(AccessibleForm, forms.ModelForm):
    class Meta:
        model = Session
        fields = ["date", "start", "end", "kind", "title", "staff"]
        widgets = {"date": DATE_WIDGET, "start": TIME_WIDGET, "end": TIME_WIDGET, "staff": STAFF_WIDGET}

    def clean_date(self) -> Any:
        date = self.cleaned_data["date"]
        # Editing an old session may keep its date; a new or moved session cannot be in the past.
        moved = not self.instance.pk or self.instance.date != date
        if moved and date < timezone.localdate():
            raise forms.ValidationError(gettext_lazy("Deze datum is al voorbij. Kies vandaag of een dag in de toekomst."))
        return date

    def clean_staff(self) -> int:
        return WeeklyHoursForm.clean_staff(self)  # type: ignore[arg-type]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _check_times(self)
        return data


class ClosureForm(AccessibleForm, forms.ModelForm):
    all_locations = forms.BooleanField(
        label=gettext_lazy("Geldt voor alle locaties van de organisatie"), required=False,
        help_text=gettext_lazy("Bijvoorbeeld bij een studiedag van het hele team."),
    )

    class Meta:
        model = Closure
        fields = ["start_date", "end_date", "reason"]
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["all_locations"].initial = self.instance.location_id is None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", gettext_lazy("De laatste dag kan niet voor de eerste dag liggen."))
        elif end and end < timezone.localdate() and (not self.instance.pk or self.instance.end_date != end):
            self.add_error("end_date", gettext_lazy("Deze sluiting is al voorbij. Kies een laatste dag vanaf vandaag."))
        return data


class VisitorInfoForm(AccessibleForm, forms.ModelForm):
    wheelchair_accessible = forms.TypedChoiceField(
        label=gettext_lazy("Rolstoeltoegankelijk"), choices=YES_NO_UNKNOWN, coerce=lambda v: v == "True", empty_value=None, required=False,
        help_text=gettext_lazy("Kies Onbekend als u het niet zeker weet; dan tonen we niets."),
    )
    hearing_loop = forms.TypedChoiceField(
        label=gettext_lazy("Ringleiding"), choices=YES_NO_UNKNOWN, coerce=lambda v: v == "True", empty_value=None, required=False,
        help_text=gettext_lazy("Een ringleiding helpt mensen met een hoortoestel."),
    )

    class Meta:
        model = Location
        fields = ["public_description", "wheelchair_accessible", "hearing_loop", "transit_note", "phone"]
        widgets = {"public_description": forms.Textarea(attrs={"rows": 3})}
