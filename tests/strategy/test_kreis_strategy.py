"""A Kreis's strategy page and navigation (issue 14, point 2)."""

import pytest
from django.urls import reverse

from tests.factories import BodyFactory
from tests.strategy.factories import ActionFieldFactory, StrategyFactory


def nav_links(client, body):
    html = client.get(reverse("core:body", args=[body.slug])).content.decode()
    return html


@pytest.mark.django_db
def test_kreis_without_any_strategy_has_no_strategy_in_its_navigation(client, kreis):
    url = reverse("strategy:strategy", args=[kreis.slug])
    assert f'href="{url}"' not in nav_links(client, kreis)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_kreis_without_own_strategy_links_its_towns_strategies(client, kreis):
    town = BodyFactory(parent=kreis, name="Kleinstadt")
    StrategyFactory(body=town, title="Kleinstadt digital", status="beschlossen")
    url = reverse("strategy:strategy", args=[kreis.slug])
    assert f'href="{url}"' in nav_links(client, kreis)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kleinstadt digital" in html
    assert reverse("strategy:strategy", args=[town.slug]) in html
    assert "keine eigene" in html


@pytest.mark.django_db
def test_kreis_with_own_strategy_shows_regional_fields_and_towns(client, kreis):
    strategy = StrategyFactory(body=kreis, title="Region digital", status="beschlossen")
    ActionFieldFactory(strategy=strategy, title="Breitband in der Region")
    town = BodyFactory(parent=kreis)
    StrategyFactory(body=town, title="Stadtstrategie", status="entwurf", version=1)
    StrategyFactory(body=town, title="Stadtstrategie beschlossen", status="beschlossen", version=2)
    html = client.get(reverse("strategy:strategy", args=[kreis.slug])).content.decode()
    assert "Region digital" in html
    assert "Breitband in der Region" in html
    assert "Stadtstrategie beschlossen" in html


@pytest.mark.django_db
def test_town_navigation_shows_strategy_only_when_it_has_one(client, body):
    url = reverse("strategy:strategy", args=[body.slug])
    assert f'href="{url}"' not in nav_links(client, body)
    assert client.get(url).status_code == 404
    StrategyFactory(body=body, status="entwurf", version=1)
    assert f'href="{url}"' in nav_links(client, body)
    assert client.get(url).status_code == 200
