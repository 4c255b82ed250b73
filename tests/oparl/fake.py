"""A fake OParl server for the client tests: a dict of URL → JSON (or bytes, or a status),
served through ``httpx.MockTransport`` (no network)."""

import hashlib
import json

import httpx

from lotse.oparl.client import Fetcher

S = "https://rats.example/oparl"
T = "https://schema.oparl.org/1.1/"
FILE_BYTES = b"Beschlussvorlage Radwegekonzept\n"


def source() -> dict:
    """A small but complete body, as a well-behaved 1.1 server writes it."""
    stamp = {"created": "2024-01-10T10:00:00+01:00", "modified": "2024-01-10T10:00:00+01:00"}
    org = {
        "id": f"{S}/org/1",
        "type": T + "Organization",
        "name": "Rat der Stadt",
        "classification": "Rat",
        **stamp,
    }
    person = {
        "id": f"{S}/person/1",
        "type": T + "Person",
        "familyName": "Muster",
        "givenName": "Erika",
        "formOfAddress": "Frau",
        "membership": [
            {
                "id": f"{S}/membership/1",
                "type": T + "Membership",
                "organization": f"{S}/org/1",
                "role": "Mitglied",
                **stamp,
            }
        ],
        **stamp,
    }
    meeting = {
        "id": f"{S}/meeting/1",
        "type": T + "Meeting",
        "name": "1. Sitzung des Rates",
        "start": "2024-02-01T17:00:00+01:00",
        "organization": [f"{S}/org/1"],
        "location": {
            "id": f"{S}/location/1",
            "type": T + "Location",
            "description": "Rathaus",
            **stamp,
        },
        "agendaItem": [
            {
                "id": f"{S}/item/1",
                "type": T + "AgendaItem",
                "order": 0,
                "number": "Ö 1",
                "name": "Radwege",
                "public": True,
                "consultation": f"{S}/consultation/1",
                **stamp,
            },
            {
                "id": f"{S}/item/2",
                "type": T + "AgendaItem",
                "order": 1,
                "number": "N 1",
                "public": False,
                **stamp,
            },
        ],
        **stamp,
    }
    paper = {
        "id": f"{S}/paper/1",
        "type": T + "Paper",
        "name": "Radwegekonzept",
        "reference": "24/0001",
        "date": "2024-01-10",
        "paperType": "Beschlussvorlage",
        "mainFile": {
            "id": f"{S}/file/1",
            "type": T + "File",
            "name": "Vorlage",
            "fileName": "vorlage.txt",
            "mimeType": "text/plain",
            "size": len(FILE_BYTES),
            "sha512Checksum": hashlib.sha512(FILE_BYTES).hexdigest(),
            "accessUrl": f"{S}/file/1/access",
            **stamp,
        },
        "consultation": [
            {
                "id": f"{S}/consultation/1",
                "type": T + "Consultation",
                "organization": [f"{S}/org/1"],
                "meeting": f"{S}/meeting/1",
                "agendaItem": f"{S}/item/1",
                "role": "Entscheidung",
                **stamp,
            }
        ],
        **stamp,
    }

    def page(*items):
        return {"data": list(items), "pagination": {}, "links": {}}

    body = {
        "id": f"{S}/body/1",
        "type": T + "Body",
        "name": "Stadt Beispiel",
        "organization": f"{S}/body/1/org",
        "person": f"{S}/body/1/person",
        "meeting": f"{S}/body/1/meeting",
        "paper": f"{S}/body/1/paper",
        "legislativeTermList": f"{S}/body/1/term",
        "membership": f"{S}/body/1/membership",
        "legislativeTerm": [],
        **stamp,
    }
    return {
        f"{S}/system": {
            "id": f"{S}/system",
            "type": T + "System",
            "oparlVersion": T,
            "body": f"{S}/body",
        },
        f"{S}/body": page(body),
        f"{S}/body/1": body,
        f"{S}/body/1/org": page(org),
        f"{S}/org/1": org,
        f"{S}/body/1/person": page(person),
        f"{S}/body/1/meeting": page(meeting),
        f"{S}/body/1/paper": page(paper),
        f"{S}/body/1/term": page(
            {
                "id": f"{S}/term/1",
                "type": T + "LegislativeTerm",
                "name": "2020–2025",
                "startDate": "2020-11-01",
                **stamp,
            }
        ),
        f"{S}/body/1/membership": page(),
        f"{S}/file/1/access": FILE_BYTES,
    }


class Server:
    def __init__(self, routes: dict):
        self.routes = routes
        self.requests: list[str] = []
        self.sleeps: list[float] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        self.requests.append(url)
        key = url.split("?")[0]
        answer = self.routes.get(key, 404)
        if callable(answer):
            answer = answer(request)
        if isinstance(answer, int):
            return httpx.Response(answer, json={"type": T + "Error"})
        if isinstance(answer, bytes):
            return httpx.Response(200, content=answer)
        if isinstance(answer, str):
            return httpx.Response(
                200, content=answer.encode(), headers={"Content-Type": "application/json"}
            )
        return httpx.Response(
            200, content=json.dumps(answer).encode(), headers={"Content-Type": "application/json"}
        )

    def fetcher(self, **kwargs) -> Fetcher:
        client = httpx.Client(transport=httpx.MockTransport(self.handle))
        return Fetcher(client=client, sleep=self.sleeps.append, **kwargs)
