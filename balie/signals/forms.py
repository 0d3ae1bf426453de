from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from balie.partners.models import Partner

from .models import DismissReason
from .services import DISMISS_NOTE_MAX


class ConfirmForm(forms.Form):
    description = forms.CharField(label=_("Wat is het probleem?"), widget=forms.Textarea(attrs={"class": "input", "rows": 3}),
                                  help_text=_("Beschrijf in gewone woorden wat bezoekers tegenkomen. Geen namen of persoonsgegevens."))
    impact = forms.CharField(label=_("Wat betekent dit voor bezoekers?"), widget=forms.Textarea(attrs={"class": "input", "rows": 3}),
                             help_text=_("Bijvoorbeeld: zij kunnen hun aangifte niet afmaken."))
    national = forms.BooleanField(
        label=_("Ook landelijk melden"), required=False,
        help_text=_("Is deze installatie aangesloten op de landelijke hub, dan krijgt de hub een samenvatting: de instantie, de "
                    "weken, het aantal vragen (beschermd) en uw omschrijving. Nooit notities of persoonsgegevens."),
    )

    def __init__(self, *args, library_signal: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not library_signal:  # a national signal is national already
            del self.fields["national"]


class SendForm(forms.Form):
    recipient = forms.ModelChoiceField(label=_("Aan welke organisatie?"), queryset=Partner.objects.none(),
                                       widget=forms.Select(attrs={"class": "input"}))
    include_examples = forms.BooleanField(label=_("Voorbeeldnotities meesturen (zijn al anoniem)"), required=False)

    def __init__(self, *args, recipients=None, **kwargs):
        super().__init__(*args, **kwargs)
        if recipients is not None:
            self.fields["recipient"].queryset = recipients


class RespondForm(forms.Form):
    text = forms.CharField(label=_("Uw reactie"), widget=forms.Textarea(attrs={"class": "input", "rows": 3}))
    change = forms.CharField(label=_("Wat heeft u veranderd?"), required=False, widget=forms.Textarea(attrs={"class": "input", "rows": 2}))
    change_date = forms.DateField(label=_("Sinds wanneer geldt de verandering?"), required=False,
                                  widget=forms.DateInput(attrs={"class": "input", "type": "date"}))


class CloseForm(forms.Form):
    solved = forms.TypedChoiceField(label=_("Hoe is het afgelopen?"), coerce=lambda v: v == "ja", widget=forms.RadioSelect,
                                    choices=[("ja", _("Opgelost")), ("nee", _("Niet opgepakt"))])
    note = forms.CharField(label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"class": "input", "rows": 2}))


class RecipientForm(forms.Form):
    """A recipient of signal reports. Instanties are ticked by name and stored as |UWV|WONEN|.

    A plain form: signals.services.signal_recipient_save decides who owns the organisation and writes it.
    """

    name = forms.CharField(label=_("Naam"), max_length=150, help_text=_("Naam van de organisatie, bijvoorbeeld Belastingdienst."),
                           widget=forms.TextInput(attrs={"class": "input", "autocomplete": "organization"}))
    email = forms.EmailField(label=_("E-mailadres"), help_text=_("Waar signaalrapporten naartoe gaan."),
                             widget=forms.EmailInput(attrs={"class": "input", "autocomplete": "email"}))
    # Picked by name from the instanties (national and the library's own), never typed as codes (review 2026-12, B11):
    # a value that is not one of the checkboxes is refused, whatever its spelling.
    codes = forms.MultipleChoiceField(
        label=_("Voor welke instanties?"), widget=forms.CheckboxSelectMultiple,
        help_text=_("Kies de organisaties waarover deze ontvanger signalen krijgt."),
        error_messages={"required": _("Kies minstens één instantie."),
                        "invalid_choice": _("%(value)s staat niet in de lijst. Kies de instanties uit de lijst.")},
    )

    def __init__(self, *args, allowed_codes: dict[str, str], recipient: Partner | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["codes"].choices = sorted(allowed_codes.items(), key=lambda item: item[1].lower())
        if recipient is not None and recipient.pk:
            self.initial.update({"name": recipient.name, "email": recipient.signal_report_email, "codes": list(recipient.codes)})

    def clean_codes(self) -> str:
        return "|" + "|".join(dict.fromkeys(self.cleaned_data["codes"])) + "|"


class DismissForm(forms.Form):
    """"Geen signaal": a reason from the list and a short explanation, both required (the history shows them later)."""

    reason = forms.ChoiceField(
        label=_("Waarom is dit geen signaal?"), choices=DismissReason.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Kies waarom dit geen signaal is."), "invalid_choice": _("Kies een van de redenen uit de lijst.")},
    )
    note = forms.CharField(
        label=_("Toelichting"), max_length=DISMISS_NOTE_MAX,
        help_text=format_lazy(_("Kort, voor uw collega's later (hoogstens {limit} tekens). Geen namen of andere persoonsgegevens."),
                          limit=DISMISS_NOTE_MAX),
        widget=forms.Textarea(attrs={"class": "input", "rows": 3, "maxlength": DISMISS_NOTE_MAX}),
        error_messages={"required": _("Schrijf kort op waarom dit geen signaal is."),
                        "max_length": _("De toelichting mag hoogstens %(limit_value)d tekens zijn (nu %(show_value)d).")},
    )

    def clean_note(self) -> str:
        note = self.cleaned_data["note"].strip()
        if len(note) < 3:
            raise forms.ValidationError(_("Schrijf kort op waarom dit geen signaal is."))
        return note
