"""``oparl_import`` against recorded/fake responses: each real-world deviation has a test."""

import json

import pytest

from lotse.council.models import (
    AgendaItem,
    Consultation,
    File,
    Meeting,
    Membership,
    Organization,
    Paper,
    Person,
)
from lotse.oparl.client import FetchError, moment
from lotse.oparl.importer import Importer
from tests.oparl.fake import FILE_BYTES, S, Server, T, source


def run(body, routes, url=f"{S}/system", **kwargs):
    server = Server(routes)
    importer = Importer(body, server.fetcher(), **kwargs)
    report = importer.run(url).as_dict()
    return report, server


def test_imports_a_complete_body(body):
    report, _ = run(body, source())
    assert report["rejects"] == []
    paper = Paper.objects.get(body=body, reference="24/0001")
    assert paper.is_public and paper.name == "Radwegekonzept"
    f = File.objects.get(paper=paper)
    assert f.file.read() == FILE_BYTES and f.text.startswith("Beschlussvorlage")
    meeting = Meeting.objects.get(body=body)
    assert meeting.location == "Rathaus"
    assert list(meeting.organizations.values_list("name", flat=True)) == ["Rat der Stadt"]
    item = AgendaItem.objects.get(meeting=meeting, number="Ö 1")
    assert item.consultation.paper == paper
    assert not AgendaItem.objects.get(meeting=meeting, number="N 1").is_public
    assert Membership.objects.get(person__body=body).organization.name == "Rat der Stadt"


def test_second_run_changes_nothing_and_since_asks_for_changes(body):
    run(body, source())
    report, server = run(body, source(), since=moment("2024-01-01T00:00:00+01:00"))
    assert set(report["counts"]["paper"]) == {"unchanged"}
    assert Paper.objects.filter(body=body).count() == 1
    assert any("modified_since=2024-01-01" in url for url in server.requests)


def test_tombstone_removes_the_imported_row(body):
    run(body, source())
    routes = source()
    routes[f"{S}/body/1/person"] = {
        "data": [
            {
                "id": f"{S}/person/1",
                "type": T + "Person",
                "deleted": True,
                "created": "2024-01-10T10:00:00+01:00",
                "modified": "2024-02-10T10:00:00+01:00",
            }
        ],
        "links": {},
    }
    report, _ = run(body, routes)
    assert report["counts"]["person"]["deleted"] == 1
    assert not Person.objects.filter(body=body).exists()


@pytest.mark.parametrize("answer", [404, []])
def test_missing_or_bare_empty_list(body, answer):
    routes = source()
    routes[f"{S}/body/1/membership"] = answer
    routes[f"{S}/body/1/term"] = answer
    report, _ = run(body, routes)
    assert report["rejects"] == []
    assert Paper.objects.filter(body=body).count() == 1


def test_objects_without_type(body):
    routes = source()
    for item in routes[f"{S}/body/1/org"]["data"]:
        del item["type"]
    del routes[f"{S}/system"]["type"]
    routes[f"{S}/system"]["oparlVersion"] = T
    _report, _ = run(body, routes)
    assert Organization.objects.filter(body=body, name="Rat der Stadt").exists()


def test_body_list_answering_one_object(body):
    routes = source()
    routes[f"{S}/body"] = routes[f"{S}/body/1"]
    _report, _ = run(body, routes)
    assert Paper.objects.filter(body=body).count() == 1


def test_single_objects_where_arrays_belong_and_the_reverse(body):
    routes = source()
    meeting = routes[f"{S}/body/1/meeting"]["data"][0]
    meeting["organization"] = f"{S}/org/1"  # one URL instead of an array
    meeting["location"] = [meeting["location"]]  # an array instead of one object
    paper = routes[f"{S}/body/1/paper"]["data"][0]
    paper["consultation"] = paper["consultation"][0]
    paper["consultation"]["organization"] = f"{S}/org/1"
    paper["mainFile"] = [paper["mainFile"]]
    routes[f"{S}/body/1/paper"]["data"] = paper  # data: one object
    report, _ = run(body, routes)
    assert report["rejects"] == []
    meeting_row = Meeting.objects.get(body=body)
    assert meeting_row.organizations.count() == 1 and meeting_row.location == "Rathaus"
    assert Consultation.objects.filter(paper__body=body).count() == 1
    assert File.objects.filter(body=body).count() == 1


