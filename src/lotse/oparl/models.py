"""What the OParl endpoint and the OParl import keep besides the council data.

``Tombstone``: an object that was served and then deleted or became non-public. OParl 2-08
wants such objects to stay reachable under their id (``deleted: true``) and to show up in
lists filtered with ``modified_since``, so that a synchronising client learns of them.

``ImportRun`` and ``ImportedObject``: the runs of ``oparl_import`` and, per imported row,
the source's id, so that a second run updates instead of duplicating.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.core.models import Body, BodyScopedModel


class Kind(models.TextChoices):
    """The OParl types Lotse serves (the object's path segment)."""

    LEGISLATIVE_TERM = "legislativeterm", "LegislativeTerm"
    ORGANIZATION = "organization", "Organization"
    PERSON = "person", "Person"
    MEMBERSHIP = "membership", "Membership"
    MEETING = "meeting", "Meeting"
    AGENDA_ITEM = "agendaitem", "AgendaItem"
    PAPER = "paper", "Paper"
    CONSULTATION = "consultation", "Consultation"
    FILE = "file", "File"
    LOCATION = "location", "Location"


class Tombstone(BodyScopedModel):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    created = models.DateTimeField()
    modified = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="one_tombstone_per_object")
        ]
        indexes = [models.Index(fields=["body", "kind", "object_id"], name="tombstone_list")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} (deleted)"


class ImportRun(BodyScopedModel):
    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="oparl_imports")
    url = models.URLField(_("OParl URL"), max_length=500)
    since = models.DateTimeField(_("changes since"), null=True, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    with_files = models.BooleanField(_("download files"), default=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.CharField(max_length=200, blank=True)
    # {"counts": {type: {"created": n, "updated": n, "deleted": n, "unchanged": n}},
    #  "rejects": [{"url": …, "type": …, "reason": …}], "cursor": {list url: next url}}
    report = models.JSONField(default=dict, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("OParl import")
        verbose_name_plural = _("OParl imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.url} ({self.state})"


class ImportedObject(BodyScopedModel):
    """Which council row an object of another OParl system became."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="+")
    source_id = models.CharField(max_length=500)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    source_modified = models.CharField(max_length=40, blank=True)
    checksum = models.CharField(max_length=128, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["body", "source_id"], name="one_row_per_source_id")
        ]
        indexes = [models.Index(fields=["body", "kind", "object_id"], name="imported_row")]

    def __str__(self) -> str:
        return self.source_id
