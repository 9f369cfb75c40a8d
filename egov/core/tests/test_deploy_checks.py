"""Production settings pass ``egov check --deploy`` with no warning; HSTS behind the TLS proxy.

Before, the deploy checks warned security.W004 (no HSTS) and W008 (no https
redirect) even with ``EGOV_BEHIND_TLS_PROXY=1``. Each case runs in a fresh
interpreter with a production-like environment, as a deployment would.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

PROBE = """
import json
from django.conf import settings
print(json.dumps({
    "hsts": settings.SECURE_HSTS_SECONDS,
    "subdomains": settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "preload": settings.SECURE_HSTS_PRELOAD,
    "redirect": settings.SECURE_SSL_REDIRECT,
}))
"""


def production_environment(var_dir: Path, **environment: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EGOV_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "egov.settings",
        "EGOV_VAR_DIR": str(var_dir),
        "EGOV_SECRET_KEY": secrets.token_urlsafe(50),
        "EGOV_ALLOWED_HOSTS": "www.hlj.gov.cn",
        "EGOV_CSRF_TRUSTED_ORIGINS": "https://www.hlj.gov.cn",
        "EGOV_BEHIND_TLS_PROXY": "1",
    }
    return env | environment


def run(arguments: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, *arguments], env=env, capture_output=True, text=True, check=False
    )


def test_production_settings_pass_the_deploy_checks_without_warnings(tmp_path: Path) -> None:
    env = production_environment(tmp_path)
    result = run(["-m", "egov", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_behind_the_tls_proxy_browsers_are_told_https_only(tmp_path: Path) -> None:
    found = json.loads(run(["-c", PROBE], production_environment(tmp_path)).stdout)
    assert found == {"hsts": 31536000, "subdomains": True, "preload": True, "redirect": True}


def test_hsts_length_and_subdomains_can_be_set(tmp_path: Path) -> None:
    env = production_environment(tmp_path, EGOV_HSTS_SECONDS="3600", EGOV_HSTS_SUBDOMAINS="0")
    found = json.loads(run(["-c", PROBE], env).stdout)
    assert found == {"hsts": 3600, "subdomains": False, "preload": False, "redirect": True}


def test_without_the_proxy_no_hsts_and_no_redirect(tmp_path: Path) -> None:
    env = production_environment(tmp_path, EGOV_BEHIND_TLS_PROXY="")
    found = json.loads(run(["-c", PROBE], env).stdout)
    assert (found["hsts"], found["redirect"]) == (0, False)
