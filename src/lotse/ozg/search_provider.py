"""What the OZG services give the one search (lotse.search): each service a body carries out
and has assessed, public like the OZG page, so a citizen who types "Wohngeld" or
"Parkausweis" finds the service with its maturity and the page with its online link."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lotse.core.models import Body
from lotse.ozg.maturity import current_model
from lotse.ozg.models import Assessment, LeikaService, Relevance, Service, Solution
from lotse.search.registry import PUBLIC, Entry, Provider, register


def carried_out(assessment: Assessment) -> bool:
    service = assessment.service
    if service.is_retired or assessment.relevance == Relevance.EXCLUDED:
        return False
    return assessment.relevance == Relevance.ADDED or service.is_municipal


def service_entries(ids: list[int], using: str) -> list[Entry]:
    slugs = dict(Body.objects.using(using).values_list("pk", "slug"))
    assessments = list(
        Assessment._default_manager.using(using).filter(pk__in=ids).select_related("service")
    )
    leika: dict[int, list[str]] = {}
    for service_id, name in (
        LeikaService.objects.using(using)
        .filter(service__in={a.service_id for a in assessments}, is_retired=False)
        .values_list("service_id", "name")
    ):
        leika.setdefault(service_id, []).append(name)
    solutions = dict(Solution.choices)
    entries = []
    for assessment in assessments:
        if not carried_out(assessment):
            continue
        service = assessment.service
        page = reverse("ozg:overview", kwargs={"body_slug": slugs[assessment.body_id]})
        text = [service.lebenslage, service.themenfeld, *sorted(set(leika.get(service.pk, ())))]
        if assessment.solution:
            text.append(str(solutions.get(assessment.solution, "")))
        entries.append(
            Entry(
                kind="ozg",
                object_id=assessment.pk,
                body_id=assessment.body_id,
                title=service.name,
                text="\n".join(text),
                url=f"{page}#leistung-{service.ozg_id}",
                access=[PUBLIC],
                date=assessment.updated_at.date() if assessment.updated_at else None,
                state="" if assessment.maturity is None else str(assessment.maturity),
            )
        )
    return entries


def service_ids(using: str, body_id: int | None):
    found = Assessment._default_manager.using(using)
    if body_id is not None:
        found = found.filter(body_id=body_id)
    return found.order_by("pk").values_list("pk", flat=True).iterator(5000)


def register_all() -> None:
    register(
        Provider(
            kind="ozg",
            label=_("OZG service"),
            plural=_("OZG services"),
            build=service_entries,
            ids=service_ids,
            watch={
                Assessment: lambda a: [a.pk],
                # A renamed or retired service (catalogue update) changes every body's entry.
                Service: lambda s: list(s.assessments.values_list("pk", flat=True)),
            },
            state_labels={str(level): label for level, label in current_model().levels},
            order=70,
        )
    )
