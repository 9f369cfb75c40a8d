"""Event intake from departments' systems: ``POST /api/v1/supervision/events`` (采集接口).

An external system authenticates with its API key (``X-API-Key``, core's
``ApiKeyAuth``) and posts a batch of up to 1,000 case events of
``docs/case-events.schema.json``, either as a JSON array or as
``{"events": [...]}``. The answer is 200 with one result per event
(``accepted``, ``duplicate``, or ``rejected`` with ``code``, ``field`` and
``reason``) even when some are rejected; the good ones are kept. A body that
is not a batch (not JSON, no list, empty, more than 1,000 events) is 400 and
nothing is written. A system may only report events of its own
organisation's region (others are rejected one by one, ``permission_denied``).
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import AuthenticationError

from egov.core.api import ApiKeyAuth
from egov.core.api_errors import ErrorOut
from egov.core.models import ExternalSystem
from egov.supervision.collection.ingest import MAX_BATCH, ingest_events
from egov.supervision.errors import ErrorCode, SupervisionError
from egov.supervision.models import Source

router = Router(tags=["supervision"])


class EventResultOut(Schema):
    index: int
    event_id: str
    status: str
    code: str | None = None
    field: str | None = None
    reason: str | None = None


class BatchOut(Schema):
    accepted: int
    duplicate: int
    rejected: int
    cases: int
    items: int
    results: list[EventResultOut]


def parse_batch(body: bytes) -> list[Any]:
    """The events of a request body; SupervisionError (400) if it is not a batch."""
    try:
        parsed = json.loads(body or b"")
    except (ValueError, UnicodeDecodeError):
        raise SupervisionError(
            ErrorCode.INVALID_INPUT, "the body is not JSON", {"body": "not JSON"}
        ) from None
    events = parsed.get("events") if isinstance(parsed, dict) else parsed
    if not isinstance(events, list):
        raise SupervisionError(
            ErrorCode.INVALID_INPUT,
            'expected a JSON array of events or {"events": [...]}',
            {"events": "a list of events is required"},
        )
    if not events:
        raise SupervisionError(ErrorCode.INVALID_INPUT, "empty batch", {"events": "empty"})
    if len(events) > MAX_BATCH:
        raise SupervisionError(
            ErrorCode.BATCH_TOO_LARGE,
            f"at most {MAX_BATCH} events per batch",
            {"events": f"{len(events)} events; at most {MAX_BATCH}"},
        )
    return events


EVENT_LIST = {"type": "array", "minItems": 1, "maxItems": MAX_BATCH, "items": {"type": "object"}}


@router.post(
    "/events",
    auth=ApiKeyAuth(),
    response={200: BatchOut, 400: ErrorOut},
    summary="Send case events (报送办件事件)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "description": "A JSON array of 1 to 1,000 case events "
                        '(docs/case-events.schema.json), or {"events": [...]}.',
                        "oneOf": [
                            EVENT_LIST,
                            {
                                "type": "object",
                                "properties": {"events": EVENT_LIST},
                                "required": ["events"],
                            },
                        ],
                    }
                }
            },
        }
    },
)
def post_events(request: HttpRequest) -> Any:
    """A batch of case events from a department's system; one result per event."""
    try:
        events = parse_batch(request.body)
    except SupervisionError as exc:
        return Status(400, exc.as_dict())
    system = getattr(request, "auth", None)  # set by django-ninja from ApiKeyAuth
    if not isinstance(system, ExternalSystem):
        raise AuthenticationError
    report = ingest_events(
        events=events,
        source=Source.API,
        source_system=system.code,
        actor=system.code,
        scope_path=system.organisation.region.path,
    )
    return {**report.summary(), "results": [r.as_dict() for r in report.results]}
