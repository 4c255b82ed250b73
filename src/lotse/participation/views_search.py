"""The similar-idea hints: an htmx fragment under the title field of the idea form."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from lotse.core.navigation import body_queryset
from lotse.participation import search

# Fewer characters than this say too little to look for anything.
MIN_TITLE_LENGTH = 3
# Each keystroke (after a pause) asks once; this is generous for typing, tight for scraping.
SIMILAR_RATE = "120/m"


@require_GET
@ratelimit(key="ip", rate=lambda group, request: SIMILAR_RATE, method="GET", block=False)
def similar_ideas(request: HttpRequest, body_slug: str) -> HttpResponse:
    """Up to five visible ideas and measures like the typed ``title``; empty when there are
    none or the title is too short. Public data only for anonymous visitors."""
    body = get_object_or_404(body_queryset(), slug=body_slug)
    request.lotse_body = body
    if getattr(request, "limited", False):
        return render(request, "participation/_similar.html", {"limited": True}, status=429)
    title = request.GET.get("title", "").strip()[:200]
    hits = search.similar(request.user, body, title) if len(title) >= MIN_TITLE_LENGTH else []
    return render(request, "participation/_similar.html", {"hits": hits, "body": body})
