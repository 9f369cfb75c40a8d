"""RA review (证书审核): officers in scope approve or reject; four-eyes; refusals write nothing."""

from __future__ import annotations

import pytest

from egov.core.models import AuditEntry, Event
from egov.core.testing import make_staff
from egov.trust import registration, selectors
from egov.trust.errors import ErrorCode, TrustError
from egov.trust.models import Certificate
from egov.trust.tests.conftest import PASSPHRASE
from egov.trust.tests.ra_support import (
    apply_generated,
    csr_for,
    ra_officer,
    staff_daoli,
    written,
)

__all__ = ["ra_officer", "staff_daoli"]
CHECKED = "核验居民身份证原件，人像比对一致"


def approve(officer, number, **kwargs):
    values = {"identity_check": CHECKED, "passphrase": PASSPHRASE} | kwargs
    return registration.approve_application(actor=officer, number=number, **values)


def test_the_officer_sees_pending_applications_in_scope(
    ca_sm, citizen, staff_daoli, ra_officer, ra_officer_harbin, ra_officer_qiqihar
):
    by_citizen = apply_generated(citizen)
    by_staff = apply_generated(staff_daoli, "org-seal")

    province = set(registration.reviewable(ra_officer).values_list("number", flat=True))
    harbin = set(registration.reviewable(ra_officer_harbin).values_list("number", flat=True))
    assert province == harbin == {by_citizen.number, by_staff.number}
    assert not registration.reviewable(ra_officer_qiqihar).exists()
    assert not registration.reviewable(staff_daoli).exists()


def test_approval_issues_the_certificate_to_the_applicant(ca_sm, citizen, ra_officer):
    application = apply_generated(citizen)

    approved = approve(ra_officer, application.number, note="材料齐全")

    certificate = approved.certificate
    assert approved.status == "issued"
    assert approved.decided_by == ra_officer
    assert approved.identity_check == CHECKED
    assert certificate.holder == citizen
    assert certificate.kind == "person"
    assert certificate.subject == "CN=张三,C=CN"
    assert selectors.verify_certificate(certificate.certificate_pem) == certificate
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert "trust.certificate_issued" in actions
    assert "trust.certificate_application_approved" in actions
    types = set(Event.objects.values_list("event_type", flat=True))
    assert {"CertificateApplied", "CertificateIssued", "CertificateApplicationApproved"} <= types


def test_a_csr_application_is_issued_for_the_requested_key(ca_intl, citizen, ra_officer):
    csr, key = csr_for("CN=张三,C=CN", "intl")
    application = registration.apply_for_certificate(
        actor=citizen, kind="person", suite_name="intl", csr=csr
    )

    certificate = approve(ra_officer, application.number).certificate

    from egov.trust.pki.certificates import load_certificate

    assert load_certificate(certificate.certificate_pem).public_key_der == (
        key.public_key().to_der()
    )


def test_an_organisation_seal_is_issued_to_its_organisation(ca_sm, staff_daoli, ra_officer_harbin):
    application = apply_generated(staff_daoli, "org-seal")

    certificate = approve(ra_officer_harbin, application.number).certificate

    assert certificate.kind == "org-seal"
    assert certificate.organisation.code == "230102-GOV"


def test_rejection_records_the_reason_and_erases_the_key(ca_sm, citizen, ra_officer):
    application = apply_generated(citizen)

    rejected = registration.reject_application(
        actor=ra_officer, number=application.number, reason="身份证件与申请人不符"
    )

    assert rejected.status == "rejected"
    assert rejected.decision_reason == "身份证件与申请人不符"
    assert rejected.sealed_private_key is None
    assert rejected.certificate is None
    assert Event.objects.filter(event_type="CertificateApplicationRejected").exists()
    assert AuditEntry.objects.filter(action="trust.certificate_application_rejected").exists()


def refused(call, **kwargs) -> TrustError:
    before = written()
    with pytest.raises(TrustError) as caught:
        call(**kwargs)
    assert written() == before
    return caught.value


def test_nobody_approves_their_own_application(ca_sm):
    officer = make_staff("ra_officer_self", "230000-GOV", roles=["ra_officer"], display_name="王五")
    application = apply_generated(officer)

    error = refused(approve, officer=officer, number=application.number)
    assert (error.code, error.field) == (ErrorCode.OWN_APPLICATION, "number")
    assert "four-eyes" in error.reason
    error = refused(
        registration.reject_application, actor=officer, number=application.number, reason="x"
    )
    assert error.code == ErrorCode.OWN_APPLICATION


def test_approve_twice_or_after_rejection_is_refused(ca_sm, citizen, ra_officer, ra_officer_harbin):
    first = apply_generated(citizen)
    approve(ra_officer, first.number)
    error = refused(approve, officer=ra_officer_harbin, number=first.number)
    assert (error.code, error.field) == (ErrorCode.NOT_PENDING, "number")

    second = apply_generated(citizen)
    registration.reject_application(actor=ra_officer, number=second.number, reason="材料不全")
    error = refused(approve, officer=ra_officer, number=second.number)
    assert error.code == ErrorCode.NOT_PENDING
    error = refused(
        registration.reject_application, actor=ra_officer, number=second.number, reason="again"
    )
    assert error.code == ErrorCode.NOT_PENDING


def test_unknown_and_out_of_scope_applications_are_not_found_alike(
    ca_sm, citizen, ra_officer_qiqihar, staff_daoli
):
    application = apply_generated(citizen)
    for officer, number in [
        (ra_officer_qiqihar, "RA20260101000000"),
        (ra_officer_qiqihar, application.number),
        (staff_daoli, application.number),
    ]:
        error = refused(approve, officer=officer, number=number)
        assert (error.code, error.field) == (ErrorCode.NOT_FOUND, "number")


def test_the_identity_check_and_reason_are_required(ca_sm, citizen, ra_officer):
    application = apply_generated(citizen)
    error = refused(approve, officer=ra_officer, number=application.number, identity_check="  ")
    assert error.field == "identity_check"
    error = refused(
        registration.reject_application, actor=ra_officer, number=application.number, reason=""
    )
    assert error.field == "reason"


def test_a_wrong_ca_passphrase_issues_nothing(ca_sm, citizen, ra_officer):
    application = apply_generated(citizen)

    error = refused(
        approve, officer=ra_officer, number=application.number, passphrase="wrong-passphrase"
    )

    assert (error.code, error.field) == (ErrorCode.WRONG_PASSPHRASE, "passphrase")
    application.refresh_from_db()
    assert application.status == "pending"
    assert not Certificate.objects.exists()


def test_no_ca_for_the_suite_is_refused(ca_sm, citizen, ra_officer):
    application = apply_generated(citizen, suite_name="intl")
    error = refused(approve, officer=ra_officer, number=application.number)
    assert (error.code, error.field) == (ErrorCode.NO_CA, "suite")
