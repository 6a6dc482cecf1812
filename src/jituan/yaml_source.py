"""Reading the YAML files jituan takes (groups, targets, exemptions) into one shape.

Split out of :mod:`jituan.config`, whose models validate what is read here. Every file
goes through one safe loader that refuses a key given twice, keeps the node tree for line
numbers, and turns what YAML reads but Python cannot hold (an unquoted 2024-09-31) into
an error naming the value, its key and its line: one error type per kind of problem,
raised at load, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import re
from calendar import monthrange
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from jituan.errors import ConfigError
from jituan.i18n import t
from jituan.textnorm import path_text

#: libyaml's parser when PyYAML was built with it (its wheels are): ten times faster than
#: the pure-Python one, with the same safe constructor, messages and line numbers.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _BadScalar(yaml.YAMLError):
    """A scalar the parser read but Python cannot hold, with its node."""

    def __init__(self, node: yaml.Node, cause: Exception) -> None:
        super().__init__(str(cause))
        self.node, self.cause = node, cause


class _DuplicateKey(yaml.constructor.ConstructorError):
    """A key given twice in one mapping, with the key (for the message in either language)."""

    def __init__(self, name: Any, mark: yaml.Mark) -> None:
        super().__init__(None, None, t("yaml-duplicate-key", "en", name=name), mark)
        self.name = name


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[misc,valid-type]
    """A safe loader that refuses a key given twice in one mapping (PyYAML keeps the last)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.refused: list[_BadScalar] = []

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """Python's own refusals (2024-09-31, hour 25, an int of 5,000 digits) kept with
        their node, so the message can name the value and its line; a refused scalar is
        read as its text, so that the rest of the file is still read and checked."""
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError, KeyError, AttributeError, TypeError, IndexError) as err:
            # (an explicit tag on a value it cannot take, !!bool maybe, fails with
            # KeyError or AttributeError inside the constructor)
            if not isinstance(node, yaml.ScalarNode):
                raise _BadScalar(node, err) from err
            self.refused.append(_BadScalar(node, err))
            # as PyYAML does on success: the node is done (a key is constructed twice, an
            # alias again), so its refusal is recorded once and not taken for recursion
            self.recursive_objects.pop(node, None)
            self.constructed_objects[node] = node.value
            return node.value

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        if not isinstance(node, yaml.MappingNode):  # !!set ab, !!map [a, b]
            raise yaml.constructor.ConstructorError(
                None, None, f"expected a mapping, but found {node.id}", node.start_mark
            )
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            name = self.construct_object(key_node, deep=deep)
            if not isinstance(name, Hashable):
                continue  # the safe constructor reports an unhashable key with its line
            if name in seen:
                raise _DuplicateKey(name, key_node.start_mark)
            seen[name] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


def _line_of(node: yaml.Node | None, loc: Iterable[Any]) -> int | None:
    """The 1-based line of the YAML node at a pydantic error location."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == part:
                    node = value_node
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return line
            node = node.value[part]
        else:
            return line
        line = node.start_mark.line + 1
    return line


@dataclass(frozen=True)
class SourceFile:
    """A parsed YAML file: its display name, its data and its node tree (for line numbers)."""

    name: str
    data: Any
    node: yaml.Node | None
    #: Values YAML reads but Python cannot hold, each read as its text instead: errors
    #: that every reader of the file lists beside its own findings.
    refused: tuple[YamlValueError, ...] = ()

    @property
    def refused_keys(self) -> frozenset[str]:
        """The dotted key paths of the refused values, aliases too (their own findings
        say them)."""
        return frozenset(k for err in self.refused for k in (err.key, *err.aliases))

    def line(self, loc: Iterable[Any]) -> int | None:
        return _line_of(self.node, loc)

    def where(self, loc: tuple[Any, ...], lang: str = "en") -> str:
        """``line N: key`` (``第 N 行: key`` in Chinese)."""
        line = self.line(loc)
        path = ".".join(str(p) for p in loc) or ("（顶层）" if lang == "zh" else "(top level)")
        return f"{t('at-line', lang, line=line)}: {path}" if line else path


class YamlSyntaxError(ConfigError):
    """A configuration file that is not valid YAML (``line`` is 1-based, or None)."""

    key = ""
    code = "invalid-yaml"
    #: the problem as a message id and its values when it is jituan's own (a key given
    #: twice), so that it can be said in Chinese too; None for the parser's own words
    reason: tuple[str, dict] | None = None

    def __init__(
        self,
        file: str,
        line: int | None,
        problem: str,
        reason: tuple[str, dict] | None = None,
    ) -> None:
        self.line, self.problem, self.reason = line, problem, reason
        super().__init__(file, [f"{f'line {line}: ' if line else ''}invalid YAML: {problem}"])

    def problem_text(self, lang: str) -> str:
        """The problem in ``lang`` where jituan has words for it, else the parser's (in
        Chinese, the parser's words follow what the usual mistakes behind them are)."""
        if self.reason is None:
            if lang == "zh":
                hint = next((z for words, z in _PARSER_ZH if words in self.problem), None)
                if hint is not None:
                    return f"{hint}（{self.problem}）"
            return self.problem
        message_id, values = self.reason
        return t(message_id, lang, **values)


