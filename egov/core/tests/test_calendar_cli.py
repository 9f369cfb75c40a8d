"""``egov calendar add|between|show``: printed answers and exit code 2 on bad input."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue().strip()


def test_add_prints_the_date_across_national_day() -> None:
    assert run("add", "2026-09-30", "1") == "2026-10-08"
    assert run("add", "2026-09-30", "3") == "2026-10-10"
    assert run("add", "2026-10-03", "0") == "2026-10-03"


def test_add_with_a_pause() -> None:
    assert run("add", "2026-10-30", "1", "--paused", "2026-11-02:2026-11-06") == "2026-11-09"


def test_between_prints_the_count_start_excluded_end_included() -> None:
    assert run("between", "2026-09-30", "2026-10-09") == "2"
    assert run("between", "2026-10-09", "2026-09-30") == "-2"
    assert run("between", "2026-02-13", "2026-02-14") == "1"  # a make-up Saturday


def test_show_lists_a_year() -> None:
    lines = run("show", "2026").splitlines()
    assert lines[0].startswith("2026: ")
    assert lines[0].endswith("(official)")
    assert "2026-02-14 Sat work 春节调休上班" in lines
    assert "2026-10-01 Thu rest 国庆节" in lines
    assert run("show", "2027").splitlines()[0].endswith("(provisional)")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "2026-9-30x", "3"), "DATE: '2026-9-30x' is not a date"),
        (("add", "2026-09-30", "three"), "N: 'three' is not a whole number"),
        (("add", "2026-09-30", "-1"), "N: '-1' is not a whole number"),
        (
            ("add", "2026-09-30", "1", "--paused", "2026-11-06"),
            "--paused: '2026-11-06' is not FIRST:LAST",
        ),
        (
            ("add", "2026-09-30", "1", "--paused", "2026-11-06:2026-11-02"),
            "--paused: last 2026-11-02 is before",
        ),
        (("between", "2026-09-30", "tomorrow"), "B: 'tomorrow' is not a date"),
        (("show", "twenty"), "YEAR: 'twenty' is not a year"),
        (("add", "9999-12-01", "100"), "beyond 9999-12-31"),
    ],
)
def test_bad_arguments_exit_2_with_a_clear_message(args, message) -> None:
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert caught.value.returncode == 2
    assert message in str(caught.value)


def test_the_console_script_exits_2_on_a_malformed_date(tmp_path: Path) -> None:
    egov = Path(sys.executable).with_name("egov")
    env = {**os.environ, "EGOV_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "egov.settings"}
    env["EGOV_DATABASE_URL"] = f"sqlite:///{tmp_path / 'unused.sqlite3'}"
    done = subprocess.run(  # noqa: S603 - our own console script, fixed arguments
        [str(egov), "calendar", "add", "2026-02-30", "5"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "DATE: '2026-02-30' is not a date in YYYY-MM-DD form" in done.stderr
    assert done.stdout == ""


def test_the_console_script_exits_2_on_an_unmigrated_database(tmp_path: Path) -> None:
    egov = Path(sys.executable).with_name("egov")
    env = {**os.environ, "EGOV_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "egov.settings"}
    env["EGOV_DATABASE_URL"] = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    done = subprocess.run(  # noqa: S603 - our own console script, fixed arguments
        [str(egov), "calendar", "add", "2026-09-30", "1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "run `egov migrate` first" in done.stderr
    assert "Traceback" not in done.stderr
