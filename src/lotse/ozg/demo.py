"""Demo OZG assessments: Musterstadt further along than Beispielstadt, each with a history
over the last year so the progress chart has a course. Skipped for a body that already has
assessments, so running the demo again changes nothing."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from lotse.core.models import Body
from lotse.ozg import catalogue
from lotse.ozg.maturity import current_model
from lotse.ozg.models import Assessment, Relevance, Service, Solution
from lotse.strategy.models import Measure, OrgUnit

# Share of the services a town carries out at each maturity level 0–4 today; the rest are
# not assessed yet.
SPREAD = {
    "musterstadt": {0: 0.14, 1: 0.22, 2: 0.16, 3: 0.30, 4: 0.08},
    "beispielstadt": {0: 0.22, 1: 0.28, 2: 0.14, 3: 0.18, 4: 0.03},
}
SEED = {"musterstadt": 17, "beispielstadt": 29}
# Services a citizen looks for, with the level and solution each town has reached.
KNOWN = {
    "musterstadt": {
        10092: (3, Solution.EFA),  # Wohngeld
        10173: (4, Solution.OWN),  # Parkausweise und Zufahrtsberechtigungen
        10119: (2, Solution.LAND),  # Personalausweis
        10136: (4, Solution.OWN),  # Mängel melden
    },
    "beispielstadt": {
        10092: (3, Solution.EFA),
        10173: (1, Solution.NONE),
    },
}
# Measures of the strategy demo that implement OZG services, by title.
MEASURE_TITLES = ("OZG-Leistungen im Serviceportal", "Mängelmelder-App", "Digitaler Bauantrag")
PORTAL = {
    Solution.EFA: "https://efa.example/{slug}/leistung/{ozg_id}",
    Solution.LAND: "https://serviceportal.land.example/{slug}/{ozg_id}",
    Solution.OWN: "https://service.{slug}.example/ozg/{ozg_id}",
    Solution.OTHER: "https://service.{slug}.example/ozg/{ozg_id}",
}


def load(out) -> None:
    catalogue.ensure_loaded()
    for slug in SPREAD:
        body = Body.objects.filter(slug=slug).first()
        if body is None or Assessment.objects.filter(body=body).exists():
            continue
        rng = random.Random(SEED[slug])  # noqa: S311 (a repeatable demo, not a secret)
        count = assess(body, SPREAD[slug], rng, KNOWN.get(slug, {}))
        out.write(f"  OZG-Leistungen bewertet: {body.name} ({count})")


def assess(body: Body, spread: dict[int, float], rng: random.Random, known=None) -> int:
    """Rate the body's municipal services by ``spread``; each rating is reached in up to
    three steps over the past year (backdated history), so progress shows a course."""
    known = known or {}
    model = current_model().code
    now = timezone.now()
    services = list(Service.objects.filter(is_municipal=True, is_retired=False).order_by("pk"))
    units = list(OrgUnit.objects.filter(body=body).order_by("code"))
    measures = list(Measure.objects.filter(body=body, title__in=MEASURE_TITLES).order_by("pk"))
    count = 0
    for service in services:
        if service.ozg_id in known:
            level, solution = known[service.ozg_id]
        else:
            level = _draw(spread, rng)
            if level is None:
                continue
            solution = _solution(level, rng)
        steps = sorted({max(0, level - rng.randint(0, 2)), level})
        assessment = Assessment(body=body, service=service, maturity_model=model)
        days_ago = rng.randint(200, 360)
        for index, step in enumerate(steps):
            last = index == len(steps) - 1
            assessment.maturity = step
            assessment.solution = solution if step >= 2 else Solution.NONE
            assessment.online_url = (
                PORTAL[solution].format(slug=body.slug, ozg_id=service.ozg_id)
                if step >= 2 and solution
                else ""
            )
            assessment.digital_end_to_end = step >= 3 and rng.random() < 0.55
            assessment.unit = units[service.pk % len(units)] if units else None
            if step < 3 and last:
                assessment.planned_on = (now + datetime.timedelta(days=rng.randint(60, 540))).date()
            else:
                assessment.planned_on = None
            assessment._history_date = now - datetime.timedelta(days=days_ago)
            assessment.save()
            days_ago = rng.randint(5, max(6, days_ago - 30))
        if measures and (service.ozg_id in known or rng.random() < 0.05):
            assessment.measures.set([measures[service.pk % len(measures)]])
        count += 1
    # A town also carries out a service the catalogue does not name as municipal: recorded
    # as the body's choice.
    extra = Service.objects.filter(is_municipal=False, is_retired=False).order_by("pk").first()
    if extra is not None:
        Assessment.objects.create(body=body, service=extra, relevance=Relevance.ADDED)
    return count


def _draw(spread: dict[int, float], rng: random.Random) -> int | None:
    roll, total = rng.random(), 0.0
    for level, share in spread.items():
        total += share
        if roll < total:
            return level
    return None


def _solution(level: int, rng: random.Random) -> str:
    if level < 2:
        return Solution.NONE
    roll = rng.random()
    if roll < 0.4:
        return Solution.EFA
    if roll < 0.75:
        return Solution.LAND
    return Solution.OWN
