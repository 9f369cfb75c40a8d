"""Applying for a certificate (证书申请): a CSR or a platform-made key; refusals write nothing."""

from __future__ import annotations

import pytest

from egov.core.models import AuditEntry, Event
from egov.trust import registration
from egov.trust.crypto import suite
from egov.trust.errors import ErrorCode, TrustError
from egov.trust.models import CertificateApplication
from egov.trust.pki.encoding import to_pem
from egov.trust.pki.names import parse_subject
from egov.trust.pki.requests import build_request
from egov.trust.tests.conftest import DISTID, openssl
from egov.trust.tests.ra_support import P12_PASSWORD, apply_generated, csr_for, staff_daoli, written

__all__ = ["staff_daoli"]


def test_a_citizen_applies_with_a_generated_key_sealed_not_in_clear(citizen):
    application = apply_generated(citizen)

    assert application.status == "pending"
    assert application.method == "generated"
    assert application.subject == "CN=张三,C=CN"
    assert application.identity_type == "resident_id"
    assert application.identity_number == citizen.public_account.resident_id
    assert application.region_code == "230102"
    assert application.organisation is None
    sealed = bytes(application.sealed_private_key)
    assert b"PRIVATE KEY" not in sealed  # sealed under the server key, not PEM text
    assert application.number.startswith("RA")
    audit = AuditEntry.objects.get(action="trust.certificate_applied")
    assert audit.object_id == application.number
    event = Event.objects.get(event_type="CertificateApplied")
    assert event.payload["number"] == application.number
    assert event.aggregate == f"certificate_application:{application.number}"
    assert "PRIVATE" not in audit.summary
    assert "PRIVATE" not in str(event.payload)


def test_staff_apply_for_themselves_and_for_their_organisation(staff_daoli):
    person = apply_generated(staff_daoli, "person")
    seal = apply_generated(staff_daoli, "org-seal")

    assert person.subject == "CN=李四,O=哈尔滨市道里区人民政府,C=CN"
    assert person.identity_type == "staff"
    assert seal.subject == "CN=哈尔滨市道里区人民政府,O=哈尔滨市道里区人民政府,C=CN"
    assert seal.identity_type == "organisation"
    assert seal.identity_number == "230102-GOV"
    assert person.organisation.code == seal.organisation.code == "230102-GOV"


def test_an_enterprise_applies_for_its_seal(enterprise):
    application = apply_generated(enterprise, "org-seal", "intl")

    assert application.subject == "CN=黑龙江龙江测试有限公司,O=黑龙江龙江测试有限公司,C=CN"
    assert application.identity_type == "credit_code"
    assert application.region_code == "230100"
    assert application.suite == "intl"


@pytest.mark.parametrize("suite_name", ["sm", "intl"])
def test_a_csr_of_ours_is_accepted_and_kept(citizen, suite_name):
    csr, _key = csr_for("CN=张三,C=CN", suite_name)

    application = registration.apply_for_certificate(
        actor=citizen, kind="person", suite_name=suite_name, csr=csr
    )

    assert application.method == "csr"
    assert application.sealed_private_key is None
    assert application.csr_pem.startswith("-----BEGIN CERTIFICATE REQUEST-----")
    assert application.subject == "CN=张三,C=CN"


