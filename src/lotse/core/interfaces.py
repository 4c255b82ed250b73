"""The registry of a body's machine-readable interfaces, listed on its "Schnittstellen" page.

An app registers each interface it offers in its ``AppConfig.ready`` with a function that
gives the interface's path for a body; the page lists what is registered, so it never names
an interface that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Interface:
    key: str
    title: str
    description: str
    path: Callable  # body -> path (or absolute URL)
    order: int


_registry: dict[str, Interface] = {}


def register_interface(key: str, title, description, path: Callable, *, order: int = 500) -> None:
    """Registering the same key again replaces the entry (apps' ``ready`` may run twice)."""
    _registry[key] = Interface(key, title, description, path, order)


def interfaces() -> list[Interface]:
    return sorted(_registry.values(), key=lambda interface: (interface.order, interface.key))
