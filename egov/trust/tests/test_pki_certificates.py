"""Building X.509 v3 certificates with asn1crypto, checked by the openssl command line.

No database: the pure ``egov.trust.pki`` package only.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from asn1crypto import x509

from egov.trust.crypto import PrivateKey, suite
from egov.trust.errors import ErrorCode, TrustError
from egov.trust.pki.certificates import (
    build_certificate,
    ca_extensions,
    end_entity_extensions,
    load_certificate,
    normalise_serial,
)
from egov.trust.pki.encoding import to_pem
from egov.trust.pki.names import parse_subject
from egov.trust.pki.profiles import POLICY_ARC, Kind
from egov.trust.tests.conftest import DISTID, openssl, openssl_accepts, x509_text

# Clock read on purpose: certificates and CRLs valid from the moment the tests run
# (EGOV_TEST_TODAY included); openssl checks them at that moment too (-attime).
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
CRL_URL = "http://127.0.0.1:8000/trust/crl/sm.crl"


class Chain:
    """A root, an issuing CA it signed, and helpers to issue end entities."""

    def __init__(self, suite_name: str, label: str = "根") -> None:
        self.crypto = suite(suite_name)
        self.root_key = self.crypto.generate_key()
        self.issuing_key = self.crypto.generate_key()
        self.root_name = parse_subject(f"CN=测试{label}CA,O=黑龙江省人民政府,C=CN")
        self.issuing_name = parse_subject(f"CN=测试{label}签发CA,O=黑龙江省人民政府,C=CN")
        self.root = self.ca(self.root_key, self.root_name, self.root_key, self.root_name, 1)
        self.issuing = self.ca(
            self.issuing_key, self.issuing_name, self.root_key, self.root_name, 0
        )

    def ca(
        self, key: PrivateKey, name: x509.Name, signer: PrivateKey, issuer: x509.Name, path: int
    ) -> bytes:
        public = self.crypto.public_key_der(key)
        return build_certificate(
            self.crypto,
            signing_key=signer,
            serial=0x1234 + path,
            subject=name,
            issuer=issuer,
            public_key_der=public,
            not_before=NOW,
            not_after=NOW + dt.timedelta(days=3650),
            extensions=ca_extensions(
                self.crypto,
                public_key_der=public,
                issuer_key_der=self.crypto.public_key_der(signer),
                path_length=path,
            ),
        )

    def issue(self, kind: Kind, sans: tuple[str, ...] = (), days: int = 365) -> bytes:
        public = self.crypto.public_key_der(self.crypto.generate_key())
        return build_certificate(
            self.crypto,
            signing_key=self.issuing_key,
            serial=0xABCDEF0123456789,
            subject=parse_subject("CN=张三,O=黑龙江省人民政府,C=CN"),
            issuer=self.issuing_name,
            public_key_der=public,
            not_before=NOW,
            not_after=NOW + dt.timedelta(days=days),
            extensions=end_entity_extensions(
                self.crypto,
                kind=kind,
                public_key_der=public,
                issuer_key_der=self.crypto.public_key_der(self.issuing_key),
                crl_url=CRL_URL,
                sans=sans,
            ),
        )

    @property
    def chain_pem(self) -> str:
        return to_pem(self.issuing, "CERTIFICATE") + to_pem(self.root, "CERTIFICATE")


SANS = {Kind.SERVER: ("dns:www.hlj.gov.cn", "ip:10.1.2.3")}


@pytest.mark.parametrize("suite_name", ["sm", "intl"])
@pytest.mark.parametrize("kind", list(Kind))
def test_openssl_verifies_every_kind(tmp_path: Path, suite_name: str, kind: Kind) -> None:
    chain = Chain(suite_name)
    cert = to_pem(chain.issue(kind, SANS.get(kind, ())), "CERTIFICATE")
    assert openssl_accepts(tmp_path, cert, chain.chain_pem, suite_name)


@pytest.mark.parametrize("suite_name", ["sm", "intl"])
def test_openssl_refuses_a_certificate_from_another_ca(tmp_path: Path, suite_name: str) -> None:
    ours, theirs = Chain(suite_name), Chain(suite_name)  # same names, other keys
    cert = to_pem(theirs.issue(Kind.PERSON), "CERTIFICATE")
    assert not openssl_accepts(tmp_path, cert, ours.chain_pem, suite_name)
    assert not load_certificate(cert).signed_by(ours.crypto.public_key_der(ours.issuing_key))


def test_sm2_certificate_carries_sm2_key_and_sm2_with_sm3_signature(tmp_path: Path) -> None:
    chain = Chain("sm")
    text = x509_text(tmp_path, to_pem(chain.issue(Kind.PERSON), "CERTIFICATE"))
    assert text.count("Signature Algorithm: SM2-with-SM3") == 2
    assert "ASN1 OID: SM2" in text
    assert "Version: 3 (0x2)" in text
    parsed = load_certificate(chain.issue(Kind.PERSON))
    assert parsed.signature_oid == "1.2.156.10197.1.501"
    assert parsed.suite_name == "sm"


def test_root_self_signature_verifies_with_openssl_pkeyutl(tmp_path: Path) -> None:
    """OpenSSL 3.0's verify cannot check a trusted SM2 root's own signature with the
    distid, so the TBS and signature are checked with pkeyutl."""
    chain = Chain("sm")
    root = load_certificate(chain.root)
    (tmp_path / "tbs.der").write_bytes(root.tbs_der)
    (tmp_path / "sig.der").write_bytes(root.signature)
    (tmp_path / "pub.pem").write_bytes(chain.crypto.public_key_pem(chain.root_key))
    args = ["pkeyutl", "-verify", "-pubin", "-inkey", tmp_path / "pub.pem", "-rawin"]
    args += ["-digest", "sm3", "-pkeyopt", DISTID, "-in", tmp_path / "tbs.der"]
    result = openssl(*args, "-sigfile", tmp_path / "sig.der")
    assert "Signature Verified Successfully" in result.stdout, result.stderr
    (tmp_path / "sig.der").write_bytes(load_certificate(chain.issuing).signature)
    assert (
        "Signature Verified Successfully"
        not in openssl(*args, "-sigfile", tmp_path / "sig.der").stdout
    )


SIGNING = "Digital Signature, Non Repudiation\n"
CLIENT_AND_SERVER = "TLS Web Client Authentication, TLS Web Server Authentication"
PROFILES = [
    ("sm", Kind.PERSON, SIGNING, "Client Authentication, E-mail Protection"),
    ("intl", Kind.PERSON, "Digital Signature, Non Repudiation, Key Encipherment", "E-mail"),
    ("sm", Kind.ORG_SEAL, SIGNING, "1.3.6.1.5.5.7.3.36"),
    ("sm", Kind.SERVER, "Digital Signature, Key Encipherment, Key Agreement", "Server Auth"),
    ("sm", Kind.SYSTEM, "Digital Signature\n", CLIENT_AND_SERVER),
]


@pytest.mark.parametrize(("suite_name", "kind", "usage", "extended"), PROFILES)
def test_extensions_by_kind(
    tmp_path: Path, suite_name: str, kind: Kind, usage: str, extended: str
) -> None:
    chain = Chain(suite_name)
    text = x509_text(tmp_path, to_pem(chain.issue(kind, SANS.get(kind, ())), "CERTIFICATE"))
    assert "X509v3 Basic Constraints: critical\n                CA:FALSE" in text
    assert f"X509v3 Key Usage: critical\n                {usage}" in text
    assert extended in text.split("X509v3 Extended Key Usage:")[1].split("X509v3")[0]
    assert f"URI:{CRL_URL}" in text
    policies = list(Kind).index(kind) + 1
    assert f"Policy: {POLICY_ARC}.1.{policies}" in text
    assert "X509v3 Subject Key Identifier" in text
    assert "X509v3 Authority Key Identifier" in text


def test_server_certificate_lists_its_names(tmp_path: Path) -> None:
    text = x509_text(
        tmp_path, to_pem(Chain("sm").issue(Kind.SERVER, SANS[Kind.SERVER]), "CERTIFICATE")
    )
    assert "DNS:www.hlj.gov.cn, IP Address:10.1.2.3" in text


def test_ca_extensions_and_key_identifiers_link_up(tmp_path: Path) -> None:
    chain = Chain("sm")
    root_text = x509_text(tmp_path, to_pem(chain.root, "CERTIFICATE"))
    issuing_text = x509_text(tmp_path, to_pem(chain.issuing, "CERTIFICATE"))
    assert "CA:TRUE, pathlen:1" in root_text
    assert "CA:TRUE, pathlen:0" in issuing_text
    assert "X509v3 Key Usage: critical\n                Certificate Sign, CRL Sign" in issuing_text
    assert "Policy: X509v3 Any Policy" in issuing_text
    root, issuing = load_certificate(chain.root), load_certificate(chain.issuing)
    leaf = load_certificate(chain.issue(Kind.PERSON))
    assert issuing.authority_key_id == root.subject_key_id
    assert leaf.authority_key_id == issuing.subject_key_id
    assert issuing.is_ca
    assert not leaf.is_ca
    assert leaf.issuer == "CN=测试根签发CA,O=黑龙江省人民政府,C=CN"
    assert leaf.subject == "CN=张三,O=黑龙江省人民政府,C=CN"


def test_dates_from_2050_are_generalized_time() -> None:
    chain = Chain("intl")
    cert = x509.Certificate.load(chain.issue(Kind.PERSON, days=30 * 365))
    validity = cert["tbs_certificate"]["validity"]
    assert validity["not_before"].name == "utc_time"
    assert validity["not_after"].name == "general_time"
    assert load_certificate(cert.dump()).not_after.year >= 2050


@pytest.mark.parametrize(
    ("sans", "reason_part"),
    [
        ((), "needs at least one dns: or ip:"),
        (("email:a@b.cn",), "needs at least one dns: or ip:"),
        (("dns:",), "TYPE:value"),
        (("ip:999.1.1.1",), "not an IP address"),
        (("fax:123",), "unknown name type"),
        (("email:no-at-sign",), "not an e-mail address"),
    ],
)
def test_bad_names_for_a_server_are_refused(sans: tuple[str, ...], reason_part: str) -> None:
    with pytest.raises(TrustError) as caught:
        Chain("sm").issue(Kind.SERVER, sans)
    assert caught.value.field == "san"
    assert reason_part in caught.value.reason


def test_key_of_the_other_suite_is_refused() -> None:
    chain = Chain("sm")
    intl_key = suite("intl").public_key_der(suite("intl").generate_key())
    with pytest.raises(TrustError) as caught:
        build_certificate(
            chain.crypto,
            signing_key=chain.issuing_key,
            serial=1,
            subject=chain.issuing_name,
            issuer=chain.issuing_name,
            public_key_der=intl_key,
            not_before=NOW,
            not_after=NOW + dt.timedelta(days=1),
            extensions=[],
        )
    assert caught.value.field == "public_key"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("00AB:cd", "abcd"), ("0", "0"), (" 7f ", "7f"), ("0x1", None), ("", None)],
)
def test_serials_are_normalised_or_refused(text: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(TrustError) as caught:
            normalise_serial(text)
        assert (caught.value.field, caught.value.code) == ("serial", ErrorCode.INVALID_INPUT)
    else:
        assert normalise_serial(text) == expected
