"""The region picker (区划选择): city then county by name, from the region table."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.approvals.tests.conftest import FORM, nothing_written
from egov.core.models import Region
from egov.core.testing import shanghai


@pytest.fixture(autouse=True)
def moment(time_machine):
    time_machine.move_to(shanghai(2026, 11, 26, 10))


def picker(page: str) -> str:
    start = page.index('<select id="f-district"')
    return page[start : page.index("</select>", start)]


def groups(page: str) -> dict[str, list[tuple[str, str]]]:
    found = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', picker(page))
    return {
        city: re.findall(r'<option value="(\d{6})"[^>]*>([^<]+)</option>', options)
        for city, options in found
    }


def test_the_applicant_picks_a_county_under_its_city(client, citizen, food_item):
    client.force_login(citizen)
    page = client.get(f"/approvals/items/{food_item.code}/").content.decode()
    by_city = groups(page)
    assert list(by_city)[:2] == ["哈尔滨市", "齐齐哈尔市"]
    assert ("230102", "哈尔滨市 道里区") in by_city["哈尔滨市"]
    assert all(code.startswith("2302") for code, _ in by_city["齐齐哈尔市"])
    offered = {code for options in by_city.values() for code, _ in options}
    current = set(
        Region.objects.filter(
            level=Region.Level.COUNTY, is_current=True, code__startswith="23"
        ).values_list("code", flat=True)
    )
    assert offered == current  # every current county, nothing historical, no city itself
    assert 'name="district" value=' not in page  # no code to type


def test_the_chosen_county_stays_chosen_when_the_form_comes_back(client, citizen, food_item):
    client.force_login(citizen)
    with nothing_written():
        response = client.post(
            f"/approvals/items/{food_item.code}/apply/",
            {**FORM, "phone": "12", "APP": SimpleUploadedFile("a.pdf", b"%PDF-1.7\n")},
        )
    assert response.status_code == 400
    assert '<option value="230102" selected>' in picker(response.content.decode())
