"""Signed messages accepted per second through the exchange API (issue 13, measure).

Usage (SQLite and huey's SQLite queue in a temporary directory, the embedded default):

    .venv/bin/python -m bench.exchange --seconds 10 --clients 1 4

What it does:

1. a fresh EGOV_VAR_DIR; migrates; creates two organisations of the standard chart;
   ``egov ca init``; ``egov ca issue --kind system`` for this node and for one
   member; ``egov exchange add-member``; an external system with an API key
   (through core's services) for the baseline;
2. starts ``egov serve`` (gunicorn ``--web-workers`` processes and the worker) on
   127.0.0.1 at a free port;
3. for each client count: that many processes each send ``document`` messages
   with :class:`egov.exchange.client.ExchangeClient` (signed with SM2, checked by
   the platform, stored with the envelope, published to the outbox, receipted
   with the node's SM2 signature, receipt checked by the client) for
   ``--seconds``; then the same processes call ``GET /api/v1/whoami`` with the
   API key (the server's trivial authenticated endpoint) for as long: the
   baseline of the same server and run;
4. prints messages per second, the baseline's requests per second and the ratio;
5. stops the server, also on Ctrl-C or an error.
"""

from __future__ import annotations

import argparse
import base64
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.machine import describe_machine

PASSPHRASE = "bench-exchange-ca-passphrase"  # noqa: S105 - a throw-away CA's
MEMBER = "bench-member"
ORGANISATIONS = ("230000-GOV", "230102-SCJG")
SETUP_SHELL = (
    "from egov.core.testing import make_organisation as m; "
    + "; ".join(f"m({code!r})" for code in ORGANISATIONS)
    + "; from egov.core.services.apikeys import register_external_system, issue_api_key; "
    "register_external_system(actor='bench', code='bench-system', name='bench', "
    "organisation_code='230102-SCJG'); "
    "print('KEY', issue_api_key(actor='bench', system_code='bench-system')[1])"
)


def environment(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EGOV_")}
    return env | {"DJANGO_SETTINGS_MODULE": "egov.settings", "EGOV_VAR_DIR": str(var_dir)}


def egov(var_dir: Path, *args: str) -> str:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "egov", *args],
        env=environment(var_dir),
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def issue(var_dir: Path, name: str, organisation: str, out: Path) -> None:
    egov(
        var_dir,
        *("ca", "issue", "--kind", "system", "--subject", f"CN={name},O=bench,C=CN"),
        *("--organisation", organisation, "--out", str(out)),
        *("--passphrase-file", str(var_dir / "passphrase")),
    )


def set_up(var_dir: Path) -> str:
    """The var dir ready to serve; the baseline's API key."""
    (var_dir / "passphrase").write_text(PASSPHRASE, encoding="utf-8")
    egov(var_dir, "migrate", "-v0")
    key = egov(var_dir, "shell", "-c", SETUP_SHELL).split("KEY ")[-1].strip()
    egov(var_dir, "ca", "init", "--passphrase-file", str(var_dir / "passphrase"))
    issue(var_dir, "egov-platform", ORGANISATIONS[0], var_dir / "exchange-node")
    issue(var_dir, MEMBER, ORGANISATIONS[1], var_dir / "member")
    egov(
        var_dir,
        *("exchange", "add-member", "--code", MEMBER, "--name", "bench"),
        *("--organisation", ORGANISATIONS[1], "--certificate", str(var_dir / "member/cert.pem")),
        *("--may-send", "document"),
    )
    return key


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).close()  # noqa: S310 - loopback
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} never answered")


def send_messages(base: str, var_dir: str, seconds: float) -> int:
    from egov.exchange.client import ExchangeClient

    member = Path(var_dir) / "member"
    client = ExchangeClient(
        base,
        sender=MEMBER,
        certificate_pem=(member / "cert.pem").read_bytes(),
        private_key_pem=(member / "key.pem").read_bytes(),
        node_certificate_pem=(Path(var_dir) / "exchange-node/cert.pem").read_bytes(),
    )
    content = base64.b64encode(b"bench " * 100).decode("ascii")
    payload = {"title": "bench", "filename": "b.txt", "media_type": "text/plain"}
    sent, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        delivery = client.send("document", payload | {"content": content})
        sent += delivery.status == "accepted"
    return sent


def call_whoami(base: str, key: str, seconds: float) -> int:
    calls, end = 0, time.monotonic() + seconds
    request = urllib.request.Request(base + "/api/v1/whoami", headers={"X-API-Key": key})  # noqa: S310
    while time.monotonic() < end:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - loopback
            calls += answer.status == 200
    return calls


def in_processes(count: int, target: Any, *args: Any) -> int:
    with multiprocessing.get_context("spawn").Pool(count) as pool:
        return sum(pool.starmap(target, [args] * count))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--web-workers", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-exchange-") as directory:
        var_dir = Path(directory)
        key = set_up(var_dir)
        port = free_port()
        server = subprocess.Popen(  # noqa: S603
            [
                *(sys.executable, "-m", "egov", "serve", "--bind", f"127.0.0.1:{port}"),
                *("--workers", str(args.web_workers), "--no-collectstatic"),
            ],
            env=environment(var_dir),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(base + "/healthz", time.monotonic() + 90)
            print(f"machine: {describe_machine()}; load average {os.getloadavg()}")
            print(f"{'clients':>7} {'messages/s':>11} {'whoami/s':>9} {'ratio':>6}")
            for count in args.clients:
                sent = in_processes(count, send_messages, base, str(var_dir), args.seconds)
                calls = in_processes(count, call_whoami, base, key, args.seconds)
                rate, baseline = sent / args.seconds, calls / args.seconds
                print(f"{count:>7} {rate:>11.1f} {baseline:>9.1f} {rate / baseline:>6.2f}")
            print(f"load average after: {os.getloadavg()}")
        finally:
            server.terminate()
            server.wait(timeout=60)


if __name__ == "__main__":
    main()
