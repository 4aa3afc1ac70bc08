"""RFC 3161 time stamps: request a token from a time-stamping authority and verify one offline.

Request (RFC 3161 §2.4.1): a DER ``TimeStampReq`` carrying the SHA-256 message imprint of
the package's ``datapackage.json``, a random 64-bit nonce and ``certReq = TRUE``, POSTed with
content type ``application/timestamp-query``. The response must be ``granted`` (or
``grantedWithMods``) and carry a token whose imprint and nonce equal ours.

Verification of a token (RFC 3161 §2.4.2 + RFC 5652 §5.4) checks that:

1. it is a CMS ``SignedData`` whose encapsulated content type is ``id-ct-TSTInfo``;
2. the TSTInfo's message imprint is SHA-256 of the expected digest;
3. the signed attributes hold ``content-type = id-ct-TSTInfo`` and a ``message-digest``
   equal to the hash of the encapsulated TSTInfo bytes;
4. the signature over the DER SET of signed attributes verifies with the public key of the
   signer certificate embedded in the token (ECDSA or RSA PKCS#1 v1.5);
5. optionally, that signer certificate is one of ``trusted`` or is signed by one of them.

The token's ``genTime`` is the time the authority vouches for.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import algos, cms, tsp, x509
from cryptography import x509 as cx509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from newsrights.errors import EvidenceError, FetchError

CONTENT_TYPE_QUERY = "application/timestamp-query"
CONTENT_TYPE_REPLY = "application/timestamp-reply"

_HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512, "sha1": hashes.SHA1}


@dataclass(frozen=True, slots=True)
class TimestampInfo:
    """What a verified token says: when, by whom, under which serial and policy."""

    gen_time: datetime
    serial_number: int
    policy: str
    signer: str
    nonce: int | None

    def to_json(self) -> dict[str, object]:
        return {
            "gen_time": self.gen_time.isoformat(),
            "serial_number": self.serial_number,
            "policy": self.policy,
            "signer": self.signer,
            "nonce": self.nonce,
        }


def build_request(digest: bytes, nonce: int | None = None) -> tuple[bytes, int]:
    """DER ``TimeStampReq`` for a SHA-256 ``digest``; returns (request bytes, nonce)."""
    if len(digest) != 32:
        raise ValueError("RFC 3161 request: expected a 32-byte SHA-256 digest")
    nonce = nonce if nonce is not None else secrets.randbits(63)
    req = tsp.TimeStampReq(
        {
            "version": "v1",
            "message_imprint": tsp.MessageImprint(
                {"hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}), "hashed_message": digest}
            ),
            "nonce": nonce,
            "cert_req": True,
        }
    )
    return req.dump(), nonce


def parse_response(data: bytes, digest: bytes, nonce: int | None) -> bytes:
    """The DER token from a ``TimeStampResp``, after checking status, imprint and nonce."""
    try:
        resp = tsp.TimeStampResp.load(data)
        status = resp["status"]["status"].native
    except Exception as exc:
        raise EvidenceError(f"timestamp: the authority's reply is not an RFC 3161 TimeStampResp: {exc}") from exc
    if status not in ("granted", "granted_with_mods"):
        text = resp["status"]["status_string"].native if resp["status"]["status_string"] else ""
        raise EvidenceError(f"timestamp: the authority refused the request ({status}: {text})")
    token = resp["time_stamp_token"].dump()
    info = verify_token(token, digest)
    if nonce is not None and info.nonce != nonce:
        raise EvidenceError("timestamp: the reply's nonce does not match the request (replayed reply?)")
    return token


def request_timestamp(url: str, digest: bytes, *, timeout: float = 30.0) -> bytes:
    """POST a request for ``digest`` to the authority at ``url``; return the verified DER token."""
    import httpx

    req, nonce = build_request(digest)
    try:
        r = httpx.post(url, content=req, headers={"Content-Type": CONTENT_TYPE_QUERY}, timeout=timeout)
    except httpx.HTTPError as exc:
        raise FetchError(f"timestamp: cannot reach the time-stamping authority {url}: {exc}") from exc
    if r.status_code != 200:
        raise FetchError(f"timestamp: {url} answered HTTP {r.status_code}")
    return parse_response(r.content, digest, nonce)


def _signer_cert(sd: cms.SignedData, sid: cms.SignerIdentifier) -> x509.Certificate:
    certs = [c.chosen for c in (sd["certificates"] or []) if c.name == "certificate"]
    if sid.name == "issuer_and_serial_number":
        want = sid.chosen
        for c in certs:
            if c.issuer == want["issuer"] and c.serial_number == want["serial_number"].native:
                return c
    else:
        for c in certs:
            if c.key_identifier == sid.chosen.native:
                return c
    raise EvidenceError("timestamp: the token does not embed its signer certificate")


def _verify_with(cert_der: bytes, sig_algo: str, hash_name: str, signature: bytes, data: bytes) -> None:
    pub = cx509.load_der_x509_certificate(cert_der).public_key()
    h = _HASHES.get(hash_name)
    if h is None:
        raise EvidenceError(f"timestamp: unsupported digest algorithm {hash_name}")
    try:
        if isinstance(pub, ec.EllipticCurvePublicKey):
            pub.verify(signature, data, ec.ECDSA(h()))
        elif isinstance(pub, rsa.RSAPublicKey):
            if sig_algo == "rsassa_pss":
                pub.verify(signature, data, padding.PSS(padding.MGF1(h()), padding.PSS.AUTO), h())
            else:
                pub.verify(signature, data, padding.PKCS1v15(), h())
        else:
            raise EvidenceError("timestamp: unsupported signer key type")
    except InvalidSignature as exc:
        raise EvidenceError("timestamp: the token's signature does not verify") from exc


def _issued_by(cert_der: bytes, issuer_der: bytes) -> bool:
    cert = cx509.load_der_x509_certificate(cert_der)
    issuer = cx509.load_der_x509_certificate(issuer_der)
    if cert == issuer:
        return True
    try:
        cert.verify_directly_issued_by(issuer)
    except Exception:
        return False
    return True


def verify_token(token: bytes, digest: bytes, *, trusted: list[bytes] | None = None) -> TimestampInfo:
    """Verify a DER token over ``digest`` (see the module docstring); raise :class:`EvidenceError`."""
    try:
        ci = cms.ContentInfo.load(token)
        if ci["content_type"].native != "signed_data":
            raise EvidenceError("timestamp: the token is not CMS SignedData")
        sd = ci["content"]
        eci = sd["encap_content_info"]
        if eci["content_type"].native != "tst_info":
            raise EvidenceError("timestamp: the token does not encapsulate a TSTInfo")
        tst_bytes = eci["content"].contents
        tst = tsp.TSTInfo.load(tst_bytes)
        imprint = tst["message_imprint"]
        signer_info = sd["signer_infos"][0]
    except EvidenceError:
        raise
    except Exception as exc:
        raise EvidenceError(f"timestamp: the token is not valid DER/CMS: {exc}") from exc
    if imprint["hash_algorithm"]["algorithm"].native != "sha256":
        raise EvidenceError("timestamp: the token's imprint is not SHA-256")
    if imprint["hashed_message"].native != digest:
        raise EvidenceError("timestamp: the token is for a different datapackage.json hash")
    hash_name = signer_info["digest_algorithm"]["algorithm"].native
    h = _HASHES.get(hash_name)
    if h is None:
        raise EvidenceError(f"timestamp: unsupported digest algorithm {hash_name}")
    signed_attrs = signer_info["signed_attrs"]
    if not signed_attrs:
        raise EvidenceError("timestamp: the token has no signed attributes")
    md = None
    ctype = None
    for attr in signed_attrs:
        if attr["type"].native == "message_digest":
            md = attr["values"][0].native
        elif attr["type"].native == "content_type":
            ctype = attr["values"][0].native
    if ctype != "tst_info":
        raise EvidenceError("timestamp: the signed content-type attribute is not TSTInfo")
    hasher = hashlib.new(hash_name)
    hasher.update(tst_bytes)
    if md != hasher.digest():
        raise EvidenceError("timestamp: the signed message-digest does not match the TSTInfo")
    cert = _signer_cert(sd, signer_info["sid"])
    sig_algo = signer_info["signature_algorithm"].signature_algo
    _verify_with(cert.dump(), sig_algo, hash_name, signer_info["signature"].native, signed_attrs.untag().dump())
    if trusted is not None and not any(_issued_by(cert.dump(), t) for t in trusted):
        raise EvidenceError("timestamp: the token's signer is not a trusted time-stamping authority")
    nonce = tst["nonce"].native if tst["nonce"] else None
    return TimestampInfo(
        gen_time=tst["gen_time"].native,
        serial_number=int(tst["serial_number"].native),
        policy=str(tst["policy"].native),
        signer=cert.subject.human_friendly,
        nonce=nonce,
    )


__all__ = [
    "TimestampInfo",
    "build_request",
    "parse_response",
    "request_timestamp",
    "verify_token",
]
