"""The installation's signing key: ECDSA on NIST P-256 with SHA-256.

The private key lives in ``<keys dir>/evidence-p256.pem`` (PKCS#8 PEM, file mode 0600),
created on first use. Packages carry the public key (DER SubjectPublicKeyInfo, base64) next to
the signature, so they verify offline; :func:`key_fingerprint` (sha256 of that DER) identifies
the installation's key so a verifier can insist on it.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from newsrights.errors import ConfigError

KEY_FILE = "evidence-p256.pem"


@dataclass(frozen=True, slots=True)
class SigningKey:
    private: ec.EllipticCurvePrivateKey

    @property
    def public_der(self) -> bytes:
        return self.private.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    @property
    def public_b64(self) -> str:
        return base64.b64encode(self.public_der).decode("ascii")

    @property
    def fingerprint(self) -> str:
        return key_fingerprint(self.public_der)

    def sign(self, data: bytes) -> bytes:
        """DER-encoded ECDSA signature of ``data`` (SHA-256)."""
        return self.private.sign(data, ec.ECDSA(hashes.SHA256()))


def key_fingerprint(public_der: bytes) -> str:
    return hashlib.sha256(public_der).hexdigest()


def generate_key() -> SigningKey:
    return SigningKey(ec.generate_private_key(ec.SECP256R1()))


def load_or_create_key(keys_dir: Path) -> SigningKey:
    """The installation key in ``keys_dir`` (created, mode 0600, when absent)."""
    path = Path(keys_dir) / KEY_FILE
    if path.exists():
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except ValueError as exc:
            raise ConfigError(f"evidence key {path} is unreadable: {exc}; move it away to create a new one") from exc
        if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
            raise ConfigError(f"evidence key {path} is not an ECDSA P-256 key")
        return SigningKey(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = generate_key()
    pem = key.private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    return key


def verify_signature(public_der: bytes, data: bytes, signature: bytes) -> bool:
    """True when ``signature`` is a valid ECDSA P-256/SHA-256 signature of ``data``."""
    try:
        pub = serialization.load_der_public_key(public_der)
    except ValueError:
        return False
    if not isinstance(pub, ec.EllipticCurvePublicKey):
        return False
    try:
        pub.verify(signature, data, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True
