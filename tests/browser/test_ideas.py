"""The citizen's journey on the idea platform in a real browser: sign up, confirm the e-mail,
submit an idea (similar ones are offered while typing), comment, support, rate — and meet
the friendly 429 page after too many ideas."""

import re
import uuid

import pytest
from django.core import mail
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "ein-gutes-Passwort-7"


def open_process(orm):
    """The demo's process if it accepts ideas now, else one made for this test."""
    from datetime import timedelta

    from django.utils import timezone

    from lotse.core.models import Body
    from lotse.participation.models import Action, Phase, PhaseKind, Process
    from lotse.strategy.selectors import current_strategy

    body = Body.objects.get(slug="musterstadt")
    process = Process.objects.filter(body=body, slug="digitaler-aufbruch").first()
    if process is None or not process.allows(Action.SUBMIT) or not process.is_published:
        process, _created = Process.objects.get_or_create(
            body=body,
            slug="browser-ideen",
            defaults={"title": "Ideen für den Browsertest", "is_published": True},
        )
        if not process.allows(Action.SUBMIT):
            Phase.objects.create(
                process=process, kind=PhaseKind.COLLECT, start=timezone.now() - timedelta(days=1)
            )
        strategy = current_strategy(body)
        if strategy and not process.action_fields.exists():
            process.action_fields.add(*strategy.action_fields.filter(parent__isnull=True)[:3])
    return process


def sign_up_and_confirm(visitor, email):
    page = visitor.page
    visitor.goto("/konto/signup/")
    page.fill("#id_email", email)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.fill("#id_display_name", "Browser Bürgerin")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    bodies = [m.body for m in mail.outbox if email in m.to]
    assert bodies, "no verification mail"
    link = re.search(r"https?://\S+/konto/confirm-email/\S+/", bodies[-1]).group(0)
    visitor.goto(re.sub(r"^https?://[^/]+", "", link))
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    visitor.login(email, PASSWORD)
    page.wait_for_load_state()


def test_citizen_submits_comments_supports_rates_and_meets_the_rate_limit(visitor, orm):
    from lotse.participation.models import Idea, ParticipationSettings
    from tests.participation.factories import IdeaFactory

    process = open_process(orm)
    body = process.body
    IdeaFactory(
        process=process,
        title="Kostenloses WLAN in der Innenstadt",
        text="Überall in der Fußgängerzone.",
    )
    page = visitor.page
    email = f"buergerin-{uuid.uuid4().hex[:8]}@example.org"
    sign_up_and_confirm(visitor, email)

    # The submit form, first sent empty: an error summary that links to the fields.
    visitor.goto(f"/{body.slug}/ideen/neu/?verfahren={process.slug}")
    assert page.locator("h1").inner_text() == "Idee einreichen"
    assert visitor.axe_violations() == []
    page.click("form.idea-form button[type=submit]")
    page.wait_for_selector(".error-summary")
    assert page.locator(".error-summary a[href='#id_title']").count() == 1
    assert page.get_attribute("#id_title", "aria-invalid") == "true"
    assert visitor.axe_violations() == []

    # Typing a title offers similar ideas.
    page.locator("#id_title").press_sequentially("WLAN Innenstadt", delay=40)
    page.wait_for_selector("#similar-ideas :text('Kostenloses WLAN')", timeout=10_000)
    page.fill("#id_title", "WLAN auch im Stadtpark")
    page.fill("#id_text", "Bitte **freies WLAN** auch im Stadtpark <script>alert(1)</script>")
    page.click("form.idea-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/ideen/\d+/$"))
    idea = Idea.objects.get(author__email=email)
    assert page.locator("h1").inner_text() == "WLAN auch im Stadtpark"
    assert page.locator(".idea-text strong").inner_text() == "freies WLAN"
    assert visitor.axe_violations() == []

    # Comment, support and rate — by keyboard and click, through htmx.
    page.fill("#id_text", "Gerade am Wochenende wichtig.")
    page.click("form.comment-form button[type=submit]")
    page.wait_for_selector("#idea-comments .comment-text :text('Gerade am Wochenende')")
    page.focus("#idea-actions form button:has-text('Diese Idee unterstützen')")
    page.keyboard.press("Enter")
    page.wait_for_selector("#idea-actions :text('1 Unterstützung')")
    # The focus stays with the support control after the swap (its successor, "zurückziehen").
    expect(page.locator("#idea-actions [data-focus-group=support] button")).to_be_focused()
    page.focus("#id_rating_value_3")
    page.keyboard.press("Space")
    page.click("#idea-rating button[type=submit]")
    page.wait_for_selector("#idea-rating :text('Mittelwert: 4,0 von 5')")
    assert "Vielen Dank" in page.locator("#idea-status").inner_text()
    idea.refresh_from_db()
    assert (idea.support_count, idea.comment_count, idea.rating_count) == (1, 1, 1)
    assert visitor.axe_violations() == []
    # Without JavaScript state: a reload shows the same.
    visitor.goto(f"/{body.slug}/ideen/{idea.pk}/")
    assert "Sie unterstützen diese Idee." in page.locator("#idea-actions").inner_text()
    assert visitor.axe_violations() == []
    assert visitor.csp_violations == [] and visitor.console_errors == []

    # Too many ideas in an hour: the German 429 page.
    settings, _created = ParticipationSettings.objects.get_or_create(body=body)
    settings.ideas_per_hour = 1
    settings.save()
    try:
        visitor.goto(f"/{body.slug}/ideen/neu/?verfahren={process.slug}")
        page.fill("#id_title", "Noch eine Idee")
        page.fill("#id_text", "Und noch eine.")
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.click("form.idea-form button[type=submit]")
        assert posted.value.status == 429
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "Zu viele Anfragen"
        assert "letzten Stunde" in page.locator("main").inner_text()
        assert visitor.axe_violations() == []
    finally:
        settings.ideas_per_hour = 5
        settings.save()
    assert Idea.objects.filter(author__email=email).count() == 1


@pytest.mark.render_only
def test_idea_list_and_detail_pass_axe_for_visitors(visitor, orm):
    from lotse.participation.models import Rating
    from tests.factories import UserFactory
    from tests.participation.factories import CommentFactory, IdeaFactory

    process = open_process(orm)
    idea = IdeaFactory(process=process, title="Digitale Bürgersprechstunde", address="Rathaus")
    top = CommentFactory(idea=idea, text="Gute Idee!")
    CommentFactory(idea=idea, parent=top, text="Finde ich auch.")
    Rating.objects.create(idea=idea, user=UserFactory(), value=4)
    idea.rating_count, idea.rating_sum, idea.rating_mean, idea.comment_count = 1, 4, 4.0, 2
    idea.save()
    body = process.body
    for path in (
        f"/{body.slug}/ideen/",
        f"/{body.slug}/ideen/?sort=unterstuetzungen&verfahren={process.slug}",
        f"/{body.slug}/ideen/{idea.pk}/",
    ):
        visitor.goto(path)
        assert visitor.axe_violations() == [], path
    assert "Finde ich auch." in visitor.page.locator("#idea-comments").inner_text()
    visitor.goto(f"/{body.slug}/ideen/")
    href = visitor.page.get_attribute(".idea-list a", "href")
    visitor.goto(href)
    assert visitor.axe_violations() == []
    assert visitor.csp_violations == [] and visitor.console_errors == []
