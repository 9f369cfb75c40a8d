"""The portal speaks Simplified Chinese unless the visitor switches language."""

import pytest
from django.test import Client
from django.urls import reverse


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese_by_default(client: Client) -> None:
    page = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content

    assert '<html lang="zh-Hans">' in page.decode()
    assert "网上办事" in page.decode()


@pytest.mark.django_db
def test_the_switch_cookie_chooses_english(client: Client) -> None:
    client.cookies["django_language"] = "en"

    page = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()

    assert '<html lang="en">' in page
    assert "Online services" in page


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_chinese(client: Client) -> None:
    client.cookies["django_language"] = "xx"

    page = client.get(reverse("core:home")).content.decode()

    assert '<html lang="zh-Hans">' in page
