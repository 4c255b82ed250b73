"""Filled in by the council sessions work."""

urlpatterns: list = []
