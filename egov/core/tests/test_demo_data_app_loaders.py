"""Apps add their own demo data through register_demo_loader, in the same transaction."""

from __future__ import annotations

import pytest

from egov.core import demo
from egov.core.management.commands.demo import settings_lines
from egov.core.models import Organisation, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaders(monkeypatch: pytest.MonkeyPatch) -> dict:
    registry: dict = {}
    monkeypatch.setattr(demo, "_app_loaders", registry)
    return registry


def test_a_registered_loader_runs_after_the_organisations(loaders: dict) -> None:
    seen: list[int] = []
    demo.register_demo_loader("count", lambda: seen.append(Organisation.objects.count()))

    demo.load_demo_data()
    demo.load_demo_data()

    assert len(seen) == 2
    assert seen[0] > 1000  # the organisation chart was there when the loader ran


def test_a_failing_loader_leaves_no_demo_data(loaders: dict) -> None:
    def broken() -> None:
        raise RuntimeError("catalogue file missing")

    demo.register_demo_loader("broken", broken)

    with pytest.raises(RuntimeError):
        demo.load_demo_data()

    assert not Organisation.objects.exists()
    assert not User.objects.exists()


def test_registering_a_name_twice_keeps_one_loader(loaders: dict) -> None:
    calls: list[str] = []
    demo.register_demo_loader("same", lambda: calls.append("first"))
    demo.register_demo_loader("same", lambda: calls.append("second"))

    demo.load_demo_data()

    assert calls == ["second"]


def test_a_demo_setting_is_set_only_where_the_environment_lacks_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(demo, "_demo_settings", {})
    setting = demo.DemoSetting("EGOV_EXAMPLE_SECRET", "demo-only-value", "an example")
    demo.register_demo_setting(setting)

    empty: dict[str, str] = {"EGOV_EXAMPLE_SECRET": ""}
    assert demo.apply_demo_settings(empty) == [setting]
    assert empty == {"EGOV_EXAMPLE_SECRET": "demo-only-value"}
    chosen = {"EGOV_EXAMPLE_SECRET": "the operator's own"}
    assert demo.apply_demo_settings(chosen) == []
    assert chosen == {"EGOV_EXAMPLE_SECRET": "the operator's own"}
    assert settings_lines([setting]) == "EGOV_EXAMPLE_SECRET=demo-only-value  # an example\n"
