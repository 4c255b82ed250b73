"""Validators for the official keys that identify a German municipality (AGS, RGS)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Land codes of the Amtlicher Gemeindeschlüssel: 01 Schleswig-Holstein … 16 Thüringen.
LAND_CODES = {f"{n:02d}" for n in range(1, 17)}


def validate_ags(value: str) -> None:
    """The Amtlicher Gemeindeschlüssel: 8 digits, Land (2) Regierungsbezirk (1) Kreis (2)
    Gemeinde (3)."""
    if not re.fullmatch(r"\d{8}", value or ""):
        raise ValidationError(
            _("The AGS (Amtlicher Gemeindeschlüssel) has exactly 8 digits, e.g. 05315000."),
            code="ags_format",
        )
    if value[:2] not in LAND_CODES:
        raise ValidationError(
            _("The AGS must start with a Land code from 01 to 16, not %(code)s."),
            code="ags_land",
            params={"code": value[:2]},
        )


def validate_rgs(value: str) -> None:
    """The Regionalschlüssel: 12 digits, the AGS with the 4-digit Gemeindeverband inserted
    after the Kreis."""
    if not re.fullmatch(r"\d{12}", value or ""):
        raise ValidationError(
            _("The RGS (Regionalschlüssel) has exactly 12 digits, e.g. 053150000000."),
            code="rgs_format",
        )
    if value[:2] not in LAND_CODES:
        raise ValidationError(
            _("The RGS must start with a Land code from 01 to 16, not %(code)s."),
            code="rgs_land",
            params={"code": value[:2]},
        )


def ags_from_rgs(rgs: str) -> str:
    """The AGS contained in a Regionalschlüssel (drops the Gemeindeverband digits 6–9)."""
    return rgs[:5] + rgs[9:]


HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def validate_hex_colour(value: str) -> None:
    if not HEX_COLOUR.fullmatch(value or ""):
        raise ValidationError(
            _("Enter the colour as # followed by six hexadecimal digits, e.g. #005a9c."),
            code="colour_format",
        )
