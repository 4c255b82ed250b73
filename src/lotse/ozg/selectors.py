"""Careful reads of the OZG state: one body's services with their assessment, the figures the
pages chart, progress over time from the history, a Kreis with its towns side by side."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from lotse.core.models import Body
from lotse.ozg.maturity import MaturityModel, current_model, get_model
from lotse.ozg.models import Assessment, LeikaService, Relevance, Service
from lotse.strategy.selectors import visible_measures

MONTHS = 12


@dataclass
class Row:
    """One service as one body sees it."""

    service: Service
    assessment: Assessment | None
    relevant: bool
    measures: list = field(default_factory=list)

    @property
    def model(self) -> MaturityModel:
        if self.assessment and self.assessment.maturity_model:
            return get_model(self.assessment.maturity_model)
        return current_model()

    @property
    def maturity(self) -> int | None:
        return self.assessment.maturity if self.assessment else None

    @property
    def maturity_label(self) -> str:
        return self.model.label(self.maturity)

    @property
    def compliant(self) -> bool:
        return self.model.is_compliant(self.maturity)

    @property
    def online_url(self) -> str:
        return self.assessment.online_url if self.assessment else ""


def is_relevant(service: Service, relevance: str) -> bool:
    if relevance == Relevance.ADDED:
        return True
    if relevance == Relevance.EXCLUDED:
        return False
    return service.is_municipal


def matching_services(q: str) -> QuerySet[Service]:
    """Services whose name, or the name of one of their LeiKa services, contains ``q``."""
    leika = LeikaService.objects.filter(service=OuterRef("pk"), name__icontains=q, is_retired=False)
    return Service.objects.filter(Q(name__icontains=q) | Exists(leika))


def service_rows(
    body: Body,
    user=None,
    *,
    q: str = "",
    with_irrelevant: bool = False,
    with_retired: bool = False,
) -> list[Row]:
    """The body's services with their assessment, in three queries whatever the number.

    Without ``with_irrelevant`` only the services the body carries out; without
    ``with_retired`` only those still in the catalogue. Linked measures are the ones ``user``
    may see (an anonymous reader: the public ones)."""
    from django.contrib.auth.models import AnonymousUser

    services = matching_services(q) if q else Service.objects.all()
    if not with_retired:
        services = services.filter(is_retired=False)
    measures = visible_measures(user or AnonymousUser(), body).only("pk", "title", "body_id")
    assessments = {
        a.service_id: a
        for a in Assessment.objects.filter(body=body)
        .select_related("unit")
        .prefetch_related(Prefetch("measures", queryset=measures, to_attr="measure_list"))
    }
    rows = []
    for service in services.order_by("themenfeld", "lebenslage", "name", "pk"):
        assessment = assessments.get(service.pk)
        relevant = is_relevant(service, assessment.relevance if assessment else "")
        if relevant or with_irrelevant:
            rows.append(
                Row(
                    service,
                    assessment,
                    relevant,
                    assessment.measure_list if assessment else [],
                )
            )
    return rows


def public_service_rows(body: Body) -> list[dict[str, Any]]:
    """The OZG rows anyone may read, as plain values: for a site-wide search index and the
    open data. One entry per service the body carries out."""
    page = reverse("ozg:overview", kwargs={"body_slug": body.slug})
    return [
        {
            "body": body.slug,
            "ozg_id": row.service.ozg_id,
            "name": row.service.name,
            "lebenslage": row.service.lebenslage,
            "themenfeld": row.service.themenfeld,
            "maturity": row.maturity,
            "maturity_model": row.model.code,
            "online_url": row.online_url,
            "solution": row.assessment.solution if row.assessment else "",
            "digital_end_to_end": bool(row.assessment and row.assessment.digital_end_to_end),
            "planned_on": row.assessment.planned_on if row.assessment else None,
            "updated_at": row.assessment.updated_at if row.assessment else None,
            "url": f"{page}#leistung-{row.service.ozg_id}",
        }
        for row in service_rows(body)
    ]


# --------------------------------------------------------------------------- figures


def _share(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def summary(rows: list[Row]) -> dict[str, Any]:
    relevant = [row for row in rows if row.relevant]
    assessed = [row for row in relevant if row.maturity is not None]
    compliant = sum(1 for row in relevant if row.compliant)
    return {
        "relevant": len(relevant),
        "assessed": len(assessed),
        "compliant": compliant,
        "compliant_share": _share(compliant, len(relevant)),
        "online": sum(1 for row in relevant if row.online_url),
        "end_to_end": sum(
            1 for row in relevant if row.assessment and row.assessment.digital_end_to_end
        ),
    }


def by_group(rows: list[Row], attribute: str) -> list[dict[str, Any]]:
    """Per Themenfeld or Lebenslage: relevant services, how many are OZG-compliant, share."""
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        if not row.relevant:
            continue
        counts = groups[getattr(row.service, attribute)]
        counts[0] += 1
        counts[1] += row.compliant
        counts[2] += row.maturity is not None
    return [
        {
            "name": name,
            "relevant": total,
            "compliant": compliant,
            "assessed": assessed,
            "share": _share(compliant, total),
        }
        for name, (total, compliant, assessed) in sorted(groups.items())
    ]


def level_counts(rows: list[Row]) -> list[tuple[str, int]]:
    """How many relevant services stand at each level of the current model."""
    model = current_model()
    counts = Counter(row.maturity for row in rows if row.relevant and row.model.code == model.code)
    result = [(str(_not_assessed()), counts.get(None, 0))]
    result += [(str(label), counts.get(level, 0)) for level, label in model.levels]
    return result


def _not_assessed():
    from django.utils.translation import gettext_lazy as _

    return _("not assessed")


def month_ends(today: datetime.date, months: int = MONTHS) -> list[datetime.date]:
    """The last day of each of the ``months - 1`` months before this one, then today."""
    ends = []
    first = today.replace(day=1)
    for _step in range(months - 1):
        end = first - datetime.timedelta(days=1)
        ends.append(end)
        first = end.replace(day=1)
    ends.reverse()
    ends.append(today)
    return ends


def progress_over_time(
    body: Body, rows: list[Row], *, today: datetime.date | None = None
) -> list[tuple[datetime.date, float]]:
    """The share of the body's relevant services that were OZG-compliant at each month's end,
    read back from the assessments' history (one query)."""
    today = today or timezone.localdate()
    ends = month_ends(today)
    relevant = {row.service.pk for row in rows if row.relevant}
    history = (
        Assessment.history.filter(body_id=body.pk, history_date__date__lte=today)
        .order_by("history_date", "history_id")
        .values_list("service_id", "maturity", "maturity_model", "history_date", "history_type")
    )
    state: dict[int, bool] = {}
    points = []
    records = iter(history)
    pending = next(records, None)
    tz = timezone.get_current_timezone()
    for end in ends:
        while pending is not None and pending[3].astimezone(tz).date() <= end:
            service_id, maturity, model, _when, kind = pending
            state[service_id] = kind != "-" and get_model(model).is_compliant(maturity)
            pending = next(records, None)
        compliant = sum(1 for service_id, ok in state.items() if ok and service_id in relevant)
        points.append((end, _share(compliant, len(relevant))))
    return points


