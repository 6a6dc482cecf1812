"""Text normalisation shared by configuration lookups and ledger values.

Ledgers are typed by hand on Chinese Windows: full-width digits and brackets, stray
spaces inside names. One function decides what "the same name" means, so that the
configuration's index and the ledger's values are always compared the same way.
"""

from __future__ import annotations

import unicodedata


def clean(text: str) -> str:
    """NFKC-normalise, trim, and make each run of white space one space: the form a
    value is shown and stored in. (``str.split`` splits where ``\\s`` matches, at twice
    the speed of a regular expression; a million-row ledger has tens of thousands of
    distinct names.)"""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def key(text: str) -> str:
    """The matching key of a name: cleaned, without any white space, case-folded.

    （初中部） and (初中部) fold to the same key, and so do 南关 学校 and 南关学校.
    """
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()
