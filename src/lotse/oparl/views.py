"""The OParl 1.1 endpoint: ``/oparl/v1.1/system`` and everything reachable from it.

Every response is JSON (``application/json; charset=utf-8``) with CORS for everyone, an
ETag and Last-Modified for conditional GETs, and gzip when the client accepts it; errors are
OParl Error objects. Lists are ordered by id and paged by the last id seen (keyset), so a
page costs the same at the 100,000th paper as at the first; the filters and ``limit`` are
kept in the ``next`` link. Deleted and withdrawn objects appear as tombstones only when the
client asks for changes (``modified_since``), as spec 2-08 says.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from functools import wraps
from urllib.parse import urlencode

from django.http import FileResponse, Http404, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.http import http_date
from django.views.decorators.gzip import gzip_page
from django.views.generic import TemplateView

from lotse.core.interfaces import interfaces
from lotse.core.models import Body
from lotse.core.views import BodyMixin
from lotse.council import files as council_files
from lotse.council.models import LegislativeTerm
from lotse.oparl import serializers as s
from lotse.oparl.models import Tombstone
from lotse.oparl.queries import KINDS, body_of, date_filter, public_files

DEFAULT_LIMIT = 100
# Meetings carry their agenda items: smaller pages keep one page's time even.
DEFAULT_LIMITS = {"meeting": 10, "paper": 50}
MAX_LIMIT = 500
# A meeting embeds its agenda items (forty and more at a city's scale): a bigger page would
# take seconds. OParl lets the server page as it sees fit (``elementsPerPage`` says how).
MAX_LIMITS = {"meeting": 100}
FILTERS = ("created_since", "created_until", "modified_since", "modified_until")


class BadRequest(Exception):
    pass


def cors(response):
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Content-Disposition"
    return response


def error(status: int, message: str) -> HttpResponse:
    body = {"type": s.OPARL + "Error", "message": message, "debug": f"HTTP {status}"}
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type="application/json; charset=utf-8",
    )
    return cors(response)


def oparl(view):
    """JSON errors and CORS for every OParl view; OPTIONS answered for preflights."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            return cors(HttpResponse(status=204))
        if request.method not in ("GET", "HEAD"):
            return error(405, "Only GET is supported.")
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return error(404, "Object not found.")
        except BadRequest as problem:
            return error(400, str(problem))
        return cors(response)

    return wrapper


def json_response(request, data: dict, modified: datetime.datetime | None):
    content = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    etag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
    last_modified = int(modified.timestamp()) if modified else None
    conditional = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if conditional is not None:
        conditional["ETag"] = etag
        return conditional
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["ETag"] = etag
    if last_modified:
        response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = "public, max-age=60"
    return response


def urls_for(request) -> s.Urls:
    return s.Urls(request.build_absolute_uri("/"))


def _moment(request, name: str) -> datetime.datetime | None:
    value = request.GET.get(name)
    if not value:
        return None
    moment = parse_datetime(value.replace(" ", "+"))
    if moment is None:
        date = parse_date(value)
        if date is None:
            raise BadRequest(f"{name}: not a date-time: {value}")
        moment = datetime.datetime.combine(date, datetime.time())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=s.ZONE)
    return moment


def _until(moment):
    """What is printed as second S is anything in [S, S+1): ``until`` S includes all of it."""
    if moment is None:
        return None
    return moment.replace(microsecond=0) + datetime.timedelta(seconds=1)


def _limit(request, kind: str = "") -> int:
    try:
        limit = int(request.GET.get("limit", DEFAULT_LIMITS.get(kind, DEFAULT_LIMIT)))
    except ValueError as problem:
        raise BadRequest("limit: not a number") from problem
    return max(1, min(limit, MAX_LIMITS.get(kind, MAX_LIMIT)))


def _omit(request) -> bool:
    return request.GET.get("omit_internal", "").lower() in ("1", "true")


