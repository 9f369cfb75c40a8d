"""The account page (我的账户) links a citizen to what apps registered for public accounts."""

import pytest
from django.test import Client
from django.urls import reverse

from egov.core.models import User

pytestmark = pytest.mark.django_db


def test_a_citizen_sees_links_to_cases_and_certificates(client: Client, citizen: User) -> None:
    client.force_login(citizen)
    page = client.get(reverse("core:account")).content.decode()

    assert f'href="{reverse("approvals:my_cases")}"' in page
    assert f'href="{reverse("trust:my_certificates")}"' in page
    assert f'href="{reverse("supervision:complaints")}"' in page


def test_staff_menu_entries_are_not_on_a_citizens_page(client: Client, citizen: User) -> None:
    client.force_login(citizen)
    page = client.get(reverse("core:account")).content.decode()

    assert f'href="{reverse("core:workbench")}"' not in page
    assert f'href="{reverse("trust:ra_queue")}"' not in page


def test_staff_workbench_does_not_show_public_entries(client: Client, clerk_harbin_daoli) -> None:
    client.force_login(clerk_harbin_daoli)
    page = client.get(reverse("core:workbench")).content.decode()

    assert f'href="{reverse("approvals:my_cases")}"' not in page
