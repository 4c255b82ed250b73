"""Council pages of one object and the council office's workspace in the browser: axe,
no CSP or console errors."""

import pytest

from tests.browser.helpers import sign_in_with_totp
from tests.browser.pages import COUNCIL_OFFICE_PAGES, MEETING_PAGES

pytestmark = pytest.mark.browser


def demo_ids():
    from lotse.council.models import AgendaItem, FollowUp, Meeting, Paper

    papers = Paper.objects.filter(body__slug="musterstadt")
    held = (
        Meeting.objects.filter(body__slug="musterstadt", agenda_items__decision__isnull=False)
        .order_by("start")
        .first()
    )
    ids = {
        "draft": papers.filter(state="entwurf").first(),
        "signing": papers.filter(state="mitzeichnung").first(),
        "released": papers.filter(state="freigegeben").first(),
        "held": held,
        "item": AgendaItem.objects.filter(meeting=held, decision__isnull=False).first(),
        "follow_up": FollowUp.objects.filter(body__slug="musterstadt").first(),
    }
    missing = [name for name, row in ids.items() if row is None]
    assert not missing, f"the demo lacks {missing}"
    return {name: row.pk for name, row in ids.items()}


def check(visitor, path):
    visitor.goto(path)
    assert visitor.axe_violations() == [], path
    assert visitor.csp_violations == [] and visitor.console_errors == [], path


@pytest.mark.render_only
def test_meeting_documents_pass_axe(visitor, orm):
    ids = demo_ids()
    for path in MEETING_PAGES:
        check(visitor, path.format(**ids))


@pytest.mark.render_only
def test_council_office_pages_pass_axe(visitor, orm):
    ids = demo_ids()
    sign_in_with_totp(visitor, "sitzungsdienst@musterstadt.example")
    for path in COUNCIL_OFFICE_PAGES:
        check(visitor, path.format(**ids))
