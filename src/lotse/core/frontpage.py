"""The blocks of a body's front page (``/<body>/``) and of the home page (``/``).

Each app registers the blocks it knows (key figures, open participation, meetings, decisions,
reports, status updates), so core needs to know none of them. A block reads for a list of
bodies at once, in a number of queries that grows with neither the bodies nor the items, and
shows only what every reader may see.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lotse.core.models import Body


@dataclass(frozen=True)
class FrontBlock:
    key: str
    order: int
    template: str
    # (bodies, today) -> the block's template context, or None to leave the block out.
    collect: Callable[[list[Body], datetime.date], dict[str, Any] | None]


_blocks: list[FrontBlock] = []


def register_front_block(key: str, order: int, template: str, collect) -> None:
    if all(block.key != key for block in _blocks):
        _blocks.append(FrontBlock(key, order, template, collect))
        _blocks.sort(key=lambda block: block.order)


def front_blocks(bodies: list[Body], *, today: datetime.date) -> list[dict[str, Any]]:
    """The blocks for these bodies, each as ``{"key", "template", "bodies", "several", ...}``.
    ``several`` says whether items should name their body."""
    result = []
    for block in _blocks:
        context = block.collect(bodies, today)
        if context is None:
            continue
        result.append(
            {
                "key": block.key,
                "template": block.template,
                "bodies": bodies,
                "several": len(bodies) > 1,
                **context,
            }
        )
    return result


def by_id(bodies: list[Body]) -> dict[int, Body]:
    """For blocks: the body of a row by its ``body_id``, without a query."""
    return {body.pk: body for body in bodies}
