"""Reads of strategy data that need care: visibility and query counts."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from lotse.core.models import Body
from lotse.strategy.models import ActionField, Goal, Measure, Strategy


def visible_measures(user, body: Body) -> QuerySet[Measure]:
    """The measures of a body this user may see: all for staff, the public ones for everyone
    else. Every channel (pages, API, exports, feeds) starts here."""
    measures = Measure.objects.for_body(body)
    if not user.has_perm("strategy.view_internal", body):
        measures = measures.filter(is_public=True)
    return measures


def current_strategy(body: Body) -> Strategy | None:
    """The adopted version with the highest number, else the newest draft."""
    strategies = Strategy.objects.for_body(body)
    return (
        strategies.filter(status=Strategy.Status.ADOPTED).order_by("-version").first()
        or strategies.order_by("-version").first()
    )


def strategy_tree(strategy: Strategy):
    """Goals and top-level action fields with their topics, in two queries."""
    goals = list(Goal.objects.filter(strategy=strategy))
    fields = list(
        ActionField.objects.filter(strategy=strategy, parent__isnull=True).prefetch_related(
            Prefetch("topics", queryset=ActionField.objects.order_by("order", "pk"))
        )
    )
    return goals, fields


def strategy_page_exists():
    """The expression behind ``has_strategy_page``, fetched with a body page's body (an
    ``Exists`` in the same query, so the navigation costs no query of its own): a town's
    page is its strategy; a Kreis's shows its own regional strategy or its towns'."""
    return Exists(Strategy.objects.filter(Q(body=OuterRef("pk")) | Q(body__parent=OuterRef("pk"))))


def has_strategy_page(body: Body) -> bool:
    """Whether ``/<body>/strategie/`` has something to show (else it answers 404): the flag
    fetched with the body, or one query for a body looked up elsewhere. A town's strategy
    counts once it exists, draft or adopted, as the page shows either; a Kreis's page also
    lists its towns' strategies."""
    known = getattr(body, "nav_has_strategy", None)
    if known is not None:
        return known
    return Strategy.objects.filter(Q(body=body) | Q(body__parent=body)).exists()


def town_strategies(kreis: Body) -> list[Strategy]:
    """The current strategy of each town of a Kreis (as ``current_strategy``), by town name;
    one query."""
    current: dict[int, Strategy] = {}
    for strategy in (
        Strategy.objects.filter(body__parent=kreis)
        .select_related("body")
        .order_by("body__name", "body_id", "-version")
    ):
        held = current.get(strategy.body_id)
        adopted = strategy.status == Strategy.Status.ADOPTED
        if held is None or (adopted and held.status != Strategy.Status.ADOPTED):
            current[strategy.body_id] = strategy
    return sorted(current.values(), key=lambda s: s.body.name)
