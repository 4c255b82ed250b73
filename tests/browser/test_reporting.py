"""Status reports and the cockpit in the browser: every workshop page passes axe, the
programme owner's journey from draft to the committee agenda, the cockpit filter by keyboard."""

import pytest

from tests.browser.helpers import sign_in_with_totp

pytestmark = pytest.mark.browser

OWNER = "cdo@musterstadt.example"


@pytest.mark.render_only
def test_workshop_pages_pass_axe(visitor, orm):
    from lotse.accounts.models import User
    from lotse.core.models import Body
    from lotse.reporting import periods, services
    from lotse.reporting.models import StatusReport

    body = Body.objects.get(slug="musterstadt")
    published = StatusReport.objects.filter(body=body, status="veroeffentlicht").first()
    assert published is not None, "the demo has published reports"
    owner = User.objects.get(email=OWNER)
    draft = services.create_draft(owner, body, periods.half_year(2024, 2))
    sign_in_with_totp(visitor, OWNER)
    base = "/musterstadt/verwaltung/berichte/"
    for path in [
        base,
        base + "neu/",
        base + f"{draft.pk}/",
        base + f"{draft.pk}/vorschau/",
        base + f"{draft.pk}/veroeffentlichen/",
        base + f"{published.pk}/",
        base + f"{published.pk}/berichtigen/",
        base + f"{published.pk}/in-den-rat/",
    ]:
        visitor.goto(path)
        assert visitor.axe_violations() == [], path
    assert visitor.csp_violations == [] and visitor.console_errors == []


def test_programme_owner_drafts_publishes_and_submits(visitor, orm):
    from lotse.council.models import AgendaItem
    from lotse.reporting.models import Submission

    page = visitor.page
    sign_in_with_totp(visitor, OWNER)
    visitor.goto("/musterstadt/verwaltung/berichte/neu/")
    page.click("main form button[type=submit]")  # the last half-year is preselected
    page.wait_for_url("**/verwaltung/berichte/*/")
    page.fill("#id_intro", "Halbjährlich informiert die Verwaltung über den Umsetzungsstand.")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert visitor.axe_violations() == []
    page.click("main a[href$='/veroeffentlichen/']")
    page.wait_for_url("**/veroeffentlichen/")
    page.click("main form button[type=submit]")
    page.locator("main a[href$='/in-den-rat/']").wait_for()
    assert "veröffentlicht" in page.locator("main").inner_text()
    report_url = page.url.replace("/verwaltung/berichte/", "/berichte/")
    report_path = "/" + report_url.split("/", 3)[3]
    visitor.goto(report_path)
    assert "Halbjährlich informiert" in page.locator("main").inner_text()
    page.go_back()
    page.click("main a[href$='/in-den-rat/']")
    page.wait_for_url("**/in-den-rat/")
    assert "Digitalisierungsausschuss" in page.locator("#id_meeting option:checked").inner_text()
    page.click("main form button[type=submit]")
    page.wait_for_url("**/einreichungen/*/")
    page.locator("progress[value='100']").wait_for()
    submission = Submission.objects.latest("pk")
    assert submission.paper is not None
    assert submission.paper.reference in page.locator("#submission-status").inner_text()
    assert AgendaItem.objects.filter(
        meeting=submission.meeting, consultation__paper=submission.paper
    ).exists()
    assert visitor.axe_violations() == []
    assert visitor.csp_violations == [] and visitor.console_errors == []

    # The citizen's way: from the body's page to the report and its PDF.
    visitor.goto("/musterstadt/")
    page.click("nav a[href='/musterstadt/berichte/']")
    page.wait_for_url("**/musterstadt/berichte/")
    assert page.locator(f"main a[href='{report_path}']").count() == 1
    pdf = page.request.get(report_url + "bericht.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")


def test_cockpit_filter_works_by_keyboard(visitor, orm):
    from lotse.strategy.models import ActionField

    page = visitor.page
    visitor.goto("/musterstadt/cockpit/")
    select = page.locator("main select").first
    # The first field the filter offers (other tests may have added strategy versions).
    value = select.locator("option[value]:not([value=''])").first.get_attribute("value")
    field = ActionField.objects.get(pk=value)
    select.focus()
    select.select_option(value)
    page.locator("main form button[type=submit]").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**handlungsfeld={value}**")
    assert field.title in page.locator("main").inner_text()
    assert visitor.axe_violations() == []
