"""The extraction metrics (newsrights.ingest.evaluation): what counts as the same title or byline."""

from __future__ import annotations

from newsrights.ingest.evaluation import byline_ok, reference_names, title_ok


def test_title_equal_up_to_typographic_quotes() -> None:
    assert title_ok("Strava unveils ‘family’ plan", "Strava unveils 'family' plan")
    assert title_ok("他说“不”", '他说"不"')
    assert not title_ok("Strava unveils ‘family’ plan", "Strava unveils 'family' plans")


def test_title_against_a_reference_cut_short_with_an_ellipsis() -> None:
    full = "Who is the star's girlfriend and how many children do they have?"
    assert title_ok(full, "Who is the star's girlfriend and how many children do they have?...")
    assert title_ok(full, "Who is the star's girlfriend and how…")
    assert not title_ok("Who is the star's boyfriend", "Who is the star's girlfriend and how…")
    assert not title_ok("Who", "W...")  # too little kept to compare


def test_title_with_site_suffix_still_accepted() -> None:
    assert title_ok("益阳：数字是优长", "益阳：数字是优长-半月谈")
    assert not title_ok("益阳", "益阳：数字是优长")


def test_reference_names_drop_the_by_label_and_timestamps() -> None:
    assert reference_names(["By Erin Cunningham"]) == ["Erin Cunningham"]
    assert reference_names(["by: Jane Roe", "Bylund Smith"]) == ["Jane Roe", "Bylund Smith"]
    assert reference_names(["April 28, 2019 at 6:01 am Updated April 29, 2019 at 3:33 pm"]) == []
    assert reference_names(["张三"]) == ["张三"]


def test_a_chinese_reference_listing_several_people_names_each() -> None:
    names = reference_names(["刘国栋 周炜 王燕平"])
    assert names == ["刘国栋", "周炜", "王燕平"]
    assert byline_ok("本报实习生 刘国栋 周炜 本报记者 王燕平", names)
    assert reference_names(["赵延东、风笑天"]) == ["赵延东", "风笑天"]
    assert reference_names(["周思博 (Joel Spolsky)"]) == ["周思博 (Joel Spolsky)"]


def test_byline_ok_all_names_and_not_too_long() -> None:
    assert byline_ok("本报记者 张三 李四", ["张三", "李四"])
    assert not byline_ok("本报记者 张三", ["张三", "李四"])
    assert not byline_ok("张三" + "很长的页面文字" * 10, ["张三"])
