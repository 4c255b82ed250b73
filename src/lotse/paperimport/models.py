"""An upload waiting for its review: the files are kept privately in the database (never
under /media/) between the upload and the save, with what was recognised in them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.models import BodyScopedModel


class ImportBatch(BodyScopedModel):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("paper import")
        verbose_name_plural = _("paper imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.body_id}: {self.created_at:%Y-%m-%d %H:%M}"


class ImportItem(models.Model):
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    file_name = models.CharField(max_length=255)
    mime_type = models.CharField(max_length=100, blank=True)
    sha512 = models.CharField(max_length=128, blank=True)
    data = models.BinaryField(editable=False)
    recognition = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["batch", "position"]

    def __str__(self) -> str:
        return self.file_name
