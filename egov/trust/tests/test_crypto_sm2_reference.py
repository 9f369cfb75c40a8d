"""SM2 checked against the standard's own formulas (GB/T 32918.2 and .4).

A small pure-Python reference written from the standard's text (curve from
GB/T 32918.5, Z value, verification equations, KDF and C1C3C2 layout) checks
our SM2 independently of OpenSSL's code paths: our signatures verify under the
textbook equations, our decryption opens a ciphertext the reference built, and
the reference decrypts ours.
"""

from __future__ import annotations

import os

from cryptography.hazmat.primitives import hashes

from egov.trust.crypto import DEFAULT_SIGNER_ID, suite

SM = suite("sm")

# GB/T 32918.5 recommended curve (sm2p256v1)
P = int("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF", 16)
A = int("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC", 16)
B = int("28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93", 16)
N = int("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123", 16)
GX = int("32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7", 16)
GY = int("BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0", 16)
G = (GX, GY)

Point = tuple[int, int] | None


def sm3(data: bytes) -> bytes:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


def add(p: Point, q: Point) -> Point:
    if p is None:
        return q
    if q is None:
        return p
    if p[0] == q[0] and (p[1] + q[1]) % P == 0:
        return None
    if p == q:
        slope = (3 * p[0] * p[0] + A) * pow(2 * p[1], -1, P) % P
    else:
        slope = (q[1] - p[1]) * pow(q[0] - p[0], -1, P) % P
    x = (slope * slope - p[0] - q[0]) % P
    return x, (slope * (p[0] - x) - p[1]) % P


def multiply(k: int, point: Point) -> Point:
    result: Point = None
    while k:
        if k & 1:
            result = add(result, point)
        point = add(point, point)
        k >>= 1
    return result


def be32(value: int) -> bytes:
    return value.to_bytes(32, "big")


def public_point(spki_der: bytes) -> tuple[int, int]:
    point = spki_der[-65:]  # SubjectPublicKeyInfo ends with the uncompressed point
    assert point[0] == 0x04
    return int.from_bytes(point[1:33], "big"), int.from_bytes(point[33:], "big")


def private_scalar(pkcs8_der: bytes) -> int:
    marker = b"\x02\x01\x01\x04\x20"  # ECPrivateKey: version 1, privateKey OCTET STRING(32)
    start = pkcs8_der.index(marker) + len(marker)
    return int.from_bytes(pkcs8_der[start : start + 32], "big")


def z_value(signer_id: bytes, public: tuple[int, int]) -> bytes:
    entl = (len(signer_id) * 8).to_bytes(2, "big")
    fields = [A, B, GX, GY, public[0], public[1]]
    return sm3(entl + signer_id + b"".join(be32(v) for v in fields))


def der_integers(signature: bytes) -> tuple[int, int]:
    assert signature[0] == 0x30
    values, offset = [], 2
    for _ in range(2):
        assert signature[offset] == 0x02
        length = signature[offset + 1]
        values.append(int.from_bytes(signature[offset + 2 : offset + 2 + length], "big"))
        offset += 2 + length
    return values[0], values[1]


def reference_verify(
    public: tuple[int, int], message: bytes, signature: bytes, signer_id: bytes
) -> bool:
    r, s = der_integers(signature)
    if not (0 < r < N and 0 < s < N):
        return False
    e = int.from_bytes(sm3(z_value(signer_id, public) + message), "big")
    t = (r + s) % N
    point = add(multiply(s, G), multiply(t, public))
    return point is not None and (e + point[0]) % N == r


def kdf(z: bytes, length: int) -> bytes:
    out, counter = b"", 1
    while len(out) < length:
        out += sm3(z + counter.to_bytes(4, "big"))
        counter += 1
    return out[:length]


