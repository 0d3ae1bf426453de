"""A few demo announcements (aanmeldingen) for today, so the desk's 'Vandaag' list and the queue show the feature.

Through the announcement service (consent, audit, history are real), as the demo partner and the demo municipality.
Idempotent: nothing happens when there are announcements for today already.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone

from balie.announcements import services
from balie.announcements.models import Announcement
from balie.network.models import Location

DEMO = [
    # (account, instantie, onderwerp, text, with consent)
    ("partner", "BELASTINGDIENST", "BETALEN", "Wil een betalingsregeling aanvragen en weet niet waar te beginnen.", False),
    ("partner", "TOESLAGEN", "WIJZIGEN", "Inkomen is veranderd; de toeslag moet worden aangepast.", True),
    ("gemeente", "GEMEENTE", "AANVRAGEN", "Aanvraag bijzondere bijstand via de website van de gemeente lukt niet.", False),
]


def build_announcements(location_code: str = "RDAM-CENTRAAL") -> int:
    """Three announcements for today at the demo location. Returns how many were made."""
    today = timezone.localdate()
    location = Location.objects.filter(code=location_code).first()
    if location is None or Announcement.objects.filter(expected_on=today).exists():
        return 0
    users = get_user_model().objects
    slots = services.consultation_slots(location, start=today, days=1)
    made = 0
    for number, (username, instantie, onderwerp, text, consent) in enumerate(DEMO):
        user = users.filter(username=username).first()
        if user is None or not services.announce_locations(user).filter(pk=location.pk).exists():
            continue
        slot = slots[number % len(slots)] if slots and number != 0 else None
        services.announcement_create(
            user=user, location=location, expected_on=today, slot=(slot.start, slot.end) if slot else None, instantie=instantie,
            onderwerp=onderwerp, description=text, consent=consent,
            contact={"naam": "Demo Bezoeker", "telefoon": "06 12345678"} if consent else None,
        )
        made += 1
    return made