# --------------------------------------------------------------------------- views


@oparl
@gzip_page
def system(request):
    bodies = list(Body.objects.order_by("pk"))
    data = s.system(urls_for(request), bodies)
    return json_response(request, data, max((b.updated_at for b in bodies), default=None))


@oparl
@gzip_page
def body_list(request):
    urls = urls_for(request)
    omit = _omit(request)
    bodies = list(Body.objects.order_by("pk"))
    terms: dict[int, list] = {}
    for term in LegislativeTerm.objects.filter(body__in=bodies).order_by("pk"):
        terms.setdefault(term.body_id, []).append(term)
    since, until = _moment(request, "modified_since"), _until(_moment(request, "modified_until"))
    c_since, c_until = _moment(request, "created_since"), _until(_moment(request, "created_until"))

    def keep(body):
        return (
            (since is None or body.updated_at >= since)
            and (until is None or body.updated_at < until)
            and (c_since is None or body.created_at >= c_since)
            and (c_until is None or body.created_at < c_until)
        )

    data = [s.body(urls, b, terms.get(b.pk, []), omit_internal=omit) for b in bodies if keep(b)]
    page = {
        "data": data,
        "pagination": {"totalElements": len(data), "elementsPerPage": max(len(data), 1)},
        "links": {"first": _link(request, {})},
    }
    return json_response(request, page, max((b.updated_at for b in bodies), default=None))


@oparl
@gzip_page
def body_detail(request, slug: str):
    body = Body.objects.filter(slug=slug).first()
    if body is None:
        raise Http404
    terms = list(LegislativeTerm.objects.filter(body=body).order_by("pk"))
    data = s.body(urls_for(request), body, terms, omit_internal=_omit(request))
    return json_response(request, data, body.updated_at)


def _link(request, changes: dict) -> str:
    params = {k: v for k, v in request.GET.items() if k != "after"}
    params.update(changes)
    query = urlencode(params)
    return request.build_absolute_uri(request.path) + (f"?{query}" if query else "")


# A synchronising client asks for what changed since its last visit: usually a handful of
# objects among 100,000. Walking the list by id to find them reads every row; the
# ``updated_at`` index finds them at once, but the planner (SQLite's above all) prefers the
# walk because it needs no sort. So the view looks the changed ids up through the index
# first, and pages through them by id when there are no more than this many.
FEW_CHANGED = 2000


def _few_changed(model, since, after: int) -> list[int] | None:
    """The ids (above ``after``) of the rows of ``model`` modified since ``since`` (any
    body; the list's own query narrows them down), or None if there are many."""
    ids = list(
        model.objects.filter(updated_at__gte=since)
        .order_by()
        .values_list("pk", flat=True)[: FEW_CHANGED + 1]
    )
    if len(ids) > FEW_CHANGED:
        return None
    return sorted(i for i in ids if i > after)


