"""``/api/v1/docs``: the API's documentation as an ordinary, accessible Lotse page (German
first, base layout, no script), generated from the same OpenAPI schema that
``/api/v1/openapi.json`` serves, so it cannot drift from what the API does."""

from __future__ import annotations

from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from ninja.openapi.docs import DocsBase

METHODS = ("get", "post", "put", "patch", "delete")


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def type_of(schema: dict | None) -> str:
    """A short human-readable type of a JSON schema: ``integer``, ``list of IdeaOut`` …"""
    if not schema:
        return ""
    if "$ref" in schema:
        return _ref_name(schema["$ref"])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            parts = [type_of(part) for part in schema[key] if part.get("type") != "null"]
            return " | ".join(part for part in parts if part)
    if schema.get("type") == "array":
        return f"[{type_of(schema.get('items'))}]"
    if "enum" in schema:
        return " | ".join(str(value) for value in schema["enum"])
    kind = schema.get("type", "")
    return f"{kind} ({schema['format']})" if schema.get("format") else kind


def _fields(components: dict, schema: dict | None) -> list[dict]:
    """The properties of a request body's schema."""
    if not schema or "$ref" not in schema:
        return []
    target = components.get(_ref_name(schema["$ref"]), {})
    required = set(target.get("required", ()))
    return [
        {
            "name": name,
            "type": type_of(prop),
            "required": name in required,
            "description": prop.get("description", ""),
        }
        for name, prop in target.get("properties", {}).items()
    ]


def operations(schema: dict) -> list[dict]:
    """The operations of an OpenAPI schema grouped by their first tag, in schema order."""
    components = schema.get("components", {}).get("schemas", {})
    groups: dict[str, list[dict]] = {}
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = (
                operation.get("requestBody", {})
                .get("content", {})
                .get("application/json", {})
                .get("schema")
            )
            responses = []
            for code, answer in operation.get("responses", {}).items():
                content = answer.get("content", {}).get("application/json", {})
                responses.append({"code": code, "type": type_of(content.get("schema"))})
            entry = {
                "id": operation.get("operationId", f"{method}-{path}"),
                "method": method.upper(),
                "path": path,
                # The schema speaks English; the page shows the German wording when the
                # catalogue has it.
                "summary": _(operation.get("summary") or "") if operation.get("summary") else "",
                "description": _(" ".join(operation.get("description", "").split()))
                if operation.get("description")
                else "",
                "auth": bool(operation.get("security")),
                "parameters": [
                    {
                        "name": parameter["name"],
                        "where": parameter["in"],
                        "type": type_of(parameter.get("schema")),
                        "required": parameter.get("required", False),
                    }
                    for parameter in operation.get("parameters", [])
                ],
                "body": _fields(components, body),
                "body_type": type_of(body),
                "responses": responses,
            }
            tag = (operation.get("tags") or ["API"])[0]
            groups.setdefault(tag, []).append(entry)
    return [{"tag": _(tag), "operations": entries} for tag, entries in groups.items()]


class LotseDocs(DocsBase):
    """Ninja's docs hook (``NinjaAPI(docs=…)``), so the page keeps the name
    ``api:openapi-view`` and lives at the API's ``docs_url``."""

    def render_page(self, request, api, **kwargs):
        schema = api.get_openapi_schema(path_params=kwargs)
        context = {"groups": operations(schema), "version": schema["info"]["version"]}
        return TemplateResponse(request, "api/docs.html", context)
