"""Production settings are safe by default (安全配置): argon2, secure cookies, no default secret.

Each case loads ``egov.settings`` in a fresh interpreter with a chosen
environment, as a deployment would, rather than the test settings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import json
from django.conf import settings
print(json.dumps({
    "hasher": settings.PASSWORD_HASHERS[0],
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "debug": settings.DEBUG,
    "secret_key": settings.SECRET_KEY,
    "axes_limit": settings.AXES_FAILURE_LIMIT,
    "language": settings.LANGUAGE_CODE,
    "time_zone": settings.TIME_ZONE,
}))
"""


def production_settings(var_dir: Path, **environment: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EGOV_")}
    env |= {"DJANGO_SETTINGS_MODULE": "egov.settings", "EGOV_VAR_DIR": str(var_dir)}
    env |= environment
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def test_defaults_are_secure(tmp_path: Path) -> None:
    found = production_settings(tmp_path)
    assert found["hasher"] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert found["session_secure"] is True
    assert found["csrf_secure"] is True
    assert found["debug"] is False
    assert found["axes_limit"] == 5
    assert found["language"] == "zh-hans"
    assert found["time_zone"] == "Asia/Shanghai"


def test_without_a_configured_key_one_is_generated_and_kept_private(tmp_path: Path) -> None:
    first = production_settings(tmp_path)["secret_key"]
    second = production_settings(tmp_path)["secret_key"]
    key_file = tmp_path / "secret_key"
    assert first == second == key_file.read_text(encoding="utf-8").strip()
    assert len(first) >= 50
    assert key_file.stat().st_mode & 0o077 == 0
    other_machine = production_settings(tmp_path / "elsewhere")["secret_key"]
    assert other_machine != first


def test_secret_key_comes_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "mounted-secret"
    secret.write_text("k" * 60 + "\n", encoding="utf-8")
    found = production_settings(tmp_path, EGOV_SECRET_KEY_FILE=str(secret))
    assert found["secret_key"] == "k" * 60
    assert not (tmp_path / "secret_key").exists()


def test_insecure_cookies_only_when_asked(tmp_path: Path) -> None:
    found = production_settings(tmp_path, EGOV_INSECURE_COOKIES="1")
    assert found["session_secure"] is False
    assert found["csrf_secure"] is False
    assert found["debug"] is False
