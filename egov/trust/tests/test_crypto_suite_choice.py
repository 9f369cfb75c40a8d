"""Choosing a suite per deployment, and what each suite says about itself."""

from __future__ import annotations

import subprocess
import sys

import pytest

from egov.trust.crypto import (
    InternationalSuite,
    NationalSuite,
    UnsupportedOperationError,
    suite,
)


def test_default_is_the_national_suite(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EGOV_CRYPTO_SUITE", raising=False)
    assert isinstance(suite(), NationalSuite)
    assert suite().name == "sm"


def test_deployment_can_choose_the_international_suite(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EGOV_CRYPTO_SUITE", "intl")
    assert isinstance(suite(), InternationalSuite)
    assert suite("sm").name == "sm"  # a named suite ignores the deployment default


def test_unknown_suite_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(UnsupportedOperationError) as error:
        suite("rsa")
    assert error.value.field == "suite"
    assert "sm, intl" in error.value.reason
    monkeypatch.setenv("EGOV_CRYPTO_SUITE", "des")
    with pytest.raises(UnsupportedOperationError):
        suite()


def test_suites_describe_their_algorithms_for_certificates() -> None:
    sm, intl = suite("sm"), suite("intl")
    assert (sm.signature_algorithm_oid, sm.digest_name) == ("1.2.156.10197.1.501", "SM3")
    assert (intl.signature_algorithm_oid, intl.digest_name) == ("1.2.840.10045.4.3.2", "SHA-256")
    assert sm.signature_algorithm_name == "SM2-with-SM3"
    assert intl.signature_algorithm_name == "ecdsa-with-SHA256"


def test_crypto_package_imports_no_django() -> None:
    code = (
        "import sys, egov.trust.crypto as c; c.suite('sm').generate_key();"
        "sys.exit(1 if any(m == 'django' or m.startswith('django.') for m in sys.modules) else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)  # noqa: S603
    assert result.returncode == 0, result.stderr.decode()
