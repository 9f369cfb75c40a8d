from django.contrib import admin
from django.urls import include, path, re_path

from egov.api import api
from egov.trust.tsa.views import time_stamp

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("trust/", include("egov.trust.urls")),
    re_path(r"^tsa(?:/(?P<suite_name>\w+))?$", time_stamp, name="tsa"),  # RFC 3161 TSA
    path("approvals/", include("egov.approvals.urls")),
    path("supervision/", include("egov.supervision.urls")),
    path("backup/", include("egov.backup.urls")),
    path("", include("egov.monitoring.urls")),  # /healthz, /readyz, /metrics, /monitoring/
    path("", include("egov.core.urls")),
]

# Error answers: JSON in the API's error format under /api/, pages elsewhere.
handler400 = "egov.core.error_views.bad_request"
handler403 = "egov.core.error_views.permission_denied"
handler404 = "egov.core.error_views.page_not_found"
handler500 = "egov.core.error_views.server_error"
