"""The credit check against real source lines and copyright declarations mined from Chinese news
pages (``../shared/data/zh_copyright_and_source_notices``)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from newsrights.core.credit import check_credit
from newsrights.core.model import Article

ORIGINAL = Article(body=("11月17日，论坛在西安开幕。", "与会专家认为，合作的关键在于互信。"), title="论坛在西安开幕")
_LABEL = re.compile(r"(?:文章|本文|资料)?(?:来源|稿源|出处)\s*[:：]")


def _rows(shared_data: Path) -> list[dict[str, str]]:
    path = shared_data / "zh_copyright_and_source_notices" / "notices.jsonl"
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def test_real_source_lines_name_only_the_source(shared_data: Path) -> None:
    lines = [r["text"] for r in _rows(shared_data) if r["kind"] == "source_line" and _LABEL.search(r["text"])]
    lines = [ln for ln in lines if len(ln) < 80 and not ln.startswith(("新华社", "本报讯"))]
    assert len(lines) >= 25
    named = 0
    for ln in lines:
        c = check_credit(Article(body=ORIGINAL.body, credit_lines=(ln,)), ORIGINAL)
        assert c.credit in ("wrong", "absent"), ln  # none of them is 国际在线
        if c.credit == "wrong":
            named += 1
            name = c.named_source or ""
            assert name and name in re.sub(r"\s+", "", ln) or name in ln, (ln, name)
            assert not re.search(r"来源|编辑|作者|[:：]", name), (ln, name)
    assert named / len(lines) >= 0.85, named


def test_real_declarations_rewritten_to_our_credit_never_count(shared_data: Path) -> None:
    rows = [r["text"] for r in _rows(shared_data) if r["kind"] == "copyright"]
    decls = [re.sub(r"(来源\s*[:：]\s*)[^”\"，,。、)）]{2,20}", r"\1国际在线", t) for t in rows if _LABEL.search(t)]
    if not decls:
        pytest.fail("no declaration with a 来源 marker in the notices")
    for d in decls:
        page = Article(body=(*ORIGINAL.body, d), declaration=d, url="http://copier.example/a.html")
        c = check_credit(page, ORIGINAL)
        assert c.credit != "present", (d, c.credit_line)
