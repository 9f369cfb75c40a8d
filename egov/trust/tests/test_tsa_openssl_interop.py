"""RFC 3161 interoperability with the openssl command line (时间戳互操作).

``openssl ts -query`` asks, our TSA answers, ``openssl ts -verify`` accepts the
international-suite token; and our client accepts a token that ``openssl ts
-reply`` (a TSA of openssl's making) signed with a key our CA certified.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from time_machine import escape_hatch

from egov.trust import selectors, services
from egov.trust.crypto import suite
from egov.trust.models import TimeStampingUnit
from egov.trust.pki.certificates import load_certificate
from egov.trust.pki.cms import SM3_OID
from egov.trust.pki.encoding import to_pem
from egov.trust.registration import pem_blocks
from egov.trust.tests.conftest import DISTID, PASSPHRASE, openssl, split_pem
from egov.trust.tsa.protocol import TimeStampResp, parse_request, verify_response

DATA = "黑龙江省政务消息日志批次 2026-11-20 09:30".encode()


def ask_our_tsa(directory: Path, suite_name: str, hash_flag: str) -> Path:
    (directory / "data").write_bytes(DATA)
    query = openssl(
        "ts", "-query", "-data", directory / "data", hash_flag, "-cert", "-out", directory / "q.tsq"
    )
    assert query.returncode == 0, query.stderr
    answer = Client().post(
        f"/tsa/{suite_name}",
        data=(directory / "q.tsq").read_bytes(),
        content_type="application/timestamp-query",
    )
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/timestamp-reply"
    (directory / "r.tsr").write_bytes(answer.content)
    return directory / "r.tsr"


def openssl_ts_verify(directory: Path, data: Path) -> tuple[int, str]:
    issuing, root = split_pem(selectors.chain_pem("intl"))
    (directory / "root.pem").write_text(root, encoding="ascii")
    (directory / "issuing.pem").write_text(issuing, encoding="ascii")
    result = openssl(
        "ts", "-verify", "-in", directory / "r.tsr", "-data", data,
        "-CAfile", directory / "root.pem", "-untrusted", directory / "issuing.pem",
        "-attime", str(int(time.time())),  # the test's moment (EGOV_TEST_TODAY), not the host's
    )  # fmt: skip
    return result.returncode, result.stdout + result.stderr


def test_openssl_ts_verify_accepts_our_intl_token(
    tmp_path: Path, tsa_intl: TimeStampingUnit
) -> None:
    ask_our_tsa(tmp_path, "intl", "-sha256")
    code, output = openssl_ts_verify(tmp_path, tmp_path / "data")
    assert code == 0, output
    assert "Verification: OK" in output
    shown = openssl("ts", "-reply", "-in", tmp_path / "r.tsr", "-text")
    assert "Status: Granted." in shown.stdout
    assert "Accuracy: 0x01 seconds" in shown.stdout


def test_openssl_ts_verify_refuses_our_token_for_other_data(
    tmp_path: Path, tsa_intl: TimeStampingUnit
) -> None:
    ask_our_tsa(tmp_path, "intl", "-sha512")
    (tmp_path / "other").write_bytes(DATA + b"!")
    code, output = openssl_ts_verify(tmp_path, tmp_path / "other")
    assert code != 0
    assert "Verification: OK" not in output


def test_openssl_query_with_sm3_gets_a_national_token(
    tmp_path: Path, tsa_sm: TimeStampingUnit
) -> None:
    """OpenSSL 3.0 `ts -verify` cannot take the SM2 distid (docs/trust.md): ours checks it."""
    reply = ask_our_tsa(tmp_path, "sm", "-sm3")
    shown = openssl("ts", "-reply", "-in", reply, "-text")
    assert "Status: Granted." in shown.stdout
    request = parse_request((tmp_path / "q.tsq").read_bytes())
    assert request.hash_oid == SM3_OID
    verified = verify_response(
        reply.read_bytes(),
        digest=suite("sm").digest(DATA),
        nonce=request.nonce,
        trusted=pem_blocks(selectors.chain_pem("sm")),
    )
    assert verified.tsa_certificate.serial_hex == tsa_sm.certificate.serial


TS_CONFIG = """
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
serial = {serial}
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = {ess}
"""


@pytest.mark.parametrize("ess", ["sha256", "sha1"])
def test_our_client_accepts_a_token_openssl_signed(
    tmp_path: Path, db: None, time_machine: time_machine.TimeMachineFixture, ess: str
) -> None:
    """openssl as the TSA, with a time-stamping key our CA certified; ESSCertIDv2 or v1.

    Reads the host's real clock, on purpose: ``openssl ts -reply`` stamps genTime
    from it and cannot be told another moment, so the CA is made at that moment
    too (under EGOV_TEST_TODAY the test would otherwise stamp outside the CA's life).
    """
    host_now = escape_hatch.time.time() if escape_hatch.is_travelling() else time.time()
    time_machine.move_to(dt.datetime.fromtimestamp(int(host_now), dt.UTC), tick=True)
    services.initialise_ca(actor="ca-officer", suite_name="intl", passphrase=PASSPHRASE)
    crypto = suite("intl")
    key = crypto.generate_key()
    certificate = services.issue_certificate(
        actor="ca-officer", suite_name="intl", kind="time-stamping", subject="CN=外部时间戳服务",
        public_key_der=crypto.public_key_der(key), passphrase=PASSPHRASE,
    )  # fmt: skip
    (tmp_path / "key.pem").write_bytes(key.to_pem())
    (tmp_path / "tsa.pem").write_text(certificate.certificate_pem, encoding="ascii")
    (tmp_path / "serial").write_text("01\n", encoding="ascii")
    (tmp_path / "ts.cnf").write_text(TS_CONFIG.format(serial=tmp_path / "serial", ess=ess))
    (tmp_path / "data").write_bytes(DATA)
    query = openssl(
        "ts", "-query", "-data", tmp_path / "data", "-sha256", "-cert", "-out", tmp_path / "q.tsq"
    )
    assert query.returncode == 0, query.stderr
    reply = openssl(
        "ts", "-reply", "-config", tmp_path / "ts.cnf", "-queryfile", tmp_path / "q.tsq",
        "-signer", tmp_path / "tsa.pem", "-inkey", tmp_path / "key.pem", "-out", tmp_path / "r.tsr",
    )  # fmt: skip
    assert reply.returncode == 0, reply.stderr
    nonce = parse_request((tmp_path / "q.tsq").read_bytes()).nonce
    verified = verify_response(
        (tmp_path / "r.tsr").read_bytes(),
        digest=hashlib.sha256(DATA).digest(),
        nonce=nonce,
        trusted=pem_blocks(selectors.chain_pem("intl")),
    )
    assert verified.policy == "1.2.3.4.1"
    assert verified.tsa_certificate.serial_hex == certificate.serial


def test_openssl_checks_the_sm2_token_signature_piece_by_piece(
    tmp_path: Path, tsa_sm: TimeStampingUnit
) -> None:
    """``pkeyutl`` verifies the SM2-with-SM3 signature over the signed attributes (GM/T 0009
    ID), and ``dgst -sm3`` recomputes the message digest of the TSTInfo."""
    reply = ask_our_tsa(tmp_path, "sm", "-sm3")
    signed_data = TimeStampResp.load(reply.read_bytes())["time_stamp_token"]["content"]
    signer = signed_data["signer_infos"][0]
    (tmp_path / "attrs.der").write_bytes(b"\x31" + signer["signed_attrs"].dump()[1:])
    (tmp_path / "sig.bin").write_bytes(signer["signature"].native)
    (tmp_path / "tst.der").write_bytes(signed_data["encap_content_info"]["content"].parsed.dump())
    certificate = load_certificate(tsa_sm.certificate.certificate_pem)
    (tmp_path / "pub.pem").write_text(to_pem(certificate.public_key_der, "PUBLIC KEY"))
    verified = openssl(
        "pkeyutl", "-verify", "-pubin", "-inkey", tmp_path / "pub.pem", "-rawin",
        "-digest", "sm3", "-pkeyopt", DISTID, "-in", tmp_path / "attrs.der",
        "-sigfile", tmp_path / "sig.bin",
    )  # fmt: skip
    assert verified.returncode == 0, verified.stderr
    (message_digest,) = [
        a["values"][0].native
        for a in signer["signed_attrs"]
        if a["type"].native == "message_digest"
    ]
    digest = openssl("dgst", "-sm3", "-r", tmp_path / "tst.der")
    assert digest.stdout.split()[0] == message_digest.hex()
    (tmp_path / "sig.bin").write_bytes(signer["signature"].native[:-1] + b"\x00")
    forged = openssl(
        "pkeyutl", "-verify", "-pubin", "-inkey", tmp_path / "pub.pem", "-rawin",
        "-digest", "sm3", "-pkeyopt", DISTID, "-in", tmp_path / "attrs.der",
        "-sigfile", tmp_path / "sig.bin",
    )  # fmt: skip
    assert forged.returncode != 0
