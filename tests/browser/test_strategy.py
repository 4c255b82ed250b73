"""Strategy pages in the browser: detail pages found by link, and every staff page."""

import pytest

from tests.browser.helpers import sign_in_with_totp
from tests.browser.pages import FIRST_LINK_PAGES, STAFF_PAGES

pytestmark = pytest.mark.browser


@pytest.mark.render_only
@pytest.mark.parametrize(("list_path", "selector"), FIRST_LINK_PAGES)
def test_first_detail_page_passes_axe(visitor, list_path, selector):
    visitor.goto(list_path)
    href = visitor.page.get_attribute(selector, "href")
    assert href, f"no link {selector} on {list_path}"
    visitor.goto(href)
    assert visitor.axe_violations() == []
    assert visitor.csp_violations == [] and visitor.console_errors == []


def test_filter_form_works_by_keyboard(visitor):
    page = visitor.page
    visitor.goto("/musterstadt/massnahmen/")
    page.focus("#id_status")
    page.select_option("#id_status", "in_umsetzung")
    page.focus(".filters button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**status=in_umsetzung**")
    statuses = page.eval_on_selector_all(
        "table.measures tbody tr td:nth-child(3)", "cells => cells.map(c => c.textContent.trim())"
    )
    assert statuses and set(statuses) == {"in Umsetzung"}


def test_staff_pages_pass_axe(visitor, orm):
    from lotse.accounts.models import User
    from lotse.participation.models import Idea
    from lotse.strategy.models import Measure

    user = User.objects.get(email="cdo@musterstadt.example")
    candidate = Measure.objects.filter(body__slug="musterstadt", status="in_pruefung").first()
    assert candidate is not None, "the demo has measures in review"
    idea = Idea.objects.filter(
        body__slug="musterstadt", state="eingereicht", is_hidden=False
    ).first()
    assert idea is not None, "the demo has submitted ideas"
    page = visitor.page
    sign_in_with_totp(visitor, user.email)
    for path in STAFF_PAGES:
        visitor.goto(path.format(measure=candidate.pk, idea=idea.pk))
        assert visitor.axe_violations() == [], path
    # A draft version shows the goal and action-field forms.
    visitor.goto("/musterstadt/verwaltung/strategie/")
    page.click("form[action$='/neue-version/'] button")
    page.wait_for_load_state()
    assert page.locator("input[name='goals-0-title']").count() == 1
    assert visitor.axe_violations() == []
    assert visitor.csp_violations == [] and visitor.console_errors == []


def test_staff_posts_a_status_update_in_the_browser(visitor, orm):
    from lotse.accounts.models import User
    from lotse.strategy.models import Measure

    user = User.objects.get(email="verwaltung@musterstadt.example")
    measure = Measure.objects.filter(body__slug="musterstadt", status="in_umsetzung").first()
    page = visitor.page
    sign_in_with_totp(visitor, user.email)
    visitor.goto(f"/musterstadt/verwaltung/massnahmen/{measure.pk}/sachstand/")
    page.fill("#id_progress", "63")
    page.check("input[name=traffic_light][value=rot]")
    page.click("main form button[type=submit]")
    assert "Erläuterung" in page.locator("main").inner_text()  # refused, nothing stored
    assert visitor.axe_violations() == []
    page.fill("#id_explanation", "Der Dienstleister hat den Termin verschoben.")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/musterstadt/massnahmen/{measure.pk}/")
    assert "Der Dienstleister hat den Termin verschoben." in page.locator("main").inner_text()
