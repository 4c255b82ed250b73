"""A Kreis with a regional strategy and two towns with their own strategies and measures."""

from dataclasses import dataclass

import pytest

from lotse.core.models import Body
from lotse.region.models import LibraryEntry
from lotse.strategy.models import ActionField, Measure, Strategy
from tests.factories import BodyFactory, KreisFactory
from tests.strategy.factories import ActionFieldFactory, MeasureFactory, StrategyFactory


@dataclass
class District:
    kreis: Body
    regional: list[ActionField]
    town_a: Body
    town_b: Body
    field_a: ActionField
    field_b: ActionField
    measure_a: Measure
    internal_a: Measure
    strategy_kreis: Strategy


def _town(kreis, n, name):
    return BodyFactory(
        parent=kreis,
        name=name,
        short_name=name.split()[-1],
        ags=f"{kreis.ags[:5]}{n:03d}",
    )


@pytest.fixture
def district(db) -> District:
    kreis = KreisFactory(name="Regionkreis")
    strategy = StrategyFactory(body=kreis, title="Regionale Strategie")
    regional = [
        ActionFieldFactory(strategy=strategy, title=title)
        for title in ("Intelligente Mobilität", "Smart Economy")
    ]
    town_a = _town(kreis, 1, "Stadt Ahausen")
    town_b = _town(kreis, 2, "Stadt Bedorf")
    field_a = ActionFieldFactory(strategy=StrategyFactory(body=town_a), title="Mobilität A")
    field_b = ActionFieldFactory(strategy=StrategyFactory(body=town_b), title="Verkehr B")
    measure_a = MeasureFactory(
        primary_field=field_a,
        title="Sensorbasierte Parkraumerfassung",
        description="Sensoren melden freie Plätze.",
        progress=70,
        status="in_umsetzung",
    )
    internal_a = MeasureFactory(primary_field=field_a, title="Geheimes Vorhaben", is_public=False)
    return District(
        kreis, regional, town_a, town_b, field_a, field_b, measure_a, internal_a, strategy
    )


@pytest.fixture
def staff(make_member):
    return lambda body: make_member(body, "staff")


@pytest.fixture
def published(district, staff):
    from lotse.region import services

    return services.publish_to_library(
        staff(district.town_a),
        LibraryEntry(
            measure=district.measure_a,
            regional_field=district.regional[0],
            effort="gering",
            lessons="Früh mit dem Ordnungsamt sprechen.",
            contact_name="Anna Ahausen",
            contact_email="anna@ahausen.example",
        ),
    )
