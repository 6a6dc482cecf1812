"""``--help`` in the user's language: decided from the command line's --lang or the locale
when the commands are declared, so each case runs the console script in a new process."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _run(*args: str, lang_env: str, columns: str = "100") -> subprocess.CompletedProcess:
    """The console script in a new process under the locale ``lang_env``."""
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}
    env.update(LANG=lang_env, COLUMNS=columns)
    return subprocess.run(
        [sys.executable, "-m", "jituan", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
    )


def _help(*args: str, lang_env: str) -> str:
    done = _run(*args, lang_env=lang_env)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize(
    ("args", "lang_env"), [(("--help",), "zh_CN.UTF-8"), (("--help", "--lang", "zh"), "C")]
)
def test_help_is_chinese_under_a_chinese_locale_or_lang_zh(args, lang_env) -> None:
    out = _help("check", *args, lang_env=lang_env)
    assert "按目标核查台账，列出达标与未达标。" in out
    assert "台账文件（CSV、Excel）或文件夹。" in out and "输出格式。" in out
    assert "选项" in out and "参数" in out and "[默认：table]" in out
    assert "Output format." not in out


def test_chinese_help_folds_at_80_columns_instead_of_cutting_short() -> None:
    """Chinese has no spaces to wrap at: each help text is folded whole, never cut with …."""
    done = _run("check", "--help", lang_env="zh_CN.UTF-8", columns="80")
    text = "".join(line.strip("│ ") for line in done.stdout.splitlines())
    assert "有风险的结果和警告也判为不通过。" in text and "默认今天。" in text, done.stdout
    assert "…" not in done.stdout.replace("2025 …", "").replace("zh…", "")


def test_a_flag_shows_no_type_as_if_it_took_a_value() -> None:
    """``--strict <bool>`` read as an option taking true or false: flags show no type."""
    out = _help("check", "--help", lang_env="en_US.UTF-8")
    strict = next(line for line in out.splitlines() if "--strict" in line)
    assert "<bool>" not in strict and "At-risk results" in strict
    assert "<path>" in next(line for line in out.splitlines() if "--groups" in line)


def test_help_is_english_otherwise_and_lists_every_command_in_chinese() -> None:
    out = _help("check", "--help", lang_env="en_US.UTF-8")
    assert "Check ledgers against the targets" in out and "Output format." in out
    assert "输出格式" not in out
    out = _help("--help", lang_env="zh_CN.UTF-8")
    for text in ("月度核查", "捆绑考核并排名", "生成空白台账", "JSON Schema，供编辑器补全"):
        assert text in out


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (("check", "x.csv", "--format", "xml"), "'--format' 的取值 'xml' 无效，应为 'table'",
         "Invalid value for '--format': 'xml' is not one of 'table'"),
        (("check",), "缺少参数 台账文件或文件夹（PATH）", "Missing argument 'paths'."),
        (("target",), "没有命令 'target'（是否应为 'targets'", "No such command 'target'."),
        (("chek",), "没有命令 'chek'（是否应为 'check'", "No such command 'chek'. Did you mean"),
        (("check", "x.csv", "--format"), "选项 '--format' 需要一个取值",
         "Option '--format' requires an argument."),
        (("groups", "extra"), "多余的参数：extra", "Got unexpected extra argument"),
    ],
)  # fmt: skip
def test_usage_errors_in_the_users_language(args, zh: str, en: str) -> None:
    """click's own usage errors: Chinese under a Chinese locale (no pydantic "Value
    error," in either language), exit 2."""
    for lang_env, expected, other in (("zh_CN.UTF-8", zh, en), ("C.UTF-8", en, zh)):
        done = _run(*args, lang_env=lang_env, columns="200")
        assert done.returncode == 2
        assert expected in done.stderr and other not in done.stderr, done.stderr
        assert "Value error" not in done.stderr
