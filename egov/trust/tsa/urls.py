"""``/tsa`` answers with the deployment's suite; ``/tsa/sm`` and ``/tsa/intl`` name one."""

from django.urls import path

from egov.trust.tsa.views import time_stamp

urlpatterns = [
    path("", time_stamp, name="tsa"),
    path("/<str:suite_name>", time_stamp, name="tsa_suite"),
]
