"""The seed page, read as plain text, gives exactly the fields the product brief states."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsrights.core.model import Article
from newsrights.ingest import read_bytes, read_path


def _seed(seed_page: Path) -> Article:
    items = list(read_path(seed_page))
    assert len(items) == 1
    art = items[0]
    assert isinstance(art, Article), art
    return art


def test_seed_page_fields(seed_page: Path) -> None:
    a = _seed(seed_page)
    assert a.title == "辽宁省委书记张国清:高标准高起点推动第二批政法队伍教育整顿取得实效"
    assert a.published is not None
    assert a.published.isoformat() == "2021-08-19T09:40:53+08:00"
    assert a.published.utcoffset() == timedelta(hours=8)
    assert a.published == datetime(2021, 8, 19, 1, 40, 53, tzinfo=UTC)
    assert a.source == "辽宁日报"
    assert a.editor == "王巍"
    assert a.responsible_editor == "李胜兰"
    assert a.original_title is not None
    assert a.original_title.replace("\u00a0", " ") == (
        "张国清在全省第二批政法队伍教育整顿动员部署会议上强调 高标准高起点推动第二批政法队伍教育整顿取得实效"
    )
    assert a.byline == "辽宁日报记者 杨忠厚"


def test_seed_page_body(seed_page: Path) -> None:
    a = _seed(seed_page)
    assert len(a.body) == 8
    assert a.body[0].startswith("8月18日,辽宁省第二批政法队伍教育整顿动员部署会议在沈阳召开。")
    assert (
        a.body[-1]
        == "会前,省政法队伍教育整顿领导小组召开第六次会议,听取有关情况,审议有关文件,研究部署下步工作。"
    )
    assert a.body[6] == "会议以电视电话会议形式召开,各市设分会场。"
    text = a.text
    assert "原标题" not in text
    assert "杨忠厚" not in text
    assert "国际在线" not in text
    assert "来源" not in text
    # punctuation kept as the page has it (half-width commas, curly quotes)
    assert "“回头看”" in text and "张国清指出,政法队伍" in text


def test_seed_page_declaration_and_credits(seed_page: Path) -> None:
    a = _seed(seed_page)
    assert a.declaration is not None
    assert a.declaration.startswith("国际在线版权与信息产品内容销售的声明")
    assert a.declaration.rstrip().endswith("请在该事由发生之日起30日内进行。")
    assert "来源:XXX(非国际在线)" in a.declaration
    assert "来源:辽宁日报" in a.credit_lines
    assert "辽宁日报记者 杨忠厚" in a.credit_lines
    assert a.language == "zh"
    assert a.origin == str(seed_page)
    assert a.raw_sha256 is not None and len(a.raw_sha256) == 64


def test_seed_page_same_from_bytes_and_gbk(seed_page: Path) -> None:
    """The same page in GB18030 bytes (no declared charset) reads identically."""
    a = _seed(seed_page)
    text = seed_page.read_text(encoding="utf-8")
    (b,) = read_bytes(text.encode("gb18030"), origin="seed.gbk.txt")
    assert isinstance(b, Article)
    assert b.body == a.body and b.title == a.title and b.published == a.published
    assert b.sha256 == a.sha256
