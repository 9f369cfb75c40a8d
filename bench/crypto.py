"""Benchmark the crypto suites (egov.trust.crypto) on this machine.

Run:  .venv/bin/python -m bench.crypto [--seconds 3]

Measures, in one run: SM2 signatures and verifications per second through our
libcrypto binding, ECDSA P-256 through ``cryptography``, ``openssl speed sm2``
as the baseline (with our/OpenSSL ratios), and SM4-GCM against AES-256-GCM in
MB/s. Prints a Markdown section for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable

from bench.machine import describe_machine
from egov.trust.crypto import suite


def rate(operation: Callable[[], object], seconds: float) -> float:
    """Operations per second, counted over about ``seconds`` of wall time."""
    operation()  # warm up (library loading, first fetch of algorithms)
    count, start = 0, time.perf_counter()
    deadline = start + seconds
    while (now := time.perf_counter()) < deadline:
        for _ in range(20):
            operation()
        count += 20
    return count / (now - start)


def signature_rates(name: str, seconds: float) -> tuple[float, float]:
    s = suite(name)
    key = s.generate_key()
    public = key.public_key()
    message = os.urandom(256)
    signature = s.sign(key, message)
    signs = rate(lambda: s.sign(key, message), seconds)
    verifies = rate(lambda: s.verify(public, message, signature), seconds)
    return signs, verifies


def seal_megabytes_per_second(name: str, seconds: float, size: int) -> float:
    s = suite(name)
    key = s.generate_symmetric_key()
    data = os.urandom(size)
    return rate(lambda: s.seal(key, data), seconds) * size / 1e6


def openssl_speed(seconds: int) -> dict[str, tuple[float, float]]:
    """``openssl speed`` sign/s and verify/s for SM2 and ECDSA P-256, if available."""
    program = shutil.which("openssl")
    if program is None:
        return {}
    result = subprocess.run(  # noqa: S603 - fixed program and arguments
        [program, "speed", "-seconds", str(seconds), "sm2", "ecdsap256"],
        capture_output=True,
        text=True,
        check=False,
    )
    rates = {}
    for line in result.stdout.splitlines():
        match = re.search(r"\((Curve\w+|nistp256)\)\s+\S+s\s+\S+s\s+([\d.]+)\s+([\d.]+)", line)
        if match:
            rates[match.group(1)] = (float(match.group(2)), float(match.group(3)))
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="seconds per measurement")
    args = parser.parse_args()

    sm2 = signature_rates("sm", args.seconds)
    p256 = signature_rates("intl", args.seconds)
    baseline = openssl_speed(max(1, round(args.seconds)))
    sizes = (1024, 16 * 1024, 1024 * 1024)
    throughput = {
        size: (
            seal_megabytes_per_second("sm", args.seconds, size),
            seal_megabytes_per_second("intl", args.seconds, size),
        )
        for size in sizes
    }

    print("## Crypto (egov.trust.crypto)\n")
    print(f"Command: `.venv/bin/python -m bench.crypto --seconds {args.seconds:g}`  ")
    print(f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC  ")
    print(f"Machine: {describe_machine()}\n")
    print("| operation | ours per s | `openssl speed` per s | ours / openssl |")
    print("|---|---:|---:|---:|")
    rows = [
        ("SM2 sign (libcrypto via ctypes)", sm2[0], baseline.get("CurveSM2", (0, 0))[0]),
        ("SM2 verify", sm2[1], baseline.get("CurveSM2", (0, 0))[1]),
        ("ECDSA P-256 sign (cryptography)", p256[0], baseline.get("nistp256", (0, 0))[0]),
        ("ECDSA P-256 verify", p256[1], baseline.get("nistp256", (0, 0))[1]),
    ]
    for label, ours, theirs in rows:
        ratio = f"{ours / theirs:.2f}" if theirs else "n/a"
        print(f"| {label} | {ours:,.0f} | {theirs:,.0f} | {ratio} |")
    print("\n| message size | SM4-GCM MB/s | AES-256-GCM MB/s |")
    print("|---:|---:|---:|")
    for size, (sm4, aes) in throughput.items():
        print(f"| {size:,} B | {sm4:,.0f} | {aes:,.0f} |")


if __name__ == "__main__":
    main()