def der(tag: int, body: bytes) -> bytes:
    assert len(body) < 0x10000
    if len(body) < 0x80:
        return bytes([tag, len(body)]) + body
    size = len(body).to_bytes(1 if len(body) < 0x100 else 2, "big")
    return bytes([tag, 0x80 | len(size)]) + size + body


def der_integer(value: int) -> bytes:
    body = value.to_bytes((value.bit_length() + 8) // 8, "big")  # keeps a sign byte
    return der(0x02, body)


def reference_encrypt(public: tuple[int, int], message: bytes) -> bytes:
    k = int.from_bytes(os.urandom(32), "big") % (N - 1) + 1
    c1 = multiply(k, G)
    shared = multiply(k, public)
    assert c1 is not None
    assert shared is not None
    x2, y2 = be32(shared[0]), be32(shared[1])
    c2 = bytes(m ^ t for m, t in zip(message, kdf(x2 + y2, len(message)), strict=True))
    c3 = sm3(x2 + message + y2)
    body = der_integer(c1[0]) + der_integer(c1[1]) + der(0x04, c3) + der(0x04, c2)
    return der(0x30, body)


def read_der(data: bytes, offset: int) -> tuple[int, bytes, int]:
    tag, length, offset = data[offset], data[offset + 1], offset + 2
    if length & 0x80:
        size = length & 0x7F
        length = int.from_bytes(data[offset : offset + size], "big")
        offset += size
    return tag, data[offset : offset + length], offset + length


def reference_decrypt(d: int, ciphertext: bytes) -> bytes:
    tag, body, _ = read_der(ciphertext, 0)
    assert tag == 0x30
    parts, offset = [], 0
    while offset < len(body):
        _, value, offset = read_der(body, offset)
        parts.append(value)
    x1, y1, c3, c2 = parts
    shared = multiply(d, (int.from_bytes(x1, "big"), int.from_bytes(y1, "big")))
    assert shared is not None
    x2, y2 = be32(shared[0]), be32(shared[1])
    message = bytes(c ^ t for c, t in zip(c2, kdf(x2 + y2, len(c2)), strict=True))
    assert sm3(x2 + message + y2) == c3
    return message


def test_reference_curve_is_the_sm2_curve() -> None:
    assert (GY * GY - (GX**3 + A * GX + B)) % P == 0
    assert multiply(N, G) is None
    assert multiply(N - 1, G) == (GX, P - GY)


def test_our_signature_satisfies_the_standard_equations() -> None:
    key = SM.generate_key()
    public = public_point(key.public_key().to_der())
    message = "受理通知书 第0001号".encode()
    signature = SM.sign(key, message)
    assert reference_verify(public, message, signature, DEFAULT_SIGNER_ID)
    assert not reference_verify(public, message + b"!", signature, DEFAULT_SIGNER_ID)
    assert not reference_verify(public, message, signature, b"1234567812345679")


def test_custom_id_enters_the_z_value() -> None:
    key = SM.generate_key()
    public = public_point(key.public_key().to_der())
    signature = SM.sign(key, b"m", signer_id=b"clerk-0451")
    assert reference_verify(public, b"m", signature, b"clerk-0451")
    assert not reference_verify(public, b"m", signature, DEFAULT_SIGNER_ID)


def test_private_key_matches_public_point() -> None:
    key = SM.generate_key()
    d = private_scalar(key.to_der())
    assert multiply(d, G) == public_point(key.public_key().to_der())


def test_we_decrypt_a_reference_ciphertext() -> None:
    key = SM.generate_key()
    public = public_point(key.public_key().to_der())
    message = "政务公开 信息 ".encode() * 20  # longer than one KDF block
    assert SM.decrypt(key, reference_encrypt(public, message)) == message


def test_reference_decrypts_our_ciphertext() -> None:
    key = SM.generate_key()
    message = b"\x00\x01 binary payload \xff" * 5
    ciphertext = SM.encrypt(key.public_key(), message)
    assert reference_decrypt(private_scalar(key.to_der()), ciphertext) == message
