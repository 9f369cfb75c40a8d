"""``egov ca tsa`` sets up the time-stamp authority of a suite (建立时间戳服务)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from egov.trust.models import CertificateAuthority, TimeStampingUnit


def test_command_sets_up_the_tsa(ca_intl: CertificateAuthority, passphrase_file: Path) -> None:
    out = StringIO()
    call_command(
        "ca", "tsa", "--suite", "intl", "--passphrase-file", str(passphrase_file), stdout=out
    )
    unit = TimeStampingUnit.objects.get(suite="intl", is_active=True)
    assert unit.certificate.serial in out.getvalue()
    assert unit.certificate.subject == "CN=电子政务时间戳服务,O=电子政务平台,C=CN"


def test_command_without_ca_refuses_and_writes_nothing(db: None, passphrase_file: Path) -> None:
    with pytest.raises(CommandError, match="egov ca init"):
        call_command("ca", "tsa", "--suite", "sm", "--passphrase-file", str(passphrase_file))
    assert not TimeStampingUnit.objects.exists()
