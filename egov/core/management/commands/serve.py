"""``egov serve``: the web server and the task worker together, production style.

Starts two child processes, gunicorn serving ``egov.wsgi`` (static files through
whitenoise) and ``egov worker`` (the huey consumer), and supervises them: when
either child exits, or this process gets SIGTERM or SIGINT (Ctrl-C), both are
stopped and the command exits. ``--workers N`` sets gunicorn's web worker
processes, ``--task-workers N`` starts N task worker processes (each a huey
consumer; they share the queue and the outbox safely). At scale, run
``egov serve --web-only`` on the web hosts and ``egov worker`` on the worker
hosts instead (docs/deployment.md).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from io import TextIOBase
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

DEFAULT_BIND = "127.0.0.1:8000"
DEFAULT_WEB_WORKERS = 2
DEFAULT_TASK_WORKERS = 1
STOP_TIMEOUT_SECONDS = 20
POLL_SECONDS = 0.5


@dataclass(frozen=True)
class Child:
    """A supervised child process: its name, command line and the signal that stops it."""

    name: str
    argv: list[str]
    stop_signal: int


def web_child(bind: str, workers: int) -> Child:
    """Gunicorn serving the WSGI application; SIGTERM is its graceful shutdown."""
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "egov.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "10",
    ]
    if "control_socket_disable" in gunicorn_settings():
        # Gunicorn >= 25 opens a control socket at one fixed path per user; two
        # servers on one host (a demo beside the tests) would fight over it.
        argv.append("--no-control-socket")
    return Child("web", argv, signal.SIGTERM)


def gunicorn_settings() -> set[str]:
    """The names of the settings the installed gunicorn knows."""
    from gunicorn.config import KNOWN_SETTINGS

    return {setting.name for setting in KNOWN_SETTINGS if setting.name}


def worker_child(name: str = "worker", *, periodic: bool = True) -> Child:
    """The huey consumer; SIGINT is its graceful shutdown (SIGTERM stops it at once).

    ``periodic=False``: it runs tasks but does not enqueue the periodic ones, which
    exactly one consumer of a queue must do (each scheduler would enqueue them again).
    """
    argv = [sys.executable, "-m", "egov", "worker"]
    if not periodic:
        argv.append("--no-periodic")
    return Child(name, argv, signal.SIGINT)


def worker_children(count: int) -> list[Child]:
    """``count`` task worker processes: ``worker`` alone, else ``worker-1`` ... ``worker-N``.

    Only the first enqueues the periodic jobs, so they run once however many there are.
    """
    if count == 1:
        return [worker_child()]
    return [worker_child(f"worker-{index}", periodic=index == 1) for index in range(1, count + 1)]


def positive_count(text: str) -> int:
    """A process count for argparse: a whole number of at least 1."""
    try:
        count = int(text)
    except ValueError:
        count = 0
    if count < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return count


def unapplied_migrations() -> list[str]:
    """Migrations the database still lacks, as ``app.name``."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def stop_children(processes: list[tuple[Child, subprocess.Popen[bytes]]]) -> dict[str, int]:
    """Ask each running child to stop, wait, kill what is left; the exit codes by name."""
    for child, process in processes:
        if process.poll() is None:
            process.send_signal(child.stop_signal)
    codes = {}
    for child, process in processes:
        try:
            code = process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            code = process.wait()
        # Killed by the very signal we sent (it arrived before the child set up its
        # own handler, e.g. while Django was still loading): it stopped as asked.
        codes[child.name] = 0 if code == -child.stop_signal else code
    return codes


class StopRequest:
    """A signal handler that only records the signal.

    It takes no lock: a handler that set a ``threading.Event`` could run while
    the main thread held that event's lock (inside ``Event.wait``) and deadlock.
    """

    def __init__(self) -> None:
        self.signum: int | None = None

    def __call__(self, signum: int, _frame: object) -> None:
        self.signum = signum


def supervise(children: list[Child], *, env: Mapping[str, str], out: TextIOBase) -> int:
    """Run the children until one exits or a stop signal arrives; 0 on a requested stop."""
    stop = StopRequest()
    previous = {signum: signal.signal(signum, stop) for signum in (signal.SIGTERM, signal.SIGINT)}
    processes: list[tuple[Child, subprocess.Popen[bytes]]] = []
    try:
        for child in children:
            process = subprocess.Popen(child.argv, env=dict(env))  # noqa: S603
            processes.append((child, process))
            out.write(f"{child.name}: pid {process.pid}\n")
            out.flush()
        while stop.signum is None:
            exited = [child.name for child, p in processes if p.poll() is not None]
            if exited:
                out.write(f"{', '.join(exited)} exited; stopping\n")
                break
            time.sleep(POLL_SECONDS)
    finally:
        codes = stop_children(processes)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    out.write("stopped: " + ", ".join(f"{name} ({code})" for name, code in codes.items()) + "\n")
    return 0 if stop.signum is not None else 1


def metrics_environment(env: Mapping[str, str]) -> dict[str, str]:
    """The children's environment with ``PROMETHEUS_MULTIPROC_DIR`` (ADR 0038).

    Gunicorn's workers are processes: prometheus-client counts each one's
    requests in files there and a scrape sums them. The directory (the one
    given, or ``var/prometheus``) is emptied of the last run's files first.
    """
    directory = Path(env.get("PROMETHEUS_MULTIPROC_DIR") or settings.VAR_DIR / "prometheus")
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()
    return {**env, "PROMETHEUS_MULTIPROC_DIR": str(directory)}


def serve(
    *,
    bind: str,
    web_workers: int,
    with_worker: bool,
    env: Mapping[str, str],
    out: TextIOBase,
    task_workers: int = DEFAULT_TASK_WORKERS,
) -> int:
    """Start web (and task worker) children and supervise them; the exit status."""
    env = metrics_environment(env)
    children = [web_child(bind, web_workers)]
    if with_worker:
        children += worker_children(task_workers)
    out.write(f"egov: http://{bind}/\n")
    out.flush()
    return supervise(children, env=env, out=out)


class Command(BaseCommand):
    help = "Run the web server (gunicorn) and the task worker (huey) until SIGTERM or Ctrl-C."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default=os.environ.get("EGOV_BIND", DEFAULT_BIND),
            help="address:port to listen on (EGOV_BIND, default %(default)s)",
        )
        parser.add_argument(
            "--workers",
            type=positive_count,
            default=int(os.environ.get("EGOV_WEB_WORKERS", DEFAULT_WEB_WORKERS)),
            help="gunicorn worker processes (EGOV_WEB_WORKERS, default %(default)s)",
        )
        parser.add_argument(
            "--task-workers",
            type=positive_count,
            default=int(os.environ.get("EGOV_TASK_WORKERS", DEFAULT_TASK_WORKERS)),
            help="task worker processes, each a huey consumer (EGOV_TASK_WORKERS, "
            "default %(default)s)",
        )
        parser.add_argument("--web-only", action="store_true", help="do not start the task worker")
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="do not collect static files first (they are already in place)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        missing = unapplied_migrations()
        if missing:
            raise CommandError(
                f"the database lacks {len(missing)} migrations ({missing[0]} ...): "
                "run `egov migrate` first"
            )
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        status = serve(
            bind=options["bind"],
            web_workers=options["workers"],
            with_worker=not options["web_only"],
            task_workers=options["task_workers"],
            env=os.environ,
            out=self.stdout,
        )
        if status:
            raise CommandError("a child process exited unexpectedly", returncode=status)
