"""The HTTP API against its own OpenAPI document (schemathesis), as four kinds of caller.

Every operation is called with generated input by an anonymous caller, a
citizen, a clerk and a supervisor; an operation whose path names a case, a
finding or a notice is also called with the real identifiers of ones that
exist (their own case, a finding and a notice in the supervisor's scope), so
the code behind the "not found" is reached too. Every answer must be no
server error, a declared status, and a body that matches what the document
declares for it. The run is bounded (a few examples per operation and caller).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from hypothesis import HealthCheck, settings
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

from egov.approvals.services import save_service_item, submit_application
from egov.approvals.tests.conftest import FOOD_ITEM, FORM, good_files
from egov.core.testing import kept_for_the_module, make_citizen, make_organisation, named_user
from egov.supervision.findings import handling as findings
from egov.supervision.tests.lit_cases import make_finding

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

CALLERS = ("anonymous", "citizen", "clerk", "supervisor")
EXAMPLES = 4
# Whether valid-looking input is accepted, or invalid input refused, is not what
# this run checks: the document's patterns cannot say "a region that exists".
NOT_CHECKED = [positive_data_acceptance, negative_data_rejection]


def real_objects(citizen: Any, supervisor: Any) -> dict[str, Any]:
    department = make_organisation("230102-SCJG")
    item = save_service_item(actor="system", department=department, spec=FOOD_ITEM)
    case = submit_application(applicant=citizen, item_code=item.code, form=FORM, files=good_files())
    finding = make_finding()
    notice_finding = make_finding()
    notice = findings.issue_notice(
        actor=supervisor, finding_id=notice_finding.pk, due_days=5, instructions="请说明"
    )
    return {
        "case": case.number,
        "finding": finding.pk,
        "notice": notice.number,
        "item": item.code,
    }


def signed_in_headers(user: Any) -> dict[str, str]:
    """The session and CSRF cookies of ``user`` and the matching CSRF header."""
    client = Client()
    client.force_login(user)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    request = RequestFactory().get("/")
    token = get_token(request)  # masked, for the header; the secret goes in the cookie
    secret = request.META["CSRF_COOKIE"]
    names = django_settings.SESSION_COOKIE_NAME, django_settings.CSRF_COOKIE_NAME
    cookies = f"{names[0]}={session}; {names[1]}={secret}"
    return {"Cookie": cookies, "X-CSRFToken": token}


def signed_in_as(headers: dict[str, str]) -> str | None:
    """Who the API takes the caller with ``headers`` for (None: nobody)."""
    answer = Client().get("/api/v1/whoami", HTTP_COOKIE=headers.get("Cookie", ""))
    return answer.json()["name"] if answer.status_code == 200 else None


@contextlib.contextmanager
def connection_kept_open() -> Iterator[None]:
    """The test's database connection survives each WSGI call, as in Django's test client.

    Django closes old connections when a request starts and finishes; through the
    WSGI app that would close the test's transaction (PostgreSQL) mid-test. The
    test client re-enables that after each of its own requests, so this is
    entered after the last of those.
    """
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@pytest.fixture(scope="module")
def module_callers(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The callers' accounts, sessions and real objects, built once for the module's few
    hundred runs (each test's writes are rolled back after it; these after the module)."""
    with kept_for_the_module(django_db_blocker):
        citizen = make_citizen("citizen_fuzz")
        supervisor = named_user("supervisor_province")
        objects = real_objects(citizen, supervisor)
        headers = {
            "anonymous": {},
            "citizen": signed_in_headers(citizen),
            "clerk": signed_in_headers(named_user("clerk_harbin_daoli")),
            "supervisor": signed_in_headers(supervisor),
        }
        # The run is only worth something if the sessions are real: each caller is who it says.
        assert {name: signed_in_as(h) for name, h in headers.items()} == {
            "anonymous": None,
            "citizen": "citizen_fuzz",
            "clerk": "clerk_harbin_daoli",
            "supervisor": "supervisor_province",
        }
        with connection_kept_open():
            yield {"headers": headers, "objects": objects}


@pytest.fixture
def callers(db: None, module_callers: dict[str, Any]) -> dict[str, Any]:
    """The module's callers, in the test's own transaction (a savepoint in the module's)."""
    return module_callers


def with_real_identifiers(case: Any, objects: dict[str, Any]) -> bool:
    """Put real identifiers into ``case``'s path; False if its path names none."""
    path = case.operation.path
    real = {
        "number": objects["notice"] if "/notices/" in path else objects["case"],
        "finding_id": objects["finding"],
        "code": objects["item"],
    }
    names = [name for name in (case.path_parameters or {}) if name in real]
    for name in names:
        case.path_parameters[name] = real[name]
    return bool(names)


@pytest.mark.parametrize("caller", CALLERS)
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_answer_is_declared(case: Any, caller: str, callers: dict[str, Any]) -> None:
    if caller != "anonymous" and not case.operation.definition.raw.get("security"):
        return  # a public operation answers everyone alike: the anonymous run covers it
    headers = callers["headers"][caller]
    case.call_and_validate(headers=headers, excluded_checks=NOT_CHECKED)
    if with_real_identifiers(case, callers["objects"]):
        case.call_and_validate(headers=headers, excluded_checks=NOT_CHECKED)
