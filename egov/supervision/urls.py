from django.urls import path, re_path

from egov.supervision.web import (
    views_cases,
    views_complaints,
    views_dashboard,
    views_findings,
    views_rules,
)

app_name = "supervision"
urlpatterns: list = [
    path("", views_dashboard.home, name="home"),
    path("statistics/", views_dashboard.statistics_page, name="statistics"),
    path(
        "statistics/departments/<str:code>/",
        views_dashboard.department_page,
        name="statistics_department",
    ),
    re_path(
        r"^statistics/export\.(?P<fmt>csv|xlsx)$",
        views_dashboard.statistics_export,
        name="statistics_export",
    ),
    # findings, notices, alerts, complaints (S3)
    path("findings/", views_findings.finding_list, name="findings"),
    path("findings/cards/", views_findings.issue_cards, name="issue_cards"),
    path("findings/<int:pk>/", views_findings.finding_detail, name="finding"),
    path("findings/<int:pk>/<str:action>/", views_findings.finding_action, name="finding_action"),
    path("notices/", views_findings.notice_list, name="notices"),
    path("notices/<str:number>/", views_findings.notice_detail, name="notice"),
    path("notices/<str:number>/<str:action>/", views_findings.notice_action, name="notice_action"),
    path("alerts/", views_findings.alert_list, name="alerts"),
    path("alerts/read/", views_findings.alert_read, name="alert_read"),
    path("complaints/", views_complaints.complaint_list, name="complaints"),
    path("complaints/new/", views_complaints.complaint_new, name="complaint_new"),
    path("rules/", views_rules.rule_list, name="rules"),  # rules and their settings (S2)
    path("cases/", views_cases.case_list, name="cases"),  # the engine's cases (S1)
    path("cases/<str:number>/", views_cases.case_detail, name="case"),
]
