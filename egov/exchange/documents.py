"""The generic ``document`` message type (通用文件报文): a file and its metadata.

Its payload is checked against ``data/document.schema.json``; an accepted one
is published as ``ExchangeDocumentReceived`` for the documents module to take.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema

from egov.exchange.registry import MessageType, PayloadProblem, register_message_type

NAME = "document"
EVENT_TYPE = "ExchangeDocumentReceived"
SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "document.schema.json"


@lru_cache(maxsize=1)
def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def document_problem(payload: Mapping[str, Any]) -> PayloadProblem | None:
    """The first schema error as ``(field, reason)``, then content that is not base64."""
    errors = sorted(validator().iter_errors(payload), key=lambda e: -len(e.absolute_path))
    if errors:
        path = ".".join(str(p) for p in errors[0].absolute_path)
        return (f"payload.{path}" if path else "payload", errors[0].message[:200])
    try:
        base64.b64decode(str(payload["content"]), validate=True)
    except (binascii.Error, ValueError):
        return ("payload.content", "not base64")
    return None


def register() -> None:
    register_message_type(
        MessageType(NAME, EVENT_TYPE, document_problem, "a file with title and media type")
    )
