from django.urls import path

from egov.core import charts, otp, security_views, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.StaffLoginView.as_view(), name="login"),
    path("account/login/", views.PublicLoginView.as_view(), name="public_login"),
    path("account/", views.account, name="account"),
    path("logout/", views.logout, name="logout"),
    path("workbench/", views.workbench, name="workbench"),
    path("workbench/audit/", views.audit_log, name="audit_log"),
    path("workbench/security/", security_views.security_event_list, name="security_events"),
    path("otp/setup/", otp.otp_setup, name="otp_setup"),
    path("otp/verify/", otp.otp_verify, name="otp_verify"),
    path("plotly-<str:version>.min.js", charts.plotly_js, name="plotly_js"),
]
