"""Bounded text fields for the API's schemas (接口文本字段), no Django import.

Each type is ``str`` with the ``max_length`` of its kind of text from
:mod:`egov.core.text_input`, so the OpenAPI document states the limit the
services enforce. The services still check every text themselves (type,
control characters, length): pages and commands pass through them too.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from egov.core.text_input import CODE_MAX, LINE_MAX, NAME_MAX, NOTE_MAX, PHONE_MAX

CodeText = Annotated[str, Field(max_length=CODE_MAX)]
NameText = Annotated[str, Field(max_length=NAME_MAX)]
PhoneText = Annotated[str, Field(max_length=PHONE_MAX)]
LineText = Annotated[str, Field(max_length=LINE_MAX)]
NoteText = Annotated[str, Field(max_length=NOTE_MAX)]
