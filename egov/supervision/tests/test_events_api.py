"""POST /api/v1/supervision/events: an external system's batch, per-event results."""

from __future__ import annotations

import copy
import json

import pytest
from django.test import Client

from egov.core.services.apikeys import issue_api_key, register_external_system
from egov.core.testing import make_organisation
from egov.supervision.collection.ingest import MAX_BATCH
from egov.supervision.models import CaseEvent, SupervisedCase
from egov.supervision.tests.factories import CaseStory, at

pytestmark = pytest.mark.django_db
URL = "/api/v1/supervision/events"


@pytest.fixture
def key(regions) -> str:
    make_organisation("230102-SCJG")
    make_organisation("230200-SCJG")
    register_external_system(
        actor="system",
        code="daoli-market",
        name="道里区市场监管审批",
        organisation_code="230102-SCJG",
    )
    return issue_api_key(actor="system", system_code="daoli-market")[1]


def post(body, key: str | None, raw: bool = False):
    headers = {"X-API-Key": key} if key else {}
    data = body if raw else json.dumps(body)
    return Client().post(URL, data=data, content_type="application/json", headers=headers)


def history() -> CaseStory:
    return CaseStory().accept(at(2026, 3, 3)).decide(at(2026, 3, 9))


def test_a_batch_is_stored_and_answered_per_event(key):
    story = history()
    response = post({"events": story.events}, key)
    assert response.status_code == 200
    body = response.json()
    assert (body["accepted"], body["duplicate"], body["rejected"], body["cases"]) == (3, 0, 0, 1)
    assert [r["status"] for r in body["results"]] == ["accepted"] * 3
    assert set(CaseEvent.objects.values_list("source_system", flat=True)) == {"daoli-market"}
    assert SupervisedCase.objects.get(case_number=story.number).source == "api"


def test_a_replayed_batch_changes_nothing(key):
    story = history()
    post(story.events, key)
    before = list(SupervisedCase.objects.values())
    body = post(story.events, key).json()
    assert [r["status"] for r in body["results"]] == ["duplicate"] * 3
    assert CaseEvent.objects.count() == 3
    after = list(SupervisedCase.objects.values())
    assert [{k: v for k, v in row.items() if k != "rebuilt_at"} for row in after] == [
        {k: v for k, v in row.items() if k != "rebuilt_at"} for row in before
    ]


def test_same_id_other_content_is_a_conflict(key):
    story = history()
    post(story.events, key)
    changed = copy.deepcopy(story.events[1])
    changed["data"]["note"] = "改过"
    body = post([changed], key).json()
    assert body["results"][0] | {"event_id": ""} == {
        "index": 0,
        "event_id": "",
        "status": "rejected",
        "code": "conflict",
        "field": "event_id",
        "reason": "该事件标识已存在，但内容不同",
    }
    stored = CaseEvent.objects.get(event_id=changed["event_id"]).payload
    assert stored["data"]["note"] == ""


def test_200_with_results_when_some_are_rejected(key):
    story = history()
    bad = copy.deepcopy(story.events[2])
    bad["data"]["decision"] = "maybe"
    body = post([*story.events[:2], bad], key).json()
    assert [r["status"] for r in body["results"]] == ["accepted", "accepted", "rejected"]
    assert body["results"][2]["code"] == "schema_invalid"
    assert body["results"][2]["field"] == "data.decision"
    assert CaseEvent.objects.count() == 2


def test_another_regions_events_are_refused_one_by_one(key):
    other = CaseStory(region_code="230200", department_code="230200-SCJG")
    body = post(other.events, key).json()
    assert body["results"][0]["code"] == "permission_denied"
    assert body["results"][0]["field"] == "region_code"
    assert not CaseEvent.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"{not json", "body"),
        (b'{"events": "no"}', "events"),
        (b"[]", "events"),
        (b'{"nothing": 1}', "events"),
    ],
)
def test_a_malformed_body_is_400_and_writes_nothing(key, body, field):
    response = post(body, key, raw=True)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field
    assert not CaseEvent.objects.exists()


def test_more_than_1000_events_is_400(key):
    story = history()
    response = post([story.events[0]] * (MAX_BATCH + 1), key)
    assert response.status_code == 400
    assert response.json()["code"] == "batch_too_large"
    assert not CaseEvent.objects.exists()


def test_without_a_key_401(key):
    assert post(history().events, None).status_code == 401
    assert post(history().events, "egov_bad_key").status_code == 401
    assert not CaseEvent.objects.exists()


def test_the_endpoint_is_documented_with_its_body(db):
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/supervision/events"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    as_list, as_object = body["oneOf"]
    assert (as_list["minItems"], as_list["maxItems"]) == (1, MAX_BATCH)
    assert as_object["properties"]["events"] == as_list
    assert operation["security"]
