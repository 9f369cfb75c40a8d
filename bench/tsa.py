"""Benchmark RFC 3161 time-stamping and batch hash trees (egov.trust.tsa) on this machine.

Run:  .venv/bin/python -m bench.tsa [--seconds 2] [--batch 6000]

Pure: no database. A throw-away CA and TSA certificate are built with
egov.trust.pki. Per suite, in one run: the bare signature rate (the floor a
token cannot beat: one signature each), tokens signed per second
(``build_token``: TSTInfo, attributes, SignedData), tokens verified per second
(``verify_token``: ESSCertIDv2, signature, chain of two), and one batch of
``--batch`` entries (100 messages/s for 60 s by default): tree build, every
entry's proof, every proof checked. Prints a Markdown section for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import time
from collections.abc import Callable

from bench.crypto import rate
from bench.machine import describe_machine
from egov.trust.crypto import CryptoSuite, PrivateKey, suite
from egov.trust.pki.certificates import build_certificate, ca_extensions, end_entity_extensions
from egov.trust.pki.cms import DIGEST_OIDS
from egov.trust.pki.names import parse_subject
from egov.trust.pki.profiles import Kind
from egov.trust.tsa.merkle import HashTree, verify_inclusion
from egov.trust.tsa.protocol import TimeStampingKey, TimeStampRequest, build_token, verify_token

NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)  # a fixed moment: the figures do not depend on it


def _certificate(
    crypto: CryptoSuite, key: PrivateKey, subject: str, issuer: tuple[PrivateKey, str] | None
) -> bytes:
    signer, issuer_name = issuer if issuer else (key, subject)
    public = crypto.public_key_der(key)
    extensions = (
        end_entity_extensions(
            crypto, kind=Kind.TIME_STAMPING, public_key_der=public,
            issuer_key_der=crypto.public_key_der(signer), crl_url="http://127.0.0.1/crl",
        )
        if issuer
        else ca_extensions(crypto, public_key_der=public, issuer_key_der=public, path_length=0)
    )  # fmt: skip
    return build_certificate(
        crypto, signing_key=signer, serial=int.from_bytes(os.urandom(8), "big") | 1,
        subject=parse_subject(subject), issuer=parse_subject(issuer_name), public_key_der=public,
        not_before=NOW - dt.timedelta(days=1), not_after=NOW + dt.timedelta(days=365),
        extensions=extensions,
    )  # fmt: skip


def token_rates(name: str, seconds: float) -> tuple[float, float, float]:
    crypto = suite(name)
    ca_key, tsa_key = crypto.generate_key(), crypto.generate_key()
    ca = _certificate(crypto, ca_key, "CN=Bench CA", None)
    tsa = _certificate(crypto, tsa_key, "CN=Bench TSA", (ca_key, "CN=Bench CA"))
    signer = TimeStampingKey(crypto, tsa_key, tsa)
    digest = crypto.digest(b"batch root")
    request = TimeStampRequest(DIGEST_OIDS[name], digest, nonce=1, cert_req=True, policy=None)
    token = build_token(signer, request, serial=1, gen_time=NOW)
    message = os.urandom(200)
    signs = rate(lambda: crypto.sign(tsa_key, message), seconds)
    builds = rate(lambda: build_token(signer, request, serial=2, gen_time=NOW), seconds)
    verifies = rate(lambda: verify_token(token, digest=digest, trusted=[ca]), seconds)
    return signs, builds, verifies


def timed(operation: Callable[[], object]) -> float:
    start = time.perf_counter()
    operation()
    return time.perf_counter() - start


def batch_times(name: str, size: int) -> tuple[float, float, float]:
    hash_function = suite(name).digest
    entries = [hashlib.sha256(i.to_bytes(8, "big")).digest() for i in range(size)]
    tree = HashTree(entries, hash_function)
    build = timed(lambda: HashTree(entries, hash_function))
    proofs = tree.proofs()
    prove = timed(tree.proofs)
    check = timed(
        lambda: all(
            verify_inclusion(hash_function, e, p, tree.root)
            for e, p in zip(entries, proofs, strict=True)
        )
    )
    return build, prove, check


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--batch", type=int, default=6000)
    args = parser.parse_args()
    print("## Time-stamping and batch hash trees (egov.trust.tsa)\n")
    command = f".venv/bin/python -m bench.tsa --seconds {args.seconds:g} --batch {args.batch}"
    print(f"Command: `{command}`  ")
    print(f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC  ")
    print(f"Load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}  ")
    print(f"Machine: {describe_machine()}\n")
    print("| suite | bare signatures/s | tokens signed/s | signed / bare | tokens verified/s |")
    print("|---|---:|---:|---:|---:|")
    for name in ("intl", "sm"):
        signs, builds, verifies = token_rates(name, args.seconds)
        print(f"| {name} | {signs:,.0f} | {builds:,.0f} | {builds / signs:.2f} | {verifies:,.0f} |")
    print(f"\n| suite | tree of {args.batch:,} entries | all proofs | all proofs checked |")
    print("|---|---:|---:|---:|")
    for name in ("intl", "sm"):
        build, prove, check = batch_times(name, args.batch)
        print(
            f"| {name} | {build * 1000:,.0f} ms | {prove * 1000:,.0f} ms | {check * 1000:,.0f} ms |"
        )
    print(f"\nLoad average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
