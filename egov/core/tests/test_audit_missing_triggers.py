"""``egov audit verify`` fails when the append-only triggers are gone, even on an intact chain."""

from collections.abc import Iterator

import pytest
from django.db import connection

from egov.core.selectors.audit import append_only_guard_installed
from egov.core.tests.audit_support import record_entries, trigger_migration, verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def triggers_dropped() -> Iterator[None]:
    """What a DBA (or a table-rebuilding migration) leaves behind; put back afterwards."""
    trigger_migration.remove_guard(connection)
    yield
    trigger_migration.install_guard(connection)


def test_missing_triggers_exit_non_zero(triggers_dropped: None) -> None:
    record_entries(3)
    assert not append_only_guard_installed()
    result = verify()
    assert result.exit_code == 1
    assert "append-only triggers on core_auditentry are missing" in result.errors
    assert "append-only triggers" in str(result.failure)
    # The chain itself is still walked and reported.
    assert "intact: 3 entries" in result.output


def test_a_clean_chain_with_its_triggers_exits_zero() -> None:
    record_entries(3)
    result = verify()
    assert result.exit_code == 0
    assert result.errors == ""
    assert "intact: 3 entries" in result.output
