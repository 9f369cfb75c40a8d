"""The auditor's listing of audit entries, newest first, filtered by actor, action, object."""

import pytest

from egov.core.selectors.audit import audit_entries
from egov.core.services.audit import record_audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail() -> None:
    record_audit(
        actor="clerk_a",
        action="case.accepted",
        object_type="approvals.Case",
        object_id="HL-1",
        organisation="ORG-A",
    )
    record_audit(
        actor="clerk_a",
        action="case.decided",
        object_type="approvals.Case",
        object_id="HL-1",
        organisation="ORG-A",
    )
    record_audit(
        actor="clerk_b",
        action="case.accepted",
        object_type="approvals.Case",
        object_id="HL-2",
        organisation="ORG-B",
    )
    record_audit(
        actor="editor_c",
        action="article.published",
        object_type="portal.Article",
        object_id="7",
        organisation="ORG-A",
    )


def sequences(**filters: object) -> list[int]:
    return list(audit_entries(**filters).values_list("sequence", flat=True))


@pytest.mark.usefixtures("trail")
def test_everything_newest_first() -> None:
    assert sequences() == [4, 3, 2, 1]


@pytest.mark.usefixtures("trail")
def test_filters_by_actor_action_and_object() -> None:
    assert sequences(actor="clerk_a") == [2, 1]
    assert sequences(action="case.accepted") == [3, 1]
    assert sequences(action="case.") == [3, 2, 1]
    assert sequences(object_type="approvals.Case", object_id="HL-1") == [2, 1]
    assert sequences(actor="clerk_b", object_id="HL-1") == []


@pytest.mark.usefixtures("trail")
def test_limited_to_the_auditors_organisations() -> None:
    assert sequences(organisations=["ORG-B"]) == [3]
    assert sequences(organisations=[]) == []
