"""A rule setting's scope codes are typed, bounded text (issue 10).

Before the fix a department code holding NUL reached the organisation lookup
(a 500 on PostgreSQL) and a 1 MB code was looked up as sent. Now both are
refused naming the field, and no setting is written.
"""

from __future__ import annotations

import pytest

from egov.core.models import AuditEntry, Event
from egov.supervision.errors import ErrorCode, SupervisionError
from egov.supervision.judging.rule_settings import change_rule_setting
from egov.supervision.judging.rules import REGISTRY
from egov.supervision.models import RuleSetting

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        (
            {"department_code": "230102-SCJG\x00"},
            {"department_code": "control character U+0000 is not allowed"},
        ),
        ({"item_code": "X" * 1024 * 1024}, {"item_code": "at most 64 characters, got 1048576"}),
        ({"department_code": ["230102-SCJG"]}, {"department_code": "expected text, got list"}),
    ],
)
def test_bad_scope_codes_are_refused(supervisor_harbin, changes, fields):
    before = (RuleSetting.objects.count(), AuditEntry.objects.count(), Event.objects.count())
    with pytest.raises(SupervisionError) as refused:
        change_rule_setting(
            actor=supervisor_harbin, rule_code=next(iter(REGISTRY)), enabled=False, **changes
        )
    assert refused.value.code == ErrorCode.INVALID_INPUT
    assert refused.value.fields == fields
    after = (RuleSetting.objects.count(), AuditEntry.objects.count(), Event.objects.count())
    assert after == before
