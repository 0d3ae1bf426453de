from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from balie.partners.models import Partner

from .models import DismissReason
from .services import DISMISS_NOTE_MAX


class ConfirmForm(forms.Form):
    description = forms.CharField(label="Wat is het probleem?", widget=forms.Textarea(attrs={"class": "input", "rows": 3}),
                                  help_text="Beschrijf in gewone woorden wat bezoekers tegenkomen. Geen namen of persoonsgegevens.")
    impact = forms.CharField(label="Wat betekent dit voor bezoekers?", widget=forms.Textarea(attrs={"class": "input", "rows": 3}),
                             help_text="Bijvoorbeeld: zij kunnen hun aangifte niet afmaken.")


class SendForm(forms.Form):
    recipient = forms.ModelChoiceField(label="Aan welke organisatie?", queryset=Partner.objects.none(),
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


class RecipientForm(forms.Form):
    """A recipient of signal reports. Codes are typed as "UWV, WONEN_WOONSTAD" and stored as |UWV|WONEN_WOONSTAD|.

    A plain form: signals.services.signal_recipient_save decides who owns the organisation and writes it.
    """

    name = forms.CharField(label="Naam", max_length=150, help_text="Naam van de organisatie, bijvoorbeeld Belastingdienst.",
                           widget=forms.TextInput(attrs={"class": "input", "autocomplete": "organization"}))
    email = forms.EmailField(label="E-mailadres", help_text="Waar signaalrapporten naartoe gaan.",
                             widget=forms.EmailInput(attrs={"class": "input", "autocomplete": "email"}))
    codes = forms.CharField(
        label="Voor welke instanties?", widget=forms.TextInput(attrs={"class": "input", "autocomplete": "off"}),
        help_text="Eén of meer codes, gescheiden door komma's, bijvoorbeeld UWV of WONEN_WOONSTAD.",
    )

    def __init__(self, *args, allowed_codes: dict[str, str], recipient: Partner | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed_codes = allowed_codes
        if recipient is not None and recipient.pk:
            self.initial.update({"name": recipient.name, "email": recipient.signal_report_email, "codes": ", ".join(recipient.codes)})

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


class DismissForm(forms.Form):
    """"Geen signaal": a reason from the list and a short explanation, both required (the history shows them later)."""

    reason = forms.ChoiceField(
        label="Waarom is dit geen signaal?", choices=DismissReason.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Kies waarom dit geen signaal is."), "invalid_choice": _("Kies een van de redenen uit de lijst.")},
    )
    note = forms.CharField(
        label="Toelichting", max_length=DISMISS_NOTE_MAX,
        help_text=f"Kort, voor uw collega's later (hoogstens {DISMISS_NOTE_MAX} tekens). Geen namen of andere persoonsgegevens.",
        widget=forms.Textarea(attrs={"class": "input", "rows": 3, "maxlength": DISMISS_NOTE_MAX}),
        error_messages={"required": _("Schrijf kort op waarom dit geen signaal is."),
                        "max_length": _("De toelichting mag hoogstens %(limit_value)d tekens zijn (nu %(show_value)d).")},
    )

    def clean_note(self) -> str:
        note = self.cleaned_data["note"].strip()
        if len(note) < 3:
            raise forms.ValidationError(_("Schrijf kort op waarom dit geen signaal is."))
        return note
