from django.urls import path

from egov.approvals import views

app_name = "approvals"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("items/", views.catalogue, name="catalogue"),
    path("items/<str:code>/", views.item_guide, name="guide"),
    path("items/<str:code>/apply/", views.apply, name="apply"),
    path("mine/", views.my_cases, name="my_cases"),
    path("statistics/", views.statistics, name="statistics"),
    path("verify/<str:code>/", views.verify_decision, name="verify"),
    path("cases/<str:number>/", views.case_detail, name="case"),
    path("cases/<str:number>/decision.pdf", views.decision_pdf, name="decision_pdf"),
    path(
        "cases/<str:number>/materials/<int:material_id>/",
        views.material_file,
        name="material_file",
    ),
    path("cases/<str:number>/<str:action>/", views.case_action, name="case_action"),
]
