"""Maturity models (Reifegradmodelle) an OZG service is rated in.

The default is the federal OZG maturity model with its levels 0–4, of which level 3 counts as
OZG-compliant. Some Länder have since moved to a newer version with more levels, so every
rating stores the model's key and version with it, and an installation may register another
model and make it the default with ``LOTSE_OZG_MATURITY_MODEL`` (``key:version``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MaturityModel:
    key: str
    version: str
    name: str
    # (level, label) in ascending order
    levels: tuple[tuple[int, str], ...]
    # The lowest level that counts as "OZG-compliant" (online, documents included).
    compliant_from: int

    @property
    def code(self) -> str:
        return f"{self.key}:{self.version}"

    @property
    def top(self) -> int:
        return self.levels[-1][0]

    def label(self, level: int | None) -> str:
        if level is None:
            return str(_("not assessed"))
        return str(dict(self.levels).get(level, level))

    def is_compliant(self, level: int | None) -> bool:
        return level is not None and level >= self.compliant_from


FEDERAL = MaturityModel(
    key="ozg-bund",
    version="1",
    name=_("Federal OZG maturity model (0–4)"),
    levels=(
        (0, _("0 – offline")),
        (1, _("1 – information online")),
        (2, _("2 – online form")),
        (3, _("3 – online service with documents")),
        (4, _("4 – online transaction (once only)")),
    ),
    compliant_from=3,
)

_models: dict[str, MaturityModel] = {FEDERAL.code: FEDERAL}


def register_model(model: MaturityModel) -> None:
    """Add a maturity model (e.g. a Land's newer version with more levels)."""
    _models[model.code] = model


def get_model(code: str) -> MaturityModel:
    """The model of a stored rating; an unknown code is read with the default's levels."""
    return _models.get(code) or current_model()


def current_model() -> MaturityModel:
    """The model new ratings use (``LOTSE_OZG_MATURITY_MODEL``, default the federal 0–4)."""
    return _models.get(getattr(settings, "LOTSE_OZG_MATURITY_MODEL", ""), FEDERAL)


def all_models() -> list[MaturityModel]:
    return list(_models.values())
