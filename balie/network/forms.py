from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password

from balie.accounts.models import Role
from balie.core import codelists

from .models import Gemeente, LocalCode, Location


class LocationForm(forms.ModelForm):
    gemeente_code = forms.CharField(label="Gemeente (CBS-code)", help_text="Bijvoorbeeld GM0599 voor Rotterdam.", max_length=6)

    class Meta:
        model = Location
        fields = ["code", "naam", "kind", "address", "postcode", "plaats", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["gemeente_code"].initial = self.instance.gemeente.cbs_code

    def clean_postcode(self) -> str:
        value = (self.cleaned_data.get("postcode") or "").upper().replace(" ", "")
        return f"{value[:4]} {value[4:]}" if value else ""

    def clean_code(self) -> str:
        return self.cleaned_data["code"].upper()

    def clean_gemeente_code(self) -> Gemeente:
        code = self.cleaned_data["gemeente_code"].strip().upper()
        gemeente = Gemeente.objects.filter(cbs_code=code).first()
        if gemeente is None:
            raise forms.ValidationError(f"Geen gemeente met CBS-code {code}. Een CBS-code ziet eruit als GM0599.")
        return gemeente


class StaffForm(forms.ModelForm):
    role = forms.ChoiceField(label="Rol", choices=[(Role.MEDEWERKER, "Medewerker"), (Role.COORDINATOR, "Coördinator")])
    password = forms.CharField(
        label="Wachtwoord", required=False, widget=forms.PasswordInput(render_value=False),
        help_text="Minstens 10 tekens. Leeg laten om het wachtwoord niet te wijzigen.",
    )

    class Meta:
        model = get_user_model()
        fields = ["username", "first_name", "last_name", "email", "role", "default_location", "is_active"]

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_location"].queryset = Location.objects.filter(organisation=organisation, active=True)
        if not self.instance.pk:
            self.fields["password"].required = True
            self.fields["password"].help_text = "Minstens 10 tekens."

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password") or ""
        if password:
            validate_password(password, self.instance)
        return password


class LocalCodeForm(forms.ModelForm):
    class Meta:
        model = LocalCode
        fields = ["list", "code", "label", "national_code", "active"]

    def clean_code(self) -> str:
        return self.cleaned_data["code"].upper()

    def clean(self):
        data = super().clean()
        national = (data.get("national_code") or "").upper()
        list_name = data.get("list")
        if list_name and national:
            known = codelists.codes(codelists.current_version(), list_name)
            if national not in known:
                self.add_error("national_code", f"'{national}' is geen landelijke code op de lijst {list_name}. Kies uit: {', '.join(known)}.")
            data["national_code"] = national
            if data.get("code") in known:
                self.add_error("code", "Deze code bestaat al landelijk; kies een eigen naam, bijvoorbeeld WONEN_WOONSTAD.")
        return data
