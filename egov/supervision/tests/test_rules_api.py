"""The rules API: read every rule; a supervisor changes a setting; refusals name the field."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from egov.core.testing import make_organisation
from egov.supervision.judging.rules import REGISTRY
from egov.supervision.models import RuleSetting

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def put(client: Client, code: str, body: dict):
    return client.put(
        f"/api/v1/supervision/rules/{code}/settings",
        data=json.dumps(body),
        content_type="application/json",
    )


def test_a_leader_reads_every_rule(leader_harbin):
    response = client_for(leader_harbin).get("/api/v1/supervision/rules")
    assert response.status_code == 200
    rules = {rule["code"]: rule for rule in response.json()}
    assert set(rules) == set(REGISTRY)
    night = rules["irregular.night_closures"]
    assert night["params"][0] == {
        "name": "min_count",
        "default": 5,
        "label": "件数下限",
        "type": "int",
    }
    assert night["basis"]


def test_a_clerk_is_refused(clerk_harbin_daoli):
    assert client_for(clerk_harbin_daoli).get("/api/v1/supervision/rules").status_code == 403


def test_a_supervisor_sets_a_department_parameter(supervisor_province):
    make_organisation("230102-SCJG")
    response = put(
        client_for(supervisor_province),
        "review.sampled",
        {"department_code": "230102-SCJG", "parameters": {"rate": 0.1}},
    )
    assert response.status_code == 200
    assert response.json()["parameters"] == {"rate": 0.1}
    assert RuleSetting.objects.get().parameters == {"rate": 0.1}


def test_a_bad_parameter_is_a_400_naming_it_and_nothing_is_written(supervisor_province):
    response = put(client_for(supervisor_province), "review.sampled", {"parameters": {"rate": 2}})
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "parameters.rate", "reason": "must be <= 1"}]
    assert RuleSetting.objects.count() == 0


def test_a_leader_may_not_change_settings(leader_harbin):
    response = put(client_for(leader_harbin), "review.sampled", {"enabled": False})
    assert response.status_code == 403
    assert RuleSetting.objects.count() == 0
