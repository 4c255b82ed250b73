"""Filled in by the council documents work."""

urlpatterns: list = []
