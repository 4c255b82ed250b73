"""Root URLs. Each app's module holds its full paths, platform paths and /<body>/… alike;
body slugs cannot take a platform path (see core.models.RESERVED_SLUGS)."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path
from django.views.static import serve

from lotse.api.api import api
from lotse.core import views as core_views
from lotse.ops import metrics as ops_metrics

# The admin login goes through allauth, so axes lockout and TOTP apply there too.
admin.site.login = login_required(admin.site.login)
admin.site.site_header = "Lotse"
admin.site.site_title = "Lotse"

urlpatterns = [
    path("health", core_views.health, name="health"),
    path("metrics", ops_metrics.metrics, name="metrics"),
    path("robots.txt", core_views.RobotsView.as_view()),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("konto/", include("allauth.urls")),
]
if settings.LOTSE_SERVE_MEDIA:
    urlpatterns.append(
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )
urlpatterns += [
    path("", include("lotse.accounts.urls")),
    path("", include("lotse.strategy.urls_exchange")),
    path("", include("lotse.assessment.urls")),
    path("", include("lotse.strategy.urls")),
    path("", include("lotse.council.urls")),
    path("", include("lotse.paperimport.urls")),
    path("", include("lotse.voting.urls")),
    path("", include("lotse.reporting.urls")),
    path("", include("lotse.oparl.urls")),
    path("", include("lotse.opendata.urls")),
    path("", include("lotse.ozg.urls")),
    path("", include("lotse.region.urls")),
    path("", include("lotse.participation.urls")),
    path("", include("lotse.search.urls")),
    path("", include("lotse.core.urls")),
]

handler404 = "lotse.core.errors.page_not_found"
handler500 = "lotse.core.errors.server_error"
handler403 = "lotse.core.errors.permission_denied"
