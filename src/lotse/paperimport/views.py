"""Upload and review of imported papers (``/<body>/verwaltung/vorlagen/import/``). Views only
translate HTTP into calls of ``services`` and back."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from lotse.core.views import BodyMixin
from lotse.paperimport import services
from lotse.paperimport.forms import ReviewForm, UploadForm
from lotse.paperimport.models import ImportBatch
from lotse.paperimport.recognise import Recognition

FIELD_LABELS = {
    "reference": gettext_lazy("Reference number"),
    "date": gettext_lazy("Date"),
    "paper_type": gettext_lazy("Type"),
    "subject": gettext_lazy("Subject (Betreff)"),
    "proposal": gettext_lazy("Decision proposal"),
    "reasoning": gettext_lazy("Reasoning"),
    "unit": gettext_lazy("Originating unit"),
    "reporter": gettext_lazy("Reporter"),
    "signature": gettext_lazy("Signature"),
    "attachments": gettext_lazy("Attachments"),
    "outcome": gettext_lazy("Decision"),
    "vote": gettext_lazy("Vote"),
    "decision_number": gettext_lazy("Decision number"),
    "decision_text": gettext_lazy("Resolution text"),
    "follow_up": gettext_lazy("Beschlusskontrolle"),
}
EXPECTED = ("reference", "date", "paper_type", "subject", "proposal", "reasoning")


class ImportMixin(BodyMixin, PermissionRequiredMixin):
    permission_required = "paperimport.import_papers"


class UploadView(ImportMixin, TemplateView):
    template_name = "paperimport/upload.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", UploadForm())
        kwargs["batches"] = ImportBatch.objects.filter(body=self.body).annotate(
            item_count=Count("items")
        )
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            uploads = []
            for upload in form.cleaned_data["files"]:
                if upload.size > services.MAX_TOTAL_BYTES:
                    form.add_error("files", services._too_big(services.MAX_TOTAL_BYTES))
                    break
                uploads.append((upload.name or "", upload.read()))
            else:
                try:
                    batch = services.create_batch(request.user, self.body, uploads)
                except ValidationError as error:
                    form.add_error("files", error)
                else:
                    return redirect("paperimport:review", body_slug=self.body.slug, pk=batch.pk)
        return self.render_to_response(self.get_context_data(form=form))


def segments(text: str, marks: list[tuple[int, int, str]]) -> list[tuple[str, str]]:
    """The text cut into (piece, label) with a label where a recognised field came from;
    overlapping spans keep the first."""
    out, position = [], 0
    for start, end, label in sorted(marks):
        if start < position or end <= start:
            continue
        out.append((text[position:start], ""))
        out.append((text[start:end], label))
        position = end
    out.append((text[position:], ""))
    return [(piece, label) for piece, label in out if piece]


class ReviewView(ImportMixin, TemplateView):
    template_name = "paperimport/review.html"

    @cached_property
    def batch(self) -> ImportBatch:
        return get_object_or_404(ImportBatch.objects.filter(body=self.body), pk=self.kwargs["pk"])

    def entries(self, data=None):
        entries = []
        for item in self.batch.items.defer("data"):
            entry = {"item": item, "form": None}
            if not item.error:
                recognition = Recognition.from_dict(item.recognition)
                reviewed = services.reviewed_from_recognition(item)
                entry["form"] = ReviewForm(
                    data, prefix=f"p{item.pk}", initial=ReviewForm.initial_from(reviewed)
                )
                marks = [
                    (f.start, f.end, str(FIELD_LABELS.get(name, name)))
                    for name, f in recognition.fields.items()
                    if f.end > f.start
                ]
                marks += [(c.start, c.end, _("Beratungsfolge")) for c in recognition.consultations]
                marks += [(i.start, i.end, _("Impacts")) for i in recognition.impacts]
                entry["segments"] = segments(recognition.text, marks)
                entry["found"] = [
                    {
                        "label": FIELD_LABELS.get(name, name),
                        "value": recognition.fields[name].value,
                        "confidence": round(recognition.fields[name].confidence * 100),
                    }
                    for name in FIELD_LABELS
                    if name in recognition.fields
                ]
                entry["missing"] = [
                    FIELD_LABELS[name] for name in EXPECTED if name not in recognition.fields
                ]
                if not recognition.consultations:
                    entry["missing"].append(_("Beratungsfolge"))
                entry["impacts"] = recognition.impacts
                # A decision the export holds, and whether it will be saved with the paper.
                entry["decision"] = services.recognised_decision(item)
                if entry["decision"] is not None:
                    form = entry["form"]
                    paper = form.reviewed(item) if form.is_bound and form.is_valid() else reviewed
                    entry["decision_warning"] = services.decision_warning(self.body, paper)
            entries.append(entry)
        return entries

    def get_context_data(self, **kwargs):
        if "entries" not in kwargs:
            kwargs["entries"] = self.entries()
            # What would stop the save as recognised: shown before the first save attempt.
            reviewed = [
                services.reviewed_from_recognition(e["item"])
                for e in kwargs["entries"]
                if e["form"] is not None
            ]
            kwargs["warnings"] = services.check(self.body, reviewed)
        kwargs["batch"] = self.batch
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        if "discard" in request.POST:
            services.discard_batch(request.user, self.batch)
            messages.success(request, _("The import was discarded."))
            return redirect("paperimport:upload", body_slug=self.body.slug)
        entries = self.entries(request.POST)
        forms = [e for e in entries if e["form"] is not None]
        errors = []
        if all(e["form"].is_valid() for e in forms):
            reviewed = [e["form"].reviewed(e["item"]) for e in forms]
            failed = [e["item"] for e in entries if e["form"] is None]
            if failed:
                errors = [
                    _("%(file)s: %(error)s") % {"file": i.file_name, "error": i.error}
                    for i in failed
                ]
                errors.append(_("Remove the files that cannot be read and upload again."))
            else:
                try:
                    papers = services.save_batch(request.user, self.batch, reviewed)
                except ValidationError as error:
                    errors = error.messages
                else:
                    messages.success(
                        request,
                        _("%(count)s papers were imported.") % {"count": len(papers)},
                    )
                    for skipped in papers.skipped:
                        messages.warning(request, skipped)
                    return redirect("council:office_papers", body_slug=self.body.slug)
        return self.render_to_response(
            self.get_context_data(entries=entries, errors=errors), status=400
        )
