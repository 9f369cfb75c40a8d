"""The one interface both crypto suites implement (密码套件接口).

A deployment chooses a suite by name (``"sm"`` for the national 国密 suite, the
default; ``"intl"`` for ECDSA P-256/AES-GCM) and the rest of the platform only
speaks to :class:`CryptoSuite`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from .errors import InvalidInputError, InvalidKeyError

DEFAULT_SIGNER_ID = b"1234567812345678"
"""The signer ID that GM/T 0009 prescribes when none is agreed (用户身份标识 ID)."""

_MAX_SIGNER_ID = 8191  # ENTL is the ID length in bits, in two bytes


def check_signer_id(signer_id: bytes) -> bytes:
    """Return ``signer_id`` if SM2 can carry it, else raise naming the field."""
    if not isinstance(signer_id, bytes | bytearray):
        raise InvalidInputError("signer_id", "must be bytes")
    if not 0 < len(signer_id) <= _MAX_SIGNER_ID:
        raise InvalidInputError("signer_id", f"length must be 1..{_MAX_SIGNER_ID} bytes")
    return bytes(signer_id)


def check_bytes(field: str, value: object) -> bytes:
    """Return ``value`` as bytes, or raise naming ``field``."""
    if not isinstance(value, bytes | bytearray | memoryview):
        raise InvalidInputError(field, "must be bytes")
    return bytes(value)


class PublicKey(ABC):
    """A public key of one suite; equal when their SubjectPublicKeyInfo is equal."""

    suite_name: str

    @abstractmethod
    def to_der(self) -> bytes:
        """SubjectPublicKeyInfo, DER."""

    @abstractmethod
    def to_pem(self) -> bytes:
        """SubjectPublicKeyInfo, PEM (``-----BEGIN PUBLIC KEY-----``)."""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PublicKey):
            return NotImplemented
        return self.suite_name == other.suite_name and self.to_der() == other.to_der()

    def __hash__(self) -> int:
        return hash((self.suite_name, self.to_der()))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.to_der()[-8:].hex()}>"


class PrivateKey(ABC):
    """A private key of one suite. Its repr never shows the secret."""

    suite_name: str

    @abstractmethod
    def public_key(self) -> PublicKey:
        """The matching public key."""

    @abstractmethod
    def to_pem(self, password: bytes | None = None) -> bytes:
        """PKCS#8 PEM, encrypted when a password is given."""

    @abstractmethod
    def to_der(self) -> bytes:
        """Unencrypted PKCS#8 DER."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} for {self.public_key()!r}>"


class CryptoSuite(ABC):
    """Signatures, public-key encryption, digest, AEAD and key formats of one suite."""

    name: str
    signature_algorithm_oid: str
    """Signature algorithm OID for certificates (SM2-with-SM3 / ecdsa-with-SHA256)."""
    signature_algorithm_name: str
    digest_name: str
    digest_size: int
    symmetric_key_size: int
    """Key length in bytes for :meth:`seal` / :meth:`open`."""

    # keys
    @abstractmethod
    def generate_key(self) -> PrivateKey:
        """A fresh key pair."""

    @abstractmethod
    def load_private_key_pem(self, pem: bytes, password: bytes | None = None) -> PrivateKey:
        """Read a PKCS#8 (or traditional) PEM private key of this suite."""

    @abstractmethod
    def load_private_key_der(self, der: bytes) -> PrivateKey:
        """Read an unencrypted PKCS#8 DER private key of this suite."""

    @abstractmethod
    def load_public_key_pem(self, pem: bytes) -> PublicKey:
        """Read a SubjectPublicKeyInfo PEM public key of this suite."""

    @abstractmethod
    def load_public_key_der(self, der: bytes) -> PublicKey:
        """Read a SubjectPublicKeyInfo DER public key of this suite."""

    def private_key_to_pem(self, key: PrivateKey, password: bytes | None = None) -> bytes:
        return self._own_private(key).to_pem(password)

    def public_key_pem(self, key: PrivateKey | PublicKey) -> bytes:
        return self._public_of(key).to_pem()

    def public_key_der(self, key: PrivateKey | PublicKey) -> bytes:
        return self._public_of(key).to_der()

    # signatures
    @abstractmethod
    def sign(
        self, private_key: PrivateKey, data: bytes, signer_id: bytes = DEFAULT_SIGNER_ID
    ) -> bytes:
        """A DER signature over ``data``."""

    @abstractmethod
    def verify(
        self,
        public_key: PublicKey | PrivateKey,
        data: bytes,
        signature: bytes,
        signer_id: bytes = DEFAULT_SIGNER_ID,
    ) -> bool:
        """True when ``signature`` is valid; False (never an exception) when it is not."""

    # public-key encryption
    @abstractmethod
    def encrypt(self, public_key: PublicKey | PrivateKey, plaintext: bytes) -> bytes:
        """Encrypt to the holder of ``public_key``."""

    @abstractmethod
    def decrypt(self, private_key: PrivateKey, ciphertext: bytes) -> bytes:
        """Decrypt; :class:`DecryptionError` if it fails."""

    # digest and symmetric
    @abstractmethod
    def digest(self, data: bytes) -> bytes:
        """The suite's hash (SM3 / SHA-256)."""

    @abstractmethod
    def generate_symmetric_key(self) -> bytes:
        """A random key for :meth:`seal`."""

    @abstractmethod
    def seal(self, key: bytes, data: bytes, aad: bytes = b"") -> bytes:
        """AEAD encrypt: ``nonce(12) || ciphertext || tag(16)``; fresh random nonce."""

    @abstractmethod
    def open(self, key: bytes, blob: bytes, aad: bytes = b"") -> bytes:
        """AEAD decrypt a :meth:`seal` blob; :class:`DecryptionError` if it fails."""

    # helpers for subclasses
    _private_type: type[PrivateKey]
    _public_type: type[PublicKey]

    def _own_private(self, key: object, field: str = "private_key") -> PrivateKey:
        if not isinstance(key, self._private_type):
            raise InvalidKeyError(field, f"not a private key of the {self.name!r} suite")
        return key

    def _public_of(self, key: object, field: str = "public_key") -> PublicKey:
        if isinstance(key, self._private_type):
            return key.public_key()
        if not isinstance(key, self._public_type):
            raise InvalidKeyError(field, f"not a key of the {self.name!r} suite")
        return key

    def __repr__(self) -> str:
        return f"<CryptoSuite {self.name}>"
