"""Atom (RFC 4287) and RSS 2.0 feeds of what changes in a body: new papers, decisions,
published reports, measures whose state or traffic light changed, ideas that got an official
answer. Public data only: every feed reads through the selectors the pages use, for an
anonymous visitor, whoever asks."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.db.models import F, Q, Window
from django.db.models.functions import Lag
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.core.models import Body
from lotse.core.navigation import body_queryset
from lotse.council.models import DecisionOutcome, PaperType
from lotse.council.selectors import visible_decisions, visible_papers
from lotse.opendata.datasets import anonymous, url
from lotse.participation.selectors import public_ideas
from lotse.reporting.services import published_reports
from lotse.strategy.models import MeasureStatus, MeasureTransition, StatusUpdate, TrafficLight
from lotse.strategy.selectors import visible_measures

LIMIT = 50

KINDS = {
    "vorlagen": gettext_lazy("New papers"),
    "beschluesse": gettext_lazy("Decisions"),
    "berichte": gettext_lazy("Status reports"),
    "massnahmen": gettext_lazy("Changes to measures"),
    "ideen": gettext_lazy("Answered ideas"),
}


@dataclass
class Entry:
    title: str
    link: str
    description: str
    date: datetime.datetime
    guid: str


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def paper_entries(body: Body) -> list[Entry]:
    types = dict(PaperType.choices)
    papers = (
        visible_papers(anonymous(), body)
        .order_by(F("released_at").desc(nulls_last=True), "-pk")
        .only("pk", "reference", "name", "paper_type", "date", "released_at")[:LIMIT]
    )
    return [
        Entry(
            title=f"{p.reference}: {p.name}".strip(": "),
            link=url(reverse("council:paper", kwargs={"body_slug": body.slug, "pk": p.pk})),
            description=str(types.get(p.paper_type, p.paper_type)),
            date=p.released_at or _aware(p.date),
            guid=f"lotse:{body.slug}:paper:{p.pk}",
        )
        for p in papers
    ]


def decision_entries(body: Body) -> list[Entry]:
    outcomes = dict(DecisionOutcome.choices)
    decisions = (
        visible_decisions(anonymous(), body)
        .select_related("agenda_item__meeting")
        .order_by("-date", "-pk")[:LIMIT]
    )
    return [
        Entry(
            title=f"{d.agenda_item.name} – {outcomes.get(d.outcome, d.outcome)}",
            link=url(
                reverse(
                    "council:meeting",
                    kwargs={"body_slug": body.slug, "pk": d.agenda_item.meeting_id},
                )
            ),
            description=" ".join(
                part for part in (d.number, d.agenda_item.meeting.name, d.resolution_text) if part
            ),
            date=_aware(d.date),
            guid=f"lotse:{body.slug}:decision:{d.pk}",
        )
        for d in decisions
    ]


def report_entries(body: Body) -> list[Entry]:
    reports = published_reports(body).order_by("-published_at", "-pk")[:LIMIT]
    return [
        Entry(
            title=f"{r.title} ({r.label})",
            link=url(reverse("reporting:report", kwargs={"body_slug": body.slug, "pk": r.pk})),
            description=r.correction_note or r.title,
            date=r.published_at,
            guid=f"lotse:{body.slug}:report:{r.pk}",
        )
        for r in reports
    ]


def measure_url(body: Body, pk: int) -> str:
    return url(reverse("strategy:measure", kwargs={"body_slug": body.slug, "pk": pk}))


def measure_entries(body: Body) -> list[Entry]:
    """State changes and traffic-light changes (the first light counts as a change)."""
    measures = visible_measures(anonymous(), body)
    states = dict(MeasureStatus.choices)
    lights = dict(TrafficLight.choices)
    entries = []
    for t in (
        MeasureTransition.objects.filter(measure__in=measures)
        .select_related("measure")
        .order_by("-at", "-pk")[:LIMIT]
    ):
        entries.append(
            Entry(
                title=_("%(measure)s: now %(state)s")
                % {"measure": t.measure.title, "state": states.get(t.to_status, t.to_status)},
                link=measure_url(body, t.measure_id),
                description=_("State changed from %(old)s to %(new)s.")
                % {
                    "old": states.get(t.from_status, t.from_status),
                    "new": states.get(t.to_status, t.to_status),
                },
                date=t.at,
                guid=f"lotse:{body.slug}:transition:{t.pk}",
            )
        )
    previous = Window(
        Lag("traffic_light"), partition_by=[F("measure_id")], order_by=[F("reported_on"), F("pk")]
    )
    changed = (
        StatusUpdate.objects.filter(measure__in=measures)
        .annotate(previous=previous)
        .filter(Q(previous__isnull=True) | ~Q(previous=F("traffic_light")))
        .select_related("measure")
        .order_by("-reported_on", "-pk")[:LIMIT]
    )
    for u in changed:
        entries.append(
            Entry(
                title=_("%(measure)s: traffic light %(light)s")
                % {"measure": u.measure.title, "light": lights.get(u.traffic_light, "")},
                link=measure_url(body, u.measure_id),
                description=u.explanation or u.text or "",
                date=max(u.created_at, _aware(u.reported_on)),
                guid=f"lotse:{body.slug}:update:{u.pk}",
            )
        )
    entries.sort(key=lambda e: e.date, reverse=True)
    return entries[:LIMIT]


def idea_entries(body: Body) -> list[Entry]:
    ideas = (
        public_ideas(body)
        .filter(answered_at__isnull=False)
        .exclude(answer="")
        .order_by("-answered_at", "-pk")
        .only("pk", "title", "answer", "answered_at")[:LIMIT]
    )
    return [
        Entry(
            title=i.title,
            link=url(f"/{body.slug}/ideen/{i.pk}/"),
            description=i.answer,
            date=i.answered_at,
            guid=f"lotse:{body.slug}:idea-answer:{i.pk}",
        )
        for i in ideas
    ]


ENTRIES = {
    "vorlagen": paper_entries,
    "beschluesse": decision_entries,
    "berichte": report_entries,
    "massnahmen": measure_entries,
    "ideen": idea_entries,
}


class BodyFeed(Feed):
    language = "de"

    def get_object(self, request, body_slug: str, kind: str):
        if kind not in ENTRIES:
            raise Http404
        body = get_object_or_404(body_queryset(), slug=body_slug)
        request.lotse_body = body
        return body, kind

    def title(self, obj) -> str:
        body, kind = obj
        return f"{body.name}: {KINDS[kind]}"

    def link(self, obj) -> str:
        body, _kind = obj
        return url(reverse("opendata:index", kwargs={"body_slug": body.slug}))

    def description(self, obj) -> str:
        return self.title(obj)

    def feed_url(self, obj) -> str:
        body, kind = obj
        name = "opendata:atom" if self.feed_type is Atom1Feed else "opendata:rss"
        return url(reverse(name, kwargs={"body_slug": body.slug, "kind": kind}))

    def items(self, obj) -> list[Entry]:
        body, kind = obj
        return ENTRIES[kind](body)

    def item_title(self, item: Entry) -> str:
        return item.title

    def item_link(self, item: Entry) -> str:
        return item.link

    def item_description(self, item: Entry) -> str:
        return item.description

    def item_pubdate(self, item: Entry):
        return item.date

    def item_updateddate(self, item: Entry):
        return item.date

    def item_guid(self, item: Entry) -> str:
        return item.guid

    item_guid_is_permalink = False


class AtomFeed(BodyFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj) -> str:
        return self.title(obj)


class RssFeed(BodyFeed):
    feed_type = Rss201rev2Feed


def feed_links(body: Body, kinds) -> list[dict]:
    """What the page's head links as ``<link rel="alternate">``."""
    links = []
    for kind in kinds:
        kwargs = {"body_slug": body.slug, "kind": kind}
        title = f"{body.short_name}: {KINDS[kind]}"
        links.append(
            {
                "type": "application/atom+xml",
                "title": f"{title} (Atom)",
                "url": reverse("opendata:atom", kwargs=kwargs),
            }
        )
        links.append(
            {
                "type": "application/rss+xml",
                "title": f"{title} (RSS)",
                "url": reverse("opendata:rss", kwargs=kwargs),
            }
        )
    return links
