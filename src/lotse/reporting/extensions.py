"""Sections later apps add to the City Cockpit (e.g. OZG maturity per town), so reporting
needs to know none of them."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lotse.core.models import Body


@dataclass(frozen=True)
class CockpitSection:
    key: str
    order: int
    template: str
    # (body, today) -> the section's template context, or None to leave it out. Public data
    # only; it should read in a fixed number of queries.
    collect: Callable[[Body, datetime.date], dict[str, Any] | None]


_sections: list[CockpitSection] = []


def register_cockpit_section(key: str, order: int, template: str, collect) -> None:
    if all(section.key != key for section in _sections):
        _sections.append(CockpitSection(key, order, template, collect))
        _sections.sort(key=lambda section: section.order)


def cockpit_sections(body: Body, *, today: datetime.date) -> list[dict[str, Any]]:
    result = []
    for section in _sections:
        context = section.collect(body, today)
        if context is not None:
            result.append({"key": section.key, "template": section.template, **context})
    return result
