"""What the strategy gives the one search (lotse.search): measures, and the names of the
Handlungsfelder for the search's facet. A measure that is not public carries the grant
``b<body>:strategy_internal`` (staff, see ``strategy.view_internal``)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lotse.core.models import Body
from lotse.search.registry import (
    PUBLIC,
    Entry,
    Provider,
    body_grant,
    register,
    register_grants,
    register_labels,
)
from lotse.strategy.models import ActionField, Measure, MeasureStatus

INTERNAL = "strategy_internal"


def top_field(field_id: int | None, parents: dict[int, int | None]) -> int | None:
    """The Handlungsfeld of a field or of a Thema inside one."""
    if field_id is None:
        return None
    return parents.get(field_id) or field_id


def field_parents(ids, using: str = "default") -> dict[int, int | None]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return dict(
        ActionField._default_manager.using(using).filter(pk__in=ids).values_list("pk", "parent_id")
    )


def measure_entries(ids: list[int], using: str) -> list[Entry]:
    slugs = dict(Body.objects.using(using).values_list("pk", "slug"))
    rows = list(
        Measure._default_manager.using(using)
        .filter(pk__in=ids)
        .values(
            "pk",
            "body_id",
            "title",
            "summary",
            "description",
            "is_public",
            "status",
            "primary_field_id",
            "created_at",
        )
    )
    parents = field_parents((r["primary_field_id"] for r in rows), using)
    return [
        Entry(
            kind="measure",
            object_id=r["pk"],
            body_id=r["body_id"],
            title=r["title"],
            text=f"{r['summary']}\n{r['description']}",
            url=reverse(
                "strategy:measure", kwargs={"body_slug": slugs[r["body_id"]], "pk": r["pk"]}
            ),
            access=[PUBLIC] if r["is_public"] else [body_grant(r["body_id"], INTERNAL)],
            date=r["created_at"].date() if r["created_at"] else None,
            state=r["status"],
            action_field_id=top_field(r["primary_field_id"], parents),
        )
        for r in rows
    ]


def measure_ids(using: str, body_id: int | None):
    found = Measure._default_manager.using(using)
    if body_id is not None:
        found = found.filter(body_id=body_id)
    return found.order_by("created_at", "pk").values_list("pk", flat=True).iterator(5000)


def grants(user, body) -> set[str]:
    return (
        {body_grant(body.pk, INTERNAL)} if user.has_perm("strategy.view_internal", body) else set()
    )


def field_labels(ids: set[int]) -> dict[int, str]:
    return dict(ActionField.objects.filter(pk__in=ids).values_list("pk", "title"))


def register_all() -> None:
    register(
        Provider(
            kind="measure",
            label=_("Measure"),
            plural=_("Measures"),
            build=measure_entries,
            ids=measure_ids,
            watch={Measure: lambda m: [m.pk]},
            state_labels=dict(MeasureStatus.choices),
            order=40,
            fields={
                Measure: frozenset(
                    {"title", "summary", "description", "is_public", "status", "primary_field"}
                    | {"primary_field_id", "body", "body_id"}
                )
            },
        )
    )
    register_grants(grants)
    register_labels("field", field_labels)
