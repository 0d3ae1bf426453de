from __future__ import annotations

from django import forms

from .models import SignalRecipient


class ConfirmForm(forms.Form):
    description = forms.CharField(label="Wat is het probleem?", widget=forms.Textarea(attrs={"class": "input", "rows": 3}),
                                  help_text="Beschrijf in gewone woorden wat bezoekers tegenkomen. Geen namen of persoonsgegevens.")
    impact = forms.CharField(label="Wat betekent dit voor bezoekers?", widget=forms.Textarea(attrs={"class": "input", "rows": 3}),
                             help_text="Bijvoorbeeld: zij kunnen hun aangifte niet afmaken.")


class SendForm(forms.Form):
    recipient = forms.ModelChoiceField(label="Aan welke organisatie?", queryset=SignalRecipient.objects.none(),
                                       widget=forms.Select(attrs={"class": "input"}))
    include_examples = forms.BooleanField(label="Voorbeeldnotities meesturen (zijn al anoniem)", required=False)

    def __init__(self, *args, recipients=None, **kwargs):
        super().__init__(*args, **kwargs)
        if recipients is not None:
            self.fields["recipient"].queryset = recipients


class RespondForm(forms.Form):
    text = forms.CharField(label="Uw reactie", widget=forms.Textarea(attrs={"class": "input", "rows": 3}))
    change = forms.CharField(label="Wat heeft u veranderd?", required=False, widget=forms.Textarea(attrs={"class": "input", "rows": 2}))
    change_date = forms.DateField(label="Sinds wanneer geldt de verandering?", required=False,
                                  widget=forms.DateInput(attrs={"class": "input", "type": "date"}))


class CloseForm(forms.Form):
    solved = forms.TypedChoiceField(label="Hoe is het afgelopen?", coerce=lambda v: v == "ja", widget=forms.RadioSelect,
                                    choices=[("ja", "Opgelost"), ("nee", "Niet opgepakt")])
    note = forms.CharField(label="Toelichting", required=False, widget=forms.Textarea(attrs={"class": "input", "rows": 2}))


class RecipientForm(forms.ModelForm):
    """A recipient of signal reports. Codes are typed as "UWV, WONEN_WOONSTAD" and stored as |UWV|WONEN_WOONSTAD|."""

    codes = forms.CharField(
        label="Voor welke instanties?", widget=forms.TextInput(attrs={"class": "input", "autocomplete": "off"}),
        help_text="Eén of meer codes, gescheiden door komma's, bijvoorbeeld UWV of WONEN_WOONSTAD.",
    )

    class Meta:
        model = SignalRecipient
        fields = ["name", "email"]
        widgets = {
            "name": forms.TextInput(attrs={"class": "input", "autocomplete": "organization"}),
            "email": forms.EmailInput(attrs={"class": "input", "autocomplete": "email"}),
        }

    def __init__(self, *args, allowed_codes: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed_codes = allowed_codes
        self.order_fields(["name", "email", "codes"])
        if self.instance.pk:
            self.fields["codes"].initial = ", ".join(self.instance.codes)

    def clean_codes(self) -> str:
        codes = [c.strip().upper() for c in self.cleaned_data["codes"].replace(";", ",").split(",") if c.strip()]
        unknown = [c for c in codes if c not in self.allowed_codes]
        if unknown:
            raise forms.ValidationError(
                f"Onbekende code{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}. Gebruik de codes uit de codelijst instantie"
                " of de lokale codes van uw organisatie."
            )
        if not codes:
            raise forms.ValidationError("Vul minstens één code in.")
        return "|" + "|".join(dict.fromkeys(codes)) + "|"

    def save(self, commit: bool = True) -> SignalRecipient:
        self.instance.instantie_codes = self.cleaned_data["codes"]
        return super().save(commit=commit)