#: PyYAML's words for the usual mistakes made editing a configuration by hand, said in
#: Chinese (the parser's own words follow in brackets).
_PARSER_ZH = (
    ("tab character", "用了制表符（Tab）缩进：YAML 只能用空格缩进"),
    ("mapping values are not allowed", "这里不能再写“键: 值”：请检查缩进，或给含冒号的值加引号"),
    ("block sequence entries are not allowed", "这里不能开始列表项“- ”：请检查缩进"),
    ("could not find expected ':'", "缺少冒号：键后应写“: ”（冒号加空格）"),
    (
        "did not find expected key",
        "此处应是一个键：请检查缩进是否对齐、引号是否成对、引号后是否还有文字",
    ),
    ("did not find expected ',' or ']'", "方括号 [ ] 没有闭合，或其中少了逗号"),
    ("did not find expected ',' or '}'", "花括号 { } 没有闭合，或其中少了逗号"),
    ("found unknown escape character", "双引号内有无法识别的转义（\\）：请改用单引号"),
    ("quoted scalar: found unexpected end", "引号没有闭合：请在这一行的值末尾补上引号"),
    ("did not find expected '-' indicator", "列表项应以“- ”开头，并与同一列表的其他项对齐"),
    ("did not find expected node content", "缺少取值：请检查“- ”或“: ”后、括号内是否漏写了内容"),
    ("expected <block end>", "缩进不一致：同一层的键或列表项应对齐"),
    ("found unexpected end of stream", "文件意外结束：请检查引号或括号是否成对"),
    ("cannot start any token", "出现了不能开头的字符：含 @、` 等字符的值请加引号"),
)


class YamlValueError(YamlSyntaxError):
    """A value YAML reads but Python cannot hold, such as the unquoted date 2024-09-31.

    ``message(lang)`` says what is wrong with it in either language; ``key`` is its
    dotted path, like the findings of :mod:`jituan.validate`.
    """

    code = "invalid-value"
    aliases: tuple[str, ...] = ()  # other key paths of the same value (YAML aliases)

    def __init__(
        self, file: str, line: int | None, key: str, value: str, reason: tuple[str, dict]
    ) -> None:
        self.line, self.key, self.value, self.reason = line, key, value, reason
        self.problem = self.message("en")
        where = "".join(f"{part}: " for part in (f"line {line}" if line else "", key) if part)
        ConfigError.__init__(self, file, [where + self.problem])

    def message(self, lang: str) -> str:
        message_id, values = self.reason
        return t(message_id, lang, value=self.value, **values)

    def problem_text(self, lang: str) -> str:
        return self.message(lang)


#: Longer scalars are cut in messages (an int of 5,000 digits says nothing more in full).
_SHOWN = 40


def _scalar_reason(node: yaml.Node, cause: Exception) -> tuple[str, dict]:
    """Which message explains a refused scalar: the calendar's own words for a date."""
    text = node.value if isinstance(node, yaml.ScalarNode) else ""
    match = yaml.constructor.SafeConstructor.timestamp_regexp.match(text)
    if node.tag == "tag:yaml.org,2002:int" and text.lstrip("+-").replace("_", "").isdigit():
        return "yaml-int-too-long", {}
    kind = node.tag.rsplit(":", 1)[-1] if node.tag.startswith("tag:yaml.org,2002:") else ""
    if kind in ("bool", "int", "float", "null") or (kind == "timestamp" and match is None):
        return "yaml-bad-typed", {"kind": kind}  # !!bool maybe: the tag's words, not Python's
    if match is None or node.tag != "tag:yaml.org,2002:timestamp":
        return "yaml-bad-value", {"detail": str(cause)}
    year, month = int(match["year"]), int(match["month"])
    if year < dt.MINYEAR:
        return "yaml-date-no-year", {}
    if not 1 <= month <= 12:
        return "yaml-date-no-month", {"month": month}
    days = monthrange(year, month)[1]
    if not 1 <= int(match["day"]) <= days:
        return "yaml-date-no-day", {"year": year, "month": month, "days": days}
    return "yaml-bad-time", {"detail": str(cause)}


