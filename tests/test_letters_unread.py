"""What a phone photo leaves of a letter: the rules stay safe when words are cut off or misread (found on bench seed 101).

- An objection period whose date could not be read ("res weken na de dagtekening") is never "nothing to do".
- A street name alone on its line, its number misread ("Schoolstraat }"), is never the sender.
- A common word for a kind of organisation with two letters misread ("Zongverzekoringen") is read as meant.
"""

from __future__ import annotations

import pytest

from balie.letters.explain import explain_letter
from balie.letters.ocrwords import repair
from balie.letters.sender import find_sender
from balie.messagecheck.domains import base_register

DECISION = """{sender}
Postbus 139
3954 WA Zonneveste

Mevrouw A. de Vries
Kerkweg 4
4853 AB Dinkelvaart

{date}Onderwerp: Besluit op uw aanvraag

Beste bewoner,

Op 23 mei 2026 heeft u een aanvraag gedaan. Wij hebben uw aanvraag {decision}.

Bent u het niet eens met dit besluit? Dan kunt u bezwaar maken. Dit moet
{period} na de dagtekening van deze brief.

Met vriendelijke groet,

{sender}
T. Mulder
"""


@pytest.mark.parametrize("period", ["res weken", "binnen zes weken", "weken", "binnen de termijn van zes"])
@pytest.mark.parametrize("decision", ["wezen", "toegekend", "afgewezen"])
def test_an_objection_period_without_a_date_is_never_nothing_to_do(period, decision):
    """No date on the letter (or none read): the period cannot become a date, so the visitor hears "not sure"."""
    result = explain_letter(DECISION.format(sender="Stichting Zorgfonds", date="", decision=decision, period=period))
    assert result.action != "niets", (period, decision, result.action)
    assert not result.deadlines


def test_with_its_date_the_objection_period_is_a_date_and_a_granted_letter_asks_nothing():
    result = explain_letter(DECISION.format(sender="Stichting Zorgfonds", date="Dagtekening: 10 juni 2026\n",
                                            decision="toegekend", period="binnen zes weken"))
    assert [str(d.date) for d in result.deadlines] == ["2026-07-22"]
    assert result.action == "niets"  # shown as "nothing to pay or send; disagree? mind the date below"


@pytest.mark.parametrize("street", ["Schoolstraat }", "Kerkstraat", "Lindelaan 1|", "Molenweg ]]"])
def test_a_street_alone_on_its_line_is_never_the_sender(street):
    text = f"""Mevrouw A. de Vries
{street}
4853 AB DINKELVAART

Dagtekening: 10 juni 2026

Stichting Zorgfonds
Postbus 139
3954 WA Zonneveste

Beste bewoner,

Wij hebben uw aanvraag ontvangen.

Met vriendelijke groet,

Stichting Zorgfonds
T. Mulder
"""
    assert find_sender(text, base_register()) == "Stichting Zorgfonds"


@pytest.mark.parametrize(("read", "meant"), [
    ("Duinhof Zongverzekoringen", "Duinhof Zorgverzekeringen"), ("Woonstichtlng De Linde", "Woonstichting De Linde"),
    ("WATERSCHEP RIJNLAND", "WATERSCHAP RIJNLAND"), ("Incassobureeu Noord", "Incassobureau Noord"),
])
def test_a_misread_word_for_a_kind_of_organisation_is_read_as_meant(read, meant):
    assert repair(read) == meant


@pytest.mark.parametrize("name", ["Duinhof", "Zonneveste", "Zorgfonds", "Verzekeraars", "Zilveren Kruis", "Belastingen"])
def test_an_organisations_own_name_is_never_changed(name):
    assert repair(name) == name
