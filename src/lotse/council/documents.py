"""Documents generated from the council data: a meeting's invitation (Einladung) and minutes
(Niederschrift), as HTML and as tagged PDF/UA-1 from the same template. What a viewer may see
is decided in ``selectors``: a non-public item they may not see appears as "N 1 – nicht
öffentlich" only, in the PDF as on the page."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from lotse.core.models import Body
from lotse.council import selectors
from lotse.council.models import AgendaItem, Meeting, Organization

PRINT_CSS = "css/council-documents.css"


def meeting_document(user, body: Body, pk: int) -> dict:
    """The meeting with its agenda items marked for the viewer: ``visible``, ``masked``,
    ``paper`` (only if the viewer may see it) and ``shown_decision``; split into the public
    and the non-public part."""
    meeting = get_object_or_404(
        Meeting.objects.for_body(body).prefetch_related(
            Prefetch("organizations", queryset=Organization.objects.order_by("name"))
        ),
        pk=pk,
    )
    me = selectors.viewer(user, body)
    organization_ids = selectors.meeting_organization_ids_of(meeting)
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("consultation__paper", "decision__referred_to")
        .order_by("order")
    )
    for item in items:
        item.visible = me.can_see_item(item, organization_ids)
        item.masked = "" if item.visible else selectors.masked_label(item)
    paper_ids = {item.consultation.paper_id for item in items if item.visible and item.consultation}
    visible_paper_ids = (
        set(
            selectors.visible_papers(user, body)
            .filter(pk__in=paper_ids)
            .values_list("pk", flat=True)
        )
        if paper_ids
        else set()
    )
    for item in items:
        paper = item.consultation.paper if item.visible and item.consultation else None
        item.paper = paper if paper and paper.pk in visible_paper_ids else None
        item.shown_decision = getattr(item, "decision", None) if item.visible else None
    return {
        "meeting": meeting,
        "organizations": list(meeting.organizations.all()),
        "public_items": [item for item in items if item.is_public],
        "non_public_items": [item for item in items if not item.is_public],
        "shows_video": me.sees_items_of(organization_ids),
    }


def refuse_url(url: str) -> None:
    # User text (Markdown) is rendered into the document: it must not make the server fetch
    # anything, neither from the network nor from the disk.
    raise ValueError(f"Documents load no resources ({url[:60]}).")


def _refusing_fetcher():
    from weasyprint.urls import URLFetcher

    class RefusingFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            refuse_url(url)

    return RefusingFetcher()


def render_pdf(template_name: str, context: dict, request) -> bytes:
    """Render the template as a tagged PDF/UA-1 (language and title from the HTML)."""
    from weasyprint import CSS, HTML

    html = render_to_string(template_name, {**context, "for_pdf": True}, request=request)
    fetcher = _refusing_fetcher()
    stylesheet = finders.find(PRINT_CSS)
    return HTML(string=html, url_fetcher=fetcher).write_pdf(
        stylesheets=[CSS(filename=stylesheet, url_fetcher=fetcher)] if stylesheet else [],
        pdf_variant="pdf/ua-1",
    )


def document_title(kind: str, meeting: Meeting) -> str:
    if kind == "minutes":
        return _("Minutes: %(meeting)s") % {"meeting": meeting.name}
    return _("Invitation: %(meeting)s") % {"meeting": meeting.name}
