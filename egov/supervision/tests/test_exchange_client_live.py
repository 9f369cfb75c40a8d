"""A department system pushes case events with ``egov.exchange.client`` to a live
``egov serve`` on loopback, and they reach supervision (issue 13, item 8).

The server is a real ``egov serve`` subprocess (web and worker) on a private
EGOV_VAR_DIR, set up as an operator would: ``egov ca init``, ``egov ca issue``
for the node's and the member's system certificates, ``egov exchange
add-member``. The server runs on the real clock, so the envelopes are dated by
the server's own clock (its HTTP ``Date`` header), not by this process's,
which EGOV_TEST_TODAY may have moved; the case events themselves are dated
March 2026, in the past of any date the suite runs on (2026-10 onwards).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from egov.core.tests.test_commands_serve import Server, command_env, egov
from egov.exchange.client import ExchangeClient
from egov.supervision.tests.factories import CaseStory, at

PASSPHRASE = "live-exchange-ca-passphrase"
DELIVERY_DEADLINE_SECONDS = 90
ORGANISATIONS = "230000-GOV", "230102-SCJG"


def run(var_dir: Path, *args: str) -> str:
    done = subprocess.run(  # noqa: S603
        egov(*args), env=command_env(var_dir), check=True, capture_output=True, text=True
    )
    return done.stdout


def issue(var_dir: Path, common_name: str, organisation: str, out: Path) -> None:
    run(
        var_dir,
        *("ca", "issue", "--kind", "system", "--subject", f"CN={common_name},O=测试,C=CN"),
        *("--organisation", organisation, "--out", str(out)),
        *("--passphrase-file", str(var_dir / "passphrase")),
    )


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    var_dir = tmp_path_factory.mktemp("var")
    (var_dir / "passphrase").write_text(PASSPHRASE, encoding="utf-8")
    run(var_dir, "migrate", "-v0")
    make = "from egov.core.testing import make_organisation as m; " + "; ".join(
        f"m({code!r})" for code in ORGANISATIONS
    )
    run(var_dir, "shell", "-c", make)
    run(var_dir, "ca", "init", "--passphrase-file", str(var_dir / "passphrase"))
    issue(var_dir, "egov-platform", "230000-GOV", var_dir / "exchange-node")
    issue(var_dir, "daoli-market", "230102-SCJG", var_dir / "member")
    run(
        var_dir,
        *("exchange", "add-member", "--code", "daoli-market", "--name", "道里区市场监管审批"),
        *("--organisation", "230102-SCJG", "--certificate", str(var_dir / "member" / "cert.pem")),
        *("--may-send", "case-event"),
    )
    server = Server(var_dir, "--no-collectstatic")
    server.wait_for_port()
    yield server, var_dir
    server.stop()


def server_clock(server: Server) -> dt.datetime:
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/healthz", timeout=30) as answer:
        return parsedate_to_datetime(answer.headers["Date"])


def case_in_supervision(var_dir: Path, number: str) -> str:
    query = (
        "from egov.supervision.models import SupervisedCase as C; "
        f"c = C.objects.filter(case_number={number!r}).first(); "
        "print(f'{c.source} {c.status} {c.event_count}' if c else '-')"
    )
    return run(var_dir, "shell", "-c", query).strip().splitlines()[-1]


def test_case_events_pushed_with_the_client_reach_supervision(platform):
    server, var_dir = platform
    member = var_dir / "member"
    client = ExchangeClient(
        f"http://127.0.0.1:{server.port}",
        sender="daoli-market",
        certificate_pem=(member / "cert.pem").read_bytes(),
        private_key_pem=(member / "key.pem").read_bytes(),
        node_certificate_pem=(var_dir / "exchange-node" / "cert.pem").read_bytes(),
        clock=lambda: server_clock(server),
    )
    story = CaseStory().accept(at(2026, 3, 3)).decide(at(2026, 3, 9))
    deliveries = [client.send("case-event", event) for event in story.events]
    assert [d.status for d in deliveries] == ["accepted"] * 3
    assert client.send_envelope(deliveries[0].envelope).status == "duplicate"

    deadline = time.monotonic() + DELIVERY_DEADLINE_SECONDS
    seen = case_in_supervision(var_dir, story.number)
    while seen != "exchange approved 3" and time.monotonic() < deadline:
        time.sleep(1)
        seen = case_in_supervision(var_dir, story.number)
    assert seen == "exchange approved 3", server.output()
