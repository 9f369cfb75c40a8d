from django.urls import path, re_path

from egov.supervision import views_dashboard

app_name = "supervision"
urlpatterns: list = [
    path("", views_dashboard.home, name="home"),
    path("statistics/", views_dashboard.statistics_page, name="statistics"),
    re_path(
        r"^statistics/export\.(?P<fmt>csv|xlsx)$",
        views_dashboard.statistics_export,
        name="statistics_export",
    ),
]