def _paths_to(root: yaml.Node, target: yaml.Node) -> list[tuple[Any, ...]]:
    """Every key path of a node below the root, in the file's order (an anchored node is
    met again at each of its aliases); () for the root or a key of it.

    A node is walked into twice at most: aliases of aliases (a "billion laughs") would
    otherwise make the walk grow with every level, and a path missed that way only
    means a value's alias may be named once more."""
    found: list[tuple[Any, ...]] = []
    walked: dict[int, int] = {}
    stack: list[tuple[yaml.Node, tuple[Any, ...]]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if node is target:
            found.append(path)
            continue
        if walked.get(id(node), 0) >= 2:
            continue
        walked[id(node)] = walked.get(id(node), 0) + 1
        children: list[tuple[yaml.Node, tuple[Any, ...]]] = []
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                children += [(key_node, path), (value_node, (*path, key_node.value))]
        elif isinstance(node, yaml.SequenceNode):
            children = [(child, (*path, i)) for i, child in enumerate(node.value)]
        stack += reversed(children)
    return found


def _bad_scalar(name: str, root: yaml.Node | None, err: _BadScalar) -> YamlValueError:
    node = err.node
    value = node.value if isinstance(node, yaml.ScalarNode) else ""
    shown = value if len(value) <= _SHOWN else value[:_SHOWN] + "…"
    paths = (_paths_to(root, node) if root is not None else []) or [()]
    keys = [".".join(str(p) for p in path) for path in paths]
    reason = _scalar_reason(node, err.cause)
    refused = YamlValueError(name, node.start_mark.line + 1, keys[0], shown, reason)
    refused.aliases = tuple(keys[1:])  # the same value again, through aliases
    return refused


def _decode(data: bytes) -> str:
    """The text of a configuration file: UTF-8 (with or without a byte-order mark), UTF-16
    with one, or GB18030, which Notepad on Chinese Windows saves as "ANSI"; the same
    encodings a ledger may come in. UnicodeDecodeError when it is none of them."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


#: A key (an ASCII name, as every key of jituan's files) and a full-width colon, with no
#: ASCII colon after: teachers：95, - name：东新小学 (not the alias 南华小学：本部).
_FULLWIDTH_KEY = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][\w-]*\s*：[^:]*$")


def _code(row: str) -> str:
    """A YAML line without its comment (a # after a space, or at the start)."""
    at = row.find("#")
    while at > 0 and row[at - 1] not in " \t":
        at = row.find("#", at + 1)
    return row if at < 0 else row[:at]


def _fullwidth_key_line(text: str, start: int) -> int | None:
    """The line (1-based) of a key written with a full-width colon, at ``start`` (0-based)
    or on the last line above it with something on it; None when that is no such key."""
    lines = text.splitlines()
    start = min(start, len(lines) - 1)  # past the end: nothing there
    while start > 0 and not _code(lines[start]).strip():
        start -= 1  # the key's line is the last one with something on it
    if 0 <= start < len(lines) and _FULLWIDTH_KEY.match(_code(lines[start])):
        return start + 1
    return None


def _tab_indented(text: str, line: int, problem: str = "") -> bool:
    """Whether the line (1-based) is indented with a tab, or holds one where the parser
    found a character that cannot start anything (``-\tb``)."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return False
    row = lines[line - 1]
    if "\t" in row[: len(row) - len(row.lstrip())]:
        return True
    return "cannot start any token" in problem and "\t" in row and not any(c in row for c in "@`%")


def read_yaml(path: Path | str, text: str | None = None, lang: str = "en") -> SourceFile:
    """Parse one YAML file with a safe loader; any problem is a ConfigError naming the line
    (a file that is missing or unreadable is said in ``lang``)."""
    name = path_text(path)  # a GBK file name too: findings and reports are UTF-8
    if text is None:
        try:
            text = _decode(Path(path).read_bytes())
        except FileNotFoundError as err:
            raise ConfigError(name, [t("yaml-not-found", lang)]) from err
        except OSError as err:
            raise ConfigError(name, [t("yaml-unreadable", lang, detail=err)]) from err
        except UnicodeDecodeError as err:
            raise ConfigError(name, [t("yaml-not-text", lang)]) from err
    loader = _UniqueKeyLoader(text)
    node = None
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except _BadScalar as err:
        raise _bad_scalar(name, node, err) from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        problem = getattr(err, "problem", None) or str(err)
        context, opened = getattr(err, "context", None) or "", getattr(err, "context_mark", None)
        at_end = mark is None or mark.line >= len(text.splitlines()) - 1
        if ("quoted scalar" in context or "flow" in context) and opened is not None and at_end:
            mark = opened  # a quote or a bracket never closed: its line, not the file's end
            problem = f"{context}: {problem}"
        line = mark.line + 1 if mark is not None else None
        reason = (
            ("yaml-duplicate-key", {"name": err.name}) if isinstance(err, _DuplicateKey) else None
        )
        if reason is None and line is not None and _tab_indented(text, line, problem):
            reason = ("yaml-tab", {})  # libyaml says only "cannot start any token"
        colon_problem = (
            "mapping values are not allowed" in problem
            or "simple key" in context
            or "<document start>" in problem  # district：甘州区 on a line of its own
        )
        if reason is None and line is not None and colon_problem:
            # a key written with a full-width colon (a Chinese input method): the parser
            # finds out a line later, as "could not find expected ':'" or as "mapping
            # values are not allowed" on the next key
            start = opened.line if "simple key" in context and opened is not None else line - 2
            key_line = _fullwidth_key_line(text, start)
            if key_line is not None:
                line, reason = key_line, ("yaml-fullwidth-colon", {})
        raise YamlSyntaxError(name, line, problem, reason) from err
    finally:
        loader.dispose()
    refused = tuple(_bad_scalar(name, node, err) for err in loader.refused)
    return SourceFile(name, data, node, refused)
