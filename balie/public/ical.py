"""iCalendar feed of a location's consultation hours.

One recurring VEVENT (RRULE FREQ=WEEKLY) per weekly consultation hour, with an EXDATE for every date on which it does
not take place (public holidays, closures), plus one VEVENT per one-off session. A visitor who imports the file gets
two or three series in their calendar instead of dozens of loose blocks (review 2026-12, "iCal"), and a calendar
app that subscribes sees the same hours as the location page: the exceptions come from the same day plan
(network/schedule/hours.py). The series end after HORIZON_WEEKS, because holidays and closures are only known that
far ahead; a subscribed calendar re-fetches the feed and the series move along.

UIDs are stable (location + weekday + start + kind for a series, the date for a session), so a re-fetched or
re-imported feed updates the events instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from balie.network.models import Location
from balie.network.schedule import hours

# How far ahead the series run and one-off sessions are listed (also how far ahead views load closures/sessions).
HORIZON_WEEKS = 26
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def build_calendar(
    location: Location, schedule: hours.Schedule, now: dt.datetime, *, url: str, summaries: dict[str, str], prodid: str
) -> bytes:
    """`summaries` maps a kind (INLOOP/SPREEKUUR) to its title in the visitor's language."""
    cal = Calendar()
    cal.add("prodid", prodid)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", location.naam)
    cal.add("x-wr-timezone", "Europe/Amsterdam")
    cal.add_component(amsterdam_vtimezone())
    where = ", ".join(part for part in (location.address, f"{location.postcode} {location.plaats}".strip()) if part)
    stamp = now.astimezone(dt.UTC).replace(microsecond=0)
    today = now.astimezone(hours.TZ).date()
    last_day = today + dt.timedelta(weeks=HORIZON_WEEKS) - dt.timedelta(days=1)

    def event_for(uid: str, start: dt.datetime, end: dt.datetime, summary: str) -> Event:
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", summary)
        if where:
            event.add("location", where)
        event.add("url", url)
        event.add("description", url)
        return event

    for weekly in sorted(schedule.weekly, key=lambda w: (w.weekday, w.start, w.kind)):
        if weekly.kind != hours.SPREEKUUR:
            continue  # walk-in opening hours are not appointments; the location page shows them
        series = _series(schedule, weekly, today, last_day)
        if series is None:
            continue
        first, occurrences, skipped = series
        event = event_for(
            f"{location.uuid}-wekelijks-{weekly.weekday}-{weekly.start:%H%M}-{weekly.kind.lower()}@balie",
            dt.datetime.combine(first, weekly.start, tzinfo=hours.TZ),
            dt.datetime.combine(first, weekly.end, tzinfo=hours.TZ),
            f"{summaries.get(weekly.kind, weekly.kind)}: {location.naam}",
        )
        event.add("rrule", {"freq": "weekly", "byday": ICAL_DAYS[weekly.weekday], "count": occurrences})
        if skipped:
            event.add("exdate", [dt.datetime.combine(day, weekly.start, tzinfo=hours.TZ) for day in skipped])
        cal.add_component(event)

    for session in sorted(schedule.sessions, key=lambda s: (s.date, s.start)):
        if not today <= session.date <= last_day:
            continue
        plan = hours.day_plan(schedule, session.date)
        if not any(slot.one_off and slot.start == session.start and slot.end == session.end for slot in plan.slots):
            continue  # a closure cancels sessions too
        ends = dt.datetime.combine(session.date, session.end, tzinfo=hours.TZ)
        if ends <= now:
            continue
        cal.add_component(event_for(
            f"{location.uuid}-{session.date:%Y%m%d}-{session.start:%H%M}-{session.kind.lower()}@balie",
            dt.datetime.combine(session.date, session.start, tzinfo=hours.TZ),
            ends,
            session.title or f"{summaries.get(session.kind, session.kind)}: {location.naam}",
        ))
    return cal.to_ical()


def _series(
    schedule: hours.Schedule, weekly: hours.WeeklySlot, today: dt.date, last_day: dt.date
) -> tuple[dt.date, int, list[dt.date]] | None:
    """First date, number of weeks (COUNT, EXDATEs included) and the dates a holiday or closure cancels it."""
    first = today + dt.timedelta(days=(weekly.weekday - today.weekday()) % 7)
    dates = []
    day = first
    while day <= last_day:
        dates.append(day)
        day += dt.timedelta(weeks=1)
    if not dates:
        return None
    skipped = [d for d in dates if not any(
        not s.one_off and s.start == weekly.start and s.end == weekly.end and s.kind == weekly.kind
        for s in hours.day_plan(schedule, d).slots
    )]
    # A series that starts (or ends) on a cancelled date still starts on its first real date: some calendar apps show
    # DTSTART even when an EXDATE removes it.
    held = [d for d in dates if d not in skipped]
    if not held:
        return None
    start = held[0]
    dates = [d for d in dates if start <= d <= held[-1]]
    return start, len(dates), [d for d in skipped if start <= d <= held[-1]]


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