def test_an_openssl_sm2_csr_with_the_default_id_is_accepted(staff_daoli, tmp_path):
    key = tmp_path / "key.pem"
    assert openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:SM2",
                   "-out", key).returncode == 0  # fmt: skip
    made = openssl(
        "req", "-new", "-key", key, "-sm3", "-sigopt", DISTID, "-utf8",
        "-subj", "/C=CN/O=哈尔滨市道里区人民政府/OU=办公室/CN=李四",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr

    application = registration.apply_for_certificate(
        actor=staff_daoli, kind="person", csr=made.stdout
    )

    assert application.subject == "CN=李四,OU=办公室,O=哈尔滨市道里区人民政府,C=CN"


def refused(user, **kwargs) -> TrustError:
    before = written()
    with pytest.raises(TrustError) as caught:
        registration.apply_for_certificate(actor=user, **kwargs)
    assert written() == before
    return caught.value


def test_malformed_pem_is_refused_naming_the_csr(citizen):
    error = refused(citizen, kind="person", csr="-----BEGIN CERTIFICATE REQUEST-----\nnot base64")
    assert (error.code, error.field) == (ErrorCode.MALFORMED, "csr")
    error = refused(citizen, kind="person", csr="hello")
    assert (error.code, error.field) == (ErrorCode.MALFORMED, "csr")


def test_a_csr_with_a_wrong_signature_is_refused(citizen):
    crypto = suite("sm")
    key, other = crypto.generate_key(), crypto.generate_key()
    der = bytearray(build_request(crypto, key, parse_subject("CN=张三,C=CN")))
    der[-10] ^= 0x01  # flip a bit inside the signature
    error = refused(citizen, kind="person", csr=to_pem(bytes(der), "CERTIFICATE REQUEST"))
    assert error.field == "csr"
    assert error.code in (ErrorCode.BAD_SIGNATURE, ErrorCode.MALFORMED)
    del other


def test_an_openssl_csr_signed_with_another_sm2_id_is_refused(citizen, tmp_path):
    key = tmp_path / "key.pem"
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:SM2", "-out", key)
    made = openssl("req", "-new", "-key", key, "-sm3", "-utf8", "-subj", "/C=CN/CN=张三")
    error = refused(citizen, kind="person", csr=made.stdout)
    assert (error.code, error.field) == (ErrorCode.BAD_SIGNATURE, "csr")


def test_a_csr_for_another_suite_is_refused(citizen):
    csr, _key = csr_for("CN=张三,C=CN", "intl")
    error = refused(citizen, kind="person", suite_name="sm", csr=csr)
    assert error.field == "csr"
    assert "suite" in error.reason


@pytest.mark.parametrize(
    ("subject", "words"),
    [
        ("CN=李四,C=CN", "CN"),
        ("CN=张三,O=黑龙江省人民政府,C=CN", "O"),
        ("CN=张三,C=US", "C"),
        ("CN=张三,SERIALNUMBER=1234,C=CN", "only CN"),
    ],
)
def test_a_csr_naming_someone_else_is_refused(citizen, subject, words):
    csr, _key = csr_for(subject)
    error = refused(citizen, kind="person", csr=csr)
    assert error.field == "csr"
    assert words in error.reason


def test_accounts_apply_only_for_their_kinds(citizen, enterprise):
    assert refused(citizen, kind="org-seal", pkcs12_password=P12_PASSWORD).field == "kind"
    assert refused(enterprise, kind="person", pkcs12_password=P12_PASSWORD).field == "kind"
    assert refused(citizen, kind="server", pkcs12_password=P12_PASSWORD).field == "kind"


def test_method_password_and_suite_are_checked(citizen):
    csr, _key = csr_for("CN=张三,C=CN")
    assert refused(citizen, kind="person").field == "method"
    assert refused(citizen, kind="person", csr=csr, pkcs12_password=P12_PASSWORD).field == "method"
    assert refused(citizen, kind="person", pkcs12_password="short").field == "pkcs12_password"
    assert (
        refused(citizen, kind="person", suite_name="rsa", pkcs12_password=P12_PASSWORD).field
        == "suite"
    )


def test_an_anonymous_or_inactive_user_cannot_apply(clerk_inactive):
    from django.contrib.auth.models import AnonymousUser

    assert (
        refused(AnonymousUser(), kind="person", pkcs12_password=P12_PASSWORD).field == "applicant"
    )
    assert refused(clerk_inactive, kind="person", pkcs12_password=P12_PASSWORD).field == "applicant"
    assert CertificateApplication.objects.count() == 0


def test_at_most_five_applications_wait_at_once(citizen):
    for _ in range(registration.MAX_PENDING):
        apply_generated(citizen)
    error = refused(citizen, kind="person", pkcs12_password=P12_PASSWORD)
    assert error.field == "applicant"
    assert "already waiting" in error.reason
