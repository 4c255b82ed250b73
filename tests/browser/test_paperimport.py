"""The paper import's upload and review pages in the browser: axe, no CSP or console errors,
and an upload that reaches the review with the recognised reference highlighted and its
decision shown beside the fields."""

import pytest

from tests.browser.helpers import sign_in_with_totp

pytestmark = pytest.mark.browser

PAPER = (
    "Beschlussvorlage\nDrucksache Nr.: 99/0001\nDatum: 01.02.2024\n\n"
    "Beratungsfolge\tSitzungstermin\tBehandlung\n"
    "Rat\t20.02.2024\töffentlich / Entscheidung\n\n"
    "Betreff\n\nBebauungsplan Nord\n\n"
    "Beschlussvorschlag:\n\nDer Rat beschließt den Bebauungsplan Nord.\n\n"
    "Sachverhalt:\n\nDer Plan ist fertig.\n"
    "\nBeschluss:\n\nungeändert beschlossen\n\nBeschluss-Nr.: 99/24\n"
)


def test_upload_and_review_pass_axe(visitor, orm, tmp_path):
    sign_in_with_totp(visitor, "sitzungsdienst@musterstadt.example")
    visitor.goto("/musterstadt/verwaltung/vorlagen/import/")
    assert visitor.axe_violations() == []
    source = tmp_path / "vorlage.txt"
    source.write_text(PAPER, encoding="utf-8")
    page = visitor.page
    page.set_input_files("input[type=file]", str(source))
    page.click("main form button[type=submit]")
    page.wait_for_url("**/vorlagen/import/*/")
    assert page.locator("mark", has_text="99/0001").count() == 1
    assert page.input_value("input[name$='-reference']") == "99/0001"
    # The recognised decision beside the fields, with whether it will be saved.
    decision = page.locator(".import-decision")
    assert decision.count() == 1 and "99/24" in decision.inner_text()
    assert visitor.axe_violations() == []
    assert visitor.csp_violations == [] and visitor.console_errors == []
    page.click("button[name=discard]")
    page.wait_for_url("**/vorlagen/import/")
