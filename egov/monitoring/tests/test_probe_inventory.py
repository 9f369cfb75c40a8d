"""Probing the inventory keeps each system's last result; the command and the gauges report it."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from egov.core.testing import shanghai
from egov.monitoring.models import ProbedSystem
from egov.monitoring.services import probe_systems
from egov.monitoring.tests.servers import CERTIFICATE_EXPIRES, closed_port, http_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def inventory(tmp_path: Path) -> Iterator[dict[str, ProbedSystem]]:
    with http_server() as http_port, http_server(tmp_path) as https_port:
        yield {
            "portal": ProbedSystem.objects.create(
                code="portal", name="门户网站", kind="http", target=f"http://127.0.0.1:{http_port}/"
            ),
            "ca": ProbedSystem.objects.create(
                code="ca", name="CA 服务", kind="tls", target=f"127.0.0.1:{https_port}",
                verify_tls=False,
            ),
            "db": ProbedSystem.objects.create(
                code="db", name="数据库", kind="tcp", target=f"127.0.0.1:{closed_port()}"
            ),
            "old": ProbedSystem.objects.create(
                code="old", name="旧系统", kind="tcp", target="127.0.0.1:1", is_active=False
            ),
        }  # fmt: skip


def test_results_are_kept_and_failing_since_marks_the_first_failure(
    inventory: dict, time_machine: Any
) -> None:
    first, second = shanghai(2026, 11, 26, 10, 0), shanghai(2026, 11, 26, 10, 1)

    probe_systems(now=first)
    probe_systems(now=second)

    portal, ca, db, old = (ProbedSystem.objects.get(code=c) for c in ("portal", "ca", "db", "old"))
    assert (portal.last_ok, portal.last_status_code, portal.failing_since) == (True, 200, None)
    assert portal.last_checked_at == second
    assert (ca.last_ok, ca.certificate_expires) == (True, CERTIFICATE_EXPIRES)
    assert (db.last_ok, db.failing_since) == (False, first)
    assert "ConnectionRefusedError" in db.last_error
    assert old.last_checked_at is None  # inactive systems are not probed


def test_a_recovered_system_clears_failing_since(inventory: dict) -> None:
    probe_systems(now=shanghai(2026, 11, 26, 10, 0))
    db = inventory["db"]
    db.refresh_from_db()
    db.target = inventory["portal"].target.removeprefix("http://").rstrip("/")
    db.save()

    probe_systems(now=shanghai(2026, 11, 26, 10, 1), codes=["db"])

    db.refresh_from_db()
    assert (db.last_ok, db.failing_since, db.last_error) == (True, None, "")


def test_the_command_reports_and_fails_when_a_system_is_down(inventory: dict) -> None:
    out = StringIO()

    with pytest.raises(CommandError, match="1 systems failing"):
        call_command("monitoring", "probe", stdout=out)

    text = out.getvalue()
    assert "portal http" in text
    assert "db tcp" in text
    assert "FAIL ConnectionRefusedError" in text
    assert "probed 3, failing 1" in text


def test_the_command_can_probe_some_systems(inventory: dict) -> None:
    out = StringIO()

    call_command("monitoring", "probe", "portal", "ca", stdout=out)

    assert "probed 2, failing 0" in out.getvalue()


def test_gauges_per_system(client: Client, inventory: dict) -> None:
    probe_systems(now=shanghai(2026, 11, 26, 10, 0))

    text = client.get("/metrics").content.decode()
    seen = {
        (sample.name, sample.labels.get("system")): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name.startswith("egov_system_")
    }
    assert seen[("egov_system_up", "portal")] == 1
    assert seen[("egov_system_up", "db")] == 0
    assert seen[("egov_system_certificate_expiry_timestamp_seconds", "ca")] == (
        CERTIFICATE_EXPIRES.timestamp()
    )
    assert ("egov_system_up", "old") not in seen
