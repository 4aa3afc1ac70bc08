from __future__ import annotations

from newsrights.core.normalize import normalize, to_simplified


def test_folds_width_case_punctuation_and_zero_width() -> None:
    n = normalize("ＡＢＣ１２３，Ｈｅｌｌｏ\u200b！ 新闻\u3000联播")
    assert n.text == "abc123 hello新闻联播"


def test_latin_words_keep_one_space() -> None:
    assert normalize("Hello,   World!\nBye").text == "hello world bye"


def test_offsets_map_back_to_the_original() -> None:
    text = "来源：新华社\n\n今天，（北京）天气晴朗。"
    n = normalize(text)
    assert n.text == "今天北京天气晴朗"
    s, e = n.to_original(2, 4)
    assert text[s:e] == "北京"
    s, e = n.to_original(0, len(n.text))
    assert text[s:e] == "今天，（北京）天气晴朗"


def test_credit_lines_are_dropped() -> None:
    text = "转载自：某某网\n正文第一段内容。\n责任编辑：张三"
    assert normalize(text).text == "正文第一段内容"
    assert normalize(text, drop_credit_lines=False).text.startswith("转载自")


def test_traditional_taiwan_and_hong_kong_forms_become_simplified() -> None:
    assert normalize("我們的軟體在網路上發佈了新版本").text == normalize("我们的软件在网络上发布了新版本").text
    hk = normalize("衞生署今日公佈最新數據")
    assert hk.converted
    assert hk.text == normalize("卫生署今日公布最新数据").text


def test_phrase_conversion_that_changes_length_keeps_offsets_inside() -> None:
    text = "他們在網路上看了一場電影。然後回家。"
    n = normalize(text)
    assert len(n.starts) == len(n.text)
    for i in range(len(n.text)):
        s, e = n.to_original(i, i + 1)
        assert 0 <= s < e <= len(text)


def test_simplified_text_is_not_converted() -> None:
    assert not normalize("这是一段普通的简体中文新闻，没有繁体字。").converted
    assert to_simplified("軟體") == "软件"


def test_empty_text() -> None:
    n = normalize("")
    assert n.text == "" and n.to_original(0, 0) == (0, 0)
