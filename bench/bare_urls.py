"""The bare Django's only view (see ``bench/bare_settings.py``)."""

from django.http import HttpResponse
from django.urls import re_path


def hello(request):
    return HttpResponse(b"hello")


urlpatterns = [re_path(r"", hello)]
