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

#: A space between two Chinese characters (the CJK ideograph blocks).
_HAN_SPACE = re.compile(
    r"(?<=[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]) (?=[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])"
)


#: Characters no one sees, left in cells by copying and by concatenated files: a byte
#: order mark inside the text, zero-width spaces and joiners, a soft hyphen. NFKC keeps
#: them, and ﻿南关学校 would be an unknown school that looks exactly like the known one.
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad"))


def clean(text: str) -> str:
    """NFKC-normalise, drop invisible characters, trim, make each run of white space one
    space, and write other control characters as escapes (ESC as ``\\x1b``, which would
    drive a terminal): the form a value is shown and stored in. (``str.split`` splits where
    ``\\s`` matches, at twice the speed of a regular expression; a million-row ledger has
    tens of thousands of distinct names.)"""
    return visible(" ".join(unicodedata.normalize("NFKC", text).translate(_INVISIBLE).split()))


def key(text: str) -> str:
    """The matching key of a name: cleaned, without any white space, case-folded.

    （初中部） and (初中部) fold to the same key, and so do 南关 学校 and 南关学校.
    """
    return "".join(unicodedata.normalize("NFKC", text).translate(_INVISIBLE).split()).casefold()


def person(text: str) -> str:
    """A person's name (or a role) as one person: cleaned, and without the space between
    two Chinese characters that spreadsheets pad two-character names with to line them
    up (张　三 is 张三; Zhang San keeps its space)."""
    cleaned = clean(text)
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
