"""Demo status reports: Musterstadt's Sachstandsberichte of the last two half-years,
published by the programme owner, the second showing the progress since the first."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from lotse.core.models import Body
from lotse.reporting import periods, services
from lotse.reporting.models import ReportStatus, StatusReport
from lotse.strategy.selectors import current_strategy

INTROS = [
    "Die Verwaltung informiert den Ausschuss halbjährlich über den Umsetzungsstand der "
    "Digitalen Agenda. Dieser Bericht fasst den Stand zum Ende des Halbjahres zusammen: "
    "welche Maßnahmen begonnen, abgeschlossen oder verzögert sind, was die Bürgerinnen und "
    "Bürger vorgeschlagen haben und welche Beschlüsse der Rat und seine Ausschüsse gefasst "
    "haben.\n\nSchwerpunkte des Halbjahres waren die Ausstattung der Schulen und der Start der "
    "E-Akte in den ersten Fachbereichen.",
    "Seit dem letzten Bericht hat die Umsetzung spürbar zugelegt: Die Schulen sind fast "
    "vollständig am Glasfasernetz, die E-Akte läuft in weiteren Ämtern, und das Open-Data-"
    "Portal ist online.\n\nVerzögerungen gibt es weiterhin bei Lieferungen von Endgeräten. "
    "Die Ampeln und Erläuterungen zu den einzelnen Maßnahmen stehen in den Abschnitten zu den "
    "Handlungsfeldern.",
]
COMMENTS = [
    "Die Förderprojekte des DigitalPakts prägen dieses Handlungsfeld; die Mittel sind "
    "gebunden, die Abrechnung läuft.",
    "Die Verwaltung konzentriert sich auf Vorhaben, die Wege ins Rathaus ersparen.",
]


def load(out) -> None:
    body = Body.objects.filter(slug="musterstadt").first()
    owner = get_user_model().objects.filter(email="cdo@musterstadt.example").first()
    strategy = current_strategy(body) if body else None
    if body is None or owner is None or strategy is None:
        return
    fields = list(strategy.action_fields.filter(parent__isnull=True).order_by("order", "pk"))
    made = 0
    # Oldest first, so the newer report shows the progress since the older one.
    for index, period in enumerate(reversed(periods.recent_half_years(timezone.localdate(), 2))):
        exists = StatusReport.objects.filter(
            body=body,
            period_start=period.start,
            period_end=period.end,
            status=ReportStatus.PUBLISHED,
        ).exists()
        if exists:
            continue
        report = services.create_draft(owner, body, period)
        comments = {
            str(field.pk): COMMENTS[i % len(COMMENTS)] for i, field in enumerate(fields[:2])
        }
        services.save_texts(owner, report, INTROS[index % len(INTROS)], comments)
        services.publish(owner, report)
        made += 1
    if made:
        out.write(f"  Sachstandsberichte veröffentlicht (Musterstadt): {made}")
