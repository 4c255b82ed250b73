"""What a body publishes: its datasets with their settings (published, licence, contributor
id, contact) resolved against the body's and the installation's defaults, in two queries."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.conf import settings
from django.urls import reverse

from lotse.core.models import Body
from lotse.opendata.datasets import DATASETS, Dataset, Stats, url
from lotse.opendata.models import CatalogSettings, DatasetSetting, Licence
from lotse.opendata.stamps import Stamp, read


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
    _stamp: Stamp | None = field(default=None, repr=False)

    @property
    def key(self) -> str:
        return self.dataset.key

    @property
    def licence_label(self) -> str:
        return str(Licence(self.licence).label) if self.licence in Licence.values else self.licence

    @property
    def attribution(self) -> str:
        return self.body.name

    def stamp(self) -> Stamp:
        """The version of everything the rows show (one query, or none after
        ``load_stamps``)."""
        if self._stamp is None:
            load_stamps([self])
        return self._stamp

    def stats(self) -> Stats:
        """The dataset's figures; its last change is the newest of its own rows and of every
        table its rows show (a renamed action field changes the measures)."""
        if self._stats is None:
            own = self.dataset.stats(self.body)
            newest = [t for t in (own.modified, self.stamp().modified) if t is not None]
            self._stats = replace(own, modified=max(newest) if newest else None)
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


def load_stamps(items: list[Publication]) -> list[Publication]:
    """Read the stamps of several publications of one body in one query."""
    if items:
        found = read(items[0].body, {p.key: p.dataset.sources for p in items})
        for item in items:
            item._stamp = found[item.key]
    return items


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
