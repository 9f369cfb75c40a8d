from django.urls import path

from egov.trust import views

app_name = "trust"
urlpatterns = [
    path("crl/<str:suite>.crl", views.crl, name="crl"),
    path("signatures/", views.signatures, name="signatures"),
]
