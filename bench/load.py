"""Load test of the web tier: locust, headless, against ``egov serve`` on loopback, bounded.

Usage (SQLite and huey's SQLite queue in a temporary directory, the embedded default):

    .venv/bin/python -m bench.load --users 20 --run-time 60 --queue-cases 10000

Scale-out (PostgreSQL scratch database, Redis database 11, 2 web and 2 task worker
processes, one worker killed with SIGKILL after 25 s and restarted, events checked):

    .venv/bin/python -m bench.load --users 20 --run-time 60 --queue-cases 10000 \\
        --database postgres://postgres@127.0.0.1:5432/load_scaleout \\
        --redis redis://127.0.0.1:6379/11 --web-workers 2 --task-workers 2 \\
        --kill-worker-after 25 --check-events

What it does, in order:

1. a fresh EGOV_VAR_DIR; the database (a PostgreSQL one named ``load…`` is dropped
   and created again; Redis: only the given database number is flushed);
   ``--reuse VAR_DIR`` takes an earlier run's var dir and database as they are
   instead, and skips step 2;
2. migrates, collects static files, loads the demo data (``load_demo_data``), and
   adds ``--queue-cases`` open cases at the queue department through
   ``bench.approvals``' generator;
3. starts ``egov serve --web-only`` (gunicorn, ``--web-workers`` processes) on
   127.0.0.1 at a free port, and ``--task-workers`` ``egov worker`` processes;
4. runs locust headless (bench/load_locustfile.py) for ``--run-time`` seconds with
   ``--users`` users: citizens browsing and applying, clerks working their queue,
   and a bare view (/healthz) as the baseline of the same server and run;
5. prints requests per second, p50/p95/p99 per page and the error rate;
6. ``--check-events``: waits for delivery, then compares approvals' outbox case
   events with supervision's copy (its case events and projection) and fails
   loudly on any difference;
7. stops every process it started, also on Ctrl-C or an error.

The bench run sets limits that would otherwise stop one demo citizen filing
hundreds of applications: ``EGOV_SUBMISSION_RATE=off`` and
``EGOV_SUBMISSION_RATE_PER_ADDRESS=off``; plain-http cookies on loopback
(``EGOV_INSECURE_COOKIES=1``). Logins always succeed, so django-axes (which
counts failures only) never locks anyone out.
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LOCUSTFILE = Path(__file__).with_name("load_locustfile.py")
QUEUE_DEPARTMENT = "230102-SCJG"
STARTUP_SECONDS = 180
DRAIN_SECONDS = 300
KILL_WAIT_SECONDS = 20
OPEN_STATUSES = ("submitted", "supplement_requested", "accepted", "special_procedure")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def egov(*args: str) -> list[str]:
    return [sys.executable, "-m", "egov", *args]


# --- Environment and data ------------------------------------------------------------------


def bench_environment(args: argparse.Namespace, var_dir: Path) -> dict[str, str]:
    """The environment of every process of the run (server, workers, this one)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EGOV_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "egov.settings",
        "EGOV_VAR_DIR": str(var_dir),
        "EGOV_DATABASE_URL": args.database or f"sqlite:///{var_dir}/egov.sqlite3",
        "EGOV_SECRET_KEY": "bench-only-secret-key-not-for-production",
        "EGOV_LOG_LEVEL": "WARNING",
        "EGOV_INSECURE_COOKIES": "1",  # plain http on loopback
        "EGOV_SUBMISSION_RATE": "off",  # one demo citizen files hundreds of applications
        "EGOV_SUBMISSION_RATE_PER_ADDRESS": "off",  # every user comes from 127.0.0.1
        "LOAD_DEPARTMENT": QUEUE_DEPARTMENT,
        "LOAD_CLERKS": "clerk_daoli",
        "PYTHONPATH": str(ROOT),
    }
    if args.redis:
        env["EGOV_REDIS_URL"] = args.redis
    return env


def reset_postgres(url: str) -> None:
    """Drop and create the scratch database ``url`` names (its name must start with load)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    if not name.startswith("load"):
        raise SystemExit(f"refusing to reset {name!r}: scratch databases start with 'load'")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def reset_redis(url: str) -> None:
    """Empty the one Redis database the URL names (never FLUSHALL)."""
    import redis

    if url.rstrip("/").rsplit("/", 1)[-1] in ("", "0") or not url.rsplit("/", 1)[-1].isdigit():
        raise SystemExit(
            "name a Redis database number other than 0, e.g. redis://127.0.0.1:6379/11"
        )
    redis.Redis.from_url(url).flushdb()


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def prepare_data(queue_cases: int) -> None:
    """Migrate, collect static files, load the demo data and the queue's open cases."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # Whitenoise's manifest and compressed copies, once here (minutes on a busy machine).
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_demo_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    from django.utils import timezone

    from bench import approvals
    from egov.core.selectors.calendar import get_working_calendar

    leader = approvals.prepare()
    calendar, now = get_working_calendar(), timezone.now()
    approvals.load(approvals.queue_histories(queue_cases, calendar, now), leader)


