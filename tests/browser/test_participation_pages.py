"""The idea platform's pages for signed-in citizens and moderators pass axe (WCAG 2.1 A/AA),
keep the CSP and log no errors. The public and staff pages are in test_accessibility.py and
test_strategy.py; all lists are in pages.py."""

import pytest

from lotse.accounts.demo import DEMO_PASSWORD
from tests.browser.helpers import sign_in_with_totp
from tests.browser.pages import CITIZEN_PAGES, MODERATOR_PAGES

pytestmark = pytest.mark.browser


def check(visitor, path):
    visitor.goto(path)
    assert visitor.page.get_attribute("html", "lang") == "de", path
    assert visitor.axe_violations() == [], path
    assert visitor.csp_violations == [] and visitor.console_errors == [], path


@pytest.mark.render_only
def test_citizen_pages_pass_axe(visitor, orm):
    from lotse.participation.models import Comment, Idea

    comment = (
        Comment.objects.filter(
            idea__body__slug="musterstadt",
            idea__is_hidden=False,
            is_hidden=False,
            deleted_at__isnull=True,
        )
        .select_related("idea", "author")
        .first()
    )
    assert comment is not None, "the demo has comments"
    # Signed in as someone else than the comment's author, who may report it.
    citizen = (
        Idea.objects.filter(body__slug="musterstadt", author__email__endswith="mitmachen.example")
        .exclude(author=comment.author)
        .values_list("author__email", flat=True)
        .first()
    )
    visitor.login(citizen, DEMO_PASSWORD)
    visitor.page.wait_for_url("**/konto/profil/")
    for path in CITIZEN_PAGES:
        check(visitor, path.format(idea=comment.idea_id, comment=comment.pk))


@pytest.mark.render_only
def test_moderator_pages_pass_axe(visitor, orm):
    from lotse.participation.models import Idea

    hidden = Idea.objects.filter(
        body__slug="musterstadt", is_hidden=True, deleted_at__isnull=True
    ).first()
    assert hidden is not None, "the demo has ideas hidden by moderation"
    sign_in_with_totp(visitor, "moderation@musterstadt.example")
    for path in MODERATOR_PAGES:
        check(visitor, path.format(hidden_idea=hidden.pk))
