"""The DCAT-AP.de 2.0 catalog of a body, or of the whole installation, as an rdflib graph.

What GovData's conventions ask for (checked by the official SHACL shapes in tests): every
dataset has a publisher (the body as ``foaf:Organization``), a contact point with an e-mail or
a URL, exactly one ``dcatde:contributorID`` from the DCAT-AP.de list, themes, keywords,
issued/modified, an identifier and a landing page; every distribution a licence from the
DCAT-AP.de licence list and a format from the EU file-type list. The political geocoding
follows the AGS: a Kreis by its district key (5 digits), a town by its municipality key (8).
Large catalogs are split into pages described with ``hydra:PagedCollection``, as the CKAN
harvesters of GovData and Open.NRW expect.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from lotse.core.models import Body
from lotse.opendata.datasets import FREQUENCIES, THEMES, Stats, url
from lotse.opendata.selectors import Publication, load_stamps, publications

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"
MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
GEOCODING = "http://dcat-ap.de/def/politicalGeocoding/"
LANGUAGES = URIRef("http://publications.europa.eu/resource/authority/language")
LANGUAGE_DE = URIRef(f"{LANGUAGES}/DEU")

# How many datasets one page of a catalog holds.
PAGE_SIZE = 100

FORMATS = {
    "ttl": ("turtle", "text/turtle"),
    "rdf": ("xml", "application/rdf+xml"),
    "jsonld": ("json-ld", "application/ld+json"),
}


def geocoding_scheme(body: Body) -> tuple[str, str, str]:
    """(key scheme, key, level) of the body's political geocoding, from its AGS."""
    if body.kind == Body.Kind.KREIS:
        return "districtKey", body.ags[:5], "district"
    return "municipalityKey", body.ags, "municipality"


def geocoding(body: Body) -> tuple[URIRef, URIRef]:
    """The political geocoding URI of the body and its level."""
    scheme, key, level = geocoding_scheme(body)
    return URIRef(f"{GEOCODING}{scheme}/{key}"), URIRef(f"{GEOCODING}Level/{level}")


def _datetime(value: datetime.datetime | None) -> Literal | None:
    if value is None:
        return None
    value = timezone.localtime(value).replace(microsecond=0)
    return Literal(value.isoformat(), datatype=XSD.dateTime)


def _date(value: datetime.date | None) -> Literal | None:
    return None if value is None else Literal(value.isoformat(), datatype=XSD.date)


def catalog_url(body: Body | None, fmt: str | None = None) -> str:
    if body is None:
        name, kwargs = "opendata:catalog", {}
    else:
        name, kwargs = "opendata:body_catalog", {"body_slug": body.slug}
    if fmt:
        name += "_format"
        kwargs["fmt"] = fmt
    return url(reverse(name, kwargs=kwargs))


@dataclass
class CatalogPage:
    graph: Graph
    page: int
    pages: int
    total: int
    # The newest change of the datasets on this page (dct:modified, Last-Modified).
    modified: datetime.datetime | None = None


