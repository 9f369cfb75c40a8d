"""The one permission check (权限). Interface fixed; implementation by the people work."""

from __future__ import annotations

from typing import Any


def may(user: Any, action: str, obj: Any = None) -> bool:
    """May this user do this action on this object?"""
    raise NotImplementedError
