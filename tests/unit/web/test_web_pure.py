"""Pure helpers of the web shell: highlighting, SVG charts, message catalog, rate limiter, aggregates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsrights.api.ratelimit import TokenBucket
from newsrights.web import i18n
from newsrights.web.charts import bar_chart, line_chart
from newsrights.web.highlight import highlight, merge_ranges, reused_fraction
from newsrights.web.stats import FindingFact, site_of, summarize


def test_merge_ranges_clamps_sorts_and_merges() -> None:
    assert merge_ranges([(5, 8), (0, 2), (7, 12), (20, 30), (3, 3)], 25) == [(0, 2), (5, 12), (20, 25)]
    assert merge_ranges([(-5, 1), (2, 4), (4, 6)], 10) == [(0, 1), (2, 6)]


def test_highlight_escapes_text_and_marks_ranges() -> None:
    text = "前文<script>alert(1)</script>中间<img src=x onerror=alert(2)>后文"
    out = str(highlight(text, [(2, 10)]))
    assert "<script>" not in out and "<img" not in out
    assert "&lt;script&gt;" in out and "&lt;img src=x onerror=alert(2)&gt;" in out
    assert out.startswith('前文<mark class="reused" id="m0">&lt;script')
    assert out.count("<mark") == 1


def test_highlight_keeps_paragraphs_and_covers_fraction() -> None:
    out = str(highlight("ab\n\ncd", [(0, 2), (4, 6)]))
    assert out == '<mark class="reused" id="m0">ab</mark><br><br><mark class="reused" id="m1">cd</mark>'
    assert reused_fraction([(0, 2), (1, 4)], 8) == 0.5
    assert reused_fraction([], 0) == 0.0


def test_bar_chart_escapes_labels_and_scales_bars() -> None:
    svg = str(bar_chart([("<b>evil.com</b>", 10), ("good.cn", 5)], title="t&t"))
    assert "<b>" not in svg and "&lt;b&gt;evil.com&lt;/b&gt;" in svg
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    widths = [float(part.split('"')[0]) for part in svg.split('<rect x="180" y="')[1:] for part in [part.split('width="')[1]]]
    assert widths[0] == pytest.approx(2 * widths[1], rel=0.01)
    assert "t&amp;t" in svg


def test_line_chart_has_one_point_per_day() -> None:
    svg = str(line_chart([("2026-01-01", 1), ("2026-01-02", 4), ("2026-01-03", 2)]))
    assert svg.count("<circle") == 3 and "<polyline" in svg
    assert "2026-01-01" in svg and "2026-01-03" in svg
    empty = str(line_chart([]))
    assert "<circle" not in empty and empty.endswith("</svg>")


def test_message_catalogs_have_the_same_keys() -> None:
    assert set(i18n.MESSAGES["zh"]) == set(i18n.MESSAGES["en"])
    assert i18n.translator("zh")("sign_in") == "登录"
    assert i18n.translator("en")("sign_in") == "Sign in"
    assert i18n.translator("en")("no_such_key") == "no_such_key"


def test_language_choice_order() -> None:
    assert i18n.pick_language(None, None, None) == "zh"
    assert i18n.pick_language(None, None, "en-US,en;q=0.9") == "en"
    assert i18n.pick_language(None, "zh", "en-US") == "zh"
    assert i18n.pick_language("en", "zh", None) == "en"
    assert i18n.pick_language("xx", None, "fr") == "zh"


def test_token_bucket_refuses_after_burst_and_refills() -> None:
    now = [0.0]
    bucket = TokenBucket(rate=1.0, burst=3, clock=lambda: now[0])
    assert [bucket.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = bucket.take("a")
    assert wait == pytest.approx(1.0)
    assert bucket.take("b") == 0.0  # separate key
    now[0] = 1.5
    assert bucket.take("a") == 0.0
    assert bucket.take("a") > 0


def test_summarize_counts_by_verdict_site_day_and_infringers() -> None:
    d1 = datetime(2026, 3, 1, 10, tzinfo=UTC)
    d2 = datetime(2026, 3, 2, 10, tzinfo=UTC)
    facts = [
        FindingFact("https://www.copy.cn/a", "unlicensed", d1),
        FindingFact("https://copy.cn/b", "unlicensed", d2),
        FindingFact("https://ok.com/c", "licensed_credited", d2),
        FindingFact("https://ok.com/d", "licensed_uncredited", None),
        FindingFact("", None, d1),
    ]
    s = summarize(facts)
    assert s.total == 5
    assert s.by_verdict[0] == ("unlicensed", 2)
    assert dict(s.by_site) == {"copy.cn": 2, "ok.com": 2, "(none)": 1}
    assert s.by_day == [("2026-03-01", 2), ("2026-03-02", 2)]
    assert s.top_infringing_sites == [("copy.cn", 2), ("ok.com", 1)]
    assert site_of("http://WWW.Example.COM/x") == "example.com"


def test_safe_next_only_follows_local_paths() -> None:
    from newsrights.web.views import safe_next

    assert safe_next("/findings/3?x=1") == "/findings/3?x=1"
    for bad in (None, "", "https://evil.example/", "//evil.example/x", "/\\evil", "javascript:alert(1)", "findings"):
        assert safe_next(bad) == "/"


def test_credit_state_reads_the_verdict_reasons() -> None:
    from newsrights.web.pages import credit_state

    assert credit_state(("no_licence: x", "credit_absent: no source line"))[0] == "missing"
    assert credit_state(["credit_wrong: names 新华社"])[0] == "missing"
    assert credit_state(("credit_present: '来源:国际在线' (top)",)) == ("present", "credit_present: '来源:国际在线' (top)")
    assert credit_state(()) == ("unknown", None)


def test_contract_articles_and_party_urls() -> None:
    from newsrights.core.odrl import Asset, Policy, PolicyVersion, Rule
    from newsrights.web.portal import contract_articles, is_party_url

    named = Policy("urn:p:1", "Agreement", (Rule("permission", "reproduce",
                                                   (Asset("urn:newsrights:article:art_1"), Asset("urn:newsrights:article:art_2"))),))
    whole = Policy("urn:p:2", "Agreement", (Rule("permission", "reproduce", (Asset("urn:newsrights:catalog", True),)),))
    t = datetime(2026, 1, 1, tzinfo=UTC)
    assert contract_articles([PolicyVersion(named, 1, t)]) == (["art_1", "art_2"], False)
    assert contract_articles([PolicyVersion(named, 1, t), PolicyVersion(whole, 1, t)])[1] is True
    assert is_party_url("http://www.partner.example/a", ("partner.example",))
    assert is_party_url("http://m.partner.example/a", ("partner.example",))
    assert not is_party_url("http://oldpartner.example/a", ("partner.example",))
    assert not is_party_url(None, ("partner.example",))
