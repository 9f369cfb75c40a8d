from django.urls import path

from egov.monitoring import views, views_incidents

app_name = "monitoring"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.metrics, name="metrics"),
    path("monitoring/incidents/", views_incidents.incident_list, name="incidents"),
    path("monitoring/systems/", views_incidents.system_list, name="systems"),
    path(
        "monitoring/incidents/<int:incident_id>/acknowledge/",
        views_incidents.acknowledge,
        name="incident_acknowledge",
    ),
    path(
        "monitoring/incidents/<int:incident_id>/close/",
        views_incidents.close,
        name="incident_close",
    ),
]