def test_na_and_blank_strings_are_no_value(body):
    routes = source()
    org = routes[f"{S}/body/1/org"]["data"][0]
    org.update(shortName="N/A", website="  ", startDate="n/a")
    person = routes[f"{S}/body/1/person"]["data"][0]
    person.update(formOfAddress="", affix="N/A", title=["N/A"])
    report, _ = run(body, routes)
    assert report["rejects"] == []
    org_row = Organization.objects.get(body=body)
    assert org_row.short_name == "" and org_row.website == "" and org_row.start_date is None
    assert Person.objects.get(body=body).affix == ""


def test_control_characters_in_json(body):
    routes = source()
    text = json.dumps(routes[f"{S}/body/1/org"]).replace("Rat der Stadt", "Rat der\\u0007 Stadt")
    routes[f"{S}/body/1/org"] = text.replace('"data"', '\x01"data"').replace("Rat der", "Rat\tder")
    _report, _ = run(body, routes)
    assert Organization.objects.get(body=body).name.startswith("Rat")


def test_timestamps_with_microseconds_or_without_zone(body):
    routes = source()
    meeting = routes[f"{S}/body/1/meeting"]["data"][0]
    meeting["start"] = "2024-02-01T17:00:00.123456"
    meeting["end"] = "2024-02-01T19:00:00.5Z"
    _report, _ = run(body, routes)
    row = Meeting.objects.get(body=body)
    assert row.start.isoformat().startswith("2024-02-01T16:00:00")  # 17:00 German time, in UTC
    assert row.end.isoformat().startswith("2024-02-01T19:00:00")


def test_reference_to_an_object_missing_from_the_lists(body):
    routes = source()
    routes[f"{S}/body/1/org"] = {"data": [], "links": {}}  # the org is only reachable by id
    _report, server = run(body, routes)
    assert Organization.objects.filter(body=body, name="Rat der Stadt").count() == 1
    assert f"{S}/org/1" in server.requests


def test_http_links_on_an_https_system(body):
    routes = source()
    text = json.dumps(routes[f"{S}/body"]).replace("https://", "http://")
    routes[f"{S}/body"] = json.loads(text)
    _report, server = run(body, routes)
    assert Paper.objects.filter(body=body).count() == 1
    assert all(url.startswith("https://") for url in server.requests)


def test_retries_with_backoff_on_5xx(body):
    routes = source()
    answers = iter([503, 502])
    page = routes[f"{S}/body/1/org"]

    def flaky(request):
        return next(answers, page)

    routes[f"{S}/body/1/org"] = flaky
    _report, server = run(body, routes)
    assert server.sleeps == [1.0, 2.0]
    assert Organization.objects.filter(body=body).count() == 1


def test_gives_up_after_retries(body):
    routes = source()
    routes[f"{S}/system"] = 500
    with pytest.raises(FetchError):
        run(body, routes)


def test_file_checksum_and_size_limit(body):
    routes = source()
    routes[f"{S}/file/1/access"] = b"tampered"
    report, _ = run(body, routes)
    assert report["rejects"][0]["url"] == f"{S}/paper/1"
    assert "checksum" in report["rejects"][0]["reason"]
    assert not Paper.objects.filter(body=body).exists()
    report, _ = run(body, source(), max_file_bytes=5)
    assert "larger than" in report["rejects"][0]["reason"]


def test_dry_run_changes_nothing(body):
    report, _ = run(body, source(), dry_run=True)
    assert report["counts"]["paper"]["created"] == 1
    assert not Paper.objects.filter(body=body).exists()


def test_without_files(body):
    _report, server = run(body, source(), with_files=False)
    assert Paper.objects.filter(body=body).count() == 1
    assert not File.objects.filter(body=body).exists()
    assert f"{S}/file/1/access" not in server.requests


def test_oparl_1_0_body_with_embedded_terms_and_no_1_1_lists(body):
    routes = {
        url: json.loads(json.dumps(answer).replace("/1.1/", "/1.0/"))
        if isinstance(answer, dict)
        else answer
        for url, answer in source().items()
    }
    body_obj = routes[f"{S}/body/1"]
    del body_obj["legislativeTermList"], body_obj["membership"]
    body_obj["legislativeTerm"] = [
        {
            "id": f"{S}/term/1",
            "name": "2014–2020",
            "startDate": "2014-06-01",
            "endDate": "2020-10-31",
        }
    ]
    routes[f"{S}/body"] = {"data": [body_obj], "links": {}}
    report, _ = run(body, routes)
    assert report["rejects"] == []
    from lotse.council.models import LegislativeTerm

    assert LegislativeTerm.objects.get(body=body).name == "2014–2020"
    assert Membership.objects.filter(person__body=body).count() == 1
    assert Paper.objects.filter(body=body).count() == 1


