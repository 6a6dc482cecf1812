"""Text normalisation shared by configuration lookups and ledger values.

Ledgers are typed by hand on Chinese Windows: full-width digits and brackets, stray
spaces inside names. One function decides what "the same name" means, so that the
configuration's index and the ledger's values are always compared the same way.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import PurePath

from jituan.values import visible, visible_name

#: A Chinese character (the CJK ideograph blocks), as a regular expression's class.
_HAN = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
#: A space between two Chinese characters.
_HAN_SPACE = re.compile(f"(?<={_HAN}) (?={_HAN})")


#: Characters no one sees: Unicode's default-ignorable code points (DerivedCoreProperties),
#: left in cells by copying and by concatenated files (a byte order mark inside the text,
#: zero-width spaces and joiners, a soft hyphen, direction marks) or put there on purpose
#: (a Hangul or Mongolian filler, a variation selector). NFKC keeps them: ﻿南关学校 would be
#: an unknown school that looks exactly like the known one, and 张三 with a filler in it a
#: second person, counted again and no duplicate of the first.
_IGNORABLE_RANGES = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160),
    (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)  # fmt: skip
_INVISIBLE = dict.fromkeys(c for lo, hi in _IGNORABLE_RANGES for c in range(lo, hi + 1))


def _plain(text: str) -> str:
    """NFKC-normalised, without the characters no one sees: what names are made of."""
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE)


def clean(text: str) -> str:
    """NFKC-normalise, drop invisible characters, trim, make each run of white space one
    space, and write other control characters as escapes (ESC as ``\\x1b``, which would
    drive a terminal): the form a value is shown and stored in. (``str.split`` splits where
    ``\\s`` matches, at twice the speed of a regular expression; a million-row ledger has
    tens of thousands of distinct names.)"""
    return visible(" ".join(_plain(text).split()))


def key(text: str) -> str:
    """The matching key of a name: cleaned, without any white space, case-folded.

    （初中部） and (初中部) fold to the same key, and so do 南关 学校 and 南关学校.
    """
    return "".join(_plain(text).split()).casefold()


#: The dots typed between the parts of a transcribed name (阿依·木 with a bullet, a
#: katakana middle dot, a hyphenation point): all are the middle dot U+00B7.
_NAME_DOTS = dict.fromkeys(map(ord, "\u2022\u2027\u2219\u22c5\u30fb"), "\u00b7")
#: A full stop between two Chinese characters, typed for that middle dot (阿依.木).
_HAN_DOT = re.compile(f"(?<={_HAN})\\.(?={_HAN})")


def person(text: str) -> str:
    """A person's name (or a role) as one person: cleaned, without the space between two
    Chinese characters that spreadsheets pad two-character names with to line them up
    (张　三 is 张三; Zhang San keeps its space), and with one middle dot between the parts
    of a transcribed name (阿依•木, 阿依・木 and 阿依.木 are 阿依·木)."""
    cleaned = clean(text).translate(_NAME_DOTS)
    if "." in cleaned:
        cleaned = _HAN_DOT.sub("\u00b7", cleaned)
    return _HAN_SPACE.sub("", cleaned) if " " in cleaned else cleaned


def path_text(path: PurePath | str) -> str:
    """A path as text that a UTF-8 report can hold.

    A zip made on Chinese Windows and unpacked on Linux keeps its GBK file names, which
    the system hands over with surrogate escapes that no UTF-8 report can write: each
    such part of the path is read as GB18030 (else with replacement characters), the
    others are kept as they are.
    """
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        parts = []
        for part in os.fsencode(text).split(b"/"):
            try:
                parts.append(part.decode("utf-8"))
            except UnicodeDecodeError:
                try:
                    parts.append(part.decode("gb18030"))
                except UnicodeDecodeError:
                    parts.append(part.decode("utf-8", "replace"))
        text = "/".join(parts)
    return visible_name(text)
