"""Front-page blocks of reporting: the cockpit's key figures and the latest status reports."""

from __future__ import annotations

from lotse.core.frontpage import by_id
from lotse.reporting import cockpit
from lotse.reporting.models import ReportStatus, StatusReport

LATEST = 3


def key_figures(bodies, today):
    """Four key figures per body from the cockpit's cache (two cache reads when warm)."""
    data = cockpit.cached_figures_of(bodies, today=today)
    rows = [{"body": body, "figures": cockpit.key_figures(data[body.pk])} for body in bodies]
    return {"rows": rows}


def latest_reports(bodies, today):
    """The newest published reports no published correction has replaced; one query."""
    reports = list(
        StatusReport.objects.filter(body__in=bodies, status=ReportStatus.PUBLISHED)
        .exclude(corrections__status=ReportStatus.PUBLISHED)
        .order_by("-published_at", "-pk")
        .only("pk", "body_id", "title", "number", "version", "published_at")[:LATEST]
    )
    bodies_by_id = by_id(bodies)
    for report in reports:
        report.front_body = bodies_by_id[report.body_id]
    return {"reports": reports}
