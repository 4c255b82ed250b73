"""Filled in by the council office work."""

urlpatterns: list = []
