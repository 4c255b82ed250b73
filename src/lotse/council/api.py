"""Council data in the REST API (filled in by the council API work)."""

from ninja import Router

router = Router(tags=["Council"])
