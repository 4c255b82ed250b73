"""The datasets a body publishes as open data: their description for the catalog and the
Table Schema, and their rows.

Every dataset reads only public data through the selectors the pages use
(``strategy.selectors.visible_measures`` and ``council.selectors.visible_*`` for an anonymous
visitor, ``participation.selectors.public_ideas``, the published reports), in a fixed number of
queries whatever the number of rows, and yields its rows one by one from
``iterator(chunk_size=…)`` so that a download never holds all rows in memory.

The descriptions are published in German (``@de`` in the catalog, German titles in the Table
Schema), whatever the language of the page that links them; field names are stable
lower-case ASCII names that stay the same across versions.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Max, Min
from django.urls import reverse
from django.utils import timezone

from lotse.core.impacts import ImpactAssessment
from lotse.core.models import Body
from lotse.council.models import (
    DecisionOutcome,
    FollowUp,
    FollowUpState,
    Meeting,
    MeetingState,
    PaperType,
    follow_up_standing,
)
from lotse.council.selectors import visible_decisions, visible_papers
from lotse.opendata import cockpit_series
from lotse.opendata.stamps import Source
from lotse.participation.exports import pseudonym
from lotse.participation.models import IdeaState
from lotse.participation.selectors import public_ideas
from lotse.reporting.models import StatusReport
from lotse.reporting.services import current_published, published_reports
from lotse.strategy.models import (
    ActionField,
    Goal,
    MeasureStatus,
    StatusUpdate,
    Strategy,
    TrafficLight,
)
from lotse.strategy.selectors import current_strategy, visible_measures

CHUNK = 2000
THEMES = "http://publications.europa.eu/resource/authority/data-theme/"
FREQUENCIES = "http://publications.europa.eu/resource/authority/frequency/"


@dataclass(frozen=True)
class Field:
    """One column: a Table Schema field."""

    name: str
    type: str  # integer, number, string, date, datetime, boolean
    title: str
    description: str = ""
    unit: str = ""
    enum: tuple[str, ...] = ()
    format: str = ""
    required: bool = False

    def descriptor(self) -> dict[str, Any]:
        result: dict[str, Any] = {"name": self.name, "type": self.type, "title": self.title}
        description = self.description
        if self.unit:
            description = f"{description} Einheit: {self.unit}.".strip()
        if description:
            result["description"] = description
        if self.unit:
            result["unit"] = self.unit  # not in Table Schema itself; kept by Frictionless
        if self.format:
            result["format"] = self.format
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if self.name == "id":
            constraints["unique"] = True
        if constraints:
            result["constraints"] = constraints
        return result


@dataclass(frozen=True)
class Stats:
    """How many rows a dataset has now and when it last changed (for ETag, Last-Modified,
    dct:modified and the catalog page)."""

    count: int
    modified: datetime.datetime | None
    issued: datetime.datetime | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None


@dataclass(frozen=True)
class Dataset:
    key: str
    title: str
    description: str
    keywords: tuple[str, ...]
    themes: tuple[str, ...]
    periodicity: str
    landing: str  # URL name of the public page that shows the same data
    fields: tuple[Field, ...]
    rows: Callable[[Body], Iterator[tuple]]
    stats: Callable[[Body], Stats]
    extras: Callable[[Body], list[dict]] = field(default=lambda body: [])
    # Every table whose rows the dataset shows (see ``stamps``): the validators of a download
    # change when any of them changes, e.g. a renamed action field in the measures.
    sources: tuple[Source, ...] = ()

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    def table_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"fields": [f.descriptor() for f in self.fields]}
        if any(f.name == "id" for f in self.fields):
            schema["primaryKey"] = ["id"]
        schema["missingValues"] = [""]
        return schema


def anonymous() -> AnonymousUser:
    return AnonymousUser()


def url(path: str) -> str:
    return f"{settings.BASE_URL}{path}"


def _aware(day: datetime.date | None) -> datetime.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _latest(*values):
    present = [v for v in values if v is not None]
    return max(present) if present else None


def _choices(choices) -> tuple[str, ...]:
    return tuple(str(value) for value, _label in choices)


ID = Field(
    "id", "integer", "Kennung", "Die dauerhafte Nummer des Eintrags in Lotse.", required=True
)


def ADDRESS(what: str) -> Field:
    return Field("adresse", "string", "Adresse", f"Die Seite {what} in Lotse.", format="uri")


# --- Maßnahmen ----------------------------------------------------------------------------


def _measures(body: Body):
    return visible_measures(anonymous(), body)


def measure_rows(body: Body) -> Iterator[tuple]:
    base = url(f"/{body.slug}/massnahmen/")
    rows = (
        _measures(body)
        .order_by("pk")
        .values_list(
            "pk",
            "title",
            "summary",
            "primary_field__title",
            "status",
            "progress",
            "traffic_light",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "last_update_on",
            "budget_planned",
            "budget_spent",
            "impacts__has_financial_impact",
            "impacts__climate",
            "parent_id",
            "updated_at",
        )
        .iterator(chunk_size=CHUNK)
    )
    for row in rows:
        yield (*row[:-1], f"{base}{row[0]}/", row[-1])


def measure_stats(body: Body) -> Stats:
    data = _measures(body).aggregate(
        count=Count("pk"),
        modified=Max("updated_at"),
        issued=Min("created_at"),
        start=Min("planned_start"),
        end=Max("planned_end"),
    )
    return Stats(data["count"], data["modified"], data["issued"], data["start"], data["end"])


MEASURES = Dataset(
    key="massnahmen",
    title="Maßnahmen der Digitalen Agenda",
    description=(
        "Die öffentlichen Maßnahmen und Projekte der Digitalen Agenda mit Status, Fortschritt, "
        "Ampel, geplanten und tatsächlichen Terminen, Budget und Auswirkungen."
    ),
    keywords=("Digitale Agenda", "Digitalisierung", "Maßnahmen", "Verwaltung"),
    themes=("GOVE", "TECH"),
    periodicity="UPDATE_CONT",
    landing="strategy:measures",
    fields=(
        ID,
        Field("titel", "string", "Titel", required=True),
        Field("kurzbeschreibung", "string", "Kurzbeschreibung"),
        Field("handlungsfeld", "string", "Handlungsfeld", "Das Handlungsfeld der Maßnahme."),
        Field(
            "status",
            "string",
            "Status",
            "Der Stand im Lebenszyklus der Maßnahme.",
            enum=_choices(MeasureStatus.choices),
            required=True,
        ),
        Field(
            "fortschritt",
            "integer",
            "Fortschritt",
            "Der Fortschritt laut letzter Sachstandsmeldung.",
            unit="Prozent",
        ),
        Field(
            "ampel",
            "string",
            "Ampel",
            "Die Ampel der letzten Sachstandsmeldung; leer, solange es keine gibt.",
            enum=_choices(TrafficLight.choices),
        ),
        Field("geplanter_beginn", "date", "Geplanter Beginn"),
        Field("geplantes_ende", "date", "Geplantes Ende"),
        Field("tatsaechlicher_beginn", "date", "Tatsächlicher Beginn"),
        Field("tatsaechliches_ende", "date", "Tatsächliches Ende"),
        Field("letzte_meldung", "date", "Letzte Sachstandsmeldung"),
        Field("budget_geplant", "number", "Budget geplant", unit="Euro"),
        Field("budget_ausgegeben", "number", "Budget ausgegeben", unit="Euro"),
        Field(
            "finanzielle_auswirkungen",
            "boolean",
            "Finanzielle Auswirkungen",
            "Ob die Maßnahme finanzielle Auswirkungen hat; leer, wenn nicht erfasst.",
        ),
        Field(
            "klimawirkung",
            "string",
            "Klimawirkung",
            "Die klimarelevanten Auswirkungen; leer, wenn nicht erfasst.",
            enum=_choices(ImpactAssessment.Climate.choices),
        ),
        Field(
            "programm_id", "integer", "Programm", "Die Kennung des Programms, zu dem sie gehört."
        ),
        ADDRESS("der Maßnahme"),
        Field("geaendert", "datetime", "Zuletzt geändert"),
    ),
    rows=measure_rows,
    stats=measure_stats,
    sources=(
        ("strategy.Measure", "updated_at"),
        ("strategy.HistoricalMeasure", "history_date"),
        ("strategy.HistoricalStatusUpdate", "history_date", "measure__body"),
        ("strategy.ActionField", "updated_at", "strategy__body"),
        ("strategy.Strategy", None),
        ("strategy.HistoricalStrategy", "history_date"),
        ("core.ImpactAssessment", None, None),
    ),
)


# --- Sachstandsmeldungen -----------------------------------------------------------------


def _updates(body: Body):
    return StatusUpdate.objects.filter(measure__in=_measures(body))


def update_rows(body: Body) -> Iterator[tuple]:
    return (
        _updates(body)
        .order_by("pk")
        .values_list(
            "pk",
            "measure_id",
            "reported_on",
            "progress",
            "traffic_light",
            "text",
            "explanation",
            "created_at",
        )
        .iterator(chunk_size=CHUNK)
    )


def update_stats(body: Body) -> Stats:
    data = _updates(body).aggregate(
        count=Count("pk"),
        modified=Max("created_at"),
        start=Min("reported_on"),
        end=Max("reported_on"),
    )
    return Stats(data["count"], data["modified"], _aware(data["start"]), data["start"], data["end"])


UPDATES = Dataset(
    key="sachstandsmeldungen",
    title="Sachstandsmeldungen zu den Maßnahmen",
    description=(
        "Der Verlauf aller Sachstandsmeldungen zu den öffentlichen Maßnahmen der Digitalen "
        "Agenda: Datum, Fortschritt, Ampel und Erläuterung."
    ),
    keywords=("Digitale Agenda", "Sachstand", "Fortschritt", "Ampel"),
    themes=("GOVE",),
    periodicity="UPDATE_CONT",
    landing="strategy:measures",
    fields=(
        ID,
        Field("massnahme_id", "integer", "Maßnahme", "Die Kennung der Maßnahme.", required=True),
        Field("datum", "date", "Datum", "Der Tag, zu dem der Sachstand gemeldet wurde."),
        Field("fortschritt", "integer", "Fortschritt", unit="Prozent"),
        Field("ampel", "string", "Ampel", enum=_choices(TrafficLight.choices)),
        Field("sachstand", "string", "Sachstand"),
        Field("erlaeuterung", "string", "Erläuterung", "Pflicht bei gelber und roter Ampel."),
        Field("erfasst", "datetime", "Erfasst", "Wann die Meldung in Lotse erfasst wurde."),
    ),
    rows=update_rows,
    stats=update_stats,
    sources=(
        ("strategy.HistoricalStatusUpdate", "history_date", "measure__body"),
        ("strategy.HistoricalMeasure", "history_date"),
        ("strategy.HistoricalStrategy", "history_date"),
    ),
)


# --- Oberziele und Handlungsfelder -------------------------------------------------------

KINDS = ("oberziel", "handlungsfeld", "thema")


def goal_rows(body: Body) -> Iterator[tuple]:
    strategy = current_strategy(body)
    if strategy is None:
        return
    label = f"{strategy.title} (Version {strategy.version})"
    for pk, title, description, order in (
        Goal.objects.filter(strategy=strategy)
        .order_by("order", "pk")
        .values_list("pk", "title", "description", "order")
    ):
        yield ("oberziel", pk, None, title, description, order, label)
    for pk, parent, title, description, order in (
        ActionField.objects.filter(strategy=strategy)
        .order_by("parent_id", "order", "pk")
        .values_list("pk", "parent_id", "title", "description", "order")
    ):
        yield ("thema" if parent else "handlungsfeld", pk, parent, title, description, order, label)


def goal_stats(body: Body) -> Stats:
    strategy = current_strategy(body)
    if strategy is None:
        return Stats(0, None)
    count = (
        Goal.objects.filter(strategy=strategy).count()
        + ActionField.objects.filter(strategy=strategy).count()
    )
    history = Strategy.history.filter(id=strategy.pk).aggregate(last=Max("history_date"))
    issued = _aware(strategy.adopted_on) or history["last"]
    return Stats(count, history["last"], issued, strategy.period_start, strategy.period_end)


GOALS = Dataset(
    key="ziele-handlungsfelder",
    title="Oberziele und Handlungsfelder der Digitalisierungsstrategie",
    description=(
        "Die Oberziele, Handlungsfelder und Themen der geltenden Fassung der "
        "Digitalisierungsstrategie."
    ),
    keywords=("Digitalisierungsstrategie", "Oberziele", "Handlungsfelder"),
    themes=("GOVE",),
    periodicity="IRREG",
    landing="strategy:strategy",
    fields=(
        Field(
            "art", "string", "Art", "Oberziel, Handlungsfeld oder Thema.", enum=KINDS, required=True
        ),
        Field("kennung", "integer", "Kennung", required=True),
        Field(
            "uebergeordnet_id",
            "integer",
            "Übergeordnetes Handlungsfeld",
            "Bei einem Thema die Kennung seines Handlungsfelds.",
        ),
        Field("titel", "string", "Titel", required=True),
        Field("beschreibung", "string", "Beschreibung"),
        Field("reihenfolge", "integer", "Reihenfolge"),
        Field("strategie", "string", "Strategie", "Titel und Version der Strategie."),
    ),
    rows=goal_rows,
    stats=goal_stats,
    sources=(
        ("strategy.Goal", "updated_at", "strategy__body"),
        ("strategy.ActionField", "updated_at", "strategy__body"),
        ("strategy.HistoricalStrategy", "history_date"),
    ),
)


# --- Ideen -------------------------------------------------------------------------------


def idea_rows(body: Body) -> Iterator[tuple]:
    base = url(f"/{body.slug}/ideen/")
    rows = (
        public_ideas(body)
        .order_by("pk")
        .values_list(
            "pk",
            "title",
            "text",
            "process__title",
            "action_field__title",
            "address",
            "latitude",
            "longitude",
            "state",
            "state_reason",
            "author_id",
            "created_at",
            "support_count",
            "comment_count",
            "answer",
            "answered_at",
            "merged_into_id",
            "measure_id",
            "measure__is_public",
        )
        .iterator(chunk_size=CHUNK)
    )
    for row in rows:
        (pk, title, text, process, field_title, address, lat, lon, state, reason, author) = row[:11]
        created, supports, comments, answer, answered, merged, measure, public = row[11:]
        yield (
            pk,
            title,
            text,
            process,
            field_title,
            address,
            lat,
            lon,
            state,
            reason,
            pseudonym(body, author),
            created,
            supports,
            comments,
            answer,
            answered,
            merged,
            measure if public else None,
            f"{base}{pk}/",
        )


def idea_stats(body: Body) -> Stats:
    data = public_ideas(body).aggregate(
        count=Count("pk"),
        modified=Max("updated_at"),
        first=Min("created_at"),
        last=Max("created_at"),
    )
    first = data["first"]
    return Stats(
        data["count"],
        data["modified"],
        first,
        first.date() if first else None,
        data["last"].date() if data["last"] else None,
    )


IDEAS = Dataset(
    key="ideen",
    title="Ideen aus der Bürgerbeteiligung",
    description=(
        "Die öffentlichen Ideen und Vorschläge aus den Beteiligungsverfahren mit ihrem Stand, "
        "der offiziellen Antwort und Unterstützungen. Autorinnen und Autoren erscheinen nur als "
        "Pseudonym, das innerhalb der Körperschaft gleich bleibt."
    ),
    keywords=("Bürgerbeteiligung", "Ideen", "Vorschläge", "Digitale Agenda"),
    themes=("GOVE", "SOCI"),
    periodicity="UPDATE_CONT",
    landing="participation:ideas",
    fields=(
        ID,
        Field("titel", "string", "Titel", required=True),
        Field("text", "string", "Text"),
        Field("verfahren", "string", "Beteiligungsverfahren"),
        Field("handlungsfeld", "string", "Handlungsfeld"),
        Field("ort", "string", "Ort", "Die Adresse, auf die sich die Idee bezieht."),
        Field("breitengrad", "number", "Breitengrad", unit="Grad (WGS 84)"),
        Field("laengengrad", "number", "Längengrad", unit="Grad (WGS 84)"),
        Field("status", "string", "Status", enum=_choices(IdeaState.choices), required=True),
        Field("begruendung", "string", "Begründung des Status"),
        Field(
            "autor_pseudonym",
            "string",
            "Autor (Pseudonym)",
            "Ein Pseudonym, das in dieser Körperschaft für dieselbe Person gleich bleibt.",
        ),
        Field("eingereicht", "datetime", "Eingereicht"),
        Field("unterstuetzungen", "integer", "Unterstützungen", unit="Anzahl"),
        Field("kommentare", "integer", "Kommentare", unit="Anzahl"),
        Field("offizielle_antwort", "string", "Offizielle Antwort"),
        Field("beantwortet", "datetime", "Beantwortet"),
        Field(
            "zusammengefuehrt_in", "integer", "Zusammengeführt in", "Kennung einer anderen Idee."
        ),
        Field(
            "massnahme_id", "integer", "Maßnahme", "Die öffentliche Maßnahme, die sie aufgreift."
        ),
        ADDRESS("der Idee"),
    ),
    rows=idea_rows,
    stats=idea_stats,
    sources=(
        ("participation.Idea", "updated_at"),
        ("participation.HistoricalIdea", "history_date"),
        ("participation.HistoricalProcess", "history_date"),
        ("participation.HistoricalParticipationSettings", "history_date"),
        ("participation.Support", "created_at", "idea__body"),
        ("participation.HistoricalComment", "history_date", None),
        ("strategy.ActionField", "updated_at", "strategy__body"),
        ("strategy.HistoricalMeasure", "history_date"),
    ),
)


# --- Beschlüsse mit Beschlusskontrolle ---------------------------------------------------


def _decisions(body: Body):
    return visible_decisions(anonymous(), body)


def decision_rows(body: Body) -> Iterator[tuple]:
    today = timezone.localdate()
    base = url(f"/{body.slug}/sitzungen/")
    rows = (
        _decisions(body)
        .order_by("date", "pk")
        .values_list(
            "pk",
            "number",
            "date",
            "agenda_item__meeting_id",
            "agenda_item__meeting__name",
            "agenda_item__number",
            "agenda_item__name",
            "outcome",
            "votes_for",
            "votes_against",
            "abstentions",
            "unanimous",
            "agenda_item__consultation__paper__reference",
            "agenda_item__consultation__paper__is_public",
            "agenda_item__consultation__paper__state",
            "follow_up__state",
            "follow_up__unit__name",
            "follow_up__due_date",
            "follow_up__done_on",
        )
        .iterator(chunk_size=CHUNK)
    )
    for row in rows:
        pk, number, date, meeting_id, meeting, item, title, outcome = row[:8]
        yes, no, abstain, unanimous, reference, paper_public, paper_state = row[8:15]
        state, unit, due, done = row[15:]
        shown = reference if paper_public and paper_state == "freigegeben" else None
        standing = follow_up_standing(state, due, done, today) if state else None
        yield (
            pk,
            number,
            date,
            meeting,
            item,
            title,
            outcome,
            yes,
            no,
            abstain,
            unanimous,
            shown,
            state,
            unit,
            due,
            done,
            standing,
            f"{base}{meeting_id}/",
        )


def decision_stats(body: Body) -> Stats:
    decisions = _decisions(body)
    data = decisions.aggregate(count=Count("pk"), first=Min("date"), start=Max("date"))
    first = data["first"]
    changed = decisions.model.history.filter(body=body).aggregate(last=Max("history_date"))
    followed = FollowUp.history.filter(body=body).aggregate(last=Max("history_date"))
    return Stats(
        data["count"],
        _latest(changed["last"], followed["last"]),
        _aware(first),
        first,
        data["start"],
    )


DECISIONS = Dataset(
    key="beschluesse",
    title="Beschlüsse und Beschlusskontrolle",
    description=(
        "Die öffentlichen Beschlüsse der Gremien mit Abstimmungsergebnis und ihrer "
        "Beschlusskontrolle: zuständige Stelle, Frist, Stand und Termintreue."
    ),
    keywords=("Ratsinformation", "Beschlüsse", "Beschlusskontrolle", "Gremien"),
    themes=("GOVE",),
    periodicity="UPDATE_CONT",
    landing="council:decisions",
    fields=(
        ID,
        Field("nummer", "string", "Beschlussnummer"),
        Field("datum", "date", "Datum", required=True),
        Field("sitzung", "string", "Sitzung"),
        Field("tagesordnungspunkt", "string", "Tagesordnungspunkt"),
        Field("titel", "string", "Titel", "Der Titel des Tagesordnungspunkts."),
        Field("ergebnis", "string", "Ergebnis", enum=_choices(DecisionOutcome.choices)),
        Field("ja", "integer", "Ja-Stimmen", unit="Stimmen"),
        Field("nein", "integer", "Nein-Stimmen", unit="Stimmen"),
        Field("enthaltungen", "integer", "Enthaltungen", unit="Stimmen"),
        Field("einstimmig", "boolean", "Einstimmig"),
        Field("vorlage", "string", "Vorlage", "Das Aktenzeichen der öffentlichen Vorlage."),
        Field(
            "kontrolle_stand",
            "string",
            "Stand der Beschlusskontrolle",
            "Leer, wenn der Beschluss keine Beschlusskontrolle hat.",
            enum=_choices(FollowUpState.choices),
        ),
        Field("kontrolle_zustaendig", "string", "Zuständige Stelle"),
        Field("kontrolle_frist", "date", "Frist"),
        Field("kontrolle_erledigt", "date", "Erledigt am"),
        Field(
            "kontrolle_termintreue",
            "string",
            "Termintreue",
            "Fristgerecht erledigt, verspätet erledigt, offen und überfällig oder offen.",
            enum=("done_on_time", "done_late", "open_overdue", "open_in_time"),
        ),
        ADDRESS("der Sitzung"),
    ),
    rows=decision_rows,
    stats=decision_stats,
    sources=(
        ("council.HistoricalDecision", "history_date"),
        ("council.HistoricalFollowUp", "history_date"),
        ("council.HistoricalMeeting", "history_date"),
        ("council.HistoricalAgendaItem", "history_date", None),
        ("council.HistoricalConsultation", "history_date", None),
        ("council.HistoricalPaper", "history_date"),
        ("council.HistoricalOrganization", "history_date"),
        ("strategy.OrgUnit", None),
    ),
)


# --- Sitzungen ---------------------------------------------------------------------------


def meeting_rows(body: Body) -> Iterator[tuple]:
    names: dict[int, list[str]] = {}
    for meeting_id, name in (
        Meeting.organizations.through.objects.filter(meeting__body=body)
        .order_by("organization__name")
        .values_list("meeting_id", "organization__name")
        .iterator(chunk_size=CHUNK)
    ):
        names.setdefault(meeting_id, []).append(name)
    base = url(f"/{body.slug}/sitzungen/")
    rows = (
        Meeting.objects.for_body(body)
        .order_by("start", "pk")
        .values_list("pk", "name", "start", "end", "location", "state", "is_hybrid")
        .iterator(chunk_size=CHUNK)
    )
    for pk, name, start, end, location, state, hybrid in rows:
        yield (
            pk,
            name,
            "; ".join(names.get(pk, [])),
            start,
            end,
            location,
            state,
            hybrid,
            f"{base}{pk}/",
        )


def meeting_stats(body: Body) -> Stats:
    meetings = Meeting.objects.for_body(body)
    data = meetings.aggregate(
        count=Count("pk"), modified=Max("updated_at"), first=Min("start"), end=Max("start")
    )
    first = data["first"]
    return Stats(
        data["count"],
        data["modified"],
        first,
        first.date() if first else None,
        data["end"].date() if data["end"] else None,
    )


def meeting_extras(body: Body) -> list[dict]:
    return [
        {
            "title": "Sitzungskalender (iCalendar)",
            "url": url(reverse("council:calendar", kwargs={"body_slug": body.slug})),
            "format": None,  # the EU file-type list has no iCalendar
            "media_type": "text/calendar",
        }
    ]


MEETINGS = Dataset(
    key="sitzungen",
    title="Sitzungen der Gremien",
    description="Die Sitzungen der Gremien mit Zeit, Ort, beteiligten Gremien und Stand.",
    keywords=("Ratsinformation", "Sitzungen", "Gremien", "Termine"),
    themes=("GOVE",),
    periodicity="UPDATE_CONT",
    landing="council:meetings",
    fields=(
        ID,
        Field("name", "string", "Bezeichnung", required=True),
        Field("gremien", "string", "Gremien", "Die Gremien, durch Semikolon getrennt."),
        Field("beginn", "datetime", "Beginn", required=True),
        Field("ende", "datetime", "Ende"),
        Field("ort", "string", "Ort"),
        Field("status", "string", "Stand", enum=_choices(MeetingState.choices)),
        Field("hybrid", "boolean", "Hybride Sitzung"),
        ADDRESS("der Sitzung"),
    ),
    rows=meeting_rows,
    stats=meeting_stats,
    extras=meeting_extras,
    sources=(
        ("council.Meeting", "updated_at"),
        ("council.HistoricalMeeting", "history_date"),
        ("council.HistoricalOrganization", "history_date"),
        ("council.Meeting_organizations", None, "meeting__body"),
    ),
)


# --- Vorlagen ----------------------------------------------------------------------------


def _papers(body: Body):
    return visible_papers(anonymous(), body)


def paper_rows(body: Body) -> Iterator[tuple]:
    base = url(f"/{body.slug}/vorlagen/")
    rows = (
        _papers(body)
        .order_by("pk")
        .values_list("pk", "reference", "paper_type", "name", "date", "released_at")
        .iterator(chunk_size=CHUNK)
    )
    for row in rows:
        yield (*row, f"{base}{row[0]}/")


def paper_stats(body: Body) -> Stats:
    papers = _papers(body)
    data = papers.aggregate(
        count=Count("pk"), modified=Max("updated_at"), first=Min("date"), end=Max("date")
    )
    first = data["first"]
    return Stats(data["count"], data["modified"], _aware(first), first, data["end"])


def oparl_url(body: Body) -> str | None:
    """The OParl body object's address, if this installation serves OParl: found by resolving
    the path (``/oparl/v1.1/body/<id>``), so the dataset works without the OParl app."""
    from django.urls import Resolver404, resolve

    # Lotse's OParl endpoint names bodies by slug; a pattern matching the number comes last.
    for ident in (body.slug, body.pk):
        for path in (f"/oparl/v1.1/body/{ident}", f"/oparl/v1.1/body/{ident}/"):
            try:
                resolve(path)
            except Resolver404:
                continue
            return url(path)
    return None


def paper_extras(body: Body) -> list[dict]:
    address = oparl_url(body)
    if address is None:
        return []
    return [
        {
            "title": "OParl-Schnittstelle (OParl 1.1)",
            "url": address,
            "format": "JSON",
            "media_type": "application/json",
            "download": False,
        }
    ]


PAPERS = Dataset(
    key="vorlagen",
    title="Vorlagen des Ratsinformationssystems",
    description=(
        "Das Verzeichnis der öffentlichen Vorlagen (Beschlussvorlagen, Mitteilungen, Anträge, "
        "Anfragen) mit Aktenzeichen, Art, Betreff und Datum."
    ),
    keywords=("Ratsinformation", "Vorlagen", "Drucksachen", "OParl"),
    themes=("GOVE",),
    periodicity="UPDATE_CONT",
    landing="council:papers",
    fields=(
        ID,
        Field("aktenzeichen", "string", "Aktenzeichen"),
        Field("art", "string", "Art", enum=_choices(PaperType.choices), required=True),
        Field("betreff", "string", "Betreff", required=True),
        Field("datum", "date", "Datum"),
        Field("freigegeben", "datetime", "Freigegeben"),
        ADDRESS("der Vorlage"),
    ),
    rows=paper_rows,
    stats=paper_stats,
    extras=paper_extras,
    sources=(
        ("council.Paper", "updated_at"),
        ("council.HistoricalPaper", "history_date"),
    ),
)


# --- Sachstandsberichte ------------------------------------------------------------------


def report_rows(body: Body) -> Iterator[tuple]:
    rows = (
        published_reports(body)
        .order_by("period_end", "number", "version", "pk")
        .values_list(
            "pk", "number", "version", "title", "period_start", "period_end", "published_at"
        )
        .iterator(chunk_size=CHUNK)
    )
    for row in rows:
        pk = row[0]
        kwargs = {"body_slug": body.slug, "pk": pk}
        yield (
            *row,
            url(reverse("reporting:report_pdf", kwargs=kwargs)),
            url(reverse("opendata:report_figures", kwargs=kwargs)),
            url(reverse("reporting:report", kwargs=kwargs)),
        )


def report_stats(body: Body) -> Stats:
    reports = published_reports(body)
    data = reports.aggregate(
        count=Count("pk"),
        modified=Max("published_at"),
        first=Min("period_start"),
        end=Max("period_end"),
    )
    first = data["first"]
    return Stats(data["count"], data["modified"], _aware(first), first, data["end"])


def report_extras(body: Body) -> list[dict]:
    extras = []
    for report in (
        current_published(body)
        .order_by("-period_end", "-pk")
        .only("pk", "title", "number", "pdf", "body_id")
    ):
        kwargs = {"body_slug": body.slug, "pk": report.pk}
        size = None
        if report.pdf:
            try:
                size = report.pdf.size
            except OSError:
                size = None
        extras.append(
            {
                "title": f"{report.title} (PDF)",
                "url": url(reverse("reporting:report_pdf", kwargs=kwargs)),
                "format": "PDF",
                "media_type": "application/pdf",
                "size": size,
            }
        )
        extras.append(
            {
                "title": f"{report.title}: Kennzahlen (JSON)",
                "url": url(reverse("opendata:report_figures", kwargs=kwargs)),
                "format": "JSON",
                "media_type": "application/json",
            }
        )
    return extras


REPORTS = Dataset(
    key="berichte",
    title="Sachstandsberichte zur Digitalen Agenda",
    description=(
        "Die veröffentlichten Sachstandsberichte: je Bericht das PDF und seine Kennzahlen als "
        "JSON, wie sie bei der Veröffentlichung festgehalten wurden."
    ),
    keywords=("Sachstandsbericht", "Digitale Agenda", "Berichtswesen"),
    themes=("GOVE",),
    periodicity="ANNUAL_2",  # twice a year
    landing="reporting:reports",
    fields=(
        ID,
        Field("nummer", "string", "Nummer"),
        Field("version", "integer", "Version", "Eine Berichtigung erhält die nächste Version."),
        Field("titel", "string", "Titel", required=True),
        Field("zeitraum_von", "date", "Berichtszeitraum von"),
        Field("zeitraum_bis", "date", "Berichtszeitraum bis"),
        Field("veroeffentlicht", "datetime", "Veröffentlicht"),
        Field("pdf", "string", "PDF", "Der Bericht als barrierefreies PDF.", format="uri"),
        Field("kennzahlen", "string", "Kennzahlen", "Die Kennzahlen als JSON.", format="uri"),
        ADDRESS("des Berichts"),
    ),
    rows=report_rows,
    stats=report_stats,
    extras=report_extras,
    sources=(
        ("reporting.StatusReport", "updated_at"),
        ("reporting.HistoricalStatusReport", "history_date"),
    ),
)


# --- Cockpit-Kennzahlen als Zeitreihe ----------------------------------------------------


def cockpit_stats(body: Body) -> Stats:
    # The last change is the stamp of its sources (see ``Dataset.sources``).
    today = timezone.localdate()
    return Stats(24, None, None, datetime.date(today.year - 2, today.month, 1), today)


COCKPIT = Dataset(
    key="cockpit-zeitreihe",
    title="City Cockpit: Kennzahlen der Digitalen Agenda als Zeitreihe",
    description=(
        "Die Kennzahlen des City Cockpits am Ende jedes der letzten 24 Monate: mittlerer "
        "Fortschritt, Zahl der Maßnahmen, abgeschlossene Maßnahmen und ihr Anteil, Ampeln, "
        "Beschlüsse, überfällige Beschlusskontrollen sowie eingereichte und beantwortete Ideen. "
        "Gezählt werden wie im Cockpit die öffentlichen Maßnahmen der geltenden Strategie, "
        "die öffentlichen Beschlüsse und die Ideen veröffentlichter Beteiligungsverfahren; "
        "Stand, Ampel und Fortschritt folgen aus den Sachstandsmeldungen und Statuswechseln."
    ),
    keywords=("City Cockpit", "Kennzahlen", "Zeitreihe", "Digitale Agenda"),
    themes=("GOVE",),
    periodicity="MONTHLY",
    landing="reporting:cockpit",
    fields=(
        Field(
            "datum",
            "date",
            "Stichtag",
            "Das Monatsende (der laufende Monat: heute).",
            required=True,
        ),
        Field(
            "mittlerer_fortschritt",
            "number",
            "Mittlerer Fortschritt",
            "Der Durchschnitt der letzten Sachstandsmeldung bis zum Stichtag über die heutigen "
            "öffentlichen Maßnahmen (0 für eine Maßnahme ohne Meldung), wie im Cockpit.",
            unit="Prozent",
        ),
        Field(
            "massnahmen",
            "integer",
            "Maßnahmen",
            "Die Maßnahmen, die am Stichtag schon angelegt waren oder eine Meldung hatten.",
            unit="Anzahl",
        ),
        Field(
            "abgeschlossen",
            "integer",
            "Abgeschlossene Maßnahmen",
            "Die Maßnahmen mit dem Status abgeschlossen am Stichtag.",
            unit="Anzahl",
        ),
        Field(
            "anteil_abgeschlossen",
            "number",
            "Anteil abgeschlossen",
            "Abgeschlossene Maßnahmen je Maßnahme am Stichtag; leer ohne Maßnahmen.",
            unit="Prozent",
        ),
        Field(
            "ampel_gruen",
            "integer",
            "Ampel grün",
            "Maßnahmen, deren letzte Meldung bis zum Stichtag grün war.",
            unit="Anzahl",
        ),
        Field(
            "ampel_gelb",
            "integer",
            "Ampel gelb",
            "Maßnahmen, deren letzte Meldung bis zum Stichtag gelb war.",
            unit="Anzahl",
        ),
        Field(
            "ampel_rot",
            "integer",
            "Ampel rot",
            "Maßnahmen, deren letzte Meldung bis zum Stichtag rot war.",
            unit="Anzahl",
        ),
        Field(
            "ohne_sachstand",
            "integer",
            "Ohne Sachstand",
            "Maßnahmen ohne Sachstandsmeldung mit Ampel bis zum Stichtag.",
            unit="Anzahl",
        ),
        Field(
            "beschluesse",
            "integer",
            "Beschlüsse im Monat",
            "Die öffentlichen Beschlüsse mit Datum im Monat des Stichtags.",
            unit="Anzahl",
        ),
        Field(
            "kontrollen_ueberfaellig",
            "integer",
            "Überfällige Beschlusskontrollen",
            "Beschlusskontrollen, die am Stichtag nicht erledigt und über ihre Frist waren.",
            unit="Anzahl",
        ),
        Field(
            "ideen_eingereicht",
            "integer",
            "Ideen eingereicht",
            "Die öffentlichen Ideen, die im Monat des Stichtags eingereicht wurden.",
            unit="Anzahl",
        ),
        Field(
            "ideen_beantwortet",
            "integer",
            "Ideen beantwortet",
            "Die öffentlichen Ideen, die im Monat des Stichtags eine offizielle Antwort bekamen.",
            unit="Anzahl",
        ),
    ),
    rows=cockpit_series.rows,
    stats=cockpit_stats,
    sources=(
        ("strategy.Measure", "updated_at"),
        ("strategy.HistoricalMeasure", "history_date"),
        ("strategy.HistoricalStatusUpdate", "history_date", "measure__body"),
        ("strategy.MeasureTransition", "at", "measure__body"),
        ("strategy.HistoricalStrategy", "history_date"),
        ("strategy.ActionField", "updated_at", "strategy__body"),
        ("council.HistoricalDecision", "history_date"),
        ("council.HistoricalFollowUp", "history_date"),
        ("council.HistoricalMeeting", "history_date"),
        ("council.HistoricalPaper", "history_date"),
        ("participation.HistoricalIdea", "history_date"),
        ("participation.HistoricalProcess", "history_date"),
    ),
)


DATASETS: dict[str, Dataset] = {
    d.key: d
    for d in (MEASURES, UPDATES, GOALS, IDEAS, DECISIONS, MEETINGS, PAPERS, REPORTS, COCKPIT)
}


def register_dataset(dataset: Dataset) -> None:
    """Let a later app publish a dataset of its own (in its ``ready()``), read through its own
    public selectors like the datasets above."""
    DATASETS.setdefault(dataset.key, dataset)


def report_figures(body: Body, pk: int) -> StatusReport | None:
    """A published report of the body (its snapshot is the figures JSON)."""
    return published_reports(body).filter(pk=pk).only("pk", "snapshot", "published_at").first()
