"""iCalendar feed of a location's consultation hours.

One VEVENT per concrete slot for the next 8 weeks rather than a weekly RRULE with EXDATEs: holidays, closures and
one-off sessions are then already applied, and every calendar app shows the same thing as the location page.
Calendar apps re-fetch the feed, so later weeks appear as time goes on.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from balie.network.models import Location
from balie.network.schedule import hours

WEEKS = 8


def build_calendar(
    location: Location, schedule: hours.Schedule, now: dt.datetime, *, url: str, summaries: dict[str, str], prodid: str
) -> bytes:
    """`summaries` maps a kind (INLOOP/SPREEKUUR) to its title in the visitor's language."""
    cal = Calendar()
    cal.add("prodid", prodid)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", location.naam)
    cal.add("x-wr-timezone", "Europe/Amsterdam")
    cal.add_component(amsterdam_vtimezone())
    where = ", ".join(part for part in (location.address, f"{location.postcode} {location.plaats}".strip()) if part)
    stamp = now.astimezone(dt.UTC).replace(microsecond=0)
    for slot in hours.upcoming(schedule, now, days=WEEKS * 7):
        event = Event()
        # Stable per slot, so a re-fetched feed updates events instead of duplicating them.
        event.add("uid", f"{location.uuid}-{slot.date:%Y%m%d}-{slot.start:%H%M}-{slot.kind.lower()}@balie")
        event.add("dtstamp", stamp)
        event.add("dtstart", slot.starts_at())
        event.add("dtend", slot.ends_at())
        event.add("summary", slot.title or f"{summaries.get(slot.kind, slot.kind)}: {location.naam}")
        if where:
            event.add("location", where)
        event.add("url", url)
        event.add("description", url)
        cal.add_component(event)
    return cal.to_ical()


def amsterdam_vtimezone() -> Timezone:
    """Europe/Amsterdam as two yearly rules (EU summer time since 1996), so TZID resolves in every client.

    icalendar's add_missing_timezones() lists every transition since 1970: ~2 KB per feed for nothing.
    """
    tz = Timezone()
    tz.add("tzid", "Europe/Amsterdam")
    summer = TimezoneDaylight()
    summer.add("tzname", "CEST")
    summer.add("dtstart", dt.datetime(1981, 3, 29, 2, 0))
    summer.add("tzoffsetfrom", dt.timedelta(hours=1))
    summer.add("tzoffsetto", dt.timedelta(hours=2))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1SU"})
    winter = TimezoneStandard()
    winter.add("tzname", "CET")
    winter.add("dtstart", dt.datetime(1996, 10, 27, 3, 0))
    winter.add("tzoffsetfrom", dt.timedelta(hours=2))
    winter.add("tzoffsetto", dt.timedelta(hours=1))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1SU"})
    tz.add_component(summer)
    tz.add_component(winter)
    return tz