def test_command_reports_counts_and_rejects(body, monkeypatch):
    from io import StringIO

    from django.core.management import call_command

    # Imported before run_import is patched, so the command's own name for it is the real one
    # and is put back after the test.
    import lotse.oparl.management.commands.oparl_import  # noqa: F401
    from lotse.oparl import services

    routes = source()
    routes[f"{S}/body/1/paper"]["data"][0]["name"] = "N/A"
    server = Server(routes)
    real = services.run_import
    monkeypatch.setattr(
        services, "run_import", lambda run, **kw: real(run, fetcher=server.fetcher())
    )
    monkeypatch.setattr(
        "lotse.oparl.management.commands.oparl_import.run_import", services.run_import
    )
    out = StringIO()
    call_command("oparl_import", f"{S}/system", body=body.slug, stdout=out)
    text = out.getvalue()
    assert "meeting" in text and "created 1" in text
    assert f"REJECTED Paper {S}/paper/1: name missing" in text


@pytest.mark.parametrize(
    ("result", "outcome"),
    [
        ("Einstimmig beschlossen", "beschlossen"),
        ("ungeändert beschlossen", "ungeaendert"),
        ("mit Änderungen beschlossen", "geaendert"),
        ("Abgelehnt", "abgelehnt"),
        ("zur Kenntnis genommen", "kenntnis"),
        ("verwiesen an Rat der Stadt", "verwiesen"),
    ],
)
def test_a_result_becomes_a_decision_record_and_keeps_its_wording(body, result, outcome):
    from lotse.council.models import Decision

    routes = source()
    item = routes[f"{S}/body/1/meeting"]["data"][0]["agendaItem"][0]
    item.update(result=result, resolutionText="Der Rat beschließt das Radwegekonzept.")
    report, _ = run(body, routes)
    assert report["rejects"] == []
    row = AgendaItem.objects.get(meeting__body=body, number="Ö 1")
    decision = Decision.objects.get(agenda_item=row)
    assert decision.outcome == outcome
    assert decision.resolution_text == "Der Rat beschließt das Radwegekonzept."
    assert decision.date.isoformat() == "2024-02-01"
    assert decision.number  # numbered by council's decision service
    assert row.result == result
    if outcome == "verwiesen":
        assert decision.referred_to.name == "Rat der Stadt"

    # A later change of the source's result updates the record (no second one).
    item.update(result="Abgelehnt", modified="2024-03-01T10:00:00+01:00")
    routes[f"{S}/body/1/meeting"]["data"][0]["modified"] = "2024-03-01T10:00:00+01:00"
    report, _ = run(body, routes)
    assert report["rejects"] == []
    assert Decision.objects.get(agenda_item=row).outcome == "abgelehnt"


def test_a_result_without_an_outcome_stays_text_only(body):
    from lotse.council.models import Decision

    routes = source()
    item = routes[f"{S}/body/1/meeting"]["data"][0]["agendaItem"][0]
    item["result"] = "siehe Niederschrift"
    run(body, routes)
    row = AgendaItem.objects.get(meeting__body=body, number="Ö 1")
    assert row.result == "siehe Niederschrift"
    assert not Decision.objects.filter(agenda_item=row).exists()


def test_related_and_superordinated_papers_are_linked(body):
    routes = source()
    first = routes[f"{S}/body/1/paper"]["data"][0]
    second = {
        **first,
        "id": f"{S}/paper/2",
        "reference": "24/0001-1",
        "name": "Ergänzung",
        "superordinatedPaper": [first["id"]],
        "relatedPaper": [first["id"], f"{S}/paper/404"],
        "consultation": [],
    }
    del second["mainFile"]
    routes[f"{S}/body/1/paper"]["data"] = [second, first]  # the child arrives first
    report, _ = run(body, routes, with_files=False)
    assert report["rejects"] == []
    child = Paper.objects.get(body=body, reference="24/0001-1")
    assert child.supplements.reference == "24/0001"
    assert [p.reference for p in child.related_papers.all()] == ["24/0001"]
