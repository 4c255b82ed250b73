"""Placeholder: the City Cockpit (body and district) lands here."""

from django.views.generic import TemplateView


class CockpitView(TemplateView):
    pass
