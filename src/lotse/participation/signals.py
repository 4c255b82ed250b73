"""Receivers that tie participation to the rest of Lotse (filled in by the services)."""
