"""Reads of the district's shared work that need care: what a person may see, and in a fixed
number of queries."""

from collections import defaultdict
from decimal import Decimal

from django.apps import apps
from django.db.models import Prefetch, Q, QuerySet

from lotse.core.models import Body
from lotse.region.models import (
    Adoption,
    Audience,
    JointMeasure,
    JointShare,
    LibraryEntry,
    RegionalLink,
)
from lotse.region.rules import administration_body_ids
from lotse.strategy.models import ActionField, Measure
from lotse.strategy.selectors import current_strategy

# Measures listed per town and regional field on the Kreis's pages; the rest are counted.
SHOWN_PER_TOWN = 5


def sees_district_internal(user, kreis: Body) -> bool:
    return user.has_perm("region.view_district_internal", kreis)


def visible_entries(user, kreis: Body) -> QuerySet[LibraryEntry]:
    """The library entries of a Kreis this user may see: public entries of public measures
    for everyone; entries shared with the district, for the administrations of the Kreis and
    its towns; the publisher's own entries (even withdrawn) for its staff."""
    entries = LibraryEntry.objects.filter(district=kreis)
    public = Q(audience=Audience.PUBLIC, withdrawn_at__isnull=True, measure__is_public=True)
    if user.is_superuser and user.is_active:
        return entries
    condition = public
    if sees_district_internal(user, kreis):
        condition |= Q(withdrawn_at__isnull=True)
    own = administration_body_ids(user)
    if own:
        condition |= Q(body_id__in=own)
    return entries.filter(condition)


def public_adoptions(entry: LibraryEntry) -> list[Adoption]:
    """Who adopted an entry, each with their measure (its progress is shown only when the
    adopter made the measure public)."""
    return list(
        Adoption.objects.filter(entry=entry)
        .select_related("body", "measure")
        .order_by("adopted_at", "pk")
    )


def library_list(
    user, kreis: Body, *, field=None, effort="", status="", progress=None, ozg_service=""
):
    """The entries for the library page with what the rows show, in a fixed number of
    queries: publisher, measure, regional field and the count of adoptions."""
    entries = visible_entries(user, kreis).select_related(
        "body", "measure", "regional_field", "district"
    )
    if field is not None:
        entries = entries.filter(regional_field=field)
    if effort:
        entries = entries.filter(effort=effort)
    if status:
        entries = entries.filter(measure__status=status)
    if progress is not None:
        entries = entries.filter(measure__progress__gte=progress)
    if ozg_service and apps.is_installed("lotse.ozg"):
        # Measures that implement an OZG service (the ozg app's link), by its name or OZG-ID.
        matches = Q(measure__ozg_assessments__service__name__icontains=ozg_service)
        if ozg_service.isdigit():
            matches |= Q(measure__ozg_assessments__service__ozg_id=int(ozg_service))
        entries = entries.filter(pk__in=entries.model.objects.filter(matches).values("pk"))
    return entries.prefetch_related(
        Prefetch("adoptions", queryset=Adoption.objects.select_related("body"))
    ).order_by("-published_at", "pk")


def visible_joint_measures(user, kreis: Body) -> QuerySet[JointMeasure]:
    joints = JointMeasure.objects.filter(district=kreis)
    if not user.has_perm("region.view_district_internal", kreis):
        joints = joints.filter(is_public=True)
    return joints


def joint_list(user, kreis: Body) -> list[JointMeasure]:
    """Joint measures with their shares, each share's measure and town (three queries)."""
    return list(
        visible_joint_measures(user, kreis)
        .select_related("body", "regional_field")
        .prefetch_related(
            Prefetch("shares", queryset=JointShare.objects.select_related("body", "measure"))
        )
    )


def share_progress(share: JointShare, user) -> dict:
    """What a share shows: the town's own measure's progress where it is public (or the
    viewer may see it)."""
    measure = share.measure
    visible = measure is not None and (
        measure.is_public or user.has_perm("strategy.view_internal", share.body)
    )
    return {"share": share, "measure": measure if visible else None}


