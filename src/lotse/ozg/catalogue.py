"""The OZG catalogue Lotse ships, and its update from a newer CSV.

``data/ozg-katalog.json.gz`` is Lotse's own data file (gzipped JSON, one row per line),
generated (``lotse ozg_catalogue_import --write-data``) from the CSV extract of the federal
OZG-Umsetzungskatalog and the Leistungskatalog (LeiKa) in the public database of the
"OZG-Datenbank NRW" (MIT licence, state 2019-10 to 2023-06); the file names its source and
date. A migration loads it, so ``lotse migrate`` alone leaves the catalogue in place.

An update compares a newer CSV with the stored catalogue and applies the difference in one
transaction: new services are added, changed names are renamed in place (an OZG-Leistung is
identified by its OZG-ID, a LeiKa service by its 14-digit key, or by name and OZG-ID where it
has none), and what the file no longer lists is *retired* — flagged, never deleted, so no
body's assessment is lost.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

DATA_FILE = Path(__file__).parent / "data" / "ozg-katalog.json.gz"
SOURCE = (
    "OZG-Umsetzungskatalog und Leistungskatalog (LeiKa), Auszug aus der öffentlichen "
    "Datenbank der „OZG-Datenbank NRW“ (github.com/kdn-nrw/OZG-Datenbank-NRW, "
    "doc-dev/databases/symfony.data.sql, MIT-Lizenz)"
)
SOURCE_DATE = "2023-06"

SERVICE_COLUMNS = ["ozg_id", "leistung", "lebenslage", "themenfeld"]
LEIKA_COLUMNS = ["leika_schluessel", "leistung", "ozg_id", "typ", "rechtsgrundlage"]


class CatalogueError(Exception):
    """The file cannot be used; the message says why (in German, for the command line)."""


@dataclass
class Catalogue:
    """Catalogue rows as plain tuples: services ``(ozg_id, name, lebenslage, themenfeld)``,
    LeiKa ``(key, name, ozg_id or None, type, legal_basis)``."""

    services: list[tuple] = field(default_factory=list)
    leika: list[tuple] | None = None  # None: the update leaves the LeiKa services alone


# --------------------------------------------------------------------------- reading


def read_csv(path: Path) -> tuple[str, list[tuple]]:
    """One catalogue CSV (services or LeiKa, told by its header), checked line by line."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogueError(f"{path}: Datei nicht lesbar ({error}).") from error
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [cell.strip() for cell in next(reader, [])]
    if header == SERVICE_COLUMNS:
        kind = "services"
    elif header == LEIKA_COLUMNS:
        kind = "leika"
    else:
        raise CatalogueError(
            f"{path}: unbekannte Spalten {header}; erwartet {SERVICE_COLUMNS} oder {LEIKA_COLUMNS}."
        )
    rows, errors, seen = [], [], set()
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            errors.append(f"Zeile {line}: {len(cells)} statt {len(header)} Spalten.")
            continue
        cells = [cell.strip() for cell in cells]
        if kind == "services":
            ozg_id, name, lebenslage, themenfeld = cells
            if not ozg_id.isdigit():
                errors.append(f"Zeile {line}: OZG-ID „{ozg_id}“ ist keine Zahl.")
                continue
            if not name or not themenfeld:
                errors.append(f"Zeile {line}: Leistung und Themenfeld dürfen nicht leer sein.")
                continue
            if int(ozg_id) in seen:
                errors.append(f"Zeile {line}: OZG-ID {ozg_id} kommt doppelt vor.")
                continue
            seen.add(int(ozg_id))
            rows.append((int(ozg_id), name[:300], lebenslage[:200], themenfeld[:200]))
        else:
            key, name, ozg_id, typ, law = cells
            if key and not (key.isdigit() and len(key) == 14):
                errors.append(f"Zeile {line}: LeiKa-Schlüssel „{key}“ hat nicht 14 Ziffern.")
                continue
            if ozg_id and not ozg_id.isdigit():
                errors.append(f"Zeile {line}: OZG-ID „{ozg_id}“ ist keine Zahl.")
                continue
            if not name:
                errors.append(f"Zeile {line}: die Leistung darf nicht leer sein.")
                continue
            row = (key, name[:300], int(ozg_id) if ozg_id else None, typ[:20], law[:200])
            identity = _leika_identity(key, row[1], row[2])
            if identity in seen:
                # The source repeats a few rows word for word; those count once.
                if row not in rows:
                    errors.append(f"Zeile {line}: die LeiKa-Leistung kommt doppelt vor.")
                continue
            seen.add(identity)
            rows.append(row)
    if errors:
        raise CatalogueError("\n".join(f"{path}: {error}" for error in errors))
    if not rows:
        raise CatalogueError(f"{path}: keine Zeilen unter den Spaltennamen.")
    return kind, rows


