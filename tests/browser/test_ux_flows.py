"""Issue 14 in the browser: the flows that stopped new users, walked as a citizen, a moderator
and the CDO on a phone-sized (375×740) and a desktop window, each state checked with axe."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in_with_totp

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def phone(visitor):
    visitor.page.set_viewport_size(PHONE)
    return visitor


def clean(visitor, state=""):
    assert visitor.axe_violations() == [], state
    assert visitor.csp_violations == [], state


def body_nav(page, size):
    """The navigation as this window size shows it: the menu opened on a phone, the wide
    bar on a desktop."""
    if size == PHONE:
        page.locator(".nav-compact > summary").click()
        return page.locator(".nav-compact")
    assert page.locator(".nav-compact > summary").is_hidden()
    return page.locator(".nav-wide")


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_citizen_uses_the_front_page_and_the_menu(visitor, size):
    page = visitor.page
    page.set_viewport_size(size)
    visitor.goto("/musterstadt/")
    clean(visitor, "front page, menu closed")
    # The front door: key figures and what is happening, each linking on.
    for heading in ("Kennzahlen", "Jetzt mitmachen", "Nächste Sitzungen", "Neueste Beschlüsse"):
        assert page.get_by_role("heading", name=heading).count() == 1, heading
    assert page.locator(".front-figures a[href='/musterstadt/cockpit/']").count() == 1
    if size == DESKTOP:
        # The wide bar shows the sections at once.
        wide = page.locator(".nav-wide")
        assert wide.is_visible() and page.locator(".nav-compact > summary").is_hidden()
        wide.get_by_role("link", name="Ideen", exact=True).click()
        page.wait_for_url("**/musterstadt/ideen/")
        visitor.goto("/musterkreis/")
        clean(visitor, "Kreis front page")
        wide.get_by_role("link", name="Strategie", exact=True).click()
        page.wait_for_url("**/musterkreis/strategie/")
        assert page.locator("main a[href='/musterstadt/strategie/']").count() == 1
        clean(visitor, "Kreis strategy")
        return
    # The navigation is a menu button: closed, it takes little of the first screen.
    menu = page.locator(".nav-compact > summary")
    assert menu.is_visible()
    assert page.locator(".nav-wide").is_hidden()
    nav_box = page.locator(".body-nav").bounding_box()
    assert nav_box["height"] < PHONE["height"] / 4
    assert page.get_by_role("link", name="Ideen", exact=True).is_hidden()
    # By keyboard: focus the button, Enter opens it, the links are there.
    menu.focus()
    page.keyboard.press("Enter")
    assert page.locator(".nav-compact").get_attribute("open") is not None
    clean(visitor, "menu open")
    page.locator(".nav-compact").get_by_role("link", name="Ideen", exact=True).click()
    page.wait_for_url("**/musterstadt/ideen/")
    # A Kreis: its strategy page lists its towns' strategies instead of answering 404.
    visitor.goto("/musterkreis/")
    clean(visitor, "Kreis front page")
    page.locator(".nav-compact > summary").click()
    page.locator(".nav-compact").get_by_role("link", name="Strategie", exact=True).click()
    page.wait_for_url("**/musterkreis/strategie/")
    assert page.locator("main a[href='/musterstadt/strategie/']").count() == 1
    clean(visitor, "Kreis strategy")


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_home_page_shows_every_body_with_its_towns(visitor, size):
    visitor.page.set_viewport_size(size)
    visitor.goto("/")
    clean(visitor, "home")
    table = visitor.page.locator(".front-figures-table")
    for name in ("Musterkreis", "Musterstadt", "Beispielstadt"):
        assert name in table.inner_text(), name


def _idea_to_support(orm):
    from lotse.core.models import Body
    from tests.participation.factories import IdeaFactory, ProcessFactory

    body = Body.objects.get(slug="musterstadt")
    return IdeaFactory(process=ProcessFactory(body=body), title="Sitzbänke mit Steckdosen")


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_citizen_keeps_focus_after_supporting_and_rating(visitor, orm, size):
    from lotse.accounts.demo import DEMO_PASSWORD

    idea = _idea_to_support(orm)
    page = visitor.page
    page.set_viewport_size(size)
    visitor.login("anna.becker@mitmachen.example", DEMO_PASSWORD)
    page.wait_for_load_state()
    visitor.goto(f"/musterstadt/ideen/{idea.pk}/")
    support = page.get_by_role("button", name="Diese Idee unterstützen")
    support.focus()
    page.keyboard.press("Enter")
    # The focus moves to the control that replaced the pressed one; the result is announced.
    expect(page.get_by_role("button", name="Unterstützung zurückziehen")).to_be_focused()
    expect(page.locator("#idea-status")).to_contain_text("Unterstützung")
    clean(visitor, "after support")
    page.check("#id_rating_value_3")
    save = page.get_by_role("button", name="Einschätzung speichern")
    save.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#idea-status")).to_contain_text("Einschätzung")
    expect(page.get_by_role("button", name="Einschätzung speichern")).to_be_focused()
    clean(visitor, "after rating")
    assert visitor.console_errors == []


def _comment_thread(orm):
    from tests.factories import UserFactory
    from tests.participation.factories import CommentFactory

    idea = _idea_to_support(orm)
    comment = CommentFactory(idea=idea, author=UserFactory(), text="Das ist Werbung für XY.")
    CommentFactory(idea=idea, parent=comment, text="Sehe ich anders.")
    return idea, comment


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_moderator_hides_and_deletes_where_the_content_is(visitor, orm, size):
    idea, comment = _comment_thread(orm)
    page = visitor.page
    page.set_viewport_size(size)
    sign_in_with_totp(visitor, "moderation@musterstadt.example")
    visitor.goto(f"/musterstadt/ideen/{idea.pk}/")
    clean(visitor, "idea page as moderator")
    # Hide the comment with a reason, from its place in the thread.
    article = page.locator(f"#kommentar-{comment.pk}")
    article.locator("details.moderate-here > summary").click()
    clean(visitor, "hide form open")
    page.fill(f"#hide-comment-{comment.pk}", "Werbung")
    article.get_by_role("button", name="Jetzt ausblenden").click()
    page.wait_for_load_state()
    assert f"/ideen/{idea.pk}/" in page.url
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_reason == "Werbung"
    # Deleting explains itself and asks for a reason.
    article = page.locator(f"#kommentar-{comment.pk}")
    article.locator("details.delete-comment > summary").click()
    assert "Antworten darauf bleiben sichtbar" in article.inner_text()
    clean(visitor, "delete form open")
    page.fill(f"#delete-reason-{comment.pk}", "Wiederholte Werbung")
    article.get_by_role("button", name="Kommentar endgültig löschen").click()
    expect(page.locator(f"#delete-reason-{comment.pk}")).to_have_count(0)
    comment.refresh_from_db()
    assert comment.deleted_at is not None
    assert "Sehe ich anders." in page.inner_text("#idea-comments")  # the reply stays
    # The idea itself: hide it, then show it again.
    page.locator(".moderation-here details:not(.delete-idea) > summary").click()
    page.fill("#hide-idea", "Doppelt eingereicht")
    page.locator(".moderation-here").get_by_role("button", name="Jetzt ausblenden").click()
    page.wait_for_load_state()
    clean(visitor, "hidden idea as moderator")
    page.locator(".moderation-here").get_by_role("button", name="Wieder anzeigen").click()
    page.wait_for_load_state()
    idea.refresh_from_db()
    assert not idea.is_hidden
    # Then delete it: the form says what happens, asks for a reason and a confirmation.
    delete = page.locator(".moderation-here details.delete-idea")
    delete.locator("summary").click()
    assert "verschwindet für alle" in delete.inner_text()
    clean(visitor, "delete idea form open")
    page.fill("#delete-idea", "Beleidigender Inhalt")
    delete.get_by_role("button", name="Jetzt löschen").click()  # not confirmed yet
    idea.refresh_from_db()
    assert idea.deleted_at is None
    page.check("#delete-confirm-idea")
    delete.get_by_role("button", name="Jetzt löschen").click()
    page.wait_for_url("**/musterstadt/ideen/")
    clean(visitor, "idea list after deleting")
    idea.refresh_from_db()
    assert idea.deleted_at is not None
    assert page.locator(f"main a[href='/musterstadt/ideen/{idea.pk}/']").count() == 0


def test_cdo_on_a_phone_finds_the_staff_tools_under_verwaltung(phone, orm):
    page = phone.page
    sign_in_with_totp(phone, "cdo@musterstadt.example")
    phone.goto("/musterstadt/")
    page.locator(".nav-compact > summary").click()
    admin = page.locator(".nav-compact .nav-admin details")
    assert admin.locator("a").first.is_hidden()
    admin.locator("summary").click()
    assert admin.get_by_role("link", name="Berichtswerkstatt").is_visible()
    clean(phone, "staff menu open on a phone")


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_cdo_reports_status_writes_reports_and_reads_the_cockpit(visitor, orm, size):
    from lotse.core.models import Body
    from lotse.reporting.models import ReportStatus, StatusReport
    from lotse.strategy.models import Measure

    page = visitor.page
    page.set_viewport_size(size)
    sign_in_with_totp(visitor, "cdo@musterstadt.example")
    # The staff items are grouped under "Verwaltung", on a phone and on a desktop.
    visitor.goto("/musterstadt/")
    if size == DESKTOP:
        wide = page.locator(".nav-wide")
        rows = {round(li.bounding_box()["y"]) for li in wide.locator(":scope > ul > li").all()}
        assert len(rows) <= 2, rows  # not three rows any more
    nav = body_nav(page, size)
    assert nav.get_by_role("link", name="Berichtswerkstatt").is_hidden()
    nav.locator(".nav-admin summary").click()
    assert nav.get_by_role("link", name="Berichtswerkstatt").is_visible()
    clean(visitor, "staff menu open")
    # The Sachstandsmeldung: no preselected light, the last progress prefilled.
    body = Body.objects.get(slug="musterstadt")
    measure = Measure.objects.filter(body=body, progress__gt=0).order_by("pk").first()
    visitor.goto(f"/musterstadt/verwaltung/massnahmen/{measure.pk}/sachstand/")
    assert page.locator("input[name=traffic_light]:checked").count() == 0
    assert page.locator("input[name=traffic_light]").count() == 3
    assert page.input_value("#id_progress") == str(measure.progress)
    page.get_by_role("button", name="Sachstandsmeldung veröffentlichen").click()
    page.wait_for_load_state()
    assert "Bitte wählen Sie grün, gelb oder rot." in page.inner_text("main")
    clean(visitor, "status update form with an error")
    # A second report for a published half-year is refused, with the correction offered.
    published = (
        StatusReport.objects.filter(body=body, status=ReportStatus.PUBLISHED)
        .order_by("-period_end")
        .first()
    )
    visitor.goto("/musterstadt/verwaltung/berichte/neu/")
    code = f"{published.period_start.year}-H{1 if published.period_start.month == 1 else 2}"
    page.select_option("#id_period", code)
    page.get_by_role("button", name="Entwurf anlegen").click()
    page.wait_for_load_state()
    assert "bereits ein Sachstandsbericht veröffentlicht" in page.inner_text("main")
    assert page.get_by_role("link", name=re.compile("berichtigen")).count() == 1
    clean(visitor, "new report refused")
    # The Kreis cockpit opens with its towns; chart tables are disclosures.
    visitor.goto("/musterkreis/cockpit/")
    first_heading = page.locator("main h2").first.inner_text()
    assert "Kreis" in first_heading or "Städte" in first_heading
    details = page.locator("details.chart-data").first
    assert details.locator("table").is_hidden()
    details.locator("summary").click()
    assert details.locator("table").is_visible()
    clean(visitor, "cockpit with an open data table")
