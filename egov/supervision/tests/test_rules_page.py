"""The rules page: viewers read every rule; supervisors change settings, checked and audited."""

from __future__ import annotations

import pytest
from django.test import Client

from egov.core.models import AuditEntry, Event
from egov.core.testing import make_organisation
from egov.supervision.judging.rules import REGISTRY
from egov.supervision.models import RuleSetting

pytestmark = pytest.mark.django_db
URL = "/supervision/rules/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_supervisor_sees_every_rule_with_its_basis_and_parameters(supervisor_province):
    response = client_for(supervisor_province).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    for code, rule in REGISTRY.items():
        assert f'id="rule-{code}"' in page
        assert rule.name in page
    assert "《中华人民共和国行政许可法》第三十二条" in page
    assert "min_count" in page
    assert 'name="rule_code"' in page


def test_a_leader_reads_but_has_no_form_and_may_not_post(leader_harbin):
    client = client_for(leader_harbin)
    page = client.get(URL).content.decode()
    assert "time.promised_overdue" in page
    assert 'name="rule_code"' not in page
    response = client.post(URL, {"rule_code": "time.promised_overdue", "enabled": "on"})
    assert response.status_code == 403
    assert RuleSetting.objects.count() == 0


def test_a_clerk_is_refused(clerk_harbin_daoli):
    assert client_for(clerk_harbin_daoli).get(URL).status_code == 403


def test_a_supervisor_switches_a_rule_off_for_a_department(supervisor_province):
    make_organisation("230102-SCJG")
    response = client_for(supervisor_province).post(
        URL,
        {
            "rule_code": "irregular.night_closures",
            "department_code": "230102-SCJG",
            "param_min_count": "8",
        },
    )
    assert response.status_code == 302
    setting = RuleSetting.objects.get()
    assert (setting.department_code, setting.enabled) == ("230102-SCJG", False)
    assert setting.parameters == {"min_count": 8}
    assert setting.changed_by == supervisor_province
    assert AuditEntry.objects.filter(action="supervision.RuleSettingChanged").count() == 1
    assert Event.objects.filter(event_type="RuleSettingChanged").count() == 1


def test_a_bad_parameter_is_refused_with_its_field_and_nothing_written(supervisor_province):
    response = client_for(supervisor_province).post(
        URL, {"rule_code": "irregular.night_closures", "enabled": "on", "param_min_count": "many"}
    )
    assert response.status_code == 400
    assert "parameters.min_count" in response.content.decode()
    assert "expected an integer" in response.content.decode()
    assert RuleSetting.objects.count() == 0
    assert not AuditEntry.objects.filter(action="supervision.RuleSettingChanged").exists()


def test_an_unknown_department_is_refused(supervisor_province):
    response = client_for(supervisor_province).post(
        URL, {"rule_code": "time.promised_overdue", "department_code": "999999-XX", "enabled": "on"}
    )
    assert response.status_code == 400
    assert "department_code" in response.content.decode()
    assert RuleSetting.objects.count() == 0


def test_a_city_supervisor_may_not_change_the_province_wide_setting(supervisor_harbin):
    client = client_for(supervisor_harbin)
    refused = client.post(URL, {"rule_code": "time.promised_overdue", "enabled": "on"})
    assert refused.status_code == 403
    assert RuleSetting.objects.count() == 0
    make_organisation("230102-SCJG")
    allowed = client.post(
        URL, {"rule_code": "time.promised_overdue", "department_code": "230102-SCJG"}
    )
    assert allowed.status_code == 302
    make_organisation("230200-SCJG")
    elsewhere = client.post(
        URL, {"rule_code": "time.promised_overdue", "department_code": "230200-SCJG"}
    )
    assert elsewhere.status_code == 403
    assert RuleSetting.objects.count() == 1
