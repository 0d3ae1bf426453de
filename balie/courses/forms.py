from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _

from balie.network.models import Location

from .models import Course


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = ["kind", "title", "description", "location", "start_date", "end_date", "schedule", "capacity", "language_level", "cost", "active"]
        widgets = {
            "kind": forms.Select(attrs={"class": "input"}),
            "title": forms.TextInput(attrs={"class": "input"}),
            "description": forms.Textarea(attrs={"class": "input", "rows": 3}),
            "location": forms.Select(attrs={"class": "input"}),
            "start_date": forms.DateInput(attrs={"class": "input", "type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"class": "input", "type": "date"}, format="%Y-%m-%d"),
            "schedule": forms.TextInput(attrs={"class": "input"}),
            "capacity": forms.NumberInput(attrs={"class": "input", "min": 1}),
            "language_level": forms.Select(attrs={"class": "input"}),
            "cost": forms.TextInput(attrs={"class": "input"}),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = Location.objects.filter(organisation=organisation, active=True)

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("De laatste keer kan niet voor de eerste keer liggen."))
        if data.get("capacity") is not None and data["capacity"] < 1:
            self.add_error("capacity", _("Er moet minstens één plaats zijn."))
        return data
