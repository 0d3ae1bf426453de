"""The six kiosk topics and how they map to the national code lists.

A visitor's pictogram is a rough guess, so the pre-filled registration only fills what the topic
says for sure; the staff member completes or corrects it. `history_*` decides which earlier
registrations say something about how long such a visit takes (fallback for the wait estimate).
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Topic


@dataclass(frozen=True)
class TopicInfo:
    code: str
    label: str
    instantie: str = ""
    onderwerp: str = ""
    history_instanties: tuple[str, ...] = ()
    history_onderwerpen: tuple[str, ...] = ()


TOPICS: dict[str, TopicInfo] = {
    Topic.DIGID: TopicInfo(Topic.DIGID, Topic.DIGID.label, "DIGID", "INLOGGEN", history_instanties=("DIGID",)),
    Topic.BELASTING: TopicInfo(
        Topic.BELASTING, Topic.BELASTING.label, "BELASTINGDIENST", "AANGIFTE",
        history_instanties=("BELASTINGDIENST", "TOESLAGEN"),
    ),
    # A letter can come from anyone: the onderwerp is certain, the instantie is not.
    Topic.BRIEF: TopicInfo(Topic.BRIEF, Topic.BRIEF.label, "", "BERICHT", history_onderwerpen=("BERICHT",)),
    Topic.ZORG: TopicInfo(
        Topic.ZORG, Topic.ZORG.label, "ZORGVERZEKERAAR", "",
        history_instanties=("ZORGVERZEKERAAR", "ZORGVERLENER", "CAK"),
    ),
    Topic.GELD: TopicInfo(Topic.GELD, Topic.GELD.label, "", "BETALEN", history_onderwerpen=("BETALEN",)),
    Topic.ANDERS: TopicInfo(Topic.ANDERS, Topic.ANDERS.label),
}

NO_TOPIC = TopicInfo("", "Zonder onderwerp")


def topic_info(code: str) -> TopicInfo:
    return TOPICS.get(code, NO_TOPIC)
