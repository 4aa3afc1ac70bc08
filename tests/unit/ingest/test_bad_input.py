"""Bad input is rejected with a reason and the batch goes on."""

from __future__ import annotations

import resource
import time
from pathlib import Path

from newsrights.core.model import Article, Rejected
from newsrights.ingest import REASONS, read_bytes, read_path

PAGE = "标题\n\n8月18日，某市召开经济工作会议，研究部署下半年经济工作。\n\n会议指出，上半年全市经济运行总体平稳。\n".encode()


def _reasons(items: list[Article | Rejected]) -> list[str]:
    return [i.reason if isinstance(i, Rejected) else "ok" for i in items]


def test_each_bad_input_has_its_reason(tmp_path: Path) -> None:
    (tmp_path / "01_empty.txt").write_bytes(b"")
    (tmp_path / "02_blank.txt").write_bytes(b"  \n\n ")
    (tmp_path / "03_binary.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (tmp_path / "04_good.txt").write_bytes(PAGE)
    (tmp_path / "05_undecodable.txt").write_bytes(bytes([0x81, 0x30, 0xFF, 0xFE, 0x80, 0xFF]) * 200)
    (tmp_path / "06_no_body.html").write_bytes(
        b"<html><head><title>only a title</title></head><body></body></html>"
    )
    (tmp_path / "07_bad.json").write_bytes(b'{"headline": "x", "body_text": ')
    (tmp_path / "08_trunc.warc").write_bytes(
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://x/\r\nContent-Type: application/http; msgtype=response\r\n"
        b"WARC-Record-ID: <urn:uuid:1>\r\nWARC-Date: 2021-08-19T01:40:53Z\r\nContent-Length: 5000\r\n\r\n"
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>cut he"
    )
    (tmp_path / "09_good_again.txt").write_bytes(PAGE)
    items = list(read_path(tmp_path))
    assert _reasons(items) == [
        "empty",
        "empty",
        "binary",
        "ok",
        "bad_encoding",
        "no_body",
        "bad_json",
        "truncated_warc",
        "ok",
    ]
    for i in items:
        if isinstance(i, Rejected):
            assert i.reason in REASONS and i.origin.startswith(str(tmp_path)) and i.detail


def test_no_title_or_date_is_not_a_rejection() -> None:
    (a,) = read_bytes(
        "8月18日，某市召开经济工作会议，研究部署下半年经济工作。会议指出，上半年全市经济运行总体平稳。".encode(),
        origin="x",
    )
    assert isinstance(a, Article) and a.published is None and a.title is None and a.body


def test_too_large_from_bytes_and_configurable_cap() -> None:
    (r,) = read_bytes(PAGE * 10, origin="x", max_bytes=100)
    assert isinstance(r, Rejected) and r.reason == "too_large"


def test_50_mb_page_rejected_quickly_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    with big.open("wb") as fh:
        fh.write(b"<html><body><p>")
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    items = list(read_path(big))
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert _reasons(items) == ["too_large"]
    assert elapsed < 0.5
    assert (after - before) < 20 * 1024  # KB: far less than the file


def test_gzip_bomb_stops_at_the_cap(tmp_path: Path) -> None:
    import gzip

    f = tmp_path / "bomb.txt.gz"
    f.write_bytes(gzip.compress(b"a" * (30 * 1024 * 1024)))
    assert _reasons(list(read_path(f))) == ["too_large"]
    assert _reasons(list(read_path(tmp_path / "missing.txt"))) == ["unreadable"]
