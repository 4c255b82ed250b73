"""OZG pages in the browser: a citizen finds where to apply online; staff import twenty
assessments by CSV and the public page shows them; the workspace passes axe."""

import pytest

from tests.browser.helpers import sign_in_with_totp

pytestmark = pytest.mark.browser


def test_citizen_finds_the_online_link_by_searching(visitor):
    page = visitor.page
    visitor.goto("/musterstadt/ozg/")
    page.fill("#id_q", "Parkausweis")
    page.focus(".filters button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=Parkausweis**")
    link = page.locator("#leistung-10173 a[rel~=external]")
    assert link.count() == 1
    assert link.get_attribute("href") == "https://service.musterstadt.example/ozg/10173"
    assert "Online beantragen" in link.inner_text()
    assert visitor.axe_violations() == []
    assert visitor.csp_violations == [] and visitor.console_errors == []


def test_staff_import_twenty_assessments_and_the_public_page_shows_them(visitor, orm, tmp_path):
    from lotse.ozg.models import Assessment, Service

    assessed = set(
        Assessment.objects.filter(body__slug="beispielstadt", maturity__isnull=False).values_list(
            "service_id", flat=True
        )
    )
    services = list(
        Service.objects.filter(is_municipal=True).exclude(pk__in=assessed).order_by("ozg_id")[:20]
    )
    assert len(services) == 20, "the demo leaves some services of Beispielstadt unassessed"
    lines = ["OZG-ID;Reifegrad;Online-Link;Lösung"]
    lines += [
        f"{s.ozg_id};4;https://portal.beispielstadt.example/{s.ozg_id};eigen" for s in services
    ]
    source = tmp_path / "ozg.csv"
    source.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")

    page = visitor.page
    sign_in_with_totp(visitor, "cdo@beispielstadt.example")
    visitor.goto("/beispielstadt/verwaltung/ozg/import/")
    assert visitor.axe_violations() == []
    page.set_input_files("input[type=file]", str(source))
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "Import prüfen" in page.title() or "Check the import" in page.title()
    assert page.locator("table.import-preview tbody tr").count() == 20
    assert visitor.axe_violations() == []
    page.click("main form[action$='bestaetigen/'] button[type=submit]")
    page.wait_for_load_state()
    assert (
        Assessment.objects.filter(
            body__slug="beispielstadt", service__in=services, maturity=4
        ).count()
        == 20
    )

    visitor.goto(f"/beispielstadt/ozg/?q={services[0].name[:20]}")
    link = page.locator(f"#leistung-{services[0].ozg_id} a[rel~=external]")
    assert (
        link.get_attribute("href") == f"https://portal.beispielstadt.example/{services[0].ozg_id}"
    )

    visitor.goto("/beispielstadt/verwaltung/ozg/?themenfeld=Bildung")
    assert visitor.axe_violations() == []
    assert visitor.csp_violations == [] and visitor.console_errors == []
