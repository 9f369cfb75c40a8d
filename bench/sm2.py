"""Benchmark SM2 against OpenSSL and the CA's issuing rate on this machine.

Run:  .venv/bin/python -m bench.sm2 [--seconds 3] [--database-url postgres://...]

Measures, in one run: SM2 signatures and verifications per second through our
libcrypto binding beside ``openssl speed sm2`` (ratio), then certificates per
second: built and signed in memory (``egov.trust.pki``), and issued through the
service (``issue_certificate``: unlock the CA key, sign, store, audit) on a
fresh database (a temporary SQLite file unless ``--database-url`` is given).
Prints a Markdown section for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.machine import describe_machine

# Run as a script, bench/ comes first on the path, where bench/calendar.py would shadow
# the standard library's calendar module: put the repository there instead.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [str(_HERE.parent)] + [p for p in sys.path if Path(p or ".").resolve() != _HERE]

from egov.trust.crypto import suite  # noqa: E402 - after the path set-up
from egov.trust.pki.certificates import build_certificate, end_entity_extensions  # noqa: E402
from egov.trust.pki.names import parse_subject  # noqa: E402
from egov.trust.pki.profiles import Kind  # noqa: E402

PASSPHRASE = "benchmark-passphrase-only"  # noqa: S105 - a throw-away benchmark CA


def rate(operation: Callable[[], object], seconds: float, batch: int = 10) -> float:
    """Operations per second over about ``seconds`` of wall time."""
    operation()
    count, start = 0, time.perf_counter()
    deadline = start + seconds
    while (now := time.perf_counter()) < deadline:
        for _ in range(batch):
            operation()
        count += batch
    return count / (now - start)


def openssl_sm2(seconds: int) -> tuple[float, float]:
    """``openssl speed sm2`` signs/s and verifies/s (0, 0 if openssl is missing)."""
    program = shutil.which("openssl")
    if program is None:
        return 0.0, 0.0
    result = subprocess.run(  # noqa: S603 - fixed program and arguments
        [program, "speed", "-seconds", str(seconds), "sm2"],
        capture_output=True,
        text=True,
        check=False,
    )
    for line in result.stdout.splitlines():
        match = re.search(r"\(CurveSM2\)\s+\S+s\s+\S+s\s+([\d.]+)\s+([\d.]+)", line)
        if match:
            return float(match.group(1)), float(match.group(2))
    return 0.0, 0.0


def our_sm2(seconds: float) -> tuple[float, float]:
    crypto = suite("sm")
    key = crypto.generate_key()
    public = key.public_key()
    message = os.urandom(256)
    signature = crypto.sign(key, message)
    return (
        rate(lambda: crypto.sign(key, message), seconds),
        rate(lambda: crypto.verify(public, message, signature), seconds),
    )


def built_per_second(suite_name: str, seconds: float) -> float:
    """Certificates built and signed in memory, a fresh subject key each time."""
    crypto = suite(suite_name)
    ca_key = crypto.generate_key()
    ca_public = crypto.public_key_der(ca_key)
    issuer = parse_subject("CN=基准测试签发CA,C=CN")
    subject = parse_subject("CN=张三,O=黑龙江省人民政府,C=CN")
    now = dt.datetime.now(dt.UTC)

    def build() -> bytes:
        public = crypto.public_key_der(crypto.generate_key())
        return build_certificate(
            crypto,
            signing_key=ca_key,
            serial=int.from_bytes(os.urandom(16), "big") | 1,
            subject=subject,
            issuer=issuer,
            public_key_der=public,
            not_before=now,
            not_after=now + dt.timedelta(days=365),
            extensions=end_entity_extensions(
                crypto,
                kind=Kind.PERSON,
                public_key_der=public,
                issuer_key_der=ca_public,
                crl_url="http://127.0.0.1:8000/trust/crl/sm.crl",
            ),
        )

    return rate(build, seconds)


def issued_per_second(suite_name: str, seconds: float) -> float:
    """``issue_certificate`` per second: CA key unlocked, signed, stored, audited."""
    from django.db import connection

    from egov.trust import services

    services.initialise_ca(actor="bench", suite_name=suite_name, passphrase=PASSPHRASE, force=True)
    crypto = suite(suite_name)
    public = crypto.public_key_der(crypto.generate_key())

    def issue() -> object:
        return services.issue_certificate(
            actor="bench",
            suite_name=suite_name,
            kind="person",
            subject="CN=张三,O=黑龙江省人民政府,C=CN",
            public_key_der=public,
            passphrase=PASSPHRASE,
        )

    result = rate(issue, seconds, batch=5)
    connection.close()
    return result


def set_up_django(database_url: str | None, directory: Path) -> str:
    os.environ["EGOV_VAR_DIR"] = str(directory)
    os.environ["EGOV_DATABASE_URL"] = database_url or f"sqlite:///{directory / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "egov.settings"
    os.environ.setdefault("EGOV_LOG_LEVEL", "WARNING")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return "PostgreSQL" if database_url and database_url.startswith("postgres") else "SQLite"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="seconds per measurement")
    parser.add_argument("--database-url", help="database for the issuing rate (default SQLite)")
    args = parser.parse_args()

    ours = our_sm2(args.seconds)
    theirs = openssl_sm2(max(1, round(args.seconds)))
    built = {name: built_per_second(name, args.seconds) for name in ("sm", "intl")}
    with tempfile.TemporaryDirectory() as directory:
        engine = set_up_django(args.database_url, Path(directory))
        issued = {name: issued_per_second(name, args.seconds) for name in ("sm", "intl")}

    command = f".venv/bin/python -m bench.sm2 --seconds {args.seconds:g}"
    print("## SM2 and certificate issuing (egov.trust)\n")
    print(f"Command: `{command}`  ")
    print(f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC  ")
    print(f"Machine: {describe_machine()}\n")
    print("| SM2, same run | ours per s | `openssl speed sm2` per s | ours / openssl |")
    print("|---|---:|---:|---:|")
    for label, mine, baseline in (("sign", ours[0], theirs[0]), ("verify", ours[1], theirs[1])):
        ratio = f"{mine / baseline:.2f}" if baseline else "n/a"
        print(f"| {label} | {mine:,.0f} | {baseline:,.0f} | {ratio} |")
    print("\n| certificates per second | SM2 (sm) | P-256 (intl) |")
    print("|---|---:|---:|")
    print(
        f"| built and signed in memory (new key each) | {built['sm']:,.0f} | {built['intl']:,.0f} |"
    )
    print(
        f"| issued by `issue_certificate` ({engine}: unlock CA key, sign, store, audit) "
        f"| {issued['sm']:,.0f} | {issued['intl']:,.0f} |"
    )


if __name__ == "__main__":
    main()
