"""Evidence packages: a clean package verifies; tampering with each part fails on exactly that part."""

from __future__ import annotations

import base64
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsrights.core.model import Span
from newsrights.errors import EvidenceError
from newsrights.evidence import compare, tsa
from newsrights.evidence.signing import generate_key, load_or_create_key
from newsrights.evidence.verify import verify_package
from newsrights.evidence.wacz import PackageContents, write_package
from tests.unit.act.tsa_server import run_tsa

ARTICLE = "国际在线消息:中国国际广播电台今天发布新节目。\n\n节目将在全球播出,覆盖六十个国家。"
PAGE = "转载新闻\n\n中国国际广播电台今天发布新节目。<script>alert(1)</script>\n\n其他内容。"


def contents() -> PackageContents:
    a0 = ARTICLE.index("中国国际广播电台")
    p0 = PAGE.index("中国国际广播电台")
    n = len("中国国际广播电台今天发布新节目。")
    spans = (Span(a0, a0 + n, p0, p0 + n),)
    comp = compare.Comparison(
        article_uri="https://news.cri.cn/a/1", article_title="新节目", article_text=ARTICLE,
        page_url="https://copy.example.com/p/1", page_title="<b>copy</b>", page_text=PAGE, spans=spans,
        label="excerpt", article_coverage=0.5, page_coverage=0.4, verdict="unlicensed",
        verdict_reasons=("no_licence",),
        missing=compare.missing_marks(PAGE, credit_line="来源:国际在线", dateline="国际在线消息",
                                       byline="中国国际广播电台"),
        params="default-v1",
    )
    html = f"<html><body><p>{PAGE}</p></body></html>".encode()
    return PackageContents(
        finding_id="42", finding={"page_url": comp.page_url, "spans": [s.to_json() for s in spans]},
        page_url=comp.page_url, page_title=comp.page_title, page_raw=html,
        page_content_type="text/html; charset=utf-8", page_fetched=datetime(2024, 5, 1, 8, 0, tzinfo=UTC),
        article={"id": "a1", "text": ARTICLE}, article_text=ARTICLE, comparison=comp,
        registry_snapshot={"id": "snap-1", "licences": []},
        capture_log={"resolved_ip": "192.0.2.1"},
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    d = tmp_path_factory.mktemp("pkg")
    key = load_or_create_key(d / "keys")
    return write_package(d / "p.wacz", contents(), key).path, key.fingerprint


@pytest.fixture
def package(built: tuple[Path, str]) -> Path:
    return built[0]


def rewrite(src: Path, dst: Path, *, drop: str | None = None, change: dict[str, bytes] | None = None) -> Path:
    change = change or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            if info.filename == drop:
                continue
            zout.writestr(info, change.get(info.filename, zin.read(info.filename)))
    return dst


def read(p: Path, name: str) -> bytes:
    with zipfile.ZipFile(p) as z:
        return z.read(name)


def test_clean_package_verifies_and_has_the_wacz_layout(package: Path) -> None:
    rep = verify_package(package)
    assert rep.ok, rep.to_json()
    with zipfile.ZipFile(package) as z:
        names = set(z.namelist())
        assert z.getinfo("archive/data.warc.gz").compress_type == zipfile.ZIP_STORED
    for n in ("archive/data.warc.gz", "pages/pages.jsonl", "indexes/index.cdx", "datapackage.json",
              "datapackage-digest.json", "evidence/comparison.html", "evidence/comparison.pdf",
              "evidence/article.json", "evidence/registry_snapshot.json", "evidence/capture_log.json"):
        assert n in names, n
    dp = json.loads(read(package, "datapackage.json"))
    assert dp["wacz_version"] == "1.1.1"
    assert {r["path"] for r in dp["resources"]} == names - {"datapackage.json", "datapackage-digest.json"}
    html = read(package, "evidence/comparison.html").decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<mark>中国国际广播电台今天发布新节目。</mark>" in html
    assert "credit line missing" in html and "dateline missing" in html and "byline missing" not in html
    assert read(package, "evidence/comparison.pdf").startswith(b"%PDF")
    assert b"192.0.2.1" in read(package, "evidence/capture_log.json")
    import io

    from warcio.archiveiterator import ArchiveIterator
    recs = list(ArchiveIterator(io.BytesIO(read(package, "archive/data.warc.gz"))))
    assert [r.rec_type for r in recs] == ["warcinfo", "response"]


def test_a_byte_of_the_warc(package: Path, tmp_path: Path) -> None:
    warc = bytearray(read(package, "archive/data.warc.gz"))
    warc[len(warc) // 2] ^= 0x01
    bad = rewrite(package, tmp_path / "bad.wacz", change={"archive/data.warc.gz": bytes(warc)})
    assert verify_package(bad).failed_parts == ["file:archive/data.warc.gz"]


def test_the_manifest(package: Path, tmp_path: Path) -> None:
    dp = json.loads(read(package, "datapackage.json"))
    dp["title"] = "something else"
    bad = rewrite(package, tmp_path / "bad.wacz",
                  change={"datapackage.json": json.dumps(dp, ensure_ascii=False, indent=2).encode()})
    assert verify_package(bad).failed_parts == ["manifest"]


def test_a_file_and_its_manifest_entry_changed_together(package: Path, tmp_path: Path) -> None:
    import hashlib
    new = "伪造".encode()
    dp = json.loads(read(package, "datapackage.json"))
    for r in dp["resources"]:
        if r["path"] == "evidence/article.txt":
            r["hash"], r["bytes"] = "sha256:" + hashlib.sha256(new).hexdigest(), len(new)
    bad = rewrite(package, tmp_path / "bad.wacz", change={
        "evidence/article.txt": new, "datapackage.json": json.dumps(dp, indent=2).encode()})
    assert verify_package(bad).failed_parts == ["manifest"]


def test_the_signature(package: Path, tmp_path: Path) -> None:
    dg = json.loads(read(package, "datapackage-digest.json"))
    sig = bytearray(base64.b64decode(dg["signedData"]["signature"]))
    sig[-1] ^= 0x01
    dg["signedData"]["signature"] = base64.b64encode(bytes(sig)).decode()
    bad = rewrite(package, tmp_path / "bad.wacz", change={"datapackage-digest.json": json.dumps(dg).encode()})
    assert verify_package(bad).failed_parts == ["signature"]


def test_a_signature_by_another_key(built: tuple[Path, str], tmp_path: Path) -> None:
    package, ours = built
    dg = json.loads(read(package, "datapackage-digest.json"))
    other = generate_key()
    dg["signedData"]["publicKey"] = other.public_b64
    bad = rewrite(package, tmp_path / "bad.wacz", change={"datapackage-digest.json": json.dumps(dg).encode()})
    assert verify_package(bad).failed_parts == ["signature"]
    # re-signed by a stranger: the signature is valid but the key is not ours
    dg["signedData"]["signature"] = base64.b64encode(other.sign(dg["hash"].encode())).decode()
    bad2 = rewrite(package, tmp_path / "bad2.wacz", change={"datapackage-digest.json": json.dumps(dg).encode()})
    assert verify_package(bad2).ok
    assert verify_package(bad2, trusted_key_sha256=ours).failed_parts == ["signer_key"]
    assert verify_package(package, trusted_key_sha256=ours).ok


def test_a_missing_file(package: Path, tmp_path: Path) -> None:
    bad = rewrite(package, tmp_path / "bad.wacz", drop="evidence/comparison.pdf")
    assert verify_package(bad).failed_parts == ["file:evidence/comparison.pdf"]


def test_an_added_file(package: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.wacz"
    bad.write_bytes(package.read_bytes())
    with zipfile.ZipFile(bad, "a") as z:
        z.writestr("evidence/extra.txt", b"x")
    assert verify_package(bad).failed_parts == ["unlisted:evidence/extra.txt"]


def test_not_a_zip(tmp_path: Path) -> None:
    p = tmp_path / "x.wacz"
    p.write_bytes(b"hello")
    assert verify_package(p).failed_parts == ["zip"]


def test_rfc3161_timestamp_from_a_local_tsa(tmp_path: Path) -> None:
    key = generate_key()
    with run_tsa() as t:
        res = write_package(tmp_path / "t.wacz", contents(), key,
                            timestamper=lambda d: tsa.request_timestamp(t.url, d), tsa_url=t.url)
        assert t.served == [1]
    assert res.timestamped
    rep = verify_package(res.path, trusted_tsa_certs=[t.cert_der], require_timestamp=True)
    assert rep.ok, rep.to_json()
    assert rep.timestamp is not None and rep.timestamp.signer.endswith("newsrights test TSA")
    # a token from an untrusted authority
    from tests.unit.act.tsa_server import make_tsa_identity
    _, other_cert = make_tsa_identity()
    assert verify_package(res.path, trusted_tsa_certs=[other_cert]).failed_parts == ["timestamp"]
    # tamper with the token
    dg = json.loads(read(res.path, "datapackage-digest.json"))
    tok = bytearray(base64.b64decode(dg["timestamp"]["token"]))
    tok[-5] ^= 0x01
    dg["timestamp"]["token"] = base64.b64encode(bytes(tok)).decode()
    bad = rewrite(res.path, tmp_path / "bad.wacz", change={"datapackage-digest.json": json.dumps(dg).encode()})
    assert verify_package(bad).failed_parts == ["timestamp"]
    # no timestamp but one is required
    plain = write_package(tmp_path / "plain.wacz", contents(), key).path
    assert verify_package(plain, require_timestamp=True).failed_parts == ["timestamp"]


def test_tsa_reply_for_another_hash_is_refused() -> None:
    import hashlib

    from tests.unit.act.tsa_server import make_tsa_identity, stamp
    key, cert = make_tsa_identity()
    digest = hashlib.sha256(b"x").digest()
    req, nonce = tsa.build_request(digest)
    with pytest.raises(EvidenceError, match="different"):
        tsa.parse_response(stamp(req, key, cert, 1, tamper_imprint=True), digest, nonce)
    with pytest.raises(EvidenceError, match="nonce"):
        tsa.parse_response(stamp(req, key, cert, 1), digest, nonce + 1)


def test_key_file_is_private_and_reused(tmp_path: Path) -> None:
    k1 = load_or_create_key(tmp_path / "keys")
    k2 = load_or_create_key(tmp_path / "keys")
    assert k1.fingerprint == k2.fingerprint
    assert (tmp_path / "keys" / "evidence-p256.pem").stat().st_mode & 0o077 == 0


def test_pdf_without_a_cjk_font_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from newsrights.errors import ConfigError
    monkeypatch.setattr(compare, "CJK_FONTS", ())
    monkeypatch.delenv("NEWSRIGHTS_CJK_FONT", raising=False)
    with pytest.raises(ConfigError, match="fonts-wqy-microhei"):
        compare.render_pdf(contents().comparison)
    res = write_package(tmp_path / "nofont.wacz", contents(), generate_key())
    assert "evidence/comparison.pdf" not in res.files
    assert any("comparison.pdf not written" in n for n in res.notes)
    assert verify_package(res.path).ok


def test_cli_verify_pins_the_installation_key(built: tuple[Path, str], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A package re-signed by a stranger verifies only with --any-key; by default the CLI
    requires this installation's own evidence key."""
    from typer.testing import CliRunner

    from newsrights.cli.main import app

    package, _ours = built
    dg = json.loads(read(package, "datapackage-digest.json"))
    other = generate_key()
    dg["signedData"]["publicKey"] = other.public_b64
    dg["signedData"]["signature"] = base64.b64encode(other.sign(dg["hash"].encode())).decode()
    forged = rewrite(package, tmp_path / "forged.wacz", change={"datapackage-digest.json": json.dumps(dg).encode()})
    home = package.parent  # the installation that built the package: its key is in keys/
    monkeypatch.setenv("NEWSRIGHTS_HOME", str(home))
    runner = CliRunner()
    assert runner.invoke(app, ["evidence", "verify", str(package)]).exit_code == 0
    res = runner.invoke(app, ["evidence", "verify", str(forged)])
    assert res.exit_code == 3 and "signer_key" in res.output
    assert runner.invoke(app, ["evidence", "verify", str(forged), "--any-key"]).exit_code == 0
    # another installation without a key of its own checks integrity only, and says so
    monkeypatch.setenv("NEWSRIGHTS_HOME", str(tmp_path / "elsewhere"))
    res = runner.invoke(app, ["evidence", "verify", str(forged)])
    assert res.exit_code == 0


def test_a_damaged_member_is_a_failed_part_not_a_crash(package: Path, tmp_path: Path) -> None:
    """A flipped byte inside a member's stored bytes (bad CRC / corrupt stream) names that member."""
    raw = bytearray(package.read_bytes())
    with zipfile.ZipFile(package) as z:
        info = z.getinfo("evidence/article.txt")
    # local header: 30 bytes + file name + extra field, then the member's data
    name_len = int.from_bytes(raw[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_len = int.from_bytes(raw[info.header_offset + 28 : info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_len + extra_len
    raw[start + info.compress_size // 2] ^= 0xFF
    bad = tmp_path / "damaged.wacz"
    bad.write_bytes(bytes(raw))
    report = verify_package(bad)
    assert not report.ok
    assert "file:evidence/article.txt" in report.failed_parts
