from django.urls import include, path

from egov.trust import login_views, ra_views, verify_views, views

app_name = "trust"
urlpatterns = [
    path("crl/<str:suite>.crl", views.crl, name="crl"),
    path("signatures/", views.signatures, name="signatures"),
    path("login/", login_views.certificate_login_page, name="certificate_login"),
    path("verify/", verify_views.verify, name="verify"),
    path("sign/", verify_views.sign, name="sign"),
    path("ra/", include(ra_views.urlpatterns)),
]
