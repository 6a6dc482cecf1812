"""The JSON format: one object, stable for scripts (see the README for its keys)."""

from __future__ import annotations

import json
from itertools import chain
from typing import Any

from jituan.model import Report
from jituan.report import RenderOptions

_SCALARS = frozenset((str, int, float, bool, type(None)))  # exact types: others recurse
_FLAT: dict[int, json.JSONEncoder] = {}  # level → encoder of a flat list or object there


def _flat_encoder(level: int) -> json.JSONEncoder:
    """The C encoder of a flat list or object at ``level``: its item separator carries the
    newline and the indentation of the members."""
    if level not in _FLAT:
        inner = "\n" + "  " * (level + 1)
        _FLAT[level] = json.JSONEncoder(ensure_ascii=False, separators=("," + inner, ": "))
    return _FLAT[level]


def dumps(value: Any, level: int = 0) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``, byte for byte, but fast.

    With ``indent`` the standard library encodes in pure Python (a 1M-row report's
    fifteen thousand issues take a tenth of a second); here each list or object whose
    members are all scalars — every result and every issue — is encoded by the C
    encoder, its separators carrying the newlines and the indentation.
    """
    inner = "\n" + "  " * (level + 1)
    flat_encoder = _flat_encoder(level)
    if isinstance(value, dict):
        if not value:
            return "{}"
        if _flat(value):
            flat = flat_encoder.encode(value)
            return "{" + inner + flat[1:-1] + "\n" + "  " * level + "}"
        items = (  # a key as the standard encoder writes it (non-text keys converted)
            json.dumps({k: None}, ensure_ascii=False)[1:-7] + ": " + dumps(v, level + 1)
            for k, v in value.items()
        )
        return "{" + inner + ("," + inner).join(items) + "\n" + "  " * level + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        if _SCALARS.issuperset(map(type, value)):
            flat = flat_encoder.encode(value)
            return "[" + inner + flat[1:-1] + "\n" + "  " * level + "]"
        if all(type(v) is dict and v for v in value) and _SCALARS.issuperset(
            map(type, chain.from_iterable(map(dict.values, value)))
        ):
            return _flat_objects(value, level)
        items = (dumps(v, level + 1) for v in value)
        return "[" + inner + ("," + inner).join(items) + "\n" + "  " * level + "]"
    return json.dumps(value, ensure_ascii=False)


def _flat(value: dict) -> bool:
    """Whether every member is a scalar (keys are converted alike by both encoders)."""
    return _SCALARS.issuperset(map(type, value.values()))


def _flat_objects(objects: list | tuple, level: int) -> str:
    """A list of flat, non-empty objects (results, issues) in one call of the C encoder.

    Its item separator is the one between an object's members; where one object ends
    and the next begins (``}`` separator ``{``: a newline inside a string is escaped, so
    only a separator holds one) the brackets get lines of their own.
    """
    outer, inner = "\n" + "  " * (level + 1), "\n" + "  " * (level + 2)
    text = _flat_encoder(level + 1).encode(objects)
    body = text[2:-2].replace("}," + inner + "{", outer + "}," + outer + "{" + inner)
    return "[" + outer + "{" + inner + body + outer + "}" + "\n" + "  " * level + "]"


def render(report: Report, options: RenderOptions) -> str:
    return dumps(report.to_dict()) + "\n"
