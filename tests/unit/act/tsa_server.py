"""A minimal RFC 3161 time-stamping authority on loopback, for tests.

It answers POSTed ``TimeStampReq`` with a ``TimeStampResp`` whose token is a CMS SignedData
over a TSTInfo, signed with a throw-away ECDSA P-256 key and self-signed certificate.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import cms, tsp, x509
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass
class LocalTSA:
    url: str
    cert_der: bytes
    served: list[int]


def make_tsa_identity() -> tuple[ec.EllipticCurvePrivateKey, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, "newsrights test TSA")])
    now = datetime.now(UTC)
    cert = (
        cx509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(cx509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(cx509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    return key, cert.public_bytes(serialization.Encoding.DER)


def stamp(req_der: bytes, key: ec.EllipticCurvePrivateKey, cert_der: bytes, serial: int,
          *, tamper_imprint: bool = False) -> bytes:
    """A granted TimeStampResp for the request ``req_der``."""
    req = tsp.TimeStampReq.load(req_der)
    imprint = req["message_imprint"]
    if tamper_imprint:
        imprint = tsp.MessageImprint({"hash_algorithm": {"algorithm": "sha256"},
                                      "hashed_message": b"\x00" * 32})
    tst = tsp.TSTInfo({
        "version": "v1",
        "policy": "1.3.6.1.4.1.99999.1",
        "message_imprint": imprint,
        "serial_number": serial,
        "gen_time": datetime.now(UTC).replace(microsecond=0),
        "nonce": req["nonce"].native,
    })
    tst_der = tst.dump()
    cert = x509.Certificate.load(cert_der)
    attrs = cms.CMSAttributes([
        {"type": "content_type", "values": ["tst_info"]},
        {"type": "message_digest", "values": [hashlib.sha256(tst_der).digest()]},
    ])
    signature = key.sign(attrs.dump(), ec.ECDSA(hashes.SHA256()))
    signer = cms.SignerInfo({
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": cms.IssuerAndSerialNumber(
            {"issuer": cert.issuer, "serial_number": cert.serial_number})}),
        "digest_algorithm": {"algorithm": "sha256"},
        "signed_attrs": attrs,
        "signature_algorithm": {"algorithm": "sha256_ecdsa"},
        "signature": signature,
    })
    sd = cms.SignedData({
        "version": "v3",
        "digest_algorithms": [{"algorithm": "sha256"}],
        "encap_content_info": {"content_type": "tst_info", "content": cms.ParsableOctetString(tst_der)},
        "certificates": [cert],
        "signer_infos": [signer],
    })
    token = cms.ContentInfo({"content_type": "signed_data", "content": sd})
    return tsp.TimeStampResp({"status": {"status": "granted"}, "time_stamp_token": token}).dump()


@contextmanager
def run_tsa() -> Iterator[LocalTSA]:
    """Serve a TSA on 127.0.0.1 on a free port for the duration of the block."""
    key, cert_der = make_tsa_identity()
    served: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.headers.get("Content-Type") != "application/timestamp-query":
                self.send_response(415)
                self.end_headers()
                return
            served.append(len(served) + 1)
            out = stamp(body, key, cert_der, len(served))
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LocalTSA(url=f"http://127.0.0.1:{server.server_address[1]}/tsa", cert_der=cert_der, served=served)
    finally:
        server.shutdown()
        server.server_close()