class Builder:
    def __init__(self, graph: Graph):
        self.g = graph
        self.publishers: set[int] = set()
        for prefix, namespace in (
            ("dcat", DCAT),
            ("dct", DCTERMS),
            ("foaf", FOAF),
            ("dcatde", DCATDE),
            ("vcard", VCARD),
            ("hydra", HYDRA),
        ):
            graph.bind(prefix, namespace)
        # The vocabularies' own statements of what their terms belong to, so that a validator
        # without those vocabularies loaded sees them too.
        graph.add((LANGUAGE_DE, SKOS.inScheme, LANGUAGES))

    def add(self, subject, predicate, value) -> None:
        if value is not None and value != "":
            self.g.add((subject, predicate, value))

    def publisher(self, body: Body) -> URIRef:
        node = URIRef(url(f"/{body.slug}/#organisation"))
        if body.pk in self.publishers:
            return node
        self.publishers.add(body.pk)
        uri, level = geocoding(body)
        self.add(node, RDF.type, FOAF.Organization)
        self.add(node, FOAF.name, Literal(body.name, lang="de"))
        self.add(node, FOAF.homepage, URIRef(body.website or url(body.get_absolute_url())))
        if body.contact_email:
            self.add(node, FOAF.mbox, URIRef(f"mailto:{body.contact_email}"))
        self.add(node, DCATDE.politicalGeocodingURI, uri)
        self.add(node, DCATDE.politicalGeocodingLevelURI, level)
        self.add(uri, SKOS.inScheme, URIRef(GEOCODING + geocoding_scheme(body)[0]))
        self.add(level, SKOS.inScheme, URIRef(GEOCODING + "Level"))
        return node

    def contact(self, publication: Publication) -> BNode:
        node = BNode()
        self.add(node, RDF.type, VCARD.Organization)
        self.add(node, VCARD.fn, Literal(publication.contact_name))
        if publication.contact_email:
            self.add(node, VCARD.hasEmail, URIRef(f"mailto:{publication.contact_email}"))
        self.add(node, VCARD.hasURL, URIRef(url(publication.body.get_absolute_url())))
        return node

    def distribution(
        self, dataset_node: URIRef, publication: Publication, item: dict, stats: Stats
    ) -> None:
        node = URIRef(item["url"] + "#distribution")
        address = URIRef(item["url"])
        self.add(dataset_node, DCAT.distribution, node)
        self.add(node, RDF.type, DCAT.Distribution)
        self.add(node, DCTERMS.title, Literal(item["title"], lang="de"))
        self.add(node, DCAT.accessURL, address)
        if item.get("download", True):
            self.add(node, DCAT.downloadURL, address)
        if item.get("format"):
            self.add(node, DCTERMS.format, URIRef(FILE_TYPES + item["format"]))
        self.add(node, DCAT.mediaType, URIRef(MEDIA_TYPES + item["media_type"]))
        if item.get("size") is not None:
            self.add(node, DCAT.byteSize, Literal(str(item["size"]), datatype=XSD.decimal))
        self.add(node, DCTERMS.license, URIRef(publication.licence))
        self.add(node, DCATDE.licenseAttributionByText, Literal(publication.attribution))
        self.add(node, DCTERMS.language, LANGUAGE_DE)
        self.add(node, DCTERMS.modified, _datetime(stats.modified))
        if item.get("schema"):
            schema = URIRef(item["schema"])
            self.add(node, DCTERMS.conformsTo, schema)
            self.add(schema, RDF.type, DCTERMS.Standard)
            self.add(schema, DCTERMS.title, Literal("Frictionless Table Schema", lang="de"))

    def dataset(self, publication: Publication, stats: Stats) -> URIRef:
        body, dataset = publication.body, publication.dataset
        page = url(reverse("opendata:index", kwargs={"body_slug": body.slug}))
        node = URIRef(f"{page}#{dataset.key}")
        add = self.add
        add(node, RDF.type, DCAT.Dataset)
        add(node, DCTERMS.title, Literal(f"{dataset.title} – {body.name}", lang="de"))
        add(node, DCTERMS.description, Literal(dataset.description, lang="de"))
        add(node, DCTERMS.identifier, Literal(str(node)))
        add(node, DCTERMS.publisher, self.publisher(body))
        add(node, DCATDE.maintainer, self.publisher(body))
        add(node, DCAT.contactPoint, self.contact(publication))
        add(node, DCATDE.contributorID, URIRef(publication.contributor_id))
        for theme in dataset.themes:
            add(node, DCAT.theme, URIRef(THEMES + theme))
        for keyword in dataset.keywords:
            add(node, DCAT.keyword, Literal(keyword, lang="de"))
        add(node, DCAT.keyword, Literal(body.short_name, lang="de"))
        add(node, DCTERMS.accrualPeriodicity, URIRef(FREQUENCIES + dataset.periodicity))
        add(node, DCTERMS.language, LANGUAGE_DE)
        add(node, DCTERMS.issued, _datetime(stats.issued or stats.modified))
        add(node, DCTERMS.modified, _datetime(stats.modified))
        landing = url(reverse(dataset.landing, kwargs={"body_slug": body.slug}))
        add(node, DCAT.landingPage, URIRef(landing))
        add(node, FOAF.page, URIRef(page))
        uri, level = geocoding(body)
        add(node, DCATDE.politicalGeocodingURI, uri)
        add(node, DCATDE.politicalGeocodingLevelURI, level)
        add(node, DCATDE.geocodingDescription, Literal(body.name, lang="de"))
        add(node, DCTERMS.spatial, uri)
        add(uri, RDF.type, DCTERMS.Location)
        if stats.start or stats.end:
            period = BNode()
            add(node, DCTERMS.temporal, period)
            add(period, RDF.type, DCTERMS.PeriodOfTime)
            add(period, DCAT.startDate, _date(stats.start))
            add(period, DCAT.endDate, _date(stats.end))
        package = url(reverse("opendata:datapackage", kwargs={"body_slug": body.slug}))
        add(node, DCTERMS.conformsTo, URIRef(package))
        add(URIRef(package), RDF.type, DCTERMS.Standard)
        add(URIRef(package), DCTERMS.title, Literal("Frictionless Data Package", lang="de"))
        for item in publication.distributions():
            self.distribution(node, publication, item, stats)
        return node