# --------------------------------------------------------------------------- district


def compare_bodies(bodies: list[Body]) -> list[dict[str, Any]]:
    """The OZG summary of several bodies (a Kreis and its towns) in two queries."""
    services = list(Service.objects.filter(is_retired=False).only("pk", "is_municipal"))
    by_body: dict[int, dict[int, tuple]] = defaultdict(dict)
    for body_id, service_id, relevance, maturity, model, url, e2e in Assessment.objects.filter(
        body__in=bodies
    ).values_list(
        "body_id",
        "service_id",
        "relevance",
        "maturity",
        "maturity_model",
        "online_url",
        "digital_end_to_end",
    ):
        by_body[body_id][service_id] = (relevance, maturity, model, url, e2e)
    result = []
    for body in bodies:
        own = by_body.get(body.pk, {})
        relevant = assessed = compliant = online = end_to_end = 0
        for service in services:
            relevance, maturity, model, url, e2e = own.get(service.pk, ("", None, "", "", False))
            if not is_relevant(service, relevance):
                continue
            relevant += 1
            assessed += maturity is not None
            compliant += get_model(model).is_compliant(maturity)
            online += bool(url)
            end_to_end += bool(e2e)
        result.append(
            {
                "body": body,
                "relevant": relevant,
                "assessed": assessed,
                "compliant": compliant,
                "compliant_share": _share(compliant, relevant),
                "online": online,
                "end_to_end": end_to_end,
                "has_data": bool(own),
            }
        )
    return result


def district_bodies(kreis: Body) -> list[Body]:
    """The Kreis and its towns, by name (one query)."""
    return [kreis, *Body.objects.filter(parent=kreis).order_by("name")]


def cockpit_section(body: Body, today: datetime.date) -> dict[str, Any] | None:
    """For the Kreis cockpit: OZG maturity per town; nothing for a town, and nothing while no
    town has assessed a service."""
    if body.kind != Body.Kind.KREIS:
        return None
    comparison = compare_bodies(district_bodies(body))
    if not any(row["has_data"] for row in comparison):
        return None
    from lotse.ozg.charts import comparison_chart

    return {"comparison": comparison, "chart": comparison_chart(comparison)}
