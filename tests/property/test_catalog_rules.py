"""Property tests of the catalog's pure rules: any text parses, any article gets a class with reasons."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsrights.core.declaration import parse_declaration, publisher_declaration
from newsrights.core.model import Article
from newsrights.core.ownership import classify

_PIECES = st.sampled_from([
    "凡本网注明", "“来源：国际在线”", "「来源:XXX(非本网)」", "的作品", "未经书面授权", "不得", "转载", "摘编", "、",
    "，", "。", "版权所有", "Copyright ©", "2024", "All rights reserved.", "may not be reproduced", "\n",
    "律师费", "由侵权方承担", "事由发生之日起", "三十", "日内", "包括但不限于", "“国际在线XX消息”", "除外", "(", ")",
    "新华社", "记者", "国际在线", "消息", " ", "|",
])
_TEXT = st.one_of(st.text(max_size=300), st.lists(_PIECES, max_size=40).map("".join))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
def test_any_text_parses_and_every_sentence_is_accounted_for(text: str) -> None:
    d = parse_declaration(text)
    assert set(d.uninterpreted) <= set(d.sentences)
    ruled = {r.sentence for r in d.rules}
    for s in d.sentences:
        assert (s in ruled) != (s in d.uninterpreted), s
    assert d.to_json()["claim_window"] is None or d.claim_window.days >= 0  # type: ignore[union-attr]
    assert all(a in {"reproduce", "distribute", "extract", "modify", "archive", "index", "derive", "translate",
                     "aggregate", "play", "display", "print", "sell", "commercialize", "use"}
               for a in d.prohibited_actions)


_FIELD = st.one_of(st.none(), st.text(max_size=30), st.sampled_from(
    ["国际在线", "新华社", "辽宁日报记者 杨忠厚", "国际在线北京消息", "来源:国际在线", "转载", "新华社北京8月18日电",
     "本文版权归某报所有", "© Reuters", "记者 张三", "国际在线记者 王五"]))


@settings(max_examples=120, deadline=None)
@given(source=_FIELD, dateline=_FIELD, byline=_FIELD, notice=_FIELD,
       body=st.lists(st.one_of(st.text(min_size=1, max_size=60), _FIELD.filter(bool)), min_size=1, max_size=4),
       credits=st.lists(_FIELD.filter(bool), max_size=3))
def test_every_article_gets_a_class_with_reasons(source, dateline, byline, notice, body, credits) -> None:  # type: ignore[no-untyped-def]
    a = Article(body=tuple(body), source=source, dateline=dateline, byline=byline, copyright_notice=notice,
                credit_lines=tuple(credits))
    o = classify(a, publisher_declaration())
    assert o.class_ in ("owned", "third_party", "explicit_third_party", "needs_review")
    assert o.reasons and all(isinstance(r, str) and r for r in o.reasons)
    if o.class_ == "owned":
        assert o.marker is not None
    if o.class_ == "third_party":
        assert o.holder
