"""The language of ``--help``: Chinese under a Chinese locale or ``--lang zh``.

Typer reads every help text when the commands are declared, at import, before any option
is parsed; so the language is decided here once, from the command line being run (a
``--lang`` anywhere on it) or else the locale, and each help text is given in both
languages with :func:`h`. Typer's panel titles follow; the "Usage:" line and the help
of ``--help`` itself are click's own, and stay English.
"""

from __future__ import annotations

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
}


def localise_panels() -> None:
    """Give typer's help and error panels Chinese titles when help is in Chinese."""
    if HELP_LANG != "zh":
        return
    from typer import rich_utils

    for name, title in _PANELS_ZH.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, title)
