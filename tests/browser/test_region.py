"""The district's library in the browser: Beispielstadt's CDO finds a measure Musterstadt
published, adopts it and records progress; Musterstadt's measure page shows the adoption."""

import pytest

from tests.browser.helpers import sign_in_with_totp

pytestmark = pytest.mark.browser

TITLE = "Digitaler Bauantrag"


def clean(visitor, where):
    assert visitor.axe_violations() == [], where
    assert visitor.csp_violations == [] and visitor.console_errors == [], where


def test_beispielstadt_adopts_a_measure_from_the_library(visitor, orm):
    from lotse.accounts.models import User
    from lotse.region import services
    from lotse.region.models import LibraryEntry
    from lotse.strategy.models import Measure

    original = Measure.objects.get(body__slug="musterstadt", title=TITLE)
    if not LibraryEntry.objects.filter(measure=original).exists():
        services.publish_to_library(
            User.objects.get(email="cdo@musterstadt.example"),
            LibraryEntry(measure=original, effort="hoch", lessons="Früh mit dem Bauamt planen."),
        )
    page = visitor.page
    sign_in_with_totp(visitor, "cdo@beispielstadt.example")
    # The town's own address leads to the district's library; filter by effort.
    visitor.goto("/beispielstadt/bibliothek/")
    page.wait_for_url("**/musterkreis/bibliothek/")
    page.select_option("#id_aufwand", "hoch")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**aufwand=hoch**")
    clean(visitor, "library filtered")
    page.get_by_role("link", name=TITLE, exact=True).click()
    page.wait_for_url("**/musterkreis/bibliothek/*/")
    assert "Eine Maßnahme von Stadt Musterstadt" in page.locator("main").inner_text()
    clean(visitor, "library entry")
    page.get_by_role("link", name="Für Beispielstadt übernehmen").click()
    page.wait_for_url("**/beispielstadt/verwaltung/bibliothek/*/uebernehmen/")
    clean(visitor, "adopt form")
    page.select_option("#id_primary_field", label="Verwaltung")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/beispielstadt/massnahmen/*/")
    main = page.locator("main").inner_text()
    assert TITLE in main and "Aus der Bibliothek des Kreises übernommen" in main
    clean(visitor, "adopted measure")
    # Progress of the town's own copy.
    page.get_by_role("link", name="Sachstand melden").click()
    page.fill("#id_progress", "20")
    page.check("input[name=traffic_light][value=gruen]")
    page.fill("#id_text", "Fachverfahren bestellt.")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/beispielstadt/massnahmen/*/")
    adopted_url = page.url
    assert "Fachverfahren bestellt." in page.locator("main").inner_text()
    # Musterstadt's measure page names the adoption with Beispielstadt's public progress.
    visitor.goto(f"/musterstadt/massnahmen/{original.pk}/")
    section = page.locator("section[aria-labelledby=region]")
    assert "Übernommen von" in section.inner_text()
    row = section.locator("tr", has_text="Stadt Beispielstadt")
    assert "20 %" in row.inner_text()
    assert row.locator("a").get_attribute("href") in adopted_url
    clean(visitor, "original measure")
    original.refresh_from_db()
    assert original.progress == 75  # the copy's progress is the copy's


def test_joint_measure_and_regional_pages(visitor):
    visitor.goto("/musterkreis/bibliothek/")
    visitor.page.get_by_role("link", name="Urbane Datenplattform Musterkreis").click()
    visitor.page.wait_for_url("**/bibliothek/gemeinsam/*/")
    text = visitor.page.locator("main").inner_text()
    assert "Federführung" in text and "Stadt Beispielstadt" in text
    clean(visitor, "joint measure")
    visitor.goto("/musterstadt/")
    brand = visitor.page.locator("a.umbrella-brand")
    assert "SmartVest" in brand.inner_text()
    assert brand.get_attribute("href") == "/musterkreis/"