@oparl
@gzip_page
def object_list(request, slug: str, kind: str):
    body = Body.objects.filter(slug=slug).first()
    if body is None or kind not in KINDS:
        raise Http404
    spec = KINDS[kind]
    urls = urls_for(request)
    limit = _limit(request, kind)
    omit = _omit(request)
    try:
        after = int(request.GET.get("after", 0))
    except ValueError as problem:
        raise BadRequest("after: not a number") from problem
    m_since = _moment(request, "modified_since")
    m_until = _until(_moment(request, "modified_until"))
    c_since = _moment(request, "created_since")
    c_until = _until(_moment(request, "created_until"))
    created_field, modified_field = "created_at", "updated_at"
    rows = spec.rows(body).filter(date_filter(created_field, c_since, c_until))
    rows = rows.filter(date_filter(modified_field, m_since, m_until))
    changed = _few_changed(rows.model, m_since, after) if m_since is not None else None
    if changed is not None:
        rows = rows.filter(pk__in=changed)  # a handful, found through the index
    rows = list(rows.filter(pk__gt=after).order_by("pk")[: limit + 1])
    entries = [(row.pk, row) for row in rows]
    if m_since is not None:
        # Tombstones only when the client synchronises (spec 2-05, 2-08).
        dead = (
            Tombstone.objects.filter(body=body, kind=kind, object_id__gt=after)
            .filter(date_filter("created", c_since, c_until))
            .filter(date_filter("modified", m_since, m_until))
            .order_by("object_id")[: limit + 1]
        )
        entries += [(t.object_id, t) for t in dead]
        entries.sort(key=lambda entry: entry[0])
    more = len(entries) > limit
    entries = entries[:limit]
    live = [row for _, row in entries if not isinstance(row, Tombstone)]
    context = spec.prepare(body, live)
    data = []
    newest = None
    for _, row in entries:
        if isinstance(row, Tombstone):
            data.append(s.tombstone(urls, kind, row.object_id, row.created, row.modified))
            moment = row.modified
        else:
            data.append(spec.write(urls, row, body, context, omit))
            moment = getattr(row, modified_field)
        newest = moment if newest is None or moment > newest else newest
    links = {"first": _link(request, {})}
    if more:
        links["next"] = _link(request, {"after": entries[-1][0]})
    page = {"data": data, "pagination": {"elementsPerPage": limit}, "links": links}
    return json_response(request, page, newest)


@oparl
@gzip_page
def object_detail(request, kind: str, pk: int):
    if kind not in KINDS:
        raise Http404
    urls = urls_for(request)
    body = body_of(kind, pk)
    row = None
    if body is not None:
        spec = KINDS[kind]
        row = spec.rows(body).filter(pk=pk).first()
    if row is None:
        dead = Tombstone.objects.filter(kind=kind, object_id=pk).first()
        if dead is None:
            raise Http404
        return json_response(
            request, s.tombstone(urls, kind, pk, dead.created, dead.modified), dead.modified
        )
    context = spec.prepare(body, [row])
    data = spec.write(urls, row, body, context, _omit(request))
    return json_response(request, data, row.updated_at)


def _file(pk: int):
    body = body_of("file", pk)
    if body is None:
        raise Http404
    row = public_files(body).filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def _serve(request, pk: int, *, attachment: bool):
    row = _file(pk)
    etag = f'"{row.sha512[:32]}"'
    conditional = get_conditional_response(
        request, etag=etag, last_modified=int(row.updated_at.timestamp())
    )
    if conditional is not None:
        return conditional
    try:
        stream = row.file.open("rb")
    except FileNotFoundError as problem:
        raise Http404 from problem
    content_type = row.mime_type
    if content_type == council_files.TEXT:
        content_type += "; charset=utf-8"
    response = FileResponse(
        stream, content_type=content_type, as_attachment=attachment, filename=row.file_name
    )
    if not attachment:
        response["Content-Disposition"] = f'inline; filename="{row.file_name}"'
    response["ETag"] = etag
    response["Last-Modified"] = http_date(int(row.updated_at.timestamp()))
    response["X-Content-Type-Options"] = "nosniff"
    return response


@oparl
def file_access(request, pk: int):
    return _serve(request, pk, attachment=False)


@oparl
def file_download(request, pk: int):
    return _serve(request, pk, attachment=True)


@oparl
def not_found(request, rest: str = ""):
    raise Http404


class InterfacesView(BodyMixin, TemplateView):
    """``/<body>/schnittstellen/``: the body's machine-readable interfaces with their URLs,
    from the registry in ``core.interfaces`` (apps register what they offer)."""

    template_name = "oparl/interfaces.html"

    def get_context_data(self, **kwargs):
        entries = []
        for interface in interfaces():
            path = interface.path(self.body)
            url = path if "://" in path else self.request.build_absolute_uri(path)
            entries.append({"interface": interface, "url": url})
        return super().get_context_data(entries=entries, **kwargs)
