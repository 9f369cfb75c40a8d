"""The demo catalogue: 60+ realistic items, 12+ provincial departments, their counterparts."""

from __future__ import annotations

import time

from egov.approvals.catalogue import check_item
from egov.approvals.demo import ITEMS, PROVINCE, load_demo_catalogue
from egov.approvals.models import ServiceItem
from egov.approvals.selectors import service_guide
from egov.core.demo import load_demo_organisations


def test_the_table_has_enough_distinct_items_and_departments():
    assert len(ITEMS) >= 60
    assert len({item.number for item in ITEMS}) == len(ITEMS)
    assert len({item.department for item in ITEMS}) >= 12
    provincial = {item.department for item in ITEMS if PROVINCE in item.levels}
    assert len(provincial) >= 12


def test_loading_is_idempotent_and_reaches_cities_and_counties(db):
    load_demo_organisations()
    started = time.perf_counter()
    created = load_demo_catalogue()
    print(f"demo catalogue: {created} items in {time.perf_counter() - started:.1f}s")
    assert created == ServiceItem.objects.count()
    assert load_demo_catalogue() == 0
    assert ServiceItem.objects.filter(department__code="230000-SCJG", base_code="SCJG-002").exists()
    food = ServiceItem.objects.filter(base_code="SCJG-001")
    assert food.filter(department__code="230102-SCJG").exists()  # 道里区
    assert food.filter(department__code="230100-SCJG").exists()  # 哈尔滨市
    assert food.filter(department__region__level=3).count() > 100  # every county
    provincial_departments = set(
        ServiceItem.objects.filter(department__region__level=1).values_list(
            "department__code", flat=True
        )
    )
    assert len(provincial_departments) >= 12
    for item in ServiceItem.objects.filter(department__code__startswith="230102-"):
        check_item(
            {
                name: getattr(item, name)
                for name in (
                    "code",
                    "name",
                    "kind",
                    "legal_basis",
                    "statutory_limit_days",
                    "promised_limit_days",
                    "fees",
                    "materials",
                    "process",
                    "form_fields",
                )
            }
        )


def test_the_service_guide_assembles_everything(db):
    load_demo_organisations()
    load_demo_catalogue()
    guide = service_guide("GA-009-230102")
    assert guide is not None
    assert guide.name == "居民身份证申领"
    assert guide.department == "哈尔滨市道里区公安局"
    assert "《中华人民共和国居民身份证法》" in guide.legal_basis
    assert guide.fees[0]["amount_yuan"] == "20.00"
    assert not guide.free
    assert [step["name"] for step in guide.process][:1] == ["受理"]
    assert guide.materials[0]["form_label"] in {"原件", "复印件"}
    assert guide.promised_limit_days <= guide.statutory_limit_days
    assert guide.place.startswith("道里区政务服务中心")
    assert service_guide("NO-SUCH-CODE") is None
