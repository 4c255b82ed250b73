"""The open-data dataset "OZG-Leistungen": each service a body carries out, with its state."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import FilteredRelation, Q

from lotse.core.models import Body
from lotse.opendata.datasets import Dataset, Field, Stats, url
from lotse.ozg.models import Service, Solution
from lotse.ozg.selectors import is_relevant, public_service_rows


def rows(body: Body) -> Iterator[tuple]:
    for row in public_service_rows(body):
        yield (
            row["ozg_id"],
            row["name"],
            row["themenfeld"],
            row["lebenslage"],
            row["maturity"],
            row["maturity_model"] if row["maturity"] is not None else "",
            row["online_url"],
            row["solution"],
            row["digital_end_to_end"],
            row["planned_on"],
            url(row["url"]),
            row["updated_at"],
        )


def stats(body: Body) -> Stats:
    """Rows and last change in one query (the open-data page asks every dataset)."""
    rows = (
        Service.objects.filter(is_retired=False)
        .annotate(own=FilteredRelation("assessments", condition=Q(assessments__body=body)))
        .values_list("is_municipal", "own__relevance", "own__updated_at")
    )
    count, modified = 0, None
    for is_municipal, relevance, updated_at in rows:
        service = Service(is_municipal=is_municipal)
        if is_relevant(service, relevance or ""):
            count += 1
        if updated_at and (modified is None or updated_at > modified):
            modified = updated_at
    return Stats(count, modified)


OZG_SERVICES = Dataset(
    key="ozg-leistungen",
    title="OZG-Leistungen und ihr Umsetzungsstand",
    description=(
        "Die Verwaltungsleistungen nach dem Onlinezugangsgesetz (OZG), die die Körperschaft "
        "erbringt, mit Themenfeld, Lebenslage, Reifegrad, Online-Link, genutzter Lösung und "
        "der Angabe, ob Anträge durchgängig digital bearbeitet werden."
    ),
    keywords=("OZG", "Onlinezugangsgesetz", "Verwaltungsleistungen", "Reifegrad"),
    themes=("GOVE",),
    periodicity="UPDATE_CONT",
    landing="ozg:overview",
    fields=(
        Field(
            "ozg_id", "integer", "OZG-ID", "Die Kennung im OZG-Umsetzungskatalog.", required=True
        ),
        Field("leistung", "string", "Leistung", required=True),
        Field("themenfeld", "string", "Themenfeld"),
        Field("lebenslage", "string", "Lebenslage"),
        Field(
            "reifegrad",
            "integer",
            "Reifegrad",
            "Die Stufe im Reifegradmodell (0 offline bis 4 Online-Transaktion); leer, wenn "
            "noch nicht bewertet.",
        ),
        Field("reifegradmodell", "string", "Reifegradmodell", "Schlüssel und Version des Modells."),
        Field(
            "online_link",
            "string",
            "Online-Link",
            "Wo die Leistung online beantragt wird.",
            format="uri",
        ),
        Field(
            "loesung",
            "string",
            "Lösung",
            "EfA-Dienst, Landesportal, eigene oder andere Lösung; leer, wenn nicht gewählt.",
            enum=tuple(v for v in Solution.values if v),
        ),
        Field("digital_ende_zu_ende", "boolean", "Durchgängig digital bearbeitet"),
        Field("geplant_bis", "date", "Geplant bis"),
        Field(
            "adresse", "string", "Adresse", "Die Zeile auf der OZG-Seite in Lotse.", format="uri"
        ),
        Field("geaendert", "datetime", "Zuletzt geändert"),
    ),
    rows=rows,
    stats=stats,
    sources=(
        ("ozg.Assessment", "updated_at"),
        ("ozg.HistoricalAssessment", "history_date"),
        ("ozg.Service", None, None),
    ),
)
