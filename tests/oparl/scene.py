"""The council scene of tests/council plus files, for the OParl tests."""

import hashlib

from django.core.files.base import ContentFile

from lotse.council.files import extract_text
from lotse.council.models import AgendaItem, File, Meeting, MeetingState, Paper
from lotse.oparl.queries import public_papers
from tests.council.test_pages import make_scene

PUBLIC_BYTES = "Öffentliche Anlage: Präsentation zum Ausbau der Bürgerdienste.\n".encode()


def add_file(body, data: bytes, name: str, **owner) -> File:
    return File.objects.create(
        body=body,
        name=name,
        file=ContentFile(data, name=f"{name.lower()}.txt"),
        file_name=f"{name.lower()}.txt",
        mime_type="text/plain",
        size=len(data),
        sha512=hashlib.sha512(data).hexdigest(),
        text=extract_text(data, "text/plain"),  # as council's upload service does
        **owner,
    )


def oparl_scene(body):
    scene = make_scene(body)
    scene.public_file = add_file(body, PUBLIC_BYTES, "Praesentation", paper=scene.public_paper)
    scene.secret_paper_file = add_file(
        body, b"Kaufpreis geheim", "Kaufvertrag", paper=scene.secret_paper
    )
    scene.secret_item_file = add_file(
        body, b"Personalakte geheim", "Personalakte", agenda_item=scene.secret_item
    )
    return scene


def add_demo_files(body) -> None:
    """Files on demo objects: a public paper's main file and attachment, a held meeting's
    minutes, a public agenda item's attachment, and a non-public paper's file (stays home)."""
    paper = public_papers(body).order_by("pk").first()
    add_file(body, b"Vorlage im Wortlaut.\n", "Vorlage", paper=paper, role=File.Role.MAIN)
    add_file(body, "Anlage 1: Kostenübersicht.\n".encode(), "Kosten", paper=paper)
    meeting = Meeting.objects.filter(body=body, state=MeetingState.HELD).order_by("pk").first()
    add_file(body, b"Niederschrift.\n", "Niederschrift", meeting=meeting, role=File.Role.MINUTES)
    item = AgendaItem.objects.filter(meeting=meeting, is_public=True).order_by("order").first()
    add_file(body, b"Praesentation.\n", "Praesentation", meeting=meeting, agenda_item=item)
    secret = Paper.objects.filter(body=body, is_public=False).first()
    if secret:
        add_file(body, b"Kaufpreis geheim.\n", "Kaufvertrag", paper=secret)
