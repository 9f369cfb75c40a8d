"""``egov ca issue`` and ``issue_certificate`` (签发证书): files, records, audit, refusals."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from egov.core.models import AuditEntry, Event, User
from egov.trust import services
from egov.trust.crypto import suite
from egov.trust.errors import ErrorCode, TrustError
from egov.trust.models import Certificate, CertificateAuthority
from egov.trust.pki.certificates import load_certificate
from egov.trust.tests.conftest import PASSPHRASE, openssl_accepts, x509_text

pytestmark = pytest.mark.django_db
SANS = {"server": ["--san", "dns:www.hlj.gov.cn", "--san", "ip:10.1.2.3"]}


def issue_command(passphrase_file: Path, out: Path, *arguments: str) -> None:
    call_command(
        "ca", "issue", "--passphrase-file", str(passphrase_file), "--out", str(out), *arguments
    )


@pytest.mark.parametrize("suite_name", ["sm", "intl"])
@pytest.mark.parametrize("kind", ["person", "org-seal", "server", "system"])
def test_issue_writes_key_cert_and_chain_that_openssl_accepts(
    request: pytest.FixtureRequest,
    passphrase_file: Path,
    tmp_path: Path,
    suite_name: str,
    kind: str,
) -> None:
    request.getfixturevalue(f"ca_{suite_name}")
    out = tmp_path / "out"
    issue_command(
        passphrase_file, out, "--suite", suite_name, "--kind", kind,
        "--subject", "CN=张三,O=黑龙江省人民政府,C=CN", *SANS.get(kind, []),
    )  # fmt: skip
    cert_pem = (out / "cert.pem").read_text()
    chain_pem = (out / "chain.pem").read_text()
    assert stat.S_IMODE((out / "key.pem").stat().st_mode) == 0o600
    key = suite(suite_name).load_private_key_pem((out / "key.pem").read_bytes())
    assert (out / "key.pem").read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")  # PKCS#8
    parsed = load_certificate(cert_pem)
    assert parsed.public_key_der == suite(suite_name).public_key_der(key)
    assert openssl_accepts(tmp_path, cert_pem, chain_pem, suite_name)
    record = Certificate.objects.get()
    assert (record.serial, record.kind, record.suite) == (parsed.serial_hex, kind, suite_name)
    assert record.subject == "CN=张三,O=黑龙江省人民政府,C=CN"
    assert record.certificate_pem == cert_pem
    assert record.status == "good"


def test_certificate_text_shows_chinese_subject_and_crl_url(
    ca_sm: CertificateAuthority, passphrase_file: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("EGOV_PUBLIC_URL", "https://zwfw.hlj.gov.cn/")
    issue_command(passphrase_file, tmp_path / "o", "--kind", "person", "--subject", "CN=张三,C=CN")
    text = x509_text(tmp_path, (tmp_path / "o" / "cert.pem").read_text())
    assert "Subject: C=CN, CN=张三" in text
    assert "Issuer: C=CN, O=黑龙江省人民政府, CN=黑龙江省电子政务签发CA" in text
    assert "URI:https://zwfw.hlj.gov.cn/trust/crl/sm.crl" in text


def test_serials_are_random_128_bit_and_unique(ca_sm: CertificateAuthority) -> None:
    key = suite("sm").public_key_der(suite("sm").generate_key())
    serials = {
        services.issue_certificate(
            actor="ra", suite_name="sm", kind="system", subject=f"CN=系统{n}",
            public_key_der=key, passphrase=PASSPHRASE,
        ).serial
        for n in range(8)
    }  # fmt: skip
    assert len(serials) == 8
    assert all(0 < int(s, 16) < 2**128 for s in serials)
    assert max(int(s, 16) for s in serials) > 2**100  # random, not counted up


def test_issue_is_audited_without_the_private_key(
    ca_sm: CertificateAuthority, passphrase_file: Path, tmp_path: Path, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    issue_command(passphrase_file, tmp_path / "o", "--kind", "person", "--subject", "CN=张三,C=CN")
    record = Certificate.objects.get()
    entry = AuditEntry.objects.get(action="trust.certificate_issued")
    assert entry.object_id == record.serial
    assert "CN=张三,C=CN" in entry.summary
    event = Event.objects.get(event_type="CertificateIssued")
    assert event.aggregate == f"certificate:{record.serial}"
    assert (event.payload["serial"], event.payload["kind"]) == (record.serial, "person")
    assert "PRIVATE KEY" not in str(event.payload)
    key_body = "".join((tmp_path / "o" / "key.pem").read_text().splitlines()[1:-1])
    for text in [*AuditEntry.objects.values_list("summary", flat=True), caplog.text]:
        assert key_body[:40] not in text
        assert "PRIVATE KEY" not in text


def test_holder_and_organisation_are_recorded(
    ca_sm: CertificateAuthority, ra_officer_province: User, citizen: User
) -> None:
    organisation = ra_officer_province.staff.organisation
    key = suite("sm").public_key_der(suite("sm").generate_key())
    record = services.issue_certificate(
        actor=ra_officer_province, suite_name="sm", kind="person", subject="CN=张三,C=CN",
        public_key_der=key, passphrase=PASSPHRASE, holder=citizen,
        organisation=organisation, days=30,
    )  # fmt: skip
    assert (record.holder, record.organisation) == (citizen, organisation)
    assert (record.not_after - record.not_before).days == 30
    entry = AuditEntry.objects.get(action="trust.certificate_issued")
    assert (entry.actor, entry.organisation) == ("ra_officer_province", organisation.code)


def test_command_records_holder_and_organisation(
    ca_sm: CertificateAuthority, citizen: User, make_organisation, passphrase_file: Path,
    tmp_path: Path,
) -> None:  # fmt: skip
    organisation = make_organisation("230102-GOV")
    issue_command(
        passphrase_file, tmp_path / "o", "--kind", "person", "--subject", "CN=张三,C=CN",
        "--holder", citizen.username, "--organisation", "230102-GOV",
    )  # fmt: skip
    record = Certificate.objects.get()
    assert (record.holder, record.organisation) == (citizen, organisation)


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"kind": "robot"}, "kind"),
        ({"subject": "O=无名"}, "subject"),
        ({"subject": "CN=张三,C=中国"}, "subject"),
        ({"passphrase": "wrong passphrase!"}, "passphrase"),
        ({"passphrase": None}, "passphrase"),
        ({"days": 0}, "days"),
        ({"days": 100_000}, "days"),
        ({"suite_name": "intl"}, "public_key"),
        ({"kind": "server"}, "san"),
        ({"kind": "server", "sans": ["dns:bad..name"]}, "san"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(
    ca_sm: CertificateAuthority, ca_intl: CertificateAuthority, arguments: dict, field: str
) -> None:
    audit_before = AuditEntry.objects.count()
    crl_numbers = list(CertificateAuthority.objects.values_list("crl_number", flat=True))
    values = {
        "actor": "ra",
        "suite_name": "sm",
        "kind": "person",
        "subject": "CN=张三,C=CN",
        "public_key_der": suite("sm").public_key_der(suite("sm").generate_key()),
        "passphrase": PASSPHRASE,
    } | arguments
    with pytest.raises(TrustError) as caught:
        services.issue_certificate(**values)
    assert caught.value.field == field
    assert not Certificate.objects.exists()
    assert not Event.objects.exists()
    assert AuditEntry.objects.count() == audit_before
    assert list(CertificateAuthority.objects.values_list("crl_number", flat=True)) == crl_numbers


def off_curve_key() -> bytes:
    """An SM2 SubjectPublicKeyInfo whose point is not on the curve."""
    der = bytearray(suite("sm").public_key_der(suite("sm").generate_key()))
    der[-1] ^= 0x01  # change y: (x, y') is not a curve point
    return bytes(der)


@pytest.mark.parametrize(
    "public_key_der", [b"not a key", off_curve_key()], ids=["garbage", "off-curve"]
)
def test_unusable_public_key_is_refused(ca_sm: CertificateAuthority, public_key_der: bytes) -> None:
    with pytest.raises(TrustError) as caught:
        services.issue_certificate(
            actor="ra", suite_name="sm", kind="person", subject="CN=张三",
            public_key_der=public_key_der, passphrase=PASSPHRASE,
        )  # fmt: skip
    assert (caught.value.field, caught.value.code) == ("public_key", ErrorCode.MALFORMED)
    assert not Certificate.objects.exists()


def test_wrong_passphrase_has_its_own_code(ca_sm: CertificateAuthority) -> None:
    with pytest.raises(TrustError) as caught:
        services.issue_certificate(
            actor="ra", suite_name="sm", kind="person", subject="CN=张三",
            public_key_der=suite("sm").public_key_der(suite("sm").generate_key()),
            passphrase="not the passphrase",
        )  # fmt: skip
    assert caught.value.code == ErrorCode.WRONG_PASSPHRASE


def test_issue_before_init_is_refused(db: None) -> None:
    with pytest.raises(TrustError) as caught:
        services.issue_certificate(
            actor="ra", suite_name="sm", kind="person", subject="CN=张三",
            public_key_der=suite("sm").public_key_der(suite("sm").generate_key()),
            passphrase=PASSPHRASE,
        )  # fmt: skip
    assert caught.value.code == ErrorCode.NO_CA
    assert not Certificate.objects.exists()


def test_command_refuses_to_overwrite_and_writes_nothing(
    ca_sm: CertificateAuthority, passphrase_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "o"
    out.mkdir()
    (out / "key.pem").write_text("an earlier key")
    with pytest.raises(CommandError, match=r"already holds key\.pem"):
        issue_command(passphrase_file, out, "--kind", "person", "--subject", "CN=张三")
    assert (out / "key.pem").read_text() == "an earlier key"
    assert not (out / "cert.pem").exists()
    assert not Certificate.objects.exists()


def test_command_failure_in_writing_rolls_back(
    ca_sm: CertificateAuthority, passphrase_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "o"
    out.mkdir()
    (out / "chain.pem").symlink_to(tmp_path / "missing-directory" / "chain.pem")
    audit_before = AuditEntry.objects.count()
    with pytest.raises(CommandError, match="out: cannot write"):
        issue_command(passphrase_file, out, "--kind", "person", "--subject", "CN=张三")
    assert not Certificate.objects.exists()
    assert AuditEntry.objects.count() == audit_before
    assert not (out / "key.pem").exists()
    assert not (out / "cert.pem").exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--kind", "robot", "--subject", "CN=张三"], "kind: unknown kind 'robot'"),
        (["--kind", "person"], "subject: required"),
        (["--kind", "person", "--subject", "CN=张三", "--holder", "nobody"], "holder: no user"),
        (["--kind", "person", "--subject", "CN=张三", "--organisation", "X"], "organisation: no"),
        (["--kind", "person", "--csr", "/nonexistent.csr"], "csr: cannot read"),
    ],
)
def test_command_errors_name_the_field(
    ca_sm: CertificateAuthority,
    passphrase_file: Path,
    tmp_path: Path,
    arguments: list,
    message: str,
) -> None:
    with pytest.raises(CommandError, match=message):
        issue_command(passphrase_file, tmp_path / "o", *arguments)
    assert not Certificate.objects.exists()
