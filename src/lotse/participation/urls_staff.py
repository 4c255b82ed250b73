"""staff pages of participation (see urls.py)."""

urlpatterns: list = []
