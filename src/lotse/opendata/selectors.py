"""What a body publishes: its datasets with their settings (published, licence, contributor
id, contact) resolved against the body's and the installation's defaults, in two queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse

from lotse.core.models import Body
from lotse.opendata.datasets import DATASETS, Dataset, Stats, url
from lotse.opendata.models import CatalogSettings, DatasetSetting, Licence


@dataclass
class Publication:
    body: Body
    dataset: Dataset
    is_published: bool
    licence: str
    contributor_id: str
    contact_name: str
    contact_email: str
    _stats: Stats | None = field(default=None, repr=False)

    @property
    def key(self) -> str:
        return self.dataset.key

    @property
    def licence_label(self) -> str:
        return str(Licence(self.licence).label) if self.licence in Licence.values else self.licence

    @property
    def attribution(self) -> str:
        return self.body.name

    def stats(self) -> Stats:
        if self._stats is None:
            self._stats = self.dataset.stats(self.body)
        return self._stats

    def link(self, name: str) -> str:
        kwargs = {"body_slug": self.body.slug, "key": self.key}
        return url(reverse(name, kwargs=kwargs))

    def distributions(self) -> list[dict]:
        schema = self.link("opendata:schema")
        title = self.dataset.title
        return [
            {
                "title": f"{title} (CSV)",
                "url": self.link("opendata:csv"),
                "format": "CSV",
                "media_type": "text/csv",
                "schema": schema,
            },
            {
                "title": f"{title} (JSON)",
                "url": self.link("opendata:json"),
                "format": "JSON",
                "media_type": "application/json",
                "schema": schema,
            },
            *self.dataset.extras(self.body),
        ]


def catalog_settings(body: Body) -> CatalogSettings:
    return CatalogSettings.objects.filter(body=body).first() or CatalogSettings(body=body)


def all_publications(body: Body) -> list[Publication]:
    """Every dataset of the body, published or not (for the staff overview)."""
    catalog = catalog_settings(body)
    chosen = {s.dataset: s for s in DatasetSetting.objects.for_body(body)}
    result = []
    for key, dataset in DATASETS.items():
        setting = chosen.get(key) or DatasetSetting(body=body, dataset=key)
        result.append(
            Publication(
                body=body,
                dataset=dataset,
                is_published=setting.is_published,
                licence=setting.licence or Licence.DL_BY,
                contributor_id=setting.contributor_id
                or catalog.contributor_id
                or settings.LOTSE_OPENDATA_CONTRIBUTOR_ID,
                contact_name=catalog.contact_name or body.name,
                contact_email=setting.contact_email or catalog.contact_email or body.contact_email,
            )
        )
    return result


def publications(body: Body) -> list[Publication]:
    """The datasets the body publishes."""
    return [p for p in all_publications(body) if p.is_published]


def publication(body: Body, key: str) -> Publication | None:
    for item in publications(body):
        if item.key == key:
            return item
    return None
