"""WARC captures: readable by warcio, addressable by offset, rotated, repaired after a torn append."""

from __future__ import annotations

from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from newsrights.crawl.capture import CaptureRef, CaptureWriter, read_capture, repair, verify

BODY = "<html><body><p>国际在线消息：正文。</p></body></html>".encode()
HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip"), ("Content-Length", "12")]


def _write(w: CaptureWriter, i: int):  # type: ignore[no-untyped-def]
    return w.write(
        f"http://example.org/{i}.html", status=200, headers=HEADERS, body=BODY + str(i).encode(),
        request_headers=[("User-Agent", "t")], ip="127.0.0.1", extra={"redirects": ""},
    )


def test_record_set_is_readable_and_addressable(tmp_path: Path) -> None:
    with CaptureWriter(tmp_path) as w:
        refs = [_write(w, i) for i in range(3)]
    files = list(tmp_path.glob("*.warc.gz"))
    assert len(files) == 1
    with files[0].open("rb") as fh:
        types = [r.rec_type for r in ArchiveIterator(fh)]
    assert types == ["warcinfo"] + ["request", "response", "metadata"] * 3
    cap = read_capture(tmp_path, str(refs[1].ref))
    assert cap.body == BODY + b"1" and cap.url == "http://example.org/1.html" and cap.status == 200
    assert cap.payload_digest and cap.payload_digest.startswith("sha1:")
    assert ("Content-Length", str(len(cap.body))) in cap.headers
    assert not any(k.lower() == "content-encoding" for k, _ in cap.headers)
    assert CaptureRef.parse(str(refs[2].ref)) == refs[2].ref


def test_metadata_and_warcinfo_name_the_software(tmp_path: Path) -> None:
    with CaptureWriter(tmp_path) as w:
        _write(w, 0)
    path = next(tmp_path.glob("*.warc.gz"))
    with path.open("rb") as fh:
        recs = {r.rec_type: r.content_stream().read() for r in ArchiveIterator(fh)}
    assert b"software: newsrights/" in recs["warcinfo"]
    assert b"software: newsrights/" in recs["metadata"] and b"fetch-time:" in recs["metadata"]


def test_files_rotate(tmp_path: Path) -> None:
    with CaptureWriter(tmp_path, max_bytes=2000) as w:
        refs = [_write(w, i) for i in range(6)]
    files = sorted(tmp_path.glob("*.warc.gz"))
    assert len(files) > 1
    for f in files:
        assert verify(f) >= 4
    assert all(read_capture(tmp_path, r.ref).body.startswith(BODY) for r in refs)


def test_torn_tail_is_truncated_and_earlier_records_kept(tmp_path: Path) -> None:
    with CaptureWriter(tmp_path) as w:
        refs = [_write(w, i) for i in range(3)]
    path = next(tmp_path.glob("*.warc.gz"))
    whole = path.read_bytes()
    for cut in (7, 150, len(whole) - refs[2].ref.offset + 40):
        path.write_bytes(whole[:-cut])
        repair(path)
        n = verify(path)
        assert n >= 1 + 3 * 2
        assert read_capture(tmp_path, refs[0].ref).body == BODY + b"0"


def test_new_writer_repairs_the_folder(tmp_path: Path) -> None:
    with CaptureWriter(tmp_path) as w:
        _write(w, 0)
    path = next(tmp_path.glob("*.warc.gz"))
    path.write_bytes(path.read_bytes() + b"\x1f\x8b\x08\x00garbage")
    w2 = CaptureWriter(tmp_path)
    assert w2.repaired == {path.name: 11}
    verify(path)
    w2.close()
