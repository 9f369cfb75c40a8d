"""Region reads (行政区划查询).

A region's ``path`` is its chain of codes (``230000/230100/230102/``): given a
Region, its subtree is one indexed prefix query and its ancestors one
``code IN (...)`` query. Given a code, the region is looked up first.
"""

from __future__ import annotations

from django.db.models import QuerySet

from egov.core.errors import ErrorCode, InvalidInputError, NotFoundError
from egov.core.models import Region
from egov.core.regions_data import HEILONGJIANG, is_region_code


def check_region_code(code: object, field: str = "code") -> str:
    """The code if it has the form of a GB/T 2260 code; else a 400 naming ``field``."""
    if not is_region_code(code):
        raise InvalidInputError(
            ErrorCode.INVALID_REGION_CODE, field, "must be a 6-digit GB/T 2260 code"
        )
    return str(code)


def get_region(code: object, *, field: str = "code") -> Region:
    """The region with this code (current or historical); 404 ``region_not_found`` if none."""
    checked = check_region_code(code, field)
    region = Region.objects.filter(code=checked).first()
    if region is None:
        raise NotFoundError(ErrorCode.REGION_NOT_FOUND, f"no region with code {checked}", field)
    return region


def as_region(region: Region | str) -> Region:
    return region if isinstance(region, Region) else get_region(region)


def subtree(region: Region | str, *, current_only: bool = True) -> QuerySet[Region]:
    """The region and every region below it (one prefix query on ``path``)."""
    query = Region.objects.filter(path__startswith=as_region(region).path)
    return query.filter(is_current=True) if current_only else query


def ancestors(region: Region | str) -> QuerySet[Region]:
    """The region's chain from the province down, itself included (one query)."""
    codes = [code for code in as_region(region).path.split("/") if code]
    return Region.objects.filter(code__in=codes).order_by("level", "code")


def children(region: Region | str, *, current_only: bool = True) -> QuerySet[Region]:
    """The divisions directly under this one (current ones unless asked)."""
    code = region.code if isinstance(region, Region) else get_region(region).code
    query = Region.objects.filter(parent_id=code)
    return query.filter(is_current=True) if current_only else query


def top_regions(province: str = HEILONGJIANG) -> QuerySet[Region]:
    """The province and its current prefecture-level divisions (省级和地级)."""
    return Region.objects.filter(is_current=True, level__lte=Region.Level.PREFECTURE).filter(
        code__startswith=province[:2]
    )
