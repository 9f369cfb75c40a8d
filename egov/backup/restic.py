"""The restic command line (ADR 0040), with fixed arguments and timeouts; no Django.

Every call runs the program ``restic`` with an argument list (never a shell),
the repository and its password in the environment (``RESTIC_REPOSITORY``,
``RESTIC_PASSWORD``: never on the command line, where ``ps`` would show them),
``TZ=UTC`` so times given and read back are UTC, and a timeout after which the
process is killed. S3 credentials (``AWS_ACCESS_KEY_ID`` ...) pass through from
the environment for ``s3:`` repositories.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

PROGRAM = "restic"
TAG = "egov"
HOST = "egov"
PASSTHROUGH = (
    "PATH",
    "HOME",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_DEFAULT_REGION",
    "RESTIC_CACHE_DIR",
)
SHORT_TIMEOUT = 120
LONG_TIMEOUT = 6 * 3600


class ResticError(RuntimeError):
    """restic is missing, failed, or did not finish in time."""


@dataclass(frozen=True)
class Repository:
    """A restic repository: its location (a path, ``s3:...``, ``sftp:...``) and password."""

    location: str
    password: str

    @property
    def label(self) -> str:
        """The location without credentials, for pages and logs."""
        head, at, tail = self.location.rpartition("@")
        return f"{head.split('//')[0]}//***@{tail}" if at and "//" in head else self.location


@dataclass(frozen=True)
class SnapshotInfo:
    snapshot_id: str
    taken_at: dt.datetime
    paths: tuple[str, ...]
    tags: tuple[str, ...]


def available() -> bool:
    return shutil.which(PROGRAM) is not None


def environment(repository: Repository) -> dict[str, str]:
    env = {name: os.environ[name] for name in PASSTHROUGH if name in os.environ}
    env.setdefault("PATH", "/usr/bin:/bin")
    return env | {
        "RESTIC_REPOSITORY": repository.location,
        "RESTIC_PASSWORD": repository.password,
        "TZ": "UTC",
    }


def run(
    repository: Repository,
    arguments: Sequence[str],
    *,
    timeout: float = SHORT_TIMEOUT,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``restic <arguments>``; ResticError on failure, with restic's own message."""
    if not available():
        raise ResticError(
            "restic is not installed (scripts/setup installs it: apt-get install restic)"
        )
    try:
        completed = subprocess.run(  # noqa: S603 - fixed program, argument list, no shell
            [PROGRAM, "--quiet", *arguments],
            env=environment(repository),
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=cwd,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ResticError(f"restic {arguments[0]} did not finish in {timeout:g} s: killed") from exc
    if completed.returncode != 0:
        message = (completed.stderr or completed.stdout).strip().splitlines()
        raise ResticError(
            f"restic {arguments[0]} failed (exit {completed.returncode}): "
            + " / ".join(message[-5:])
        )
    return completed


def is_initialised(repository: Repository) -> bool:
    try:
        run(repository, ["cat", "config"])
    except ResticError:
        return False
    return True


def initialise(repository: Repository) -> bool:
    """Create the repository (format 2: compression) unless it exists; True if created."""
    if is_initialised(repository):
        return False
    if repository.location.startswith(("/", ".")):
        Path(repository.location).parent.mkdir(parents=True, exist_ok=True)
    run(repository, ["init", "--repository-version", "2"])
    return True


def restic_time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def backup(repository: Repository, paths: Sequence[Path], *, taken_at: dt.datetime) -> str:
    """Back up ``paths`` as one snapshot dated ``taken_at``; its id.

    restic writes the snapshot object last, after all data: a backup killed
    midway leaves packs no snapshot refers to (``prune`` removes them) and every
    earlier snapshot intact.
    """
    completed = run(
        repository,
        [
            "backup",
            "--json",
            "--tag",
            TAG,
            "--host",
            HOST,
            "--time",
            restic_time(taken_at),
            "--compression",
            "auto",
            *[str(path) for path in paths],
        ],
        timeout=LONG_TIMEOUT,
    )
    for line in reversed(completed.stdout.splitlines()):
        message = json.loads(line) if line.startswith("{") else {}
        if message.get("message_type") == "summary":
            return str(message["snapshot_id"])
    raise ResticError("restic backup printed no summary")


def parse_time(text: str) -> dt.datetime:
    """restic's RFC 3339 time (nanoseconds, Z or an offset) as an aware datetime."""
    head, _, rest = text.partition(".")
    zone = rest.lstrip("0123456789") if rest else head[19:]
    return dt.datetime.fromisoformat(head[:19] + (zone.replace("Z", "+00:00") or "+00:00"))


def snapshots(repository: Repository) -> list[SnapshotInfo]:
    """The egov snapshots in the repository, oldest first."""
    completed = run(repository, ["snapshots", "--json", "--tag", TAG])
    found = [
        SnapshotInfo(
            snapshot_id=item["id"],
            taken_at=parse_time(item["time"]),
            paths=tuple(item.get("paths", ())),
            tags=tuple(item.get("tags") or ()),
        )
        for item in json.loads(completed.stdout or "[]")
    ]
    return sorted(found, key=lambda s: s.taken_at)


def check(repository: Repository, *, read_data: bool = True) -> None:
    """Check the repository's structure and (``read_data``) every pack's contents.

    Stale locks of killed processes are removed first (``unlock`` keeps live ones).
    """
    run(repository, ["unlock"])
    run(repository, ["check", *(["--read-data"] if read_data else [])], timeout=LONG_TIMEOUT)


def restore(repository: Repository, snapshot_id: str, target: Path) -> None:
    run(repository, ["restore", snapshot_id, "--target", str(target)], timeout=LONG_TIMEOUT)


def forget(repository: Repository, snapshot_ids: Sequence[str]) -> None:
    """Forget these snapshots and prune the data only they used."""
    if snapshot_ids:
        run(repository, ["forget", "--prune", *snapshot_ids], timeout=LONG_TIMEOUT)
