"""Schemas shared by the API routers."""

from ninja import Schema


class BodyOut(Schema):
    id: int
    slug: str
    name: str
    short_name: str
    kind: str
    ags: str
    rgs: str
    parent: str | None
    website: str
    url: str

    @staticmethod
    def resolve_parent(obj) -> str | None:
        return obj.parent.slug if obj.parent_id else None

    @staticmethod
    def resolve_url(obj, context) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class MeOut(Schema):
    email: str
    display_name: str
    roles: dict[str, list[str]]
