"""Serve a restored instance on loopback and wait for ``/`` (RTO of a drill); no Django.

Starts ``egov serve --web-only`` (collecting static files into the scratch
instance, as a real recovery host must) on a free loopback port with the
restored database and var directory, polls ``/`` with bounded timeouts until it
answers 200, then stops the server (SIGTERM, then SIGKILL after a grace period).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

POLL_SECONDS = 0.25
REQUEST_TIMEOUT = 5
STOP_TIMEOUT = 30
# The platform's settings that must not leak from the live instance into the scratch one
# (the backup password is not needed to serve the restored copy).
SCRATCH_OVERRIDES = ("EGOV_DATABASE_URL", "EGOV_VAR_DIR", "EGOV_REDIS_URL", "EGOV_BACKUP_PASSWORD")


@dataclass(frozen=True)
class Served:
    seconds: float | None
    error: str = ""


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def scratch_environment(var_dir: Path, database_url: str, audit_key: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in SCRATCH_OVERRIDES
        and not key.endswith(tuple(f"{k}_FILE" for k in SCRATCH_OVERRIDES))
    }
    return env | {
        "DJANGO_SETTINGS_MODULE": "egov.settings",
        "EGOV_VAR_DIR": str(var_dir),
        "EGOV_DATABASE_URL": database_url,
        "EGOV_ALLOWED_HOSTS": "127.0.0.1",
        "EGOV_AUDIT_KEY": audit_key,
        "EGOV_LOG_LEVEL": "WARNING",
    }


def answers_home(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT) as response:  # noqa: S310 - loopback http URL we built
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_TIMEOUT)


def time_until_served(
    *, var_dir: Path, database_url: str, timeout: float, audit_key: str = ""
) -> Served:
    """Seconds from start until ``/`` answers 200, or why it did not within ``timeout``."""
    port = free_loopback_port()
    env = scratch_environment(
        var_dir, database_url, audit_key or os.environ.get("EGOV_AUDIT_KEY", "")
    )
    if not env["EGOV_AUDIT_KEY"]:
        del env["EGOV_AUDIT_KEY"]
    log = var_dir / "drill-serve.log"
    started = time.perf_counter()
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - fixed program and arguments, no shell
            [
                sys.executable,
                "-m",
                "egov",
                "serve",
                "--web-only",
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{port}",
            ],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=var_dir,
        )
        try:
            return poll_until_served(process, f"http://127.0.0.1:{port}/", started, timeout, log)
        finally:
            stop(process)


def poll_until_served(
    process: subprocess.Popen[bytes], url: str, started: float, timeout: float, log: Path
) -> Served:
    while time.perf_counter() - started < timeout:
        if answers_home(url):
            return Served(time.perf_counter() - started)
        if process.poll() is not None:
            tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
            return Served(
                None, f"restored instance exited ({process.returncode}): {' / '.join(tail)}"
            )
        time.sleep(POLL_SECONDS)
    return Served(None, f"restored instance did not serve / within {timeout:g} s")
