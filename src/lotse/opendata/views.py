"""Open data: the DCAT-AP.de catalogs, the downloads with their Table Schema, the human page
of a body's datasets and the staff's settings. Views stay thin: ``datasets`` reads, ``streams``
writes, ``catalog`` builds the graph, ``services`` saves."""

from __future__ import annotations

import hashlib
import json

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from lotse.core.views import BodyMixin
from lotse.opendata import catalog, services, streams
from lotse.opendata.datasets import DATASETS, report_figures, url
from lotse.opendata.forms import CatalogSettingsForm, DatasetSettingForm
from lotse.opendata.models import DatasetSetting
from lotse.opendata.selectors import (
    all_publications,
    catalog_settings,
    load_stamps,
    publication,
    publications,
)

MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
# Downloads may be cached by browsers and proxies, and revalidated with ETag/Last-Modified.
CACHE_CONTROL = "public, max-age=300"


def _conditional(request, etag: str, modified, build):
    """Answer 304 when the client has this version, else ``build()`` with the validators."""
    timestamp = int(modified.timestamp()) if modified else None
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if response is None:
        response = build()
    response["ETag"] = etag
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    response["Cache-Control"] = CACHE_CONTROL
    return response


def _etag(*parts) -> str:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:32]
    return f'"{digest}"'


# --- Catalogs ----------------------------------------------------------------------------


def negotiated_format(request) -> str:
    accept = request.headers.get("Accept", "")
    if "application/ld+json" in accept:
        return "jsonld"
    if "application/rdf+xml" in accept:
        return "rdf"
    return "ttl"


class CatalogMixin:
    body = None

    def catalog_response(self, request, fmt: str | None):
        negotiated = fmt is None
        fmt = fmt or negotiated_format(request)
        if fmt not in catalog.FORMATS:
            raise Http404
        try:
            page = int(request.GET.get("page", "1"))
        except ValueError:
            page = 1
        data, pages, page, modified = catalog.cached(self.body, fmt, page)
        media = catalog.FORMATS[fmt][1]
        etag = _etag(hashlib.sha256(data).hexdigest(), fmt)

        def build():
            response = HttpResponse(data, content_type=f"{media}; charset=utf-8")
            if page < pages:
                following = f"{catalog.catalog_url(self.body, fmt)}?page={page + 1}"
                response["Link"] = f'<{following}>; rel="next"'
            return response

        response = _conditional(request, etag, modified, build)
        if negotiated:
            patch_vary_headers(response, ["Accept"])
        return response


class InstallationCatalogView(CatalogMixin, View):
    """``/opendata/catalog`` and ``/opendata/catalog.<ttl|rdf|jsonld>``: every body's datasets."""

    def get(self, request, fmt=None):
        return self.catalog_response(request, fmt)


class BodyCatalogView(CatalogMixin, BodyMixin, View):
    """``/<body>/opendata/catalog`` and ``…/catalog.<ttl|rdf|jsonld>``."""

    def get(self, request, body_slug, fmt=None):
        return self.catalog_response(request, fmt)


# --- Downloads ---------------------------------------------------------------------------


class PublicationMixin(BodyMixin):
    def publication(self, key: str):
        found = publication(self.body, key)
        if found is None:
            raise Http404
        return found


class DownloadView(PublicationMixin, View):
    """``/<body>/opendata/<key>.csv`` and ``.json``: the rows, streamed."""

    fmt = "csv"

    def get(self, request, body_slug, key):
        item = self.publication(key)
        stats = item.stats()
        etag = _etag(key, self.fmt, stats.count, stats.modified, item.licence, item.stamp().version)
        dataset = item.dataset

        def build():
            write = streams.csv_lines if self.fmt == "csv" else streams.json_lines
            response = StreamingHttpResponse(
                write(dataset.names, dataset.rows(self.body)), content_type=MEDIA_TYPES[self.fmt]
            )
            filename = f"{self.body.slug}-{key}.{self.fmt}"
            response["Content-Disposition"] = f'inline; filename="{filename}"'
            response["Link"] = f'<{item.link("opendata:schema")}>; rel="describedby"'
            return response

        return _conditional(request, etag, stats.modified, build)


