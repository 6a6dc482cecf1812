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
    assert clean("a\u200bb") == "a\u200bb"  # a zero-width space is not white space


def test_path_text_reads_each_non_utf8_part_as_gb18030() -> None:
    from jituan.textnorm import path_text

    gbk = os.fsdecode("收到/".encode() + "台账.csv".encode("gbk"))
    assert path_text(gbk) == "收到/台账.csv"
    assert path_text("收到/台账.csv") == "收到/台账.csv"
    junk = os.fsdecode(b"a/\xff\xff.csv")  # neither UTF-8 nor GB18030
    assert path_text(junk) == "a/\ufffd\ufffd.csv"
    path_text(junk).encode("utf-8")
