from django.urls import path

from egov.backup import views

app_name = "backup"

urlpatterns = [
    path("", views.overview, name="overview"),
]
