"""``/<body>/ideen/export.csv`` and ``/<body>/ideen/kommentare.csv``: open data of the idea
platform, streamed so 50,000 ideas and 200,000 comments need no memory to speak of."""

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.views import View

from lotse.core.views import BodyMixin
from lotse.participation import exports


class ExportView(BodyMixin, View):
    what = "ideas"

    def get(self, request, *args, **kwargs):
        if self.what == "comments":
            rows, name = exports.comment_rows(self.body), "kommentare"
        else:
            rows, name = exports.idea_rows(self.body), "ideen"
        response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
        filename = f"{name}-{self.body.slug}-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