def read_files(paths: list[Path]) -> Catalogue:
    catalogue = Catalogue()
    kinds = set()
    for path in paths:
        kind, rows = read_csv(path)
        if kind in kinds:
            raise CatalogueError(f"{path}: zwei Dateien derselben Art.")
        kinds.add(kind)
        if kind == "services":
            catalogue.services = rows
        else:
            catalogue.leika = rows
    if "services" not in kinds:
        raise CatalogueError("Die Datei der OZG-Leistungen (ozg_id,leistung,…) fehlt.")
    if catalogue.leika is not None:
        known = {row[0] for row in catalogue.services}
        unknown = sorted({row[2] for row in catalogue.leika if row[2] and row[2] not in known})
        if unknown:
            raise CatalogueError(
                "LeiKa-Leistungen verweisen auf unbekannte OZG-IDs: "
                + ", ".join(str(u) for u in unknown[:20])
            )
    return catalogue


def write_data_file(catalogue: Catalogue, path: Path = DATA_FILE) -> None:
    """Write the catalogue as Lotse's data file (compact JSON, one row per line)."""
    lines = [
        "{",
        f'"source": {json.dumps(SOURCE, ensure_ascii=False)},',
        f'"source_date": "{SOURCE_DATE}",',
        f'"generated": "{timezone.localdate().isoformat()}",',
        f'"service_columns": {json.dumps(SERVICE_COLUMNS)},',
        f'"leika_columns": {json.dumps(LEIKA_COLUMNS)},',
        '"services": [',
        ",\n".join(json.dumps(list(r), ensure_ascii=False) for r in catalogue.services),
        "],",
        '"leika": [',
        ",\n".join(json.dumps(list(r), ensure_ascii=False) for r in catalogue.leika or []),
        "]",
        "}",
    ]
    text = ("\n".join(lines) + "\n").encode("utf-8")
    # mtime=0: the same catalogue gives the same bytes, so git sees no change.
    Path(path).write_bytes(gzip.compress(text, mtime=0))


def shipped() -> Catalogue:
    data = json.loads(gzip.decompress(DATA_FILE.read_bytes()).decode("utf-8"))
    return Catalogue(
        services=[tuple(row) for row in data["services"]],
        leika=[tuple(row) for row in data["leika"]],
    )


# --------------------------------------------------------------------------- comparing


def _leika_identity(key: str, name: str, ozg_id: int | None):
    return ("key", key) if key else ("name", name, ozg_id)


@dataclass
class Changes:
    added: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)  # Lebenslage/Themenfeld changed
    retired: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    leika_added: int = 0
    leika_changed: int = 0
    leika_retired: int = 0
    leika_restored: int = 0

    @property
    def any(self) -> bool:
        return bool(
            self.added
            or self.renamed
            or self.moved
            or self.retired
            or self.restored
            or self.leika_added
            or self.leika_changed
            or self.leika_retired
            or self.leika_restored
        )

    def report(self) -> str:
        lines = [
            f"OZG-Leistungen: {len(self.added)} neu, {len(self.renamed)} umbenannt, "
            f"{len(self.moved)} neu zugeordnet, {len(self.retired)} ausgesondert, "
            f"{len(self.restored)} wieder aufgenommen.",
            f"LeiKa-Leistungen: {self.leika_added} neu, {self.leika_changed} geändert, "
            f"{self.leika_retired} ausgesondert, {self.leika_restored} wieder aufgenommen.",
        ]
        for label, items in (
            ("Neu", self.added),
            ("Umbenannt", self.renamed),
            ("Neu zugeordnet", self.moved),
            ("Ausgesondert", self.retired),
            ("Wieder aufgenommen", self.restored),
        ):
            lines.extend(f"  {label}: {item}" for item in items)
        return "\n".join(lines)


