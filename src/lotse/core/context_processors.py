"""Values every template needs: the operator, the current body and its navigation."""

from django.conf import settings

from lotse.core.navigation import body_nav


def site(request):
    body = getattr(request, "lotse_body", None)
    return {
        "operator": settings.LOTSE_OPERATOR,
        "current_body": body,
        "body_nav": body_nav(request, body) if body is not None else [],
        "lotse_version": settings.VERSION,
        # django-htmx's script tag reads the nonce under this name.
        "csp_nonce": getattr(request, "csp_nonce", ""),
    }
