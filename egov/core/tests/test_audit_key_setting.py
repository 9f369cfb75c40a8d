"""The audit key: generated once and kept private, or given; too short a key is refused.

The production-settings cases load ``egov.settings`` in a fresh interpreter, as
a deployment would, rather than the test settings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from egov.core.selectors.audit import audit_key

PROBE = """
import json
from django.conf import settings
print(json.dumps({
    "key": settings.EGOV_AUDIT_KEY,
    "checkpoint_dir": str(settings.EGOV_AUDIT_CHECKPOINT_DIR),
}))
"""


def production_settings(var_dir: Path, **environment: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EGOV_")}
    env |= {"DJANGO_SETTINGS_MODULE": "egov.settings", "EGOV_VAR_DIR": str(var_dir)}
    env |= environment
    result = subprocess.run(  # noqa: S603  our own interpreter and code
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def test_without_a_configured_key_one_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    first = production_settings(tmp_path)
    second = production_settings(tmp_path)
    key_file = tmp_path / "audit_key"
    assert first["key"] == second["key"] == key_file.read_text(encoding="utf-8")
    assert len(bytes.fromhex(first["key"])) == 32
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert list(tmp_path.glob(".audit_key.*")) == []
    assert first["checkpoint_dir"] == str(tmp_path / "audit-checkpoints")


def test_the_key_and_the_checkpoint_directory_can_be_given(tmp_path: Path) -> None:
    key_file = tmp_path / "mounted-secret"
    key_file.write_text("s" * 40 + "\n", encoding="utf-8")
    found = production_settings(
        tmp_path / "var",
        EGOV_AUDIT_KEY_FILE=str(key_file),
        EGOV_AUDIT_CHECKPOINT_DIR=str(tmp_path / "worm"),
    )
    assert found == {"key": "s" * 40, "checkpoint_dir": str(tmp_path / "worm")}
    assert not (tmp_path / "var" / "audit_key").exists()


def test_a_short_key_is_refused(settings: Any) -> None:
    settings.EGOV_AUDIT_KEY = "too-short"
    with pytest.raises(ImproperlyConfigured, match="at least 32 bytes"):
        audit_key()
