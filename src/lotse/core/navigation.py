"""The body navigation. Each app registers its sections, so core needs to know none of them."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int
    permission: str | None = None
    # Whether the section exists for this body (a Kreis may have no strategy of its own);
    # it should be cheap, as it runs on every page of the body.
    exists: Callable | None = None


_body_nav: list[NavItem] = []
# Annotations of the body's own lookup (name -> a function returning the expression), so an
# ``exists`` check reads a flag fetched with the body instead of asking once more per page.
_body_annotations: dict[str, Callable] = {}


def register_body_annotation(name: str, expression: Callable, depends_on=()) -> None:
    """Fetch ``expression()`` (e.g. an ``Exists(...)`` on ``OuterRef("pk")``) with the body
    of every body page, as the attribute ``name``. A change to a model of ``depends_on``
    (what the expression reads) renews the bodies kept in memory (``core.bodies``)."""
    from lotse.core import bodies

    _body_annotations[name] = expression
    for model in depends_on:
        bodies.follow(model)


def body_queryset():
    """Bodies as a body page looks them up: with their parent and the registered flags."""
    from lotse.core.models import Body

    annotations = {name: expression() for name, expression in _body_annotations.items()}
    return Body.objects.select_related("parent").annotate(**annotations)


def register_body_nav(
    label, url_name: str, order: int, permission: str | None = None, exists=None
) -> None:
    if all(item.url_name != url_name for item in _body_nav):
        _body_nav.append(NavItem(label, url_name, order, permission, exists))
        _body_nav.sort(key=lambda item: item.order)


def body_nav(request, body) -> list[dict]:
    items = []
    for item in _body_nav:
        if item.permission and not request.user.has_perm(item.permission, body):
            continue
        if item.exists is not None and not item.exists(body):
            continue
        url = reverse(item.url_name, kwargs={"body_slug": body.slug})
        current = request.path == url or (url != f"/{body.slug}/" and request.path.startswith(url))
        # Items behind a permission are the staff's tools, grouped under "Verwaltung".
        items.append(
            {"label": item.label, "url": url, "current": current, "staff": bool(item.permission)}
        )
    return items