class SchemaView(PublicationMixin, View):
    """``/<body>/opendata/<key>.schema.json``: the dataset's Table Schema."""

    def get(self, request, body_slug, key):
        item = self.publication(key)
        return JsonResponse(
            item.dataset.table_schema(), json_dumps_params={"ensure_ascii": False, "indent": 2}
        )


def datapackage(body) -> dict:
    """The Frictionless Data Package of the body's published datasets."""
    resources = []
    for item in publications(body):
        dataset = item.dataset
        resources.append(
            {
                "name": dataset.key,
                "title": dataset.title,
                "description": dataset.description,
                "path": item.link("opendata:csv"),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "header": True},
                "licenses": [{"name": item.licence_label, "path": item.licence}],
                "schema": dataset.table_schema(),
            }
        )
    return {
        "profile": "data-package",
        "name": f"lotse-{body.slug}",
        "title": f"Offene Daten der Digitalen Agenda – {body.name}",
        "homepage": url(f"/{body.slug}/opendata/"),
        "resources": resources,
    }


class DatapackageView(BodyMixin, View):
    """``/<body>/opendata/datapackage.json``."""

    def get(self, request, body_slug):
        return JsonResponse(
            datapackage(self.body), json_dumps_params={"ensure_ascii": False, "indent": 2}
        )


class ReportFiguresView(BodyMixin, View):
    """``/<body>/opendata/berichte/<pk>/kennzahlen.json``: a published report's figures as
    published (its snapshot), never live data."""

    def get(self, request, body_slug, pk):
        if publication(self.body, "berichte") is None:
            raise Http404
        report = report_figures(self.body, pk)
        if report is None or report.snapshot is None:
            raise Http404
        etag = _etag("report", report.pk, report.published_at)

        def build():
            return HttpResponse(
                json.dumps(report.snapshot, ensure_ascii=False), content_type="application/json"
            )

        return _conditional(request, etag, report.published_at, build)


# --- Pages -------------------------------------------------------------------------------


class IndexView(BodyMixin, TemplateView):
    """``/<body>/opendata/``: the datasets with description, size, licence and last change."""

    template_name = "opendata/index.html"

    def get_context_data(self, **kwargs):
        items = load_stamps(publications(self.body))
        for item in items:
            item.stats()
        return super().get_context_data(
            publications=items,
            catalog_formats=[(fmt, catalog.catalog_url(self.body, fmt)) for fmt in catalog.FORMATS],
            **kwargs,
        )


class ManageView(BodyMixin, PermissionRequiredMixin, FormView):
    """``/<body>/verwaltung/opendata/``: what the catalog publishes, and the body's contributor
    id and contact."""

    template_name = "opendata/manage.html"
    form_class = CatalogSettingsForm
    permission_required = "opendata.manage"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = catalog_settings(self.body)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(publications=all_publications(self.body), **kwargs)

    def form_valid(self, form):
        services.save_catalog_settings(self.request.user, self.body, form)
        messages.success(self.request, _("The open data settings have been saved."))
        return redirect("opendata:manage", body_slug=self.body.slug)


class DatasetSettingView(BodyMixin, PermissionRequiredMixin, FormView):
    """``/<body>/verwaltung/opendata/<key>/``: publish a dataset or not, its licence,
    contributor id and contact."""

    template_name = "opendata/dataset_setting.html"
    form_class = DatasetSettingForm
    permission_required = "opendata.manage"

    def dispatch(self, request, *args, **kwargs):
        if kwargs["key"] not in DATASETS:
            raise Http404
        self.dataset = DATASETS[kwargs["key"]]
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = DatasetSetting.objects.for_body(self.body).filter(
            dataset=self.dataset.key
        ).first() or DatasetSetting(body=self.body, dataset=self.dataset.key)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(dataset=self.dataset, **kwargs)

    def form_valid(self, form):
        services.save_dataset_setting(self.request.user, self.body, self.dataset.key, form)
        messages.success(self.request, _("The dataset settings have been saved."))
        return redirect("opendata:manage", body_slug=self.body.slug)
