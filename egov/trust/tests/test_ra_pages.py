"""RA pages (注册审核页面): apply, queue, review, download, revoke; refusals write nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from egov.trust.models import Certificate, CertificateApplication
from egov.trust.pki.certificates import load_certificate
from egov.trust.tests.conftest import PASSPHRASE
from egov.trust.tests.ra_support import (
    P12_PASSWORD,
    apply_generated,
    csr_for,
    issued_for,
    ra_officer,
    staff_daoli,
    written,
)

__all__ = ["ra_officer", "staff_daoli"]


@pytest.fixture(autouse=True)
def ca_passphrase(monkeypatch):
    """The web process reads the CA passphrase from its environment."""
    monkeypatch.setenv("EGOV_CA_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("EGOV_CA_PASSPHRASE_FILE", raising=False)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_citizen_applies_on_the_page(ca_sm, citizen):
    client = signed_in(citizen)
    page = client.get("/trust/ra/apply/")
    assert page.status_code == 200
    assert "申请数字证书" in page.content.decode()

    response = client.post(
        "/trust/ra/apply/",
        {
            "kind": "person",
            "suite": "sm",
            "method": "generated",
            "password": P12_PASSWORD,
            "password_again": P12_PASSWORD,
        },
    )

    application = CertificateApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/trust/ra/applications/{application.number}/"
    assert "待审核" in client.get(response["Location"]).content.decode()
    mine = client.get("/trust/ra/mine/").content.decode()
    assert application.number in mine


def test_the_form_offers_the_kinds_of_the_account_and_suites_with_a_ca(ca_sm, citizen, staff_daoli):
    citizen_page = signed_in(citizen).get("/trust/ra/apply/").content.decode()
    staff_page = signed_in(staff_daoli).get("/trust/ra/apply/").content.decode()

    assert 'value="person"' in citizen_page
    assert 'value="org-seal"' not in citizen_page
    assert 'value="org-seal"' in staff_page
    assert 'value="sm"' in citizen_page
    assert 'value="intl"' not in citizen_page  # no international CA yet


def test_an_uploaded_csr_file_is_accepted(ca_sm, citizen):
    csr, _key = csr_for("CN=张三,C=CN")
    response = signed_in(citizen).post(
        "/trust/ra/apply/",
        {
            "kind": "person",
            "suite": "sm",
            "method": "csr",
            "csr_file": SimpleUploadedFile("me.csr", csr.encode()),
        },
    )
    assert response.status_code == 302
    assert CertificateApplication.objects.get().method == "csr"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"method": "csr", "csr": "-----BEGIN CERTIFICATE REQUEST-----\nxx"}, "证书请求（CSR）："),
        ({"method": "csr", "csr": ""}, "请粘贴或上传证书请求"),
        ({"method": "generated", "password": "short", "password_again": "short"}, "8 to 128"),
        ({"method": "generated", "password": P12_PASSWORD, "password_again": "x"}, "不一致"),
        ({"method": "generated", "kind": "org-seal", "password": P12_PASSWORD,
          "password_again": P12_PASSWORD}, "org-seal"),
    ],
)  # fmt: skip
def test_bad_input_is_shown_on_the_form_and_nothing_written(ca_sm, citizen, fields, message):
    data = {"kind": "person", "suite": "sm"} | fields
    before = written()

    response = signed_in(citizen).post("/trust/ra/apply/", data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert written() == before


def test_a_wrong_subject_csr_is_shown_naming_the_field(ca_sm, citizen):
    csr, _key = csr_for("CN=李四,C=CN")
    before = written()
    response = signed_in(citizen).post(
        "/trust/ra/apply/", {"kind": "person", "suite": "sm", "method": "csr", "csr": csr}
    )
    assert response.status_code == 400
    assert "证书请求（CSR）：the subject&#x27;s CN must be the applicant&#x27;s name" in (
        response.content.decode()
    )
    assert written() == before


def test_the_officer_reviews_from_the_menu_and_the_queue(ca_sm, citizen, ra_officer):
    application = apply_generated(citizen)
    client = signed_in(ra_officer)
    assert 'href="/trust/ra/queue/"' in client.get("/workbench/").content.decode()
    queue = client.get("/trust/ra/queue/").content.decode()
    assert application.number in queue
    assert citizen.public_account.resident_id in queue
    page = client.get(f"/trust/ra/applications/{application.number}/").content.decode()
    assert "审核通过并签发" in page
    assert citizen.public_account.resident_id in page

    response = client.post(
        f"/trust/ra/applications/{application.number}/approve/",
        {"identity_check": "核验身份证原件"},
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "issued"
    assert application.certificate.holder == citizen


def test_refusals_on_the_review_page(ca_sm, citizen, ra_officer, ra_officer_qiqihar):
    application = apply_generated(citizen)
    url = f"/trust/ra/applications/{application.number}/"
    before = written()
    assert signed_in(ra_officer_qiqihar).get(url).status_code == 404
    assert (
        signed_in(ra_officer_qiqihar).post(url + "approve/", {"identity_check": "x"}).status_code
        == 404
    )
    assert signed_in(citizen).post(url + "approve/", {"identity_check": "x"}).status_code == 404
    response = signed_in(ra_officer).post(url + "approve/", {"identity_check": ""})
    assert response.status_code == 400
    assert written() == before
    assert signed_in(ra_officer).get("/trust/ra/applications/RA000/").status_code == 404

    signed_in(ra_officer).post(url + "reject/", {"reason": "材料不全"})
    before = written()
    response = signed_in(ra_officer).post(url + "approve/", {"identity_check": "x"})
    assert response.status_code == 400
    assert (
        "申请编号：该申请已审核完毕，不能再次审核（already decided (rejected)"
        in response.content.decode()
    )
    assert written() == before


def test_an_officer_cannot_approve_their_own_application_on_the_page(ca_sm, ra_officer):
    application = apply_generated(ra_officer)
    client = signed_in(ra_officer)
    page = client.get(f"/trust/ra/applications/{application.number}/").content.decode()
    assert "审核通过并签发" not in page
    before = written()
    response = client.post(
        f"/trust/ra/applications/{application.number}/approve/", {"identity_check": "本人"}
    )
    assert response.status_code == 400
    assert "nobody reviews their own application" in response.content.decode()
    assert written() == before


def test_the_queue_is_for_ra_officers_only(ca_sm, citizen, staff_daoli):
    assert signed_in(staff_daoli).get("/trust/ra/queue/").status_code == 403
    assert signed_in(citizen).get("/trust/ra/queue/").status_code == 403
    assert (
        'href="/trust/ra/queue/"' not in signed_in(staff_daoli).get("/workbench/").content.decode()
    )
    assert 'href="/trust/ra/mine/"' in signed_in(staff_daoli).get("/workbench/").content.decode()


def test_the_holder_downloads_the_chain_and_the_pkcs12_once(ca_sm, citizen, ra_officer):
    application = issued_for(citizen, ra_officer)
    client = signed_in(citizen)
    serial = application.certificate.serial

    chain = client.get(f"/trust/ra/certificates/{serial}/chain.pem")
    assert chain.status_code == 200
    assert chain.content.decode().count("BEGIN CERTIFICATE") == 3
    assert load_certificate(chain.content.decode().split("-----END CERTIFICATE-----")[0]
                            + "-----END CERTIFICATE-----\n").serial_hex == serial  # fmt: skip

    url = f"/trust/ra/applications/{application.number}/pkcs12/"
    wrong = client.post(url, {"password": "not-the-password"})
    assert wrong.status_code == 400
    assert (
        "PKCS#12 口令：口令不正确（not the password given when applying）" in wrong.content.decode()
    )
    pfx = client.post(url, {"password": P12_PASSWORD})
    assert pfx.status_code == 200
    assert pfx["Content-Type"] == "application/x-pkcs12"
    assert pfx["Cache-Control"] == "no-store, private"  # core: every signed-in answer
    again = client.post(url, {"password": P12_PASSWORD})
    assert again.status_code == 400
    assert "私钥已下载过一次" in again.content.decode()
    page = client.get(f"/trust/ra/applications/{application.number}/").content.decode()
    assert "平台已删除私钥" in page


def test_revoke_and_renew_from_the_certificate_page(ca_sm, citizen, ra_officer):
    certificate = issued_for(citizen, ra_officer).certificate
    client = signed_in(citizen)
    page = client.get(f"/trust/ra/certificates/{certificate.serial}/").content.decode()
    assert "cACompromise" not in page  # the holder's reasons only
    assert "keyCompromise" in page

    renewal = client.post(
        f"/trust/ra/certificates/{certificate.serial}/renew/",
        {"method": "generated", "password": P12_PASSWORD, "password_again": P12_PASSWORD},
    )
    assert renewal.status_code == 302
    assert CertificateApplication.objects.filter(renews=certificate).count() == 1

    response = client.post(
        f"/trust/ra/certificates/{certificate.serial}/revoke/", {"reason": "keyCompromise"}
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert "已吊销" in client.get(response["Location"]).content.decode()


def test_another_users_certificate_is_not_found(ca_sm, citizen, enterprise, ra_officer):
    certificate = issued_for(citizen, ra_officer).certificate
    client = signed_in(enterprise)
    before = written()
    assert client.get(f"/trust/ra/certificates/{certificate.serial}/").status_code == 404
    assert client.get(f"/trust/ra/certificates/{certificate.serial}/chain.pem").status_code == 404
    response = client.post(
        f"/trust/ra/certificates/{certificate.serial}/revoke/", {"reason": "keyCompromise"}
    )
    assert response.status_code == 404
    assert written() == before
