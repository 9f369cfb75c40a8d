"""``egov serve`` runs web and worker together and stops both cleanly (启动与停止).

These tests start the real command as a subprocess on a free port against a
temporary EGOV_VAR_DIR (its own SQLite database), as an operator would.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

STARTUP_DEADLINE_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def command_env(var_dir: Path) -> dict[str, str]:
    """The environment of a production-style run: real settings, a private var dir."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EGOV_")}
    env |= {"DJANGO_SETTINGS_MODULE": "egov.settings", "EGOV_VAR_DIR": str(var_dir)}
    return env


def egov(*args: str) -> list[str]:
    return [sys.executable, "-m", "egov", *args]


@pytest.fixture(scope="module")
def migrated_var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    var_dir = tmp_path_factory.mktemp("var")
    subprocess.run(egov("migrate", "-v0"), env=command_env(var_dir), check=True)  # noqa: S603
    return var_dir


class Server:
    def __init__(self, var_dir: Path, *extra: str) -> None:
        self.port = free_port()
        self.log = var_dir / f"serve-{self.port}.log"
        argv = egov("serve", "--bind", f"127.0.0.1:{self.port}", "--workers", "1", *extra)
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603
                argv, env=command_env(var_dir), stdout=log, stderr=subprocess.STDOUT
            )

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def child_pid(self, name: str) -> int:
        deadline = time.monotonic() + STARTUP_DEADLINE_SECONDS
        while time.monotonic() < deadline:
            found = re.search(rf"^{name}: pid (\d+)$", self.output(), re.MULTILINE)
            if found:
                return int(found.group(1))
            assert self.process.poll() is None, self.output()
            time.sleep(0.1)
        raise AssertionError(f"no {name} child reported:\n{self.output()}")

    def wait_for_port(self) -> None:
        deadline = time.monotonic() + STARTUP_DEADLINE_SECONDS
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.output()
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"port {self.port} never opened:\n{self.output()}")

    def get(self, path: str) -> tuple[int, str]:
        url = f"http://127.0.0.1:{self.port}{path}"
        # Generous: the first request imports the whole site, slow on a loaded machine.
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=STARTUP_DEADLINE_SECONDS)


@pytest.fixture
def server(migrated_var_dir: Path) -> Iterator[Server]:
    running = Server(migrated_var_dir)
    yield running
    running.stop()


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def test_serve_answers_pages_runs_the_worker_and_stops_both_on_sigterm(server: Server) -> None:
    web_pid, worker_pid = server.child_pid("web"), server.child_pid("worker")
    server.wait_for_port()

    status, home = server.get("/")
    assert status == 200
    assert "黑龙江省人民政府" in home
    assert "/static/egov/egov." in home  # the stylesheet, through whitenoise's manifest
    status, docs = server.get("/api/v1/docs")
    assert status == 200
    assert "swagger" in docs.lower()
    assert is_running(worker_pid)
    assert "gunicorn" in cmdline(web_pid)
    assert "worker" in cmdline(worker_pid)

    server.process.send_signal(signal.SIGTERM)
    server.process.send_signal(signal.SIGTERM)  # an impatient operator: still one clean stop
    assert server.process.wait(timeout=STARTUP_DEADLINE_SECONDS) == 0
    assert not is_running(web_pid)
    assert not is_running(worker_pid)
    assert "stopped: web (0), worker (0)" in server.output()


def test_a_dead_worker_stops_the_web_server_and_fails(migrated_var_dir: Path) -> None:
    server = Server(migrated_var_dir, "--no-collectstatic")
    try:
        web_pid, worker_pid = server.child_pid("web"), server.child_pid("worker")
        server.wait_for_port()
        os.kill(worker_pid, signal.SIGKILL)
        assert server.process.wait(timeout=STARTUP_DEADLINE_SECONDS) != 0
        assert not is_running(web_pid)
        assert "worker exited; stopping" in server.output()
    finally:
        server.stop()


def test_serve_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    result = subprocess.run(  # noqa: S603
        egov("serve", "--bind", f"127.0.0.1:{free_port()}"),
        env=command_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "run `egov migrate` first" in result.stderr
    assert "web: pid" not in result.stdout
