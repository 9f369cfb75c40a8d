"""``egov serve`` gives its children a multiprocess metrics directory, emptied of the last run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from egov.core.management.commands.serve import metrics_environment


def test_the_default_directory_is_under_var_and_is_emptied(tmp_path: Path, settings: Any) -> None:
    settings.VAR_DIR = tmp_path
    stale = tmp_path / "prometheus" / "counter_4242.db"
    stale.parent.mkdir()
    stale.write_bytes(b"last run")

    env = metrics_environment({"PATH": "/usr/bin"})

    assert env == {"PATH": "/usr/bin", "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus")}
    assert not stale.exists()


def test_a_given_directory_is_kept_and_only_its_metric_files_removed(tmp_path: Path) -> None:
    (tmp_path / "histogram_7.db").write_bytes(b"old")
    (tmp_path / "README").write_text("not ours")

    env = metrics_environment({"PROMETHEUS_MULTIPROC_DIR": str(tmp_path)})

    assert env["PROMETHEUS_MULTIPROC_DIR"] == str(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README"]
