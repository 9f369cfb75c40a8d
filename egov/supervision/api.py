"""The supervision API (/api/v1/supervision/…): event intake from departments, findings, statistics.

Each area of the app adds its endpoints to this one router.
"""

from __future__ import annotations

from ninja import Router

router = Router(tags=["supervision"])


def add_area_routers() -> None:
    """Areas that keep their endpoints in a module of their own (statistics: S4)."""
    from egov.supervision.web.api_statistics import router as statistics_router

    router.add_router("", statistics_router)
    from egov.supervision.web.ingest_api import router as ingest_router

    router.add_router("", ingest_router)
    from egov.supervision.web.api_findings import router as findings_router

    router.add_router("", findings_router)
    from egov.supervision.web.api_rules import router as rules_router

    router.add_router("", rules_router)


add_area_routers()
