"""Files and documents of the council work: downloading an Anlage (for those who may see what
it belongs to), the workspace pages that attach files to papers and meetings, and a meeting's
invitation and minutes as HTML and PDF."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from lotse.core.forms import PlainTextMixin
from lotse.core.views import BodyMixin
from lotse.council import documents, files, selectors
from lotse.council.models import AgendaItem, File, Meeting, Paper

FILE_FIELD_ERRORS = {"file_type", "file_mismatch", "file_size", "file_empty"}


def no_store(response, user):
    """What only some may see must not stay in a shared cache."""
    response["Cache-Control"] = (
        "private, no-store" if user.is_authenticated else "private, max-age=300"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


class FileDownloadView(BodyMixin, View):
    """``/<body>/dateien/<pk>/<file_name>``: an Anlage, for those who may see its paper,
    agenda item or meeting (404 for everyone else)."""

    def get(self, request, body_slug: str, pk: int, file_name: str):
        file = get_object_or_404(selectors.visible_files(request.user, self.body), pk=pk)
        if file.file_name != file_name:
            raise Http404
        try:
            stream = file.file.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        content_type = file.mime_type
        if content_type == files.TEXT:
            content_type += "; charset=utf-8"
        response = FileResponse(
            stream,
            content_type=content_type,
            as_attachment=not files.is_inline(file),
            filename=file.file_name,
        )
        return no_store(response, request.user)


class FileForm(PlainTextMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    role = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=File.Role.choices, initial=File.Role.ATTACHMENT
    )
    upload = forms.FileField(label=gettext_lazy("File"))

    def __init__(self, *args, agenda_items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["upload"].help_text = _(
            "PDF, ODT, DOCX, ODS, XLSX, PNG, JPEG or plain text; up to %(size)s."
        ) % {"size": f"{files.max_bytes() // (1024 * 1024)} MB"}
        if agenda_items is not None:
            self.fields["agenda_item"] = forms.ModelChoiceField(
                label=gettext_lazy("Agenda item"),
                queryset=agenda_items,
                required=False,
                empty_label=_("the whole meeting"),
            )
            self.fields["agenda_item"].label_from_instance = lambda item: str(item)


class FilesWorkspaceMixin(BodyMixin, PermissionRequiredMixin):
    """Lists an owner's files, attaches new ones and removes them."""

    template_name = "council/documents/files.html"
    form_class = FileForm
    url_name = ""

    def get_owner(self):
        raise NotImplementedError

    def owner_files(self, owner):
        raise NotImplementedError

    def can_change(self, owner) -> bool:
        return True

    def attach(self, data: dict, upload):
        raise NotImplementedError

    def back(self):
        return redirect(f"council:{self.url_name}", body_slug=self.body.slug, pk=self.kwargs["pk"])

    def post(self, request, *args, **kwargs):
        remove_id = request.POST.get("entfernen")
        if remove_id:
            owner = self.get_owner()
            file = get_object_or_404(self.owner_files(owner), pk=remove_id)
            try:
                files.remove_file(request.user, file)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The file has been removed."))
            return self.back()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            self.attach(form.cleaned_data, form.cleaned_data["upload"])
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                form.add_error(None, error)
            elif error.code in FILE_FIELD_ERRORS:
                form.add_error("upload", error)
            else:
                form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The file has been attached."))
        return self.back()

    def get_context_data(self, **kwargs):
        owner = self.get_owner()
        return super().get_context_data(
            owner=owner,
            files=list(self.owner_files(owner)),
            can_change=self.can_change(owner),
            **kwargs,
        )


class PaperFilesView(FilesWorkspaceMixin, FormView):
    """``/<body>/verwaltung/vorlagen/<pk>/anlagen/``: the files of a paper; fixed once it is
    released."""

    permission_required = "council.edit_papers"
    url_name = "office_paper_files"

    def get_owner(self) -> Paper:
        if not hasattr(self, "_paper"):
            self._paper = get_object_or_404(Paper.objects.for_body(self.body), pk=self.kwargs["pk"])
        return self._paper

    def owner_files(self, owner):
        return File.objects.filter(paper=owner).order_by("role", "name", "pk")

    def can_change(self, owner) -> bool:
        return not owner.is_released

    def attach(self, data, upload):
        files.attach_file(
            self.request.user,
            paper=self.get_owner(),
            upload=upload,
            name=data["name"],
            role=data["role"],
        )

    def get_context_data(self, **kwargs):
        paper = self.get_owner()
        return super().get_context_data(
            kind="paper",
            title=_("Files of paper “%(name)s”") % {"name": paper.reference or paper.name},
            **kwargs,
        )


class MeetingFilesView(FilesWorkspaceMixin, FormView):
    """``/<body>/verwaltung/sitzungen/<pk>/anlagen/``: the files of a meeting and of its
    agenda items."""

    permission_required = "council.manage_meetings"
    url_name = "office_meeting_files"

    def get_owner(self) -> Meeting:
        if not hasattr(self, "_meeting"):
            self._meeting = get_object_or_404(
                Meeting.objects.for_body(self.body), pk=self.kwargs["pk"]
            )
        return self._meeting

    def owner_files(self, owner):
        return (
            File.objects.filter(meeting=owner)
            .select_related("agenda_item")
            .order_by("agenda_item__order", "role", "name", "pk")
        )

    def get_form_kwargs(self):
        items = AgendaItem.objects.filter(meeting=self.get_owner()).order_by("order")
        return {**super().get_form_kwargs(), "agenda_items": items}

    def attach(self, data, upload):
        files.attach_file(
            self.request.user,
            meeting=self.get_owner(),
            agenda_item=data.get("agenda_item"),
            upload=upload,
            name=data["name"],
            role=data["role"],
        )

    def get_context_data(self, **kwargs):
        meeting = self.get_owner()
        return super().get_context_data(
            kind="meeting",
            title=_("Files of “%(name)s”") % {"name": meeting.name},
            **kwargs,
        )


DOCUMENTS = {
    "invitation": "council/documents/invitation.html",
    "minutes": "council/documents/minutes.html",
}


class MeetingDocumentView(BodyMixin, TemplateView):
    """``/<body>/sitzungen/<pk>/einladung/`` and ``…/niederschrift/``: the invitation or the
    minutes of a meeting as a page, with a link to the PDF."""

    kind = "invitation"

    def get_template_names(self):
        return [DOCUMENTS[self.kind]]

    def get_context_data(self, **kwargs):
        context = documents.meeting_document(self.request.user, self.body, self.kwargs["pk"])
        return super().get_context_data(
            **context,
            base_template="base.html",
            document_title=documents.document_title(self.kind, context["meeting"]),
            **kwargs,
        )


class MeetingDocumentPdfView(BodyMixin, View):
    """``…/einladung.pdf`` and ``…/niederschrift.pdf``: the same document as tagged PDF."""

    kind = "invitation"
    file_names = {"invitation": "einladung", "minutes": "niederschrift"}

    def get(self, request, body_slug: str, pk: int):
        context = documents.meeting_document(request.user, self.body, pk)
        context.update(
            body=self.body,
            base_template="council/documents/print_base.html",
            document_title=documents.document_title(self.kind, context["meeting"]),
        )
        pdf = documents.render_pdf(DOCUMENTS[self.kind], context, request)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="{self.file_names[self.kind]}-{pk}.pdf"'
        )
        return no_store(response, request.user)
