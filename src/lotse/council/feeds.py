"""iCalendar feeds (RFC 5545) of a body's meetings and of one organization's meetings.

Calendar programs fetch feeds without a login and keep copies, so a feed always shows
non-public agenda items as "N 1 – nicht öffentlich", whoever asks. Each meeting keeps its
UID for ever; its SEQUENCE rises on every change, and a cancelled meeting stays in the feed
with STATUS:CANCELLED so that calendars remove it.
"""

import datetime

import icalendar
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from lotse.core.views import BodyMixin
from lotse.council import selectors
from lotse.council.models import AgendaItem, Meeting, MeetingState, Organization

# How far back a feed reaches; calendar programs keep what they already have.
FEED_HISTORY = datetime.timedelta(days=365)
DEFAULT_DURATION = datetime.timedelta(hours=2)


def agenda_lines(meeting: Meeting) -> list[str]:
    """The agenda for the description: public items with their title, the others masked."""
    lines = []
    for item in meeting.agenda_items.all():
        if item.is_public:
            lines.append(f"{item.number} {item.name}".strip())
        else:
            lines.append(selectors.masked_label(item))
    return lines


def meeting_event(meeting: Meeting, url: str, stamp: datetime.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{meeting.uid}@lotse")
    event.add("dtstamp", stamp)
    start = meeting.start.astimezone(datetime.UTC)
    end = (meeting.end or meeting.start + DEFAULT_DURATION).astimezone(datetime.UTC)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", meeting.name)
    if meeting.location:
        event.add("location", meeting.location)
    event.add("url", url)
    event.add("sequence", meeting.sequence)
    cancelled = meeting.state == MeetingState.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    lines = agenda_lines(meeting)
    if lines:
        event.add("description", _("Agenda") + ":\n" + "\n".join(lines))
    return event


class CalendarView(BodyMixin, View):
    """One VEVENT per meeting of the past year and the future."""

    def meetings(self):
        raise NotImplementedError

    def calendar_name(self) -> str:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        meetings = (
            self.meetings()
            .filter(start__gte=timezone.now() - FEED_HISTORY)
            .prefetch_related(
                Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("order"))
            )
            .order_by("start", "pk")
        )
        feed = icalendar.Calendar()
        feed.add("prodid", "-//Lotse//Ratsinformation//DE")
        feed.add("version", "2.0")
        feed.add("calscale", "GREGORIAN")
        feed.add("x-wr-calname", self.calendar_name())
        stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
        for meeting in meetings:
            meeting.body = self.body
            url = request.build_absolute_uri(meeting.get_absolute_url())
            feed.add_component(meeting_event(meeting, url, stamp))
        response = HttpResponse(feed.to_ical(), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="kalender.ics"'
        return response


class BodyCalendarView(CalendarView):
    """``/<body>/sitzungen/kalender.ics``: every meeting of the body."""

    def meetings(self):
        return Meeting.objects.for_body(self.body)

    def calendar_name(self) -> str:
        return _("Meetings – %(body)s") % {"body": self.body.name}


class OrganizationCalendarView(CalendarView):
    """``/<body>/gremien/<pk>/kalender.ics``: the meetings of one organization."""

    def get(self, request, *args, **kwargs):
        self.organization = get_object_or_404(
            Organization.objects.for_body(self.body), pk=kwargs["pk"]
        )
        return super().get(request, *args, **kwargs)

    def meetings(self):
        return Meeting.objects.for_body(self.body).filter(organizations=self.organization)

    def calendar_name(self) -> str:
        return _("Meetings – %(organization)s") % {"organization": self.organization.name}