def open_cases_at(department: str) -> int:
    from django.apps import apps

    case = apps.get_model("approvals", "Case")
    return int(case.objects.filter(department__code=department, status__in=OPEN_STATUSES).count())


# --- Processes -----------------------------------------------------------------------------


@dataclass
class Processes:
    """The server and workers this run started, to stop them whatever happens."""

    env: dict[str, str]
    log_dir: Path
    web: subprocess.Popen[bytes] | None = None
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    locust: subprocess.Popen[bytes] | None = None

    def start_web(self, port: int, web_workers: int) -> None:
        argv = egov("serve", "--web-only", "--no-collectstatic", "--bind", f"127.0.0.1:{port}")
        argv += ["--workers", str(web_workers)]
        with (self.log_dir / "web.log").open("ab") as log:
            self.web = subprocess.Popen(argv, env=self.env, stdout=log, stderr=log)  # noqa: S603

    def start_worker(self, *, periodic: bool) -> subprocess.Popen[bytes]:
        """One ``egov worker``; only one of them enqueues the periodic jobs."""
        argv = egov("worker") if periodic else egov("worker", "--no-periodic")
        path = self.log_dir / f"worker-{len(self.workers) + 1}.log"
        path.unlink(missing_ok=True)  # a reused var dir's: the kill reads this run's lines
        with path.open("ab") as log:
            worker = subprocess.Popen(argv, env=self.env, stdout=log, stderr=log)  # noqa: S603
        self.workers.append(worker)
        return worker

    def stop(self) -> None:
        running: list[tuple[subprocess.Popen[bytes], int]] = []
        if self.locust is not None and self.locust.poll() is None:
            running.append((self.locust, signal.SIGTERM))  # still running: an error or Ctrl-C
        running += [(p, signal.SIGINT) for p in self.workers if p.poll() is None]
        if self.web is not None and self.web.poll() is None:
            running.append((self.web, signal.SIGTERM))
        for process, signum in running:
            process.send_signal(signum)
        for process, _signum in running:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_up(port: int) -> None:
    """Until /healthz answers, then warm each web process's first request up."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):
                break
        except OSError:
            time.sleep(0.5)
    else:
        raise SystemExit(f"the server on port {port} never answered")
    for _ in range(8):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30):
            pass


def run_locust(
    args: argparse.Namespace, env: dict[str, str], port: int, prefix: Path
) -> subprocess.Popen[bytes]:
    """Locust, headless, as a subprocess (it monkey-patches with gevent); output to a log."""
    argv = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
        "--host", f"http://127.0.0.1:{port}",
        "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
        "--run-time", f"{args.run_time}s", "--stop-timeout", "10",
        "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    argv += args.only.split(",") if args.only else []  # locust's user class names
    with Path(f"{prefix}.log").open("ab") as log:
        return subprocess.Popen(argv, env=env, stdout=log, stderr=log)  # noqa: S603


DELIVERING = "Executing egov.core.tasks.deliver_outbox_events"


def last_line(path: Path) -> str:
    with path.open("rb") as log:
        log.seek(max(0, path.stat().st_size - 4096))
        lines = log.read().decode("utf-8", "replace").splitlines()
    return lines[-1] if lines else ""


def kill_and_restart_worker(processes: Processes, after: float) -> str:
    """SIGKILL the first worker (the periodic one) ``after`` seconds in, start a new one.

    From ``after`` on it waits (up to KILL_WAIT_SECONDS) for the victim's log to end
    with the start of a delivery task, so that the kill lands inside a delivery.
    """
    time.sleep(after)
    victim, log = processes.workers[0], processes.log_dir / "worker-1.log"
    deadline = time.monotonic() + KILL_WAIT_SECONDS
    while DELIVERING not in last_line(log) and time.monotonic() < deadline:
        time.sleep(0.002)
    inside = DELIVERING in last_line(log)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    time.sleep(2)
    replacement = processes.start_worker(periodic=True)  # it takes the victim's place
    where = "inside a delivery task" if inside else "between tasks"
    return f"worker pid {victim.pid} killed (SIGKILL) {where}; pid {replacement.pid} started"


# --- Report --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageFigures:
    name: str
    requests: int
    failures: int
    rps: float
    p50: str
    p95: str
    p99: str


def read_stats(prefix: Path) -> list[PageFigures]:
    with Path(f"{prefix}_stats.csv").open(encoding="utf-8") as stats:
        return [
            PageFigures(
                name=row["Name"] if row["Type"] != "" else "all",
                requests=int(row["Request Count"]),
                failures=int(row["Failure Count"]),
                rps=float(row["Requests/s"]),
                p50=row["50%"],
                p95=row["95%"],
                p99=row["99%"],
            )
            for row in csv.DictReader(stats)
        ]


def print_report(pages: list[PageFigures], out: Any = sys.stdout) -> None:
    out.write("| page | requests | errors | req/s | p50 ms | p95 ms | p99 ms |\n")
    out.write("|---|---:|---:|---:|---:|---:|---:|\n")
    for page in pages:
        out.write(
            f"| {page.name} | {page.requests:,} | {page.failures} | {page.rps:.1f} "
            f"| {page.p50} | {page.p95} | {page.p99} |\n"
        )
    total = next((p for p in pages if p.name in ("Aggregated", "all")), None)
    if total is not None and total.requests:
        out.write(
            f"error rate: {total.failures / total.requests:.2%} "
            f"({total.failures} of {total.requests:,})\n"
        )


def print_failures(prefix: Path) -> None:
    path = Path(f"{prefix}_failures.csv")
    if path.exists():
        rows = list(csv.DictReader(path.open(encoding="utf-8")))
        for row in rows[:10]:
            print(
                f"  failure: {row['Method']} {row['Name']}: {row['Error']} ({row['Occurrences']})"
            )


# --- Main ----------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Load test of the web tier (locust, loopback).")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--run-time", type=int, default=60, help="seconds (at most 600)")
    parser.add_argument("--queue-cases", type=int, default=10_000)
    parser.add_argument("--database", default=None, help="PostgreSQL URL of a load… database")
    parser.add_argument("--redis", default=None, help="Redis URL with a database number")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--task-workers", type=int, default=1)
    parser.add_argument("--kill-worker-after", type=float, default=None, help="seconds")
    parser.add_argument("--check-events", action="store_true")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated user classes of the locustfile (Browser,Applicant,Clerk,Bare)",
    )
    parser.add_argument(
        "--reuse",
        metavar="VAR_DIR",
        default=None,
        help="the var dir of an earlier run: its data as it is, no preparation (Redis flushed)",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.users <= 200 or not 1 <= args.run_time <= 600:
        parser.error("keep the load bounded: 1-200 users, 1-600 seconds")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from bench.machine import describe_machine

    print(f"machine: {describe_machine()}; load average before: {os.getloadavg()[0]:.1f}")
    var_dir = Path(args.reuse or tempfile.mkdtemp(prefix="egov-load-"))
    env = bench_environment(args, var_dir)
    if args.redis:
        reset_redis(args.redis)
    if args.database and not args.reuse:
        reset_postgres(args.database)
    started = time.perf_counter()
    setup_django(env)
    if not args.reuse:
        prepare_data(args.queue_cases)
    print(f"prepared in {time.perf_counter() - started:.0f} s: "
          f"{open_cases_at(QUEUE_DEPARTMENT):,} open cases at {QUEUE_DEPARTMENT}; "
          f"var dir {var_dir}{' (reused)' if args.reuse else ''}")  # fmt: skip
    processes = Processes(env=env, log_dir=var_dir)
    port = free_port()
    try:
        return run(args, processes, port, var_dir)
    finally:
        processes.stop()


def run(args: argparse.Namespace, processes: Processes, port: int, var_dir: Path) -> int:
    from django.db import connections

    connections.close_all()
    processes.start_web(port, args.web_workers)
    for index in range(args.task_workers):
        processes.start_worker(periodic=index == 0)
    wait_until_up(port)
    print(f"server on 127.0.0.1:{port}: {args.web_workers} web, {args.task_workers} task workers; "
          f"database {processes.env['EGOV_DATABASE_URL'].split(':')[0]}, "
          f"queue {'redis' if args.redis else 'sqlite'}")  # fmt: skip
    prefix = var_dir / "locust"
    locust = processes.locust = run_locust(args, processes.env, port, prefix)
    if args.kill_worker_after is not None:
        print(kill_and_restart_worker(processes, args.kill_worker_after))
    locust.wait()
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (1 min)")
    pages = read_stats(prefix)
    print_report(pages)
    print_failures(prefix)
    print(f"open cases at {QUEUE_DEPARTMENT} after the run: {open_cases_at(QUEUE_DEPARTMENT):,}")
    if args.check_events:
        from bench.load_events import check_events

        return check_events(DRAIN_SECONDS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
