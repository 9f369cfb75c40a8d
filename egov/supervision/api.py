"""The supervision API (/api/v1/supervision/…): event intake from departments, findings, statistics.

Each area of the app adds its endpoints to this one router.
"""

from __future__ import annotations

from ninja import Router

router = Router(tags=["supervision"])
