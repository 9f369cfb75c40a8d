"""Fixtures for the CA and certificate tests: a CA per suite and the openssl command line."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from egov.trust import services
from egov.trust.models import CertificateAuthority

PASSPHRASE = "ca-passphrase-for-tests-only"
OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"  # Debian package `openssl`
DISTID = "distid:1234567812345678"
ROOT_SUBJECT = "CN=黑龙江省电子政务根CA,O=黑龙江省人民政府,C=CN"
ISSUING_SUBJECT = "CN=黑龙江省电子政务签发CA,O=黑龙江省人民政府,C=CN"


# Subcommands whose certificate checks take ``-attime``: the openssl command line
# reads the real clock, so it is told the test's moment (EGOV_TEST_TODAY, time-machine).
CHECKS_CERTIFICATES_AT = {("verify",), ("cms", "-verify")}


def at_test_moment(args: list[str]) -> list[str]:
    """``args`` with ``-attime <now>`` after the subcommand when it checks certificate validity."""
    if tuple(args[:1]) in CHECKS_CERTIFICATES_AT or tuple(args[:2]) in CHECKS_CERTIFICATES_AT:
        return [args[0], "-attime", str(int(time.time())), *args[1:]]
    return args


def openssl(*args: str | Path, input: bytes | None = None) -> subprocess.CompletedProcess:
    """Run the openssl command line; returns the finished process (text output)."""
    result = subprocess.run(  # noqa: S603 - fixed program, arguments from the test
        [OPENSSL, *at_test_moment([str(a) for a in args])],
        input=input,
        capture_output=True,
        check=False,
        timeout=60,
    )
    return subprocess.CompletedProcess(
        result.args,
        result.returncode,
        result.stdout.decode("utf-8", "replace"),
        result.stderr.decode("utf-8", "replace"),
    )


def split_pem(chain: str) -> list[str]:
    marker = "-----END CERTIFICATE-----"
    return [block.strip() + "\n" + marker + "\n" for block in chain.split(marker) if block.strip()]


def openssl_accepts(directory: Path, cert_pem: str, chain_pem: str, suite: str) -> bool:
    """Does ``openssl verify`` accept ``cert_pem`` under root+issuing ``chain_pem``?

    SM2: OpenSSL 3.0 applies ``-vfyopt distid:…`` only to the certificate named on
    the command line, so the chain is checked link by link: root -> issuing, then
    issuing -> certificate with the issuing CA as a partial-chain anchor.
    """
    issuing, root = split_pem(chain_pem)
    paths = {"cert": cert_pem, "issuing": issuing, "root": root, "chain": chain_pem}
    for name, text in paths.items():
        (directory / f"{name}.pem").write_text(text, encoding="ascii")
    if suite == "intl":
        result = openssl("verify", "-CAfile", directory / "chain.pem", directory / "cert.pem")
        return result.returncode == 0 and result.stdout.strip().endswith("OK")
    link = openssl(
        "verify", "-vfyopt", DISTID, "-CAfile", directory / "root.pem", directory / "issuing.pem"
    )
    leaf = openssl(
        "verify",
        "-vfyopt",
        DISTID,
        "-partial_chain",
        "-CAfile",
        directory / "chain.pem",
        directory / "cert.pem",
    )
    return all(r.returncode == 0 and r.stdout.strip().endswith("OK") for r in (link, leaf))


def x509_text(directory: Path, cert_pem: str) -> str:
    path = directory / "shown.pem"
    path.write_text(cert_pem, encoding="ascii")
    result = openssl("x509", "-in", path, "-noout", "-text", "-nameopt", "utf8")
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def ca_sm(db: None) -> CertificateAuthority:
    """The national-suite issuing CA (its root is ``.parent``)."""
    return services.initialise_ca(
        actor="ca-officer",
        suite_name="sm",
        passphrase=PASSPHRASE,
        root_subject=ROOT_SUBJECT,
        issuing_subject=ISSUING_SUBJECT,
    )[1]


@pytest.fixture
def ca_intl(db: None) -> CertificateAuthority:
    """The international-suite issuing CA."""
    return services.initialise_ca(actor="ca-officer", suite_name="intl", passphrase=PASSPHRASE)[1]


@pytest.fixture
def passphrase_file(tmp_path: Path) -> Path:
    path = tmp_path / "ca-passphrase"
    path.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return path


@pytest.fixture
def tsa_intl(ca_intl: CertificateAuthority):
    """The international-suite time-stamping unit, certified by ``ca_intl``."""
    from egov.trust.tsa.services import set_up_time_stamping

    return set_up_time_stamping(actor="ca-officer", suite_name="intl", passphrase=PASSPHRASE)


@pytest.fixture
def tsa_sm(ca_sm: CertificateAuthority):
    """The national-suite time-stamping unit, certified by ``ca_sm``."""
    from egov.trust.tsa.services import set_up_time_stamping

    return set_up_time_stamping(actor="ca-officer", suite_name="sm", passphrase=PASSPHRASE)
