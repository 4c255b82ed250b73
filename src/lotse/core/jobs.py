"""Background jobs that people watch: the row a page polls while a task does slow work
(publishing a report, submitting it, importing measures). It holds the state, the progress in
percent, the current step and, on failure, the German reason. Apps subclass the abstract
``Job`` with what their work needs; the task updates the row outside its own transactions so
each step shows at once."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    QUEUED = "wartend", _("queued")
    RUNNING = "laeuft", _("running")
    DONE = "fertig", _("done")
    FAILED = "fehler", _("failed")


class Job(models.Model):
    """State, progress, step, error and timestamps of one piece of background work."""

    state = models.CharField(
        _("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return self.state in {JobState.DONE, JobState.FAILED}

    @classmethod
    def report_progress(cls, pk, progress: int, step: str, **fields) -> None:
        """Record a step (outside any transaction of the work, so the page sees it at once)."""
        cls.objects.filter(pk=pk).update(progress=progress, step=str(step)[:200], **fields)
