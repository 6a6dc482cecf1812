"""The language of ``--help``: Chinese under a Chinese locale or ``--lang zh``.

Typer reads every help text when the commands are declared, at import, before any option
is parsed; so the language is decided here once, from the command line being run (a
``--lang`` anywhere on it) or else the locale, and each help text is given in both
languages with :func:`h`. Typer's panel titles follow; the "Usage:" line and the help
of ``--help`` itself are click's own, and stay English.
"""

from __future__ import annotations

import re
import sys

from jituan.i18n import LANGS, detect_lang


def lang_from_argv(args: list[str]) -> str | None:
    """The ``--lang`` given on a command line (the last one, as the option reads it)."""
    lang = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg.removeprefix("--lang=")
        else:
            continue
        lang = value if value in LANGS else lang
    return lang


#: The language help texts are given in, decided at import (see the module docstring).
HELP_LANG = lang_from_argv(sys.argv[1:]) or detect_lang()


def h(en: str, zh: str) -> str:
    """A help text in :data:`HELP_LANG`."""
    return zh if HELP_LANG == "zh" else en


#: typer's help panel titles in Chinese.
_PANELS_ZH = {
    "OPTIONS_PANEL_TITLE": "选项",
    "ARGUMENTS_PANEL_TITLE": "参数",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "DEFAULT_STRING": "[默认：{}]",
    "REQUIRED_LONG_STRING": "[必填]",
    "ABORTED_TEXT": "已中止。",
    "RICH_HELP": "请用 [blue]'{command_path} {help_option}'[/] 查看帮助。",
}

#: click's usage errors (a bad choice, a missing argument, an unknown option or command)
#: and their Chinese; the first pattern that matches the whole message is used.
_USAGE_ERRORS_ZH = (
    (
        re.compile(r"Invalid value for (.+?): (.+?) is not one of (.+?)\.?"),
        "{0} 的取值 {1} 无效，应为 {2} 之一",
    ),
    (re.compile(r"Invalid value for (.+?): (.+)"), "{0} 的取值无效：{1}"),
    (re.compile(r"Missing argument (.+?)\."), "缺少参数 {0}"),
    (re.compile(r"Missing option (.+?)\."), "缺少选项 {0}"),
    (
        re.compile(r"No such option: (\S+) \(Possible options: (.+)\)"),
        "没有选项 {0}（是否应为 {1}？）",
    ),
    (re.compile(r"No such option: (\S+)"), "没有选项 {0}"),
    (re.compile(r"No such command (.+?)\. Did you mean (.+)\?"), "没有命令 {0}（是否应为 {1}？）"),
    (re.compile(r"No such command (.+?)\."), "没有命令 {0}"),
    (re.compile(r"Option (.+?) requires an argument\."), "选项 {0} 需要一个取值"),
    (re.compile(r"Got unexpected extra argument(?:\(s\)|s)? \((.+)\)"), "多余的参数：{0}"),
)


def usage_error_text(message: str, lang: str) -> str:
    """click's message for a usage error, without pydantic's "Value error, " (typer's
    choice check raises a ValueError) and in Chinese for ``lang`` zh where it is known."""
    message = message.replace(": Value error, ", ": ")
    if lang == "zh":
        for pattern, template in _USAGE_ERRORS_ZH:
            found = pattern.fullmatch(message)
            if found:
                said = list(found.groups())
                if template.startswith("缺少参数"):  # only there is it a parameter's name
                    said = [_ARGUMENTS_ZH.get(g.strip("'"), g) for g in said]
                return template.format(*said)
    return message


#: The commands' arguments, named for Chinese readers (click names them by parameter).
_ARGUMENTS_ZH = {"paths": "台账文件或文件夹（PATH）", "target": "目标 id（TARGET）"}


def localise_panels() -> None:
    """Give click's usage errors the words of :func:`usage_error_text`, and typer's help
    and error panels Chinese titles when help is in Chinese.

    The errors' classes are patched, not typer's printer: that lives in typer's
    ``rich_utils``, which imports rich (0.04 s) and is only loaded when it prints.
    """
    try:
        from typer._click import exceptions  # typer's own copy of click (0.20 and later)
    except ImportError:  # an older typer, on click itself
        from click import exceptions

    for cls in vars(exceptions).values():
        if isinstance(cls, type) and "format_message" in vars(cls):
            said = cls.format_message
            cls.format_message = lambda self, said=said: usage_error_text(said(self), HELP_LANG)
    _flags_take_no_value()
    if HELP_LANG != "zh":
        return
    from typer import rich_utils

    for name, title in _PANELS_ZH.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, title)
    make_text = getattr(rich_utils, "_make_rich_text", None)
    if make_text is not None:
        rich_utils._make_rich_text = _folding(make_text)


def _flags_take_no_value() -> None:
    """typer (0.29) shows a flag's type, ``--strict <bool>``, as if it took a value
    (``--strict true`` then reads "true" as a ledger): a flag shows none."""
    from typer import core

    option = getattr(core, "TyperOption", None)
    shown = getattr(option, "display_type_rich", None)
    if option is None or shown is None:  # an older typer shows no type at all
        return

    def display_type_rich(self, ctx):
        if getattr(self, "is_flag", False) and self.metavar is None:
            return None
        return shown(self, ctx)

    option.display_type_rich = display_type_rich


def _folding(make_text):
    """typer's help text made to fold where it meets the column's edge: rich wraps at
    spaces, which Chinese has none of, and cut a Chinese help text short with "…"."""

    def make(*args, **kwargs):
        text = make_text(*args, **kwargs)
        if hasattr(text, "overflow"):
            text.overflow = "fold"
        return text

    return make
