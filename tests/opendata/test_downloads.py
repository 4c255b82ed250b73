"""Downloads: public rows only, a fixed number of queries, streamed, with conditional GET;
the catalog's negotiation, paging and OParl distribution; the human page."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from rdflib import Graph
from rdflib.namespace import DCAT, RDF

from lotse.opendata import catalog
from lotse.opendata.datasets import DATASETS
from lotse.opendata.models import DatasetSetting, Licence
from lotse.participation.exports import pseudonym
from lotse.participation.models import IdeaState
from tests.opendata.helpers import csv_rows, decision, json_rows, read, released_paper
from tests.participation.factories import IdeaFactory, ProcessFactory
from tests.strategy.factories import MeasureFactory, StatusUpdateFactory

pytestmark = pytest.mark.django_db


def download(client, body, key, fmt="csv", **headers):
    return client.get(f"/{body.slug}/opendata/{key}.{fmt}", headers=headers)


def test_measures_csv_and_json_hold_public_measures_only(client, body, measure, internal_measure):
    StatusUpdateFactory(measure=measure, progress=40, traffic_light="gelb", explanation="Verzug")
    StatusUpdateFactory(measure=internal_measure, text="geheim")
    response = download(client, body, "massnahmen")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    rows = csv_rows(response)
    assert [r["titel"] for r in rows] == [measure.title]
    assert list(rows[0]) == DATASETS["massnahmen"].names
    data = json_rows(download(client, body, "massnahmen", "json"))
    assert [r["id"] for r in data] == [measure.pk]
    updates = csv_rows(download(client, body, "sachstandsmeldungen"))
    assert [int(r["massnahme_id"]) for r in updates] == [measure.pk]
    assert "geheim" not in read(download(client, body, "sachstandsmeldungen", "json")).decode()


def test_csv_is_rfc4180(client, body, field):
    # A summary is one line (line breaks become spaces on save); a Sachstand may have several.
    measure = MeasureFactory(primary_field=field, title='Ein "Titel", mit Komma')
    StatusUpdateFactory(measure=measure, text="Zeile 1\nZeile 2")
    text = read(download(client, body, "massnahmen")).decode("utf-8")
    assert not text.startswith("\ufeff")
    assert text.split("\r\n")[0].startswith("id,titel,")
    assert '"Ein ""Titel"", mit Komma"' in text
    rows = csv_rows(download(client, body, "sachstandsmeldungen"))
    assert rows[0]["sachstand"] == "Zeile 1\nZeile 2"


def test_ideas_pseudonymous_and_public_only(client, body, process, citizen):
    shown = IdeaFactory(process=process, author=citizen, state=IdeaState.ACCEPTED)
    IdeaFactory(process=process, author=citizen, is_hidden=True, title="Versteckt")
    IdeaFactory(process=ProcessFactory(body=body, is_published=False), title="Unveröffentlicht")
    rows = csv_rows(download(client, body, "ideen"))
    assert [int(r["id"]) for r in rows] == [shown.pk]
    assert rows[0]["autor_pseudonym"].startswith("P-")
    assert rows[0]["autor_pseudonym"] == pseudonym(body, citizen.pk)


def test_papers_and_decisions_public_only(client, body):
    paper = released_paper(body, name="Öffentliche Vorlage")
    released_paper(body, name="Nichtöffentliche Vorlage", is_public=False)
    PaperFactory_draft = released_paper(body, name="Entwurf", state="entwurf")
    assert PaperFactory_draft.pk
    rows = csv_rows(download(client, body, "vorlagen"))
    assert [r["betreff"] for r in rows] == [paper.name]
    shown = decision(body)
    decision(body, public=False, name="Grundstücksangelegenheit")
    rows = csv_rows(download(client, body, "beschluesse"))
    assert [int(r["id"]) for r in rows] == [shown.pk]
    assert "Grundstück" not in read(download(client, body, "beschluesse", "json")).decode()


def queries_of(client, body, key, fmt):
    with CaptureQueriesContext(connection) as queries:
        read(download(client, body, key, fmt))
    return len(queries)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_download_needs_the_same_queries_for_one_row_or_many(client, body, field, process, fmt):
    def add_rows():
        measure = MeasureFactory(primary_field=field)
        StatusUpdateFactory(measure=measure)
        IdeaFactory(process=process)
        released_paper(body)
        decision(body)

    add_rows()
    before = {key: queries_of(client, body, key, fmt) for key in DATASETS}
    for _ in range(4):
        add_rows()
    after = {key: queries_of(client, body, key, fmt) for key in DATASETS}
    assert after == before
    # The cockpit's time series reads its history in six queries of its own, no cache needed.
    assert max(after.values()) <= 12


def test_conditional_get(client, body, measure):
    first = download(client, body, "massnahmen")
    read(first)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert download(client, body, "massnahmen", If_None_Match=etag).status_code == 304
    assert download(client, body, "massnahmen", If_Modified_Since=modified).status_code == 304
    measure.title = "Neuer Titel"
    measure.save()
    changed = download(client, body, "massnahmen", If_None_Match=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_an_unpublished_dataset_is_gone_everywhere(client, body, measure):
    DatasetSetting.objects.create(body=body, dataset="massnahmen", is_published=False)
    assert download(client, body, "massnahmen").status_code == 404
    assert download(client, body, "massnahmen", "json").status_code == 404
    ttl = client.get(f"/{body.slug}/opendata/catalog.ttl").content.decode()
    assert "massnahmen.csv" not in ttl and "sachstandsmeldungen.csv" in ttl
    assert "massnahmen" not in [
        r["name"] for r in client.get(f"/{body.slug}/opendata/datapackage.json").json()["resources"]
    ]


def test_licence_per_dataset(client, body, measure):
    DatasetSetting.objects.create(body=body, dataset="ideen", licence=Licence.CC_ZERO)
    ttl = client.get(f"/{body.slug}/opendata/catalog.ttl").content.decode()
    assert "http://dcat-ap.de/def/licenses/cc-zero" in ttl
    assert "http://dcat-ap.de/def/licenses/dl-by-de/2.0" in ttl


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("text/turtle", "text/turtle"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/ld+json", "application/ld+json"),
        ("*/*", "text/turtle"),
    ],
)
def test_catalog_content_negotiation(client, body, accept, media):
    for address in ("/opendata/catalog", f"/{body.slug}/opendata/catalog"):
        response = client.get(address, headers={"Accept": accept})
        assert response["Content-Type"].startswith(media)
        assert "Accept" in response["Vary"]
        fmt = {v[1]: v[0] for v in catalog.FORMATS.values()}[media]
        graph = Graph().parse(data=response.content, format=fmt)
        assert len(list(graph.subjects(RDF.type, DCAT.Catalog))) == 1


def test_catalog_pages_with_hydra(body, other_body):
    first = catalog.build(None, page=1, page_size=10)
    assert first.pages == 2 and first.total == 2 * len(DATASETS)
    ttl = first.graph.serialize(format="turtle")
    assert "hydra:PagedCollection" in ttl and "hydra:nextPage" in ttl
    assert len(list(first.graph.subjects(RDF.type, DCAT.Dataset))) == 10
    last = catalog.build(None, page=2, page_size=10)
    assert len(list(last.graph.subjects(RDF.type, DCAT.Dataset))) == 2 * len(DATASETS) - 10
    assert "hydra:previousPage" in last.graph.serialize(format="turtle")


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("rdf", "xml"), ("jsonld", "json-ld")])
def test_catalog_pages_link_on_in_the_format_asked_for(
    client, body, other_body, monkeypatch, fmt, rdflib_format
):
    """A harvester that reads ``catalog.rdf`` parses the next page as RDF/XML too, so the
    hydra links and the ``Link`` header lead to the same format, not to the negotiated
    address (which answers Turtle to a client without an Accept header)."""
    hydra = catalog.HYDRA
    monkeypatch.setattr(catalog, "PAGE_SIZE", len(DATASETS))
    cache.clear()
    response = client.get(f"/opendata/catalog.{fmt}")
    graph = Graph().parse(data=response.content, format=rdflib_format)
    following = str(next(graph.objects(None, hydra.nextPage)))
    assert following == f"{catalog.catalog_url(None, fmt)}?page=2"
    assert response["Link"] == f'<{following}>; rel="next"'
    second = client.get(following.removeprefix(settings.BASE_URL))
    assert second["Content-Type"].startswith(catalog.FORMATS[fmt][1])
    last = Graph().parse(data=second.content, format=rdflib_format)
    previous = str(next(last.objects(None, hydra.previousPage)))
    assert previous == f"{catalog.catalog_url(None, fmt)}?page=1"
    assert len(list(last.subjects(RDF.type, DCAT.Dataset))) == len(DATASETS)


def test_oparl_distribution_only_when_the_route_exists(client, body):
    ttl = client.get(f"/{body.slug}/opendata/catalog.ttl").content.decode()
    assert f"/oparl/v1.1/body/{body.slug}" in ttl
    assert client.get(f"/oparl/v1.1/body/{body.slug}").status_code == 200
    cache.clear()  # an installation without the OParl app is another deployment
    with override_settings(ROOT_URLCONF="tests.opendata.urls_without_oparl"):
        ttl = client.get(f"/{body.slug}/opendata/catalog.ttl").content.decode()
    assert "/oparl/v1.1/body/" not in ttl


def test_human_page_lists_the_datasets(client, body, measure, django_assert_num_queries):
    # 19: one for each dataset's figures (the OZG dataset of app ozg included) and the page's.
    # One query for the stamps of every table the datasets show (UNION ALL); the cockpit
    # series' own figures need none (its stamp covers them).
    with django_assert_num_queries(18):
        response = client.get(f"/{body.slug}/opendata/")
    page = response.content.decode()
    assert response.status_code == 200
    for dataset in DATASETS.values():
        assert dataset.title in page
    assert 'rel="alternate" type="application/atom+xml"' in page


def test_report_figures_of_published_reports_only(client, body):
    assert client.get(f"/{body.slug}/opendata/berichte/999/kennzahlen.json").status_code == 404


def test_the_catalog_needs_the_same_queries_for_few_rows_or_many(client, body, field, process):
    def add():
        MeasureFactory(primary_field=field)
        IdeaFactory(process=process)
        released_paper(body)
        decision(body)

    def queries():
        cache.clear()  # the catalog is cached for a minute
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/{body.slug}/opendata/catalog.ttl").status_code == 200
        return len(captured)

    add()
    before = queries()
    for _ in range(4):
        add()
    assert queries() == before


def test_datapackage_and_table_schemas_are_valid(client, body):
    from frictionless import Package, Schema

    package = client.get(f"/{body.slug}/opendata/datapackage.json").json()
    report = Package.validate_descriptor(package)
    assert report.valid, report.flatten(["type", "note"])
    assert {r["name"] for r in package["resources"]} == set(DATASETS)
    schema = client.get(f"/{body.slug}/opendata/massnahmen.schema.json").json()
    fields = {f["name"]: f for f in Schema.from_descriptor(schema).to_descriptor()["fields"]}
    assert fields["fortschritt"]["unit"] == "Prozent"
    assert fields["fortschritt"]["title"] == "Fortschritt"
    assert "in_umsetzung" in fields["status"]["constraints"]["enum"]


def test_the_catalog_is_cached_until_the_settings_change(client, body, make_member, measure):
    address = f"/{body.slug}/opendata/catalog.ttl"
    first = client.get(address)
    with CaptureQueriesContext(connection) as captured:
        again = client.get(address)
    assert again.content == first.content
    assert len(captured) <= 3  # the body and the cache, no dataset figures
    assert client.get(address, headers={"If-None-Match": first["ETag"]}).status_code == 304
    client.force_login(make_member(body, "body_admin"))
    client.post(
        f"/{body.slug}/verwaltung/opendata/ideen/",
        {"licence": Licence.CC_ZERO, "is_published": "on"},
    )
    assert b"licenses/cc-zero" in client.get(address).content
