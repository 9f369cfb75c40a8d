"""``egov serve --workers N --task-workers M``: N web and M task worker processes (进程数).

The scale-out benchmark (bench/load.py) and a one-host deployment choose how
many processes serve pages and how many deliver events; all stop together.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from egov.core.management.commands.serve import positive_count, worker_children
from egov.core.tests.test_commands_serve import (
    STARTUP_DEADLINE_SECONDS,
    Server,
    cmdline,
    command_env,
    egov,
    is_running,
)


def test_one_task_worker_keeps_its_plain_name() -> None:
    assert [child.name for child in worker_children(1)] == ["worker"]


def test_several_task_workers_are_numbered_and_each_runs_the_consumer() -> None:
    children = worker_children(3)
    assert [child.name for child in children] == ["worker-1", "worker-2", "worker-3"]
    assert all(child.argv[3] == "worker" for child in children)


def test_only_the_first_task_worker_enqueues_the_periodic_jobs() -> None:
    first, *others = worker_children(3)
    assert "--no-periodic" not in first.argv
    assert all(child.argv[-1] == "--no-periodic" for child in others)
    assert "--no-periodic" not in worker_children(1)[0].argv


@pytest.mark.parametrize("text", ["0", "-1", "two", ""])
def test_a_process_count_below_one_is_refused(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        positive_count(text)


def test_a_process_count_of_one_or_more_is_taken() -> None:
    assert positive_count("1") == 1
    assert positive_count("4") == 4


@pytest.fixture(scope="module")
def migrated_var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import subprocess

    var_dir = tmp_path_factory.mktemp("var")
    subprocess.run(egov("migrate", "-v0"), env=command_env(var_dir), check=True)  # noqa: S603
    return var_dir


def children_of(parent: int) -> list[int]:
    """The pids whose parent is ``parent`` (from /proc/<pid>/stat)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # it ended meanwhile
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
            found.append(int(entry.name))
    return found


def gunicorn_workers(master_pid: int, expected: int) -> list[int]:
    """The pids of the gunicorn master's worker processes, once ``expected`` have started."""
    deadline = time.monotonic() + STARTUP_DEADLINE_SECONDS
    found: list[int] = []
    while time.monotonic() < deadline:
        found = children_of(master_pid)
        if len(found) >= expected:
            return found
        time.sleep(0.2)
    return found


@pytest.fixture
def two_and_two(migrated_var_dir: Path) -> Iterator[Server]:
    server = Server(migrated_var_dir, "--no-collectstatic", "--workers", "2", "--task-workers", "2")
    yield server
    server.stop()


def test_serve_runs_two_web_and_two_task_workers_and_stops_all(two_and_two: Server) -> None:
    server = two_and_two
    first, second = server.child_pid("worker-1"), server.child_pid("worker-2")
    web = server.child_pid("web")
    server.wait_for_port()
    assert first != second
    assert "worker" in cmdline(first)
    assert "--no-periodic" not in cmdline(first)
    assert "worker --no-periodic" in cmdline(second)
    assert server.get("/healthz")[0] == 200
    # Server passes --workers 1 first; the later --workers 2 wins, as argparse does.
    web_processes = gunicorn_workers(web, 2)
    assert len(web_processes) == 2

    server.stop()
    assert server.process.returncode == 0
    assert not is_running(first)
    assert not is_running(second)
    assert not is_running(web)
    assert "stopped: web (0), worker-1 (0), worker-2 (0)" in server.output()
