"""The project's URLs plus a stand-in OParl body route, as the OParl app will add it."""

from django.http import JsonResponse
from django.urls import path

from lotse.urls import urlpatterns as project

urlpatterns = [
    path("oparl/v1.1/body/<int:pk>", lambda request, pk: JsonResponse({"id": pk})),
    *project,
]