def build(
    body: Body | None, page: int = 1, page_size: int = PAGE_SIZE, fmt: str | None = None
) -> CatalogPage:
    """One page of the catalog of ``body`` (or of every body when None). The paging links
    lead to the pages in ``fmt``: a harvester reads every page in the format of the first."""
    graph = Graph()
    builder = Builder(graph)
    bodies = [body] if body is not None else list(Body.objects.order_by("name"))
    every = [p for b in bodies for p in publications(b)]
    total = len(every)
    pages = max(1, -(-total // page_size))
    page = min(max(page, 1), pages)
    chosen = every[(page - 1) * page_size : page * page_size]
    for shown in bodies:
        load_stamps([p for p in chosen if p.body.pk == shown.pk])

    catalog = URIRef(catalog_url(body))
    builder.add(catalog, RDF.type, DCAT.Catalog)
    if body is None:
        title = f"Offene Daten der Digitalen Agenda – {settings.LOTSE_OPERATOR['name']}"
        description = (
            "Die offenen Daten aller Körperschaften dieser Lotse-Installation: Maßnahmen, "
            "Sachstände, Ideen, Beschlüsse, Sitzungen, Vorlagen und Berichte."
        )
        homepage = url("/")
    else:
        title = f"Offene Daten der Digitalen Agenda – {body.name}"
        description = (
            f"Die offenen Daten der Digitalen Agenda von {body.name}: Maßnahmen, Sachstände, "
            "Ideen, Beschlüsse, Sitzungen, Vorlagen und Berichte."
        )
        homepage = url(reverse("opendata:index", kwargs={"body_slug": body.slug}))
    builder.add(catalog, DCTERMS.title, Literal(title, lang="de"))
    builder.add(catalog, DCTERMS.description, Literal(description, lang="de"))
    builder.add(catalog, FOAF.homepage, URIRef(homepage))
    builder.add(catalog, DCTERMS.language, LANGUAGE_DE)
    if body is not None:
        builder.add(catalog, DCTERMS.publisher, builder.publisher(body))
    else:
        operator = URIRef(url("/#betreiber"))
        builder.add(operator, RDF.type, FOAF.Organization)
        builder.add(operator, FOAF.name, Literal(settings.LOTSE_OPERATOR["name"], lang="de"))
        builder.add(catalog, DCTERMS.publisher, operator)

    modified = None
    for publication in chosen:
        stats = publication.stats()
        node = builder.dataset(publication, stats)
        builder.add(catalog, DCAT.dataset, node)
        if stats.modified and (modified is None or stats.modified > modified):
            modified = stats.modified
    builder.add(catalog, DCTERMS.modified, _datetime(modified))

    if pages > 1:

        def page_url(number: int) -> Literal:
            return Literal(f"{catalog_url(body, fmt)}?page={number}")

        paging = URIRef(f"{catalog_url(body, fmt)}?page={page}")
        builder.add(paging, RDF.type, HYDRA.PagedCollection)
        builder.add(paging, HYDRA.totalItems, Literal(total, datatype=XSD.integer))
        builder.add(paging, HYDRA.itemsPerPage, Literal(page_size, datatype=XSD.integer))
        builder.add(paging, HYDRA.firstPage, page_url(1))
        builder.add(paging, HYDRA.lastPage, page_url(pages))
        if page > 1:
            builder.add(paging, HYDRA.previousPage, page_url(page - 1))
        if page < pages:
            builder.add(paging, HYDRA.nextPage, page_url(page + 1))
    return CatalogPage(graph, page, pages, total, modified)


def serialise(graph: Graph, fmt: str) -> bytes:
    rdflib_format, _media = FORMATS[fmt]
    return graph.serialize(format=rdflib_format, encoding="utf-8")


# A catalog reads every dataset's figures (seconds at a large town's scale), so it is kept in
# the shared cache for a minute; saving the open-data settings makes it stale at once.
CACHE_SECONDS = 60


def _version_key(scope: str) -> str:
    return f"lotse:opendata:version:{scope}"


def bump_version(body: Body) -> None:
    for scope in (str(body.pk), "all"):
        cache.set(_version_key(scope), uuid.uuid4().hex, None)


def cached(
    body: Body | None, fmt: str, page: int
) -> tuple[bytes, int, int, datetime.datetime | None]:
    """(serialised catalog, number of pages, page shown, newest change), from the cache when
    fresh. A change to the data shows once the entry expires, within ``CACHE_SECONDS``."""
    scope = str(body.pk) if body is not None else "all"
    version = cache.get(_version_key(scope), "0")
    key = f"lotse:opendata:catalog2:{scope}:{version}:{fmt}:{page}"
    found = cache.get(key)
    if found is None:
        built = build(body, page=page, page_size=PAGE_SIZE, fmt=fmt)
        found = (serialise(built.graph, fmt), built.pages, built.page, built.modified)
        cache.set(key, found, CACHE_SECONDS)
    return found
