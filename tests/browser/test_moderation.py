"""Moderation and the staff page of an idea in the browser: a moderator of Musterstadt hides
a reported comment with a reason, its author gets the e-mail; both pages pass axe."""

import pytest
from django.core import mail

from tests.browser.helpers import sign_in_with_totp

pytestmark = pytest.mark.browser


def reported_comment():
    from lotse.core.models import Body
    from lotse.participation.services import moderation
    from tests.factories import UserFactory
    from tests.participation.factories import CommentFactory, IdeaFactory, ProcessFactory

    body = Body.objects.get(slug="musterstadt")
    process = ProcessFactory(body=body)
    idea = IdeaFactory(process=process, title="Mehr Sitzbänke mit WLAN")
    author = UserFactory(display_name="Kurt Kommentar")
    comment = CommentFactory(idea=idea, author=author, text="Das ist eine dumme Idee, ihr Trottel.")
    moderation.report(UserFactory(), comment, "beleidigend", "Beleidigt andere")
    return comment


def test_moderator_hides_a_comment_and_the_author_is_mailed(visitor, orm):
    comment = reported_comment()
    sign_in_with_totp(visitor, "moderation@musterstadt.example")
    page = visitor.page
    visitor.goto("/musterstadt/verwaltung/moderation/")
    assert visitor.axe_violations() == []
    assert visitor.csp_violations == [] and visitor.console_errors == []
    field = f"#hide-comment-{comment.pk}"
    page.fill(field, "Beleidigung anderer Teilnehmender")
    page.locator(f"form:has({field}) button[type=submit]").click()
    page.wait_for_load_state()
    assert "Ausgeblendet" in page.inner_text(".messages")
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_reason == "Beleidigung anderer Teilnehmender"
    mails = [m for m in mail.outbox if comment.author.email in m.to]
    assert mails, "the author got no e-mail"
    assert "Beleidigung anderer Teilnehmender" in mails[-1].body
    # The queue with a hidden item, the log and the block list are accessible as well.
    for path in ("", "protokoll/", "sperren/"):
        visitor.goto(f"/musterstadt/verwaltung/moderation/{path}")
        assert visitor.axe_violations() == [], path


def test_staff_pages_of_an_idea_pass_axe(visitor, orm):
    from lotse.core.models import Body
    from tests.participation.factories import IdeaFactory, ProcessFactory

    body = Body.objects.get(slug="musterstadt")
    idea = IdeaFactory(process=ProcessFactory(body=body), title="Digitale Bürgersprechstunde")
    sign_in_with_totp(visitor, "admin@musterstadt.example")
    page = visitor.page
    for path in (f"{idea.pk}/", f"{idea.pk}/massnahme/", "", "?alle=1"):
        visitor.goto(f"/musterstadt/verwaltung/ideen/{path}")
        assert visitor.axe_violations() == [], path
    # An error state: a rejection without a reason.
    visitor.goto(f"/musterstadt/verwaltung/ideen/{idea.pk}/")
    page.check("input[name='state-state'][value='abgelehnt']")
    page.locator("form:has(input[name='state-state']) button[type=submit]").click()
    page.wait_for_load_state()
    assert "Begründung" in page.inner_text("main")
    assert visitor.axe_violations() == []
    for path in ("/konto/benachrichtigungen/", "/konto/benachrichtigungen/einstellungen/"):
        visitor.goto(path)
        assert visitor.axe_violations() == [], path
    assert visitor.csp_violations == [] and visitor.console_errors == []
