"""``egov supervision import FILE`` (JSON, JSON lines, CSV) and ``egov supervision rebuild``."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from egov.core.testing import make_organisation
from egov.supervision.models import CaseEvent, Finding, ReferenceItem, SupervisedCase
from egov.supervision.tests.factories import CaseStory, at, item_published

pytestmark = pytest.mark.django_db


@pytest.fixture
def department(regions):
    return make_organisation("230102-SCJG")


def run(*args) -> str:
    out = io.StringIO()
    call_command("supervision", *args, stdout=out)
    return out.getvalue()


def history() -> CaseStory:
    return CaseStory().accept(at(2026, 3, 3)).decide(at(2026, 3, 9)).conclude(at(2026, 3, 9, 15))


def test_a_json_array_is_imported(department, tmp_path):
    story = history()
    path = tmp_path / "legacy.json"
    path.write_text(json.dumps(story.events), encoding="utf-8")
    out = run("import", str(path), "--system", "old-approvals")
    assert "accepted 4, duplicate 0, rejected 0; cases rebuilt 1" in out
    case = SupervisedCase.objects.get(case_number=story.number)
    assert case.source == "import"
    assert set(CaseEvent.objects.values_list("source_system", flat=True)) == {"old-approvals"}
    again = run("import", str(path))
    assert "accepted 0, duplicate 4, rejected 0" in again


def test_json_lines_report_bad_lines_and_keep_the_good(department, tmp_path):
    story = history()
    lines = [json.dumps(e) for e in story.events[:2]] + ["{broken", json.dumps(story.events[2])]
    path = tmp_path / "legacy.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = run("import", str(path))
    assert "accepted 3, duplicate 0, rejected 1" in out
    assert "line 3: - schema_invalid event" in out
    assert CaseEvent.objects.count() == 3


def test_csv_with_data_as_json(department, tmp_path):
    story = history()
    buffer = io.StringIO()
    columns = [
        "schema_version",
        "event_id",
        "type",
        "occurred_at",
        "case_number",
        "item_code",
        "department_code",
        "region_code",
        "actor_kind",
        "actor_id",
        "actor_organisation",
        "status",
        "data",
    ]
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    for event in [*story.events, item_published()]:
        row = {k: v for k, v in event.items() if k in columns}
        row |= {
            "actor_kind": event["actor"]["kind"],
            "actor_id": event["actor"]["id"],
            "actor_organisation": event["actor"]["organisation"],
            "data": json.dumps(event["data"], ensure_ascii=False),
        }
        writer.writerow(row)
    bad = dict(row, event_id="00000000-0000-4000-8000-00000000000a", region_code="2301")
    writer.writerow(bad)
    path = tmp_path / "export.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    out = run("import", str(path))
    assert "accepted 5, duplicate 0, rejected 1" in out
    assert "line 7: 00000000-0000-4000-8000-00000000000a schema_invalid region_code" in out
    assert SupervisedCase.objects.get().status == "concluded"
    assert ReferenceItem.objects.get().code == "SCJG-001-230102"


def test_a_file_that_is_not_a_batch_is_refused_and_writes_nothing(department, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"nothing": 1}', encoding="utf-8")
    with pytest.raises(CommandError, match="JSON array"):
        run("import", str(path))
    with pytest.raises(CommandError, match="no such file"):
        run("import", str(tmp_path / "missing.json"))
    assert not CaseEvent.objects.exists()


def test_rebuild_recomputes_from_the_stored_events(department, tmp_path):
    story = history()
    other = history()
    path = tmp_path / "legacy.json"
    path.write_text(json.dumps(story.events + other.events), encoding="utf-8")
    run("import", str(path))
    expected = {
        row["case_number"]: row
        for row in SupervisedCase.objects.values("case_number", "deadline", "status", "on_time")
    }
    SupervisedCase.objects.update(deadline=None, status="submitted", on_time=None)
    out = run("rebuild", "--case", story.number)
    assert out.strip() == "rebuilt 1 cases from 4 stored events; reference items 0"
    assert (
        SupervisedCase.objects.values("case_number", "deadline", "status", "on_time").get(
            case_number=story.number
        )
        == expected[story.number]
    )
    out = run("rebuild")
    assert out.strip() == "rebuilt 2 cases from 8 stored events; reference items 0"
    rows = SupervisedCase.objects.values("case_number", "deadline", "status", "on_time")
    assert {row["case_number"]: row for row in rows} == expected


def test_rebuild_of_an_unknown_case_is_refused(department):
    with pytest.raises(CommandError, match="no stored events"):
        run("rebuild", "--case", "230102202603020000010")


def test_rebuild_with_evaluate_runs_the_rules_idempotently(department, tmp_path):
    story = CaseStory(received=at(2026, 3, 2), promised=2)
    story.accept(at(2026, 3, 3)).decide(at(2026, 3, 20), on_time=True)
    path = tmp_path / "legacy.json"
    path.write_text(json.dumps(story.events), encoding="utf-8")
    run("import", str(path))
    before = set(Finding.objects.values_list("fingerprint", flat=True))
    assert Finding.objects.filter(rule_code="time.claim_mismatch").exists()
    out = run("rebuild", "--evaluate")
    assert out.strip().startswith("rebuilt 1 cases from 3 stored events; reference items 0")
    assert "findings" in out
    assert set(Finding.objects.values_list("fingerprint", flat=True)) == before


def test_rejected_events_can_be_written_out_to_fix(department, tmp_path):
    story = history()
    bad = dict(story.events[1], region_code="999999")
    path = tmp_path / "legacy.json"
    path.write_text(json.dumps([story.events[0], bad]), encoding="utf-8")
    out_file = tmp_path / "rejected.jsonl"
    run("import", str(path), "--rejected", str(out_file))
    [record] = [json.loads(line) for line in out_file.read_text("utf-8").splitlines()]
    assert record | {"event": None} == {
        "line": 2,
        "code": "unknown_region",
        "field": "region_code",
        "reason": "未知的行政区划代码",
        "event": None,
    }
    assert record["event"] == bad
