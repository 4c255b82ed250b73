"""The project's URLs without the OParl app, as an installation that does not serve it."""

from lotse.urls import urlpatterns as project

urlpatterns = [
    pattern for pattern in project if "lotse.oparl" not in str(getattr(pattern, "urlconf_name", ""))
]
