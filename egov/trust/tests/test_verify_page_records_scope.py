"""The signature records page (签名记录): scoped by the auditor's subtree, paged, filtered."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from egov.core.models import User
from egov.core.testing import make_citizen, make_staff
from egov.trust import services, signing
from egov.trust.models import CertificateAuthority, SignatureRecord
from egov.trust.tests.test_verify_page_sign import KEY_PASSPHRASE, PAYLOAD, staff_key


def sign_as(user: User, object_id: str) -> SignatureRecord:
    key_pem, _certificate = staff_key(user)
    signing.sign(
        user=user,
        payload=PAYLOAD,
        private_key_pem=key_pem,
        passphrase=KEY_PASSPHRASE,
        object_type="case",
        object_id=object_id,
    )
    return SignatureRecord.objects.get(object_id=object_id)


def page_of(client: Client, user: User, **query: str) -> str:
    client.force_login(user)
    response = client.get(reverse("trust:signatures"), query)
    assert response.status_code == 200
    return response.content.decode()


def four_records() -> dict[str, SignatureRecord]:
    return {
        "province": sign_as(make_staff("signer_province", "230000-GOV"), "P-001"),
        "daoli": sign_as(make_staff("signer_daoli", "230102-GOV"), "D-001"),
        "qiqihar": sign_as(make_staff("signer_qiqihar", "230200-GOV"), "Q-001"),
        "citizen": sign_as(make_citizen("citizen_wang"), "C-001"),
    }


def test_city_auditor_sees_only_their_subtree(
    client: Client, auditor_harbin: User, ca_sm: CertificateAuthority
) -> None:
    records = four_records()
    page = page_of(client, auditor_harbin)
    assert records["daoli"].serial in page
    for outside in ("province", "qiqihar", "citizen"):
        assert records[outside].serial not in page
        assert records[outside].object_id not in page
    assert "共 1 条" in page


def test_province_auditor_sees_everything(
    client: Client, auditor_province: User, ca_sm: CertificateAuthority
) -> None:
    records = four_records()
    page = page_of(client, auditor_province)
    for record in records.values():
        assert record.serial in page
    assert "共 4 条" in page


def test_pages_of_fifty_newest_first(
    client: Client, auditor_province: User, ca_sm: CertificateAuthority
) -> None:
    first = sign_as(make_staff("signer_many", "230102-GOV"), "M-000")
    base = first.signed_at
    SignatureRecord.objects.bulk_create(
        SignatureRecord(
            signer=first.signer,
            certificate=first.certificate,
            serial=first.serial,
            suite=first.suite,
            digest=first.digest,
            signed_at=base - dt.timedelta(minutes=n),
            object_type="case",
            object_id=f"M-{n:03d}",
            signature_der=first.signature_der,
        )
        for n in range(1, 55)
    )
    page_one = page_of(client, auditor_province)
    assert "第 1 / 2 页" in page_one
    assert "M-000" in page_one
    assert "M-049" in page_one
    assert "M-050" not in page_one
    page_two = page_of(client, auditor_province, page="2")
    assert "M-050" in page_two
    assert "M-054" in page_two
    assert "M-049" not in page_two


def test_filters_by_serial_signer_and_date(
    client: Client, auditor_province: User, ca_sm: CertificateAuthority
) -> None:
    records = four_records()
    daoli = records["daoli"]
    by_serial = page_of(client, auditor_province, serial=daoli.serial[:10].upper())
    assert "D-001" in by_serial
    assert "P-001" not in by_serial
    by_signer = page_of(client, auditor_province, signer="qiqihar")
    assert "Q-001" in by_signer
    assert "D-001" not in by_signer
    # Clock read on purpose: an offset from the code's own now, true on any date.
    SignatureRecord.objects.filter(pk=daoli.pk).update(
        signed_at=timezone.now() - dt.timedelta(days=10)
    )
    # Clock read on purpose: an offset from the code's own now, true on any date.
    today = timezone.localdate().isoformat()
    recent = page_of(client, auditor_province, **{"from": today})
    assert "D-001" not in recent
    assert "P-001" in recent
    # Clock read on purpose: an offset from the code's own now, true on any date.
    earlier = page_of(
        client, auditor_province, to=(timezone.localdate() - dt.timedelta(days=5)).isoformat()
    )
    assert "D-001" in earlier
    assert "P-001" not in earlier
    ignored = page_of(client, auditor_province, **{"from": "not-a-date", "to": "2026-13-45"})
    assert "共 4 条" in ignored


def test_records_are_reverified_on_each_page(
    client: Client, auditor_harbin: User, ca_sm: CertificateAuthority
) -> None:
    records = four_records()
    assert "signature-valid" in page_of(client, auditor_harbin)
    services.revoke_certificate(
        actor="ca-officer", serial=records["daoli"].serial, reason="affiliationChanged"
    )
    assert "signature-signed_by_revoked" in page_of(client, auditor_harbin)
