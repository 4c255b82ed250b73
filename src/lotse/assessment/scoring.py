"""The priority score and the payback period: pure arithmetic, no database, so the formula can
be tested (and argued about) on its own.

The priority score
------------------

1. **Benefit index** ``B`` (0–100): the weighted mean of the benefit scores, normalised::

       B = 100 · Σ wₖ·sₖ / (5 · Σ wₖ)

   over the criteria *Nutzen für Bürger:innen und Unternehmen*, *Zeitersparnis der
   Verwaltung*, *Kosteneinsparung*, *Klimawirkung* and *Beitrag zu den Oberzielen*. Each score
   ``sₖ`` is 0–5; the goal criterion uses the **mean** contribution over all Oberziele of the
   current strategy, so a strategy with many goals does not drown the other criteria. Without
   goals the criterion drops out of the denominator instead of counting as zero.

2. **Effort** ``E`` in euros: one-off costs + staff days × day rate + annual costs × horizon
   (years). Staff days count as money because internal effort is as scarce as budget.

3. **Effort factor** ``F = 1 + E / (E + R)`` with ``R`` the body's reference effort. ``F`` rises
   from 1 (no effort) through 1.5 (effort = R) towards 2.

4. **Score** ``= B / F``, so 0 ≤ score ≤ 100.

Why a saturating effort factor instead of a plain benefit/cost ratio: a ratio ranks a cheap
measure of little use above a large one the town cannot do without, and its scale depends on
the currency amounts, so scores of different years are not comparable. Here effort can lower
the score by at most half: among measures of similar benefit the cheaper comes first, but a
clearly more useful measure is not buried because it is expensive. The score stays within
0–100, rises with every benefit whose weight is above zero and falls with every euro of effort.

Savings are not netted against effort: they already count as the *Kosteneinsparung*
criterion, and counting them twice would favour measures whose savings are only estimated.
They show in the payback period instead.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal

MAX_BENEFIT = Decimal(5)
CRITERIA = ("citizen_benefit", "time_saving", "cost_saving", "climate")


def effort_in_euros(
    one_off_cost: Decimal,
    annual_cost: Decimal,
    staff_days: Decimal,
    staff_day_rate: Decimal,
    horizon_years: int,
) -> Decimal:
    return (
        Decimal(one_off_cost)
        + Decimal(staff_days) * Decimal(staff_day_rate)
        + Decimal(annual_cost) * Decimal(horizon_years)
    )


def benefit_index(
    scores: Mapping[str, int], goal_scores: Iterable[int], weights: Mapping[str, int]
) -> Decimal:
    """``B`` of the module docstring: 0–100."""
    weighted = Decimal(0)
    total_weight = Decimal(0)
    for criterion in CRITERIA:
        weight = Decimal(weights.get(criterion, 0))
        weighted += weight * Decimal(scores.get(criterion, 0))
        total_weight += weight
    goal_scores = list(goal_scores)
    goal_weight = Decimal(weights.get("goals", 0))
    if goal_scores and goal_weight:
        mean = Decimal(sum(goal_scores)) / Decimal(len(goal_scores))
        weighted += goal_weight * mean
        total_weight += goal_weight
    if not total_weight:
        return Decimal(0)
    return Decimal(100) * weighted / (MAX_BENEFIT * total_weight)


def effort_factor(effort: Decimal, reference_effort: Decimal) -> Decimal:
    """``F`` of the module docstring: 1 ≤ F < 2."""
    effort = max(Decimal(effort), Decimal(0))
    return Decimal(1) + effort / (effort + Decimal(reference_effort))


def priority_score(
    scores: Mapping[str, int],
    goal_scores: Iterable[int],
    weights: Mapping[str, int],
    effort: Decimal,
    reference_effort: Decimal,
) -> Decimal:
    """The priority score (0–100), unrounded; callers round for storage and display."""
    return benefit_index(scores, goal_scores, weights) / effort_factor(effort, reference_effort)


def payback_years(
    one_off_effort: Decimal, annual_cost: Decimal, annual_savings: Decimal
) -> Decimal | None:
    """Years until the one-off effort is earned back: one-off effort / annual net savings.

    ``None`` when no savings are given or they do not exceed the running costs: such a
    measure never pays for itself in money (it may still be worth it). Only savings in the
    budget count here; freed working time is valued in the score, since it rarely leaves the
    budget.
    """
    net = Decimal(annual_savings) - Decimal(annual_cost)
    if not annual_savings or net <= 0:
        return None
    return Decimal(one_off_effort) / net
