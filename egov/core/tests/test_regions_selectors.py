"""Region selectors: subtree and ancestors in one query each, children, not-found."""

from __future__ import annotations

import pytest

from egov.core.errors import ErrorCode, InvalidInputError, NotFoundError
from egov.core.models import Region
from egov.core.selectors.regions import ancestors, children, get_region, subtree, top_regions

pytestmark = pytest.mark.django_db


def test_subtree_of_harbin_is_one_query(django_assert_num_queries):
    harbin = Region.objects.get(code="230100")
    with django_assert_num_queries(1):
        codes = [r.code for r in subtree(harbin)]
    assert codes[0] == "230100"
    assert "230102" in codes
    assert all(code.startswith("2301") for code in codes)
    assert "230121" not in codes  # historical 呼兰县 only when asked
    assert "230121" in [r.code for r in subtree(harbin, current_only=False)]


def test_ancestors_is_one_query_province_first(django_assert_num_queries):
    daoli = Region.objects.get(code="230102")
    with django_assert_num_queries(1):
        chain = [r.code for r in ancestors(daoli)]
    assert chain == ["230000", "230100", "230102"]


def test_children_of_a_prefecture_are_its_current_counties():
    names = {r.name for r in children("232700")}
    assert names == {"漠河市", "呼玛县", "塔河县"}
    assert "加格达奇区" in {r.name for r in children("232700", current_only=False)}


def test_top_regions_are_the_province_and_its_prefectures():
    regions = list(top_regions())
    assert len(regions) == 14
    assert regions[0].code == "230000"


def test_unknown_and_malformed_codes_raise_clear_errors():
    with pytest.raises(NotFoundError) as missing:
        get_region("239999")
    assert (missing.value.error_code, missing.value.field) == (ErrorCode.REGION_NOT_FOUND, "code")
    for bad in ("2301", "23010a", "2301020", None, "２３０１０２"):
        with pytest.raises(InvalidInputError) as malformed:
            get_region(bad)
        assert malformed.value.error_code == ErrorCode.INVALID_REGION_CODE
