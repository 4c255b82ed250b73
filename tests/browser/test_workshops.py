"""Processes and workshops in the browser: public pages and the staff process form pass axe,
and the forms work by keyboard."""

import datetime

import pytest

from tests.browser.helpers import sign_in_with_totp

pytestmark = pytest.mark.browser


def demo_process_and_workshop():
    """The demo's process and World Café; created here when the demo does not have them."""
    from django.utils import timezone

    from lotse.core.models import Body
    from lotse.participation.models import (
        GuidingQuestion,
        Phase,
        PhaseKind,
        Process,
        Workshop,
        WorkshopResult,
        WorkshopTopic,
    )

    body = Body.objects.get(slug="musterstadt")
    process = Process.objects.filter(body=body, slug="digitaler-aufbruch").first()
    if process is None:
        process = Process.objects.create(
            body=body,
            title="Digitaler Aufbruch Musterstadt",
            slug="digitaler-aufbruch",
            description="Was soll in **Musterstadt** digital besser werden?",
            rating_question="Wie wichtig ist das für Musterstadt?",
        )
        now = timezone.now()
        Phase.objects.create(
            process=process,
            kind=PhaseKind.COLLECT,
            start=now - datetime.timedelta(days=30),
            end=now + datetime.timedelta(days=60),
        )
        Phase.objects.create(
            process=process,
            kind=PhaseKind.REVIEW,
            start=now + datetime.timedelta(days=60),
            end=now + datetime.timedelta(days=90),
        )
    workshop = Workshop.objects.filter(body=body, is_published=True).first()
    if workshop is None:
        workshop = Workshop.objects.create(
            body=body,
            kind=Workshop.Kind.WORLD_CAFE,
            title="World Café Digitale Agenda",
            starts_at=timezone.now() - datetime.timedelta(days=20),
            place="Ratssaal",
            process=process,
            is_published=True,
        )
        topic = WorkshopTopic.objects.create(workshop=workshop, title="Smart City")
        question = GuidingQuestion.objects.create(topic=topic, text="Was fehlt?")
        WorkshopResult.objects.create(topic=topic, question=question, text="Freies WLAN")
    return process, workshop


@pytest.mark.render_only
def test_public_pages_pass_axe(visitor, orm):
    process, workshop = demo_process_and_workshop()
    for path in [
        "/musterstadt/beteiligung/",
        f"/musterstadt/beteiligung/{process.slug}/",
        "/musterstadt/werkstaetten/",
        f"/musterstadt/werkstaetten/{workshop.pk}/",
    ]:
        visitor.goto(path)
        assert visitor.axe_violations() == [], path
        assert visitor.page.locator("h1").count() == 1, path
    assert visitor.csp_violations == [] and visitor.console_errors == []


def test_staff_pages_pass_axe_and_the_process_form_works_by_keyboard(visitor, orm):
    process, workshop = demo_process_and_workshop()
    topic = workshop.topics.first()
    sign_in_with_totp(visitor, "cdo@musterstadt.example")
    page = visitor.page
    for path in [
        "/musterstadt/verwaltung/beteiligung/",
        "/musterstadt/verwaltung/beteiligung/neu/",
        f"/musterstadt/verwaltung/beteiligung/{process.pk}/bearbeiten/",
        "/musterstadt/verwaltung/beteiligung/einstellungen/",
        "/musterstadt/verwaltung/werkstaetten/",
        "/musterstadt/verwaltung/werkstaetten/neu/",
        f"/musterstadt/verwaltung/werkstaetten/{workshop.pk}/bearbeiten/",
        f"/musterstadt/verwaltung/werkstaetten/{workshop.pk}/themen/{topic.pk}/",
    ]:
        visitor.goto(path)
        assert visitor.axe_violations() == [], path

    # A new process, typed and submitted with the keyboard; first with overlapping phases.
    visitor.goto("/musterstadt/verwaltung/beteiligung/neu/")
    page.focus("#id_p-title")
    page.keyboard.type("Smarte Quartiere")
    page.keyboard.press("Tab")
    page.keyboard.type("smarte-quartiere")
    page.focus("#id_phases-0-kind")
    page.select_option("#id_phases-0-kind", "ideen")
    page.fill("#id_phases-0-start", "2026-01-01")
    page.fill("#id_phases-0-end", "2026-03-31")
    page.select_option("#id_phases-1-kind", "pruefung")
    page.fill("#id_phases-1-start", "2026-03-01")
    page.focus("main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "überschneiden" in page.locator("main").inner_text()
    assert visitor.axe_violations() == []
    page.fill("#id_phases-1-start", "2026-04-01")
    page.focus("main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/musterstadt/verwaltung/beteiligung/")
    assert "Smarte Quartiere" in page.locator("main").inner_text()

    # Following the process by keyboard.
    visitor.goto("/musterstadt/beteiligung/smarte-quartiere/")
    assert "Zurzeit ist keine Beteiligung möglich" in page.locator("main").inner_text()
    page.focus("form[action$='/folgen/'] button")
    with page.expect_navigation(url="**/beteiligung/smarte-quartiere/"):
        page.keyboard.press("Enter")
    assert "Sie folgen diesem Verfahren." in page.locator("main").inner_text()
    assert visitor.axe_violations() == []
    assert visitor.csp_violations == [] and visitor.console_errors == []
