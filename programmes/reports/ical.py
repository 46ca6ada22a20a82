"""A partner's events as an iCalendar file (RFC 5545), for staff calendars.

Each event is an all-day ``VEVENT`` (the end date exclusive, as the standard wants) whose ``UID``
is made from the event's primary key and a fixed domain, so that a calendar that imports the
file again updates its entries instead of doubling them; ``SEQUENCE`` is the event's edit stamp.
Scheduled and delivered events are ``CONFIRMED``; cancelled and postponed ones ``CANCELLED`` (they
will not take place on those dates). A calendar subscribes to the file and fetches it again and
again, so it holds a bounded window whatever the partner's history: the events whose last day is
at most twelve months ago, and later ones, the soonest first, ``MAX_EVENTS`` at most (the file's
description says so). Read in two queries: the partner (404 unless visible) and its visible
events. The view is ``programmes.reports.views.partner.PartnerEventsCalendarView``.
"""

from __future__ import annotations

import datetime

import icalendar
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import Partner
from partners.permissions import visible_partners
from programmes.delivery.models import Event, EventStatus
from programmes.delivery.permissions import visible_events

# The right-hand side of every UID: fixed, so that a UID never changes with the site's address.
UID_DOMAIN = "events.pfp.invalid"
PRODUCT_ID = "-//PfP//Partnership programmes//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"
CONFIRMED = "CONFIRMED"
CANCELLED = "CANCELLED"
# The window: from twelve months ago onward, and a hard cap (a programme plans a few dozen
# activities a year: the cap is never reached by a real partner, only by a runaway import).
MONTHS_BACK = 12
MAX_EVENTS = 500


def event_uid(event: Event) -> str:
    return f"event-{event.pk}@{UID_DOMAIN}"


def window_start(today: datetime.date) -> datetime.date:
    """The first day of the window: the same day twelve months ago (28 February for 29)."""
    try:
        return today.replace(year=today.year - MONTHS_BACK // 12)
    except ValueError:
        return today.replace(year=today.year - MONTHS_BACK // 12, day=28)


def partner_events(user, partner_code: str) -> tuple[Partner, list[Event]]:
    """The partner (404 unless visible) and its visible events in the window, the soonest
    first, ``MAX_EVENTS`` at most."""
    partner = get_object_or_404(visible_partners(user), code=partner_code.upper())
    events = list(
        visible_events(user)
        .filter(partner=partner, end_date__gte=window_start(timezone.localdate()))
        .select_related("activity", "provider")
        .order_by("start_date", "activity__code", "pk")[:MAX_EVENTS]
    )
    return partner, events


def calendar(partner: Partner, events: list[Event], now: datetime.datetime) -> bytes:
    """The file: one ``VEVENT`` per event."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("Events of %(partner)s") % {"partner": partner.name})
    cal.add(
        "x-wr-caldesc",
        _(
            "The events of %(partner)s from twelve months ago onward (%(count)s at most), "
            "scheduled, delivered, cancelled or postponed."
        )
        % {"partner": partner.name, "count": MAX_EVENTS},
    )
    for event in events:
        entry = icalendar.Event()
        entry.add("uid", event_uid(event))
        entry.add("dtstamp", now)
        entry.add("last-modified", event.recorded_at)
        entry.add("sequence", event.edit_stamp)
        entry.add("summary", f"{event.activity.code} {event.activity.title}")
        entry.add("dtstart", event.start_date)
        entry.add("dtend", event.end_date + datetime.timedelta(days=1))
        entry.add("location", event.place or _("Online"))
        cancelled = event.status in (EventStatus.CANCELLED, EventStatus.POSTPONED)
        entry.add("status", CANCELLED if cancelled else CONFIRMED)
        entry.add("transp", "TRANSPARENT")
        lines = [partner.name, event.get_status_display()]
        if event.provider:
            lines.append(_("Provider: %(provider)s") % {"provider": event.provider.name})
        if event.online and event.place:
            lines.append(_("Online as well"))
        entry.add("description", "\n".join(lines))
        cal.add_component(entry)
    return cal.to_ical()


def filename(partner: Partner) -> str:
    return f"ITPP-{partner.code}-events-{timezone.localdate().isoformat()}.ics"
