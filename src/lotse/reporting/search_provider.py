"""What reporting gives the one search (lotse.search): published status reports (their
introduction and the comments per Handlungsfeld, as published). Drafts are not searchable."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lotse.core.models import Body
from lotse.reporting.models import ReportStatus, StatusReport
from lotse.search.registry import PUBLIC, Entry, Provider, register


def report_entries(ids: list[int], using: str) -> list[Entry]:
    slugs = dict(Body.objects.using(using).values_list("pk", "slug"))
    reports = StatusReport._default_manager.using(using).filter(
        pk__in=ids, status=ReportStatus.PUBLISHED
    )
    entries = []
    for report in reports:
        comments = [str(c) for c in (report.field_comments or {}).values() if c]
        entries.append(
            Entry(
                kind="report",
                object_id=report.pk,
                body_id=report.body_id,
                title=f"{report.title} ({report.number})" if report.number else report.title,
                text="\n".join([report.intro, *comments, report.correction_note]),
                url=reverse(
                    "reporting:report", kwargs={"body_slug": slugs[report.body_id], "pk": report.pk}
                ),
                access=[PUBLIC],
                date=report.published_at.date() if report.published_at else report.period_end,
                references=[report.number],
            )
        )
    return entries


def report_ids(using: str, body_id: int | None):
    found = StatusReport._default_manager.using(using).filter(status=ReportStatus.PUBLISHED)
    if body_id is not None:
        found = found.filter(body_id=body_id)
    return found.order_by("published_at", "pk").values_list("pk", flat=True).iterator(5000)


def register_all() -> None:
    register(
        Provider(
            kind="report",
            label=_("Status report"),
            plural=_("Status reports"),
            build=report_entries,
            ids=report_ids,
            watch={StatusReport: lambda report: [report.pk]},
            order=70,
        )
    )
