"""Time-stamping the exchange message log (egov.exchange.timestamping): one minute's batch.

Usage (SQLite file in a temporary directory, or an empty PostgreSQL database by URL):

    .venv/bin/python -m bench.exchange_log --entries 6000
    .venv/bin/python -m bench.exchange_log --entries 6000 \
        --database postgres://postgres@127.0.0.1:5432/egov_bench_tslog

Migrates an empty database, sets up the test CA and our own TSA (``--suite``),
stores ``--entries`` received messages (real envelopes signed by a member,
real receipts; 6,000 is a minute at 100 messages/s) and then, in one run:

1. **baseline**: read the unstamped entries and compute their entry digests
   (what any stamping must do at least);
2. **stamp_pending**: the worker's whole job: read, tree, one token, proofs
   and the batch written in one transaction.

Then every entry's stored proof is checked against the batch root.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import os
import sys
import tempfile
import time

NOW = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)  # a fixed moment: figures do not depend on it


def setup(url: str | None) -> None:
    var_dir = tempfile.mkdtemp(prefix="egov-bench-")
    os.environ["EGOV_VAR_DIR"] = var_dir
    os.environ["EGOV_LOG_LEVEL"] = "WARNING"
    os.environ["EGOV_DATABASE_URL"] = url or f"sqlite:///{var_dir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "egov.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def document(index: int) -> dict[str, str]:
    """A ``document`` payload as departments send them: a short text file."""
    text = base64.b64encode(f"第 {index} 号通知正文".encode()).decode("ascii")
    return {"title": f"通知 {index}", "filename": "notice.txt", "media_type": "text/plain",
            "content": text}  # fmt: skip


def store_entries(count: int, suite_name: str) -> None:
    from egov.exchange.envelope import build_receipt, parse_envelope
    from egov.exchange.models import Message
    from egov.exchange.testing import NODE_CODE, make_member

    member = make_member("bench-docs", "230102-SCJG", suite_name=suite_name)
    Message.objects.all().delete()
    rows = []
    for index in range(count):
        sent = parse_envelope(member.envelope(document(index), created=NOW))
        receipt = build_receipt(
            sent, receiver=NODE_CODE, received=NOW, key=member.key,
            certificate_der=sent.certificate.der,
        )  # fmt: skip
        rows.append(
            Message(
                direction="in",
                message_id=sent.message_id,
                message_type="document",
                sender=member.code,
                recipients=list(sent.recipients),
                created=NOW,
                received_at=NOW,
                digest=sent.digest_value,
                envelope_digest=receipt["envelope_digest"]["value"],
                certificate_serial=sent.certificate.serial_hex,
                envelope=sent.document,
                receipt=receipt,
            )
        )
    Message.objects.bulk_create(rows, batch_size=500)


def baseline(suite_name: str) -> float:
    from egov.exchange.logproof import entry_digest
    from egov.exchange.timestamping import unstamped_inbound

    started = time.perf_counter()
    for entry in unstamped_inbound().order_by("pk"):
        entry_digest(suite_name, "in", entry.envelope, entry.receipt)
    return time.perf_counter() - started


def check_proofs(suite_name: str) -> int:
    from egov.exchange.logproof import entry_digest
    from egov.exchange.models import Message
    from egov.trust.crypto import suite
    from egov.trust.tsa.merkle import InclusionProof, verify_inclusion

    hash_function, checked = suite(suite_name).digest, 0
    for entry in Message.objects.select_related("log_batch"):
        assert entry.log_batch is not None
        digest = entry_digest(suite_name, "in", entry.envelope, entry.receipt)
        proof = InclusionProof.from_dict(entry.proof)
        root = bytes.fromhex(entry.log_batch.root)
        assert verify_inclusion(hash_function, digest, proof, root), entry.pk
        checked += 1
    return checked


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=6000)
    parser.add_argument("--suite", default="sm", choices=["sm", "intl"])
    parser.add_argument("--database", default=None, help="postgres://… (default: SQLite file)")
    args = parser.parse_args(argv)
    os.environ["EGOV_CRYPTO_SUITE"] = args.suite
    setup(args.database)
    from django.db import connection

    from bench.machine import describe_machine
    from egov.exchange.testing import ensure_tsa
    from egov.exchange.timestamping import stamp_pending

    print(f"database: {connection.vendor}; suite: {args.suite}; machine: {describe_machine()}")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    ensure_tsa(args.suite)
    store_entries(args.entries, args.suite)
    base = baseline(args.suite)
    started = time.perf_counter()
    stamped = stamp_pending(now=NOW, suite_name=args.suite)
    seconds = time.perf_counter() - started
    assert stamped == args.entries, stamped
    assert check_proofs(args.suite) == args.entries
    print(f"baseline (read + entry digests): {base * 1000:,.0f} ms")
    print(
        f"stamp_pending: {stamped} entries in {seconds * 1000:,.0f} ms = "
        f"{stamped / seconds:,.0f} entries/s, {seconds / base:.1f}× the baseline"
    )
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main(sys.argv[1:])
