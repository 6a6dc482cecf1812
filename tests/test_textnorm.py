"""What "the same name" means: clean and key, worked by hand."""

from __future__ import annotations

import os
import re
import sys

from jituan.textnorm import clean, key


def test_clean_folds_full_width_and_white_space():
    assert clean("  南关\u3000 学校\t（初中部）\n") == "南关 学校 (初中部)"
    assert clean("ＡＢ１２") == "AB12"
    assert clean(" \t\u3000") == ""


def test_key_drops_white_space_and_case():
    assert key(" 南关 学校（初中部）") == key("南关学校(初中部)") == "南关学校(初中部)"
    assert key("Master Teacher") == "masterteacher"


def test_every_white_space_character_counts_as_white_space():
    # each character a regular expression's \s matches is a separator, and nothing else
    space = re.compile(r"\s")
    for c in map(chr, range(sys.maxunicode + 1)):
        if space.match(c):
            assert clean(f"{c}a{c}{c}b{c}") == "a b", hex(ord(c))
            assert key(f"a{c}B") == "ab", hex(ord(c))
    assert clean("a\u200bb") == "ab"  # a zero-width space separates nothing: it is dropped


def test_path_text_reads_each_non_utf8_part_as_gb18030() -> None:
    from jituan.textnorm import path_text

    gbk = os.fsdecode("收到/".encode() + "台账.csv".encode("gbk"))
    assert path_text(gbk) == "收到/台账.csv"
    assert path_text("收到/台账.csv") == "收到/台账.csv"
    junk = os.fsdecode(b"a/\xff\xff.csv")  # neither UTF-8 nor GB18030
    assert path_text(junk) == "a/\ufffd\ufffd.csv"
    path_text(junk).encode("utf-8")


def test_invisible_characters_are_no_part_of_a_name() -> None:
    """A byte order mark left inside a cell by concatenated files, a zero-width space
    from a web page: the known school, not an unknown one that looks the same."""
    assert clean("\ufeff甘州区南关学校\u200b") == "甘州区南关学校"
    assert key("南关\u200d学\u00ad校") == "南关学校"
    assert clean("\ufeff2024-10-13") == "2024-10-13"


def test_every_default_ignorable_character_is_no_part_of_a_person() -> None:
    """A Hangul or Mongolian filler, a direction mark, a variation selector, a tag: a
    name with one in it is the same person, not a second one counted again."""
    from jituan.textnorm import person

    ignorable = [0x034F, 0x115F, 0x1160, 0x17B4, 0x180E, 0x200E, 0x202D, 0x2061, 0x2066]
    ignorable += [0x3164, 0xFE0F, 0xFFA0, 0xE0020, 0xE0100]
    for c in ignorable:
        assert person(f"张{chr(c)}三丰") == "张三丰", hex(c)
        assert key(f"南关{chr(c)}学校") == "南关学校", hex(c)
    assert person("张三\ufffc") != "张三"  # an object replacement is seen: kept


def test_the_dots_of_a_transcribed_name_are_one_middle_dot() -> None:
    from jituan.textnorm import person

    for dot in "·•・‧･∙⋅.":
        assert person(f"阿依{dot}木") == "阿依·木", dot
    assert person("Dr. Li") == "Dr. Li" and person("Li.Ming") == "Li.Ming"


def test_a_compact_date_may_carry_a_time_as_the_others_do() -> None:
    import datetime as dt

    from jituan.values import parse_date

    assert parse_date("20241012 09:30") == dt.date(2024, 10, 12)
    assert parse_date("20241012T9:30:15") == dt.date(2024, 10, 12)
    assert parse_date("20241012 25:00") is None
    assert parse_date("20241312 09:30") is None
