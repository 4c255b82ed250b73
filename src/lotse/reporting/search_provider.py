"""What reporting gives the one search (lotse.search): published status reports as their page
shows them — the introduction and the comments per Handlungsfeld, and from the snapshot taken
at publishing the headline figures, each Handlungsfeld's measures with their status, progress
and traffic light then, the milestones, the council decisions of the period and the meetings
ahead. A report is public once published, like its page; drafts are not searchable."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
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
        with translation.override(settings.LANGUAGE_CODE):
            figures = snapshot_text(report.snapshot or {})
        entries.append(
            Entry(
                kind="report",
                object_id=report.pk,
                body_id=report.body_id,
                title=f"{report.title} ({report.number})" if report.number else report.title,
                text="\n".join([report.intro, *comments, report.correction_note, figures]),
                url=reverse(
                    "reporting:report", kwargs={"body_slug": slugs[report.body_id], "pk": report.pk}
                ),
                access=[PUBLIC],
                date=report.published_at.date() if report.published_at else report.period_end,
                references=[report.number],
            )
        )
    return entries


def snapshot_text(snapshot: dict) -> str:
    """The figures and facts of a published snapshot as lines of text, in the words of the
    report page ("Mittlerer Fortschritt: 45 %", "Glasfasernetz: In Umsetzung, 60 %, gelb")."""
    lines = []
    summary = snapshot.get("summary") or {}
    if period := (snapshot.get("period") or {}).get("label"):
        lines.append(str(period))
    if summary:
        ideas = summary.get("ideas") or {}
        follow_ups = summary.get("follow_ups") or {}
        figures = [
            (gettext("Public measures"), summary.get("measures")),
            (gettext("Started in the period"), summary.get("started")),
            (gettext("Completed in the period"), summary.get("finished")),
            (gettext("Mean progress"), f"{summary.get('mean_progress') or 0:.0f} %"),
            (gettext("Ideas received"), ideas.get("received")),
            (gettext("Ideas answered"), ideas.get("answered")),
            (gettext("Ideas taken up in measures"), ideas.get("to_measures")),
            (gettext("Council decisions in the period"), summary.get("decisions")),
            (gettext("Follow-ups open"), follow_ups.get("open")),
            (gettext("Follow-ups done"), follow_ups.get("done")),
        ]
        lines += [f"{label}: {value}" for label, value in figures if value is not None]
        lines += [
            f"{row['label']}: {row['count']}"
            for row in [*summary.get("by_status", []), *summary.get("traffic_lights", [])]
            if row.get("count")
        ]
    for field in snapshot.get("fields") or []:
        lines.append(f"{field.get('title', '')}: {field.get('mean_progress') or 0:.0f} %")
        for measure in field.get("measures") or []:
            facts = [measure.get("status_label"), f"{measure.get('progress') or 0} %"]
            if measure.get("traffic_light"):
                facts.append(measure.get("traffic_light_label"))
            lines.append(f"{measure.get('title', '')}: " + ", ".join(str(f) for f in facts if f))
            if measure.get("last_update"):
                lines.append(str(measure["last_update"]))
            milestones = [
                *measure.get("milestones_reached", []),
                *measure.get("milestones_missed", []),
            ]
            lines += [str(m.get("title", "")) for m in milestones]
    for decision in snapshot.get("decisions") or []:
        lines.append(
            " ".join(
                str(decision.get(key) or "")
                for key in ("number", "title", "paper_reference", "organization", "outcome_label")
            )
        )
    lines += [str(m.get("name", "")) for m in snapshot.get("meetings_ahead") or []]
    return "\n".join(line for line in lines if line.strip())


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
