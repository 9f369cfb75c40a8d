"""The intake's per-type narrowed schema judges exactly as the whole published schema."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from egov.supervision.collection.ingest import SCHEMA_PATH, validator
from egov.supervision.tests.factories import CaseStory, at, citizen_applicant, item_published

DOCS_SCHEMA = Path(__file__).resolve().parents[3] / "docs" / "case-events.schema.json"
WHOLE = jsonschema.Draft202012Validator(
    json.loads(DOCS_SCHEMA.read_text("utf-8")),
    format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
)


def samples() -> list[dict]:
    story = CaseStory(applicant=citizen_applicant(), fees=(("工本费", 100),))
    story.request_supplement(at(2026, 3, 2, 15)).receive_supplement(at(2026, 3, 3))
    story.accept(at(2026, 3, 4)).start_procedure(at(2026, 3, 5)).end_procedure(at(2026, 3, 6))
    story.extend(at(2026, 3, 9)).decide(at(2026, 3, 10), decision="deny")
    story.pay(at(2026, 3, 10, 11)).conclude(at(2026, 3, 10, 12)).deliver(at(2026, 3, 11))
    other = CaseStory().refuse(at(2026, 3, 3))
    third = CaseStory().withdraw(at(2026, 3, 3)).terminate(at(2026, 3, 4))
    return [*story.events, *other.events, *third.events, item_published()]


SAMPLES = samples()
BREAKS = [
    ("drop", None),
    ("set", None),
    ("set", "text"),
    ("set", -1),
    ("set", ["x"]),
    ("set", {"x": 1}),
]


def test_the_packaged_schema_is_the_published_one():
    assert json.loads(SCHEMA_PATH.read_text("utf-8")) == json.loads(DOCS_SCHEMA.read_text("utf-8"))


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(SAMPLES), st.sampled_from(BREAKS), st.data())
def test_same_verdict_on_broken_events(event, breaking, data):
    broken = copy.deepcopy(event)
    target = broken if data.draw(st.booleans()) else broken["data"]
    name = data.draw(st.sampled_from(sorted(target)))
    action, value = breaking
    if action == "drop":
        del target[name]
    else:
        target[name] = value
    kind = broken.get("type")
    if not isinstance(kind, str) or kind not in {e["type"] for e in SAMPLES}:
        return  # the intake refuses unknown types before the schema
    assert validator(kind).is_valid(broken) == WHOLE.is_valid(broken)


def test_every_sample_is_valid_both_ways():
    for event in SAMPLES:
        assert WHOLE.is_valid(event)
        assert validator(event["type"]).is_valid(event)
