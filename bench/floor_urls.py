"""Lotse's URLs and the floor view (see ``bench/floor_settings.py``)."""

from django.http import HttpResponse
from django.urls import path

from lotse.urls import urlpatterns as lotse_urls

PAGE = (
    b'<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Boden</title></head>'
    b"<body><main><h1>Boden</h1><p>Eine feste kleine Seite.</p></main></body></html>"
)


def floor(request):
    """A fixed small page for GET and POST; the middleware around it does its usual work
    (a POST needs the CSRF token, as a vote does)."""
    return HttpResponse(PAGE)


urlpatterns = [path("_floor/", floor), *lotse_urls]