def contributions(kreis: Body, shown: int = SHOWN_PER_TOWN) -> list[dict]:
    """Per regional Handlungsfeld of the Kreis: each town's action fields and public measures
    linked to it (directly, or through a linked action field of theirs), with their count and
    mean progress and the ``shown`` most advanced of them, in four queries."""
    strategy = current_strategy(kreis)
    if strategy is None:
        return []
    fields = list(ActionField.objects.filter(strategy=strategy, parent__isnull=True))
    links = list(
        RegionalLink.objects.filter(regional_field__in=fields)
        .select_related("body", "action_field", "measure")
        .order_by("body__name", "pk")
    )
    linked_fields = {link.action_field_id for link in links if link.action_field_id}
    field_measures: dict[int, list[Measure]] = defaultdict(list)
    for measure in (
        Measure.objects.filter(
            Q(primary_field_id__in=linked_fields) | Q(primary_field__parent_id__in=linked_fields),
            is_public=True,
        )
        .only("pk", "title", "progress", "body_id", "primary_field_id", "primary_field__parent_id")
        .select_related("primary_field")
    ):
        field_measures[measure.primary_field_id].append(measure)
        if measure.primary_field.parent_id:
            field_measures[measure.primary_field.parent_id].append(measure)
    rows = []
    for field in fields:
        towns: dict[int, dict] = {}
        for link in links:
            if link.regional_field_id != field.pk:
                continue
            town = towns.setdefault(link.body_id, {"body": link.body, "fields": [], "measures": {}})
            if link.action_field_id:
                town["fields"].append(link.action_field)
                for measure in field_measures.get(link.action_field_id, []):
                    town["measures"][measure.pk] = measure
            elif link.measure.is_public:
                town["measures"][link.measure_id] = link.measure
        town_rows = []
        for town in towns.values():
            measures = sorted(town["measures"].values(), key=lambda m: (-m.progress, m.title))
            count = len(measures)
            mean = round(sum(m.progress for m in measures) / count) if count else None
            town_rows.append(
                {
                    "body": town["body"],
                    "fields": town["fields"],
                    "measures": measures[:shown],
                    "count": count,
                    "more": max(count - shown, 0),
                    "mean_progress": mean,
                }
            )
        rows.append(
            {
                "field": field,
                "towns": town_rows,
                "measure_count": sum(t["count"] for t in town_rows),
            }
        )
    return rows


def region_figures(kreis: Body) -> dict:
    """The district's shared work in numbers, per town: entries published, adoptions made,
    joint measures led and taken part in, budget shares (public data only)."""
    towns = list(Body.objects.filter(parent=kreis).order_by("name"))
    per_town = {
        t.pk: {"body": t, "published": 0, "adopted": 0, "joint": 0, "budget": Decimal(0)}
        for t in towns
    }
    public = Q(audience=Audience.PUBLIC, withdrawn_at__isnull=True, measure__is_public=True)
    for body_id in LibraryEntry.objects.filter(public, district=kreis).values_list(
        "body_id", flat=True
    ):
        if body_id in per_town:
            per_town[body_id]["published"] += 1
    for body_id in Adoption.objects.filter(
        entry__in=LibraryEntry.objects.filter(public, district=kreis), measure__is_public=True
    ).values_list("body_id", flat=True):
        if body_id in per_town:
            per_town[body_id]["adopted"] += 1
    for body_id, budget in JointShare.objects.filter(
        joint__district=kreis, joint__is_public=True
    ).values_list("body_id", "budget_share"):
        if body_id in per_town:
            per_town[body_id]["joint"] += 1
            per_town[body_id]["budget"] += budget or 0
    rows = list(per_town.values())
    return {
        "towns": rows,
        "published": sum(r["published"] for r in rows),
        "adopted": sum(r["adopted"] for r in rows),
        "joint": JointMeasure.objects.filter(district=kreis, is_public=True).count(),
    }


def measure_region(measure: Measure, user) -> dict:
    """What a measure's page tells about its place in the district: its library entry with
    the adoptions, where it was adopted from, and the joint measure it is part of."""
    entry = LibraryEntry.objects.filter(measure=measure).select_related("district").first()
    if entry is not None and not user.has_perm("region.view_entry", entry):
        entry = None
    adoptions = public_adoptions(entry) if entry is not None else []
    adopted = (
        Adoption.objects.filter(measure=measure)
        .select_related("entry__body", "entry__measure", "entry__district")
        .first()
    )
    if adopted is not None and not user.has_perm("region.view_entry", adopted.entry):
        adopted = None
    share = (
        JointShare.objects.filter(measure=measure)
        .select_related("joint__body", "joint__district")
        .first()
    )
    return {
        "entry": entry,
        "adoptions": [
            {
                "adoption": a,
                "measure": a.measure
                if a.measure.is_public or user.has_perm("strategy.view_internal", a.body)
                else None,
            }
            for a in adoptions
        ],
        "adopted": adopted,
        "share": share,
    }
