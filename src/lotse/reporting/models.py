"""Status reports (Sachstandsberichte): a draft is computed from the live data whenever it is
shown; publishing stores its figures and text as a snapshot, with the PDF made from that
snapshot, and from then on the report never changes. A correction is a new version of the same
report number that says what changed; the version it corrects stays readable."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lotse.core.jobs import Job, JobState
from lotse.core.models import BodyScopedModel, private_storage, random_filename


class ReportStatus(models.TextChoices):
    DRAFT = "entwurf", _("draft")
    PUBLISHED = "veroeffentlicht", _("published")


def report_pdf_path(instance, filename: str) -> str:
    return random_filename("reports", filename)


# What a published report may still change: nothing of its content, only its link to the
# council paper that carries it and the bookkeeping fields.
MUTABLE_AFTER_PUBLISHING = frozenset({"updated_at"})


class StatusReport(BodyScopedModel):
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    status = models.CharField(
        _("status"), max_length=15, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    intro = models.TextField(_("introduction"), blank=True, help_text=_("Markdown"))
    # {"<action field id>": "comment in Markdown"}, one per top-level action field.
    field_comments = models.JSONField(_("comments per action field"), default=dict, blank=True)
    # Given at publishing: "<n>/<year>", per body; a correction keeps the number.
    number = models.CharField(_("number"), max_length=20, blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    correction_note = models.TextField(_("what was corrected"), blank=True)
    # The figures and texts as published (see reporting.figures); empty for a draft.
    snapshot = models.JSONField(null=True, blank=True, editable=False)
    pdf = models.FileField(
        _("PDF"), storage=private_storage, upload_to=report_pdf_path, blank=True, editable=False
    )
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["snapshot", "updated_at"])

    class Meta:
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")
        ordering = ["-period_end", "-version", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "number", "version"],
                condition=~models.Q(number=""),
                name="unique_report_number_version",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="report_period_order",
            ),
        ]
        indexes = [models.Index(fields=["body", "status", "-published_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED

    @property
    def label(self) -> str:
        if not self.number:
            return str(_("Draft"))
        if self.version > 1:
            return str(_("No. %(number)s, version %(version)s")) % {
                "number": self.number,
                "version": self.version,
            }
        return str(_("No. %(number)s")) % {"number": self.number}

    def get_absolute_url(self) -> str:
        return reverse("reporting:report", kwargs={"body_slug": self.body.slug, "pk": self.pk})

    def clean(self) -> None:
        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The period cannot end before it starts.")
        if self.corrects_id and not (self.correction_note or "").strip():
            errors["correction_note"] = _("Say what this version corrects.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # A published report is a record: refuse any change to it, whoever asks.
        if self.pk and not getattr(self, "_publishing", False):
            stored = type(self).objects.filter(pk=self.pk).values("status").first()
            if stored and stored["status"] == ReportStatus.PUBLISHED:
                fields = kwargs.get("update_fields")
                if fields is None or not set(fields) <= MUTABLE_AFTER_PUBLISHING:
                    raise ValidationError(
                        _("A published report cannot be changed. Publish a correction instead."),
                        code="published",
                    )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_published:
            raise ValidationError(_("A published report cannot be deleted."), code="published")
        return super().delete(*args, **kwargs)


# The state of a report's background work: the shared one of every watched job (``core``).
SubmissionState = JobState


class ReportJob(Job):
    """What a report's background work shows while its task runs: state, progress in percent,
    the current step and, on failure, the German reason. Submission and Publication share it
    (the abstract base lives in ``core.jobs`` so other apps' jobs look the same)."""

    class Meta:
        abstract = True


class Submission(ReportJob):
    """Putting a published report before a committee: a background task creates the
    Mitteilungsvorlage with the PDF and puts it on the meeting's agenda for Kenntnisnahme.
    The row shows its progress while the task runs."""

    report = models.ForeignKey(StatusReport, on_delete=models.PROTECT, related_name="submissions")
    meeting = models.ForeignKey(
        "council.Meeting", verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="+"
    )
    paper = models.ForeignKey(
        "council.Paper",
        verbose_name=_("paper"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("submission to the council")
        verbose_name_plural = _("submissions to the council")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.report} → {self.meeting_id}"


class Publication(ReportJob):
    """Publishing a draft in the background: the task takes the snapshot, renders the PDF and
    then, in one short transaction, gives the number and freezes the report. The row shows its
    progress while the task runs and says in German why it failed."""

    report = models.ForeignKey(StatusReport, on_delete=models.CASCADE, related_name="publications")

    class Meta:
        verbose_name = _("publication of a report")
        verbose_name_plural = _("publications of reports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.report} ({self.state})"
