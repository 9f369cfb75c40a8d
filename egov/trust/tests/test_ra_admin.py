"""The admin shows RA applications read-only and never the stored key (证书申请后台只读)."""

from __future__ import annotations

from django.test import Client

from egov.trust.tests.ra_support import apply_generated


def test_the_admin_lists_applications_without_the_key(citizen, admin_province):
    application = apply_generated(citizen)
    client = Client()
    client.force_login(admin_province)

    listing = client.get("/admin/trust/certificateapplication/")
    page = client.get(f"/admin/trust/certificateapplication/{application.pk}/change/")

    assert listing.status_code == 200
    assert application.number in listing.content.decode()
    assert page.status_code == 200
    text = page.content.decode()
    assert application.number in text
    assert "sealed_private_key" not in text
    assert "加密私钥" not in text
    assert (
        client.post(f"/admin/trust/certificateapplication/{application.pk}/delete/").status_code
        == 403
    )
