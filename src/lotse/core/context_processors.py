"""Values every template needs: the operator, the current body and its navigation."""

from django.conf import settings

from lotse.core.navigation import body_nav


def site(request):
    body = getattr(request, "lotse_body", None)
    return {
        "operator": settings.LOTSE_OPERATOR,
        "current_body": body,
        "body_nav": (nav := body_nav(request, body) if body is not None else []),
        "body_nav_public": [item for item in nav if not item["staff"]],
        "body_nav_staff": [item for item in nav if item["staff"]],
        "body_nav_staff_current": any(item["current"] for item in nav if item["staff"]),
        "lotse_version": settings.VERSION,
        # django-htmx's script tag reads the nonce under this name.
        "csp_nonce": getattr(request, "csp_nonce", ""),
    }
