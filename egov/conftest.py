"""Project-wide pytest fixtures: the named test users and the factories.

Every name in :data:`egov.core.testing.NAMED_USERS` is a fixture returning that
user (``def test_x(clerk_harbin_daoli, clerk_qiqihar): ...``); ``citizen`` and
``enterprise`` are public accounts. All of them need the database and create
what they need (regions, organisations) on first use.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.client import ClientMixin
from playwright.sync_api import Browser, sync_playwright

from egov.core import otp, testclock, testing

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
audit_guard = importlib.import_module("egov.core.migrations.0003_audit_append_only_trigger")


def named_user_fixture(name: str) -> Callable[..., Any]:
    def fixture(db: None) -> Any:
        return testing.named_user(name)

    fixture.__doc__ = f"{name}: {testing.NAMED_USERS[name].may}"
    return pytest.fixture(name=name)(fixture)


for _name in testing.NAMED_USERS:
    globals()[f"_fixture_{_name}"] = named_user_fixture(_name)


@pytest.fixture
def regions(db: None) -> None:
    """The province's divisions are loaded (they are, unless a transactional test flushed them)."""
    testing.ensure_regions()


@pytest.fixture
def citizen(db: None) -> Any:
    """A citizen account born in 道里区 (valid resident ID)."""
    return testing.make_citizen()


@pytest.fixture
def enterprise(db: None) -> Any:
    """An enterprise account with a valid unified social credit code."""
    return testing.make_enterprise()


@pytest.fixture
def make_staff(db: None) -> Callable[..., Any]:
    """The staff factory :func:`egov.core.testing.make_staff`."""
    return testing.make_staff


@pytest.fixture
def make_organisation(db: None) -> Callable[..., Any]:
    """The organisation factory :func:`egov.core.testing.make_organisation`."""
    return testing.make_organisation


@pytest.fixture
def emptied_audit_chain_afterwards(transactional_db: None) -> Iterator[None]:
    """For live-server tests: committed audit entries are removed afterwards.

    The live server needs committed data, which the test run then flushes. The
    audit table refuses deletes (append-only triggers), so the entries the test
    wrote are removed the way a DBA would: guard off, delete, guard back on.
    """
    yield
    audit_guard.remove_guard(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry")
    audit_guard.install_guard(connection)


@pytest.fixture
def browser() -> Iterator[Browser]:
    """Debian's headless chromium, driven by Playwright."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "real_second_factor: force_login leaves privileged users to pass TOTP themselves",
    )
    travel_to_test_moment(config)


def travel_to_test_moment(config: pytest.Config) -> None:
    """``EGOV_TEST_TODAY`` set: the whole session runs from that moment on (egov.core.testclock).

    One time-machine travel with the clock ticking, started before any test and
    stopped at the end; tests that state their own moment travel on top of it.
    """
    text = os.environ.get(testclock.VARIABLE, "")
    if not text:
        return
    moment = testclock.parse_test_moment(text)
    traveller = time_machine.travel(moment, tick=True)
    traveller.start()
    config.add_cleanup(traveller.stop)


def pytest_report_header(config: pytest.Config) -> str:
    text = os.environ.get(testclock.VARIABLE, "")
    return f"{testclock.VARIABLE}={text} (Asia/Shanghai)" if text else "real clock"


@pytest.fixture(autouse=True)
def second_factor_on_force_login(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``client.force_login`` of a privileged user also passes the TOTP second factor.

    Administrators, RA officers and auditors must confirm a token before any page
    (:mod:`egov.core.otp`); tests of their pages log them in with ``force_login``
    and get a verified session (:func:`egov.core.testing.pass_second_factor`).
    Tests of the second factor itself are marked ``real_second_factor``.
    """
    if request.node.get_closest_marker("real_second_factor"):
        return
    original = ClientMixin.force_login

    def force_login(self: Any, user: Any, backend: str | None = None) -> None:
        original(self, user, backend)
        if otp.needs_second_factor(user):
            testing.pass_second_factor(self, user)

    monkeypatch.setattr(ClientMixin, "force_login", force_login)


@pytest.fixture(autouse=True)
def audit_checkpoint_dir(settings: Any, tmp_path: Path) -> Path:
    """Each test keeps its audit checkpoint files in a directory of its own.

    The files live outside the database, so a test's rollback would not remove
    them; a checkpoint left by one test would make the next one's chain look
    truncated.
    """
    settings.EGOV_AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"
    return settings.EGOV_AUDIT_CHECKPOINT_DIR
