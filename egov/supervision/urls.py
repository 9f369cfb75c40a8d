from django.urls import path  # noqa: F401 - each area of the app adds its pages below

app_name = "supervision"
urlpatterns: list = []
