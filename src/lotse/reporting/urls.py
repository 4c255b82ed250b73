"""Reporting URLs: the reports (public pages, the staff workshop, PDF and the submission to
the council) in ``urls_reports``; the City Cockpit in ``urls_cockpit``; one namespace."""

from lotse.reporting import urls_cockpit, urls_reports

app_name = "reporting"

urlpatterns = [*urls_reports.urlpatterns, *urls_cockpit.urlpatterns]
