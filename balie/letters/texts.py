"""The letter explainer's own sentences for the visitor and the staff member, written in Dutch (B1) and marked for
translation: the explainer runs without Django settings too (bench, the command line), so its results carry these Dutch
texts, and the page shows them in its language through translated() while it renders.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop as N  # marks only; needs no settings

# What the letter asks, and how we say that to the visitor (B1).
# The texts are Dutch; the page shows them in its own language (the *_shown properties, translated when rendered).
ACTIONS = {
    "betalen": N("U moet een bedrag betalen."),
    "documenten": N("U moet papieren of gegevens opsturen."),
    "bezwaar": N("U krijgt niet wat u vroeg. Bent u het niet eens? Dan kunt u bezwaar maken."),
    "reageren": N("U moet reageren: bel, mail of schrijf de afzender vóór de datum hieronder. In de brief staat hoe."),
    "onzeker": N("We weten niet zeker wat u moet doen. Lees de brief samen met een medewerker en let op de datum hieronder."),
    "niets": N("U hoeft nu niets te doen. Bewaar de brief."),
}
UNSURE_NO_DATE = N("We weten niet zeker wat u moet doen. Lees de brief samen met een medewerker.")
# "niets" while the letter names an objection period: nothing is asked, but the visitor may object until that date.
NOTHING_BUT_OBJECTION = N("U hoeft nu niets te betalen of op te sturen. Bent u het niet eens met de brief? Let dan op de datum hieronder.")
KIND_LABELS = {
    "betalen": N("Betalen"),
    "bezwaar": N("Bezwaar maken (als u het niet eens bent)"),
    "documenten": N("Papieren of gegevens opsturen"),
    "reageren": N("Reageren"),
}
# Too little text: from a picture (a new photo helps) or typed (the whole letter is needed).
HARDLY_READ = N("We konden bijna geen tekst lezen. Maak een nieuwe foto: recht van boven, met goed licht en de hele brief in beeld.")
TOO_SHORT = N("Deze tekst is te kort om uit te leggen. Plak of kies de hele brief.")
# Text with next to no ordinary Dutch words in sentences: code, numbers, one word over and over.
NOT_A_LETTER = N("Dit lijkt geen brief: we vinden bijna geen gewone Nederlandse zinnen. Plak de tekst van de brief, of kies een foto, scan of PDF van de brief.")
# A letter in another language is refused (views.py shows the refusal translated, so each is a whole sentence).
OTHER_LANGUAGE = {
    "en": N("Deze brief lijkt in het Engels geschreven. Balie kan alleen Nederlandse brieven uitleggen."),
    "de": N("Deze brief lijkt in het Duits geschreven. Balie kan alleen Nederlandse brieven uitleggen."),
    "fr": N("Deze brief lijkt in het Frans geschreven. Balie kan alleen Nederlandse brieven uitleggen."),
    "pl": N("Deze brief lijkt in het Pools geschreven. Balie kan alleen Nederlandse brieven uitleggen."),
    "tr": N("Deze brief lijkt in het Turks geschreven. Balie kan alleen Nederlandse brieven uitleggen."),
    "es": N("Deze brief lijkt in het Spaans geschreven. Balie kan alleen Nederlandse brieven uitleggen."),
}
# Notes for the staff member: (Dutch text with %(...)s, its values), so the page can translate them.
NOTE_DEBIT = N("Het geld wordt automatisch van de rekening gehaald. Zorg dat er op die dag genoeg geld op de rekening staat.")
NOTE_NO_LETTER_DATE = N("We vonden geen datum van de brief. Kijk zelf bovenaan de brief.")
NOTE_POOR_READING = N("We konden deze foto maar voor een deel lezen. Kijk zelf in de brief of u iets moet betalen of doen, "
                      "en voor wanneer.")
NOTE_PERIOD_WITHOUT_DATE = N("In de brief staat '%(period)s', maar we vonden de datum van de brief niet. "
                             "Tel zelf vanaf de datum bovenaan de brief.")


def translated(text: str, values: dict[str, str] | None = None) -> str:
    """A Dutch text of this module in the active language (only called while a page is rendered)."""
    from django.utils.translation import gettext

    return gettext(text) % values if values else gettext(text)
