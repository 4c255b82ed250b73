"""The council scene of tests/council plus files, for the OParl tests."""

import hashlib

from django.core.files.base import ContentFile

from lotse.council.files import extract_text
from lotse.council.models import File
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
