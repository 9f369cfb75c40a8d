"""The portal home page (门户首页): Chinese by default, English on request, honest module list."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse


@pytest.mark.django_db
def test_home_is_in_simplified_chinese_by_default(client: Client) -> None:
    response = client.get(reverse("core:home"))

    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-Hans">' in page
    assert "黑龙江省人民政府门户" in page
    for section in ("网上办事", "政务公开", "互动交流", "平台服务"):
        assert section in page
    assert reverse("core:login") in page
    assert reverse("core:public_login") in page
    assert 'value="en" class="linklike" lang="en">English</button>' in page


@pytest.mark.django_db
def test_home_marks_installed_modules_live_and_others_coming(client: Client) -> None:
    page = client.get(reverse("core:home")).content.decode()

    def status_of(name: str) -> str:
        tile = page[page.index(f"<strong>{name}") :]
        return tile[: tile.index("</strong>")]

    assert "已上线" in status_of("网络信任体系")  # egov.trust is installed
    assert "建设中" in status_of("应急平台")  # egov.emergency is not (yet)
    assert "已上线" not in status_of("应急平台")


@pytest.mark.django_db
def test_stylesheet_and_htmx_are_served_locally(client: Client) -> None:
    page = client.get(reverse("core:home")).content.decode()

    assert 'href="/static/egov/egov.css"' in page
    assert 'src="/static/django_htmx/htmx-2.min.js"' in page
    # Nothing is loaded from another host (government networks are often closed).
    # (A plain "cdn" substring test failed when a random nonce happened to contain it.)
    assert re.findall(r'<(?:script|link|img|iframe)\b[^>]*(?:src|href)="(?:https?:)?//', page) == []


@pytest.mark.django_db
def test_language_switch_turns_the_page_english(client: Client) -> None:
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert switched.status_code == 302

    page = client.get(reverse("core:home")).content.decode()

    assert '<html lang="en">' in page
    assert "Heilongjiang Provincial Government Portal" in page
    assert "Online services" in page
    assert "网上办事" not in page
    assert 'lang="zh-hans">简体中文</button>' in page


@pytest.mark.django_db
def test_english_login_error_is_translated_too(client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    response = client.post(reverse("core:login"), {"username": "x", "password": "y"})

    assert "Incorrect username or password." in response.content.decode()