def apply(catalogue: Catalogue, service_model=None, leika_model=None) -> Changes:
    """Bring the stored catalogue to ``catalogue`` in one transaction and say what changed.

    The model classes may be passed in, so the data migration can run this with its
    historical models."""
    if service_model is None:
        from lotse.ozg.models import LeikaService as leika_model
        from lotse.ozg.models import Service as service_model
    from lotse.ozg.models import is_municipal_type

    changes = Changes()
    today = timezone.localdate()
    with transaction.atomic():
        existing = {s.ozg_id: s for s in service_model.objects.all()}
        wanted = {row[0]: row for row in catalogue.services}
        new, changed = [], []
        for ozg_id, name, lebenslage, themenfeld in catalogue.services:
            service = existing.get(ozg_id)
            if service is None:
                new.append(
                    service_model(
                        ozg_id=ozg_id, name=name, lebenslage=lebenslage, themenfeld=themenfeld
                    )
                )
                changes.added.append(f"{ozg_id} {name}")
                continue
            dirty = False
            if service.name != name:
                changes.renamed.append(f"{ozg_id} „{service.name}“ → „{name}“")
                service.name, dirty = name, True
            if (service.lebenslage, service.themenfeld) != (lebenslage, themenfeld):
                changes.moved.append(f"{ozg_id} {name}: {themenfeld} / {lebenslage}")
                service.lebenslage, service.themenfeld, dirty = lebenslage, themenfeld, True
            if service.is_retired:
                changes.restored.append(f"{ozg_id} {name}")
                service.is_retired, service.retired_on, dirty = False, None, True
            if dirty:
                changed.append(service)
        for ozg_id, service in existing.items():
            if ozg_id not in wanted and not service.is_retired:
                changes.retired.append(f"{ozg_id} {service.name}")
                service.is_retired, service.retired_on = True, today
                changed.append(service)
        service_model.objects.bulk_create(new, batch_size=500)
        service_model.objects.bulk_update(
            changed, ["name", "lebenslage", "themenfeld", "is_retired", "retired_on"], 500
        )
        ids = dict(service_model.objects.values_list("ozg_id", "pk"))

        if catalogue.leika is not None:
            _apply_leika(catalogue.leika, ids, leika_model, changes)

        # Which services municipalities carry out follows their current LeiKa types.
        municipal = set()
        for service_id, typ in leika_model.objects.filter(is_retired=False).values_list(
            "service_id", "type"
        ):
            if service_id and is_municipal_type(typ):
                municipal.add(service_id)
        service_model.objects.filter(pk__in=municipal, is_municipal=False).update(is_municipal=True)
        service_model.objects.exclude(pk__in=municipal).filter(is_municipal=True).update(
            is_municipal=False
        )
    return changes


def _apply_leika(rows, ids, leika_model, changes: Changes) -> None:
    by_pk = {pk: ozg_id for ozg_id, pk in ids.items()}
    existing = {}
    for item in leika_model.objects.all():
        existing[_leika_identity(item.key, item.name, by_pk.get(item.service_id))] = item
    seen, new, changed = set(), [], []
    for key, name, ozg_id, typ, law in rows:
        identity = _leika_identity(key, name, ozg_id)
        seen.add(identity)
        service_id = ids.get(ozg_id) if ozg_id else None
        item = existing.get(identity)
        if item is None:
            new.append(
                leika_model(key=key, name=name, service_id=service_id, type=typ, legal_basis=law)
            )
            changes.leika_added += 1
            continue
        values = (name, service_id, typ, law)
        if (item.name, item.service_id, item.type, item.legal_basis) != values:
            item.name, item.service_id, item.type, item.legal_basis = values
            changes.leika_changed += 1
            changed.append(item)
        if item.is_retired:
            item.is_retired = False
            changes.leika_restored += 1
            if item not in changed:
                changed.append(item)
    for identity, item in existing.items():
        if identity not in seen and not item.is_retired:
            item.is_retired = True
            changes.leika_retired += 1
            changed.append(item)
    leika_model.objects.bulk_create(new, batch_size=1000)
    leika_model.objects.bulk_update(
        changed, ["name", "service_id", "type", "legal_basis", "is_retired"], 1000
    )


def ensure_loaded() -> bool:
    """Load the shipped catalogue when the database has none (e.g. after a test flush)."""
    from lotse.ozg.models import Service

    if Service.objects.exists():
        return False
    apply(shipped())
    return True


class _DryRun(Exception):
    pass


def preview(catalogue: Catalogue) -> Changes:
    """What ``apply`` would change, without changing anything."""
    result = Changes()
    try:
        with transaction.atomic():
            result = apply(catalogue)
            raise _DryRun
    except _DryRun:
        pass
    return result
