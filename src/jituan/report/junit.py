"""JUnit XML, for the test-report viewers of CI systems.

One ``<testsuite>`` per target with one ``<testcase>`` per result (subject × period),
plus a ``ledger`` suite with one testcase per row issue. A testcase fails exactly when
it would make ``jituan check`` exit 1 (see the exit codes), so a CI viewer and the exit
code agree; an ``unknown`` result is ``<skipped>`` with its reason; anything else that
deserves a look (at risk, a warning-level failure, a warning row) passes with a note
in ``<system-out>``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from jituan.i18n import column_label, t
from jituan.model import Report, Result, RowIssue
from jituan.report import RenderOptions
from jituan.report.common import amount, fails_run, issue_text, where

#: Characters XML 1.0 cannot hold at all; a cell from a submitted file may contain them.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(value: object) -> str:
    return _ILLEGAL.sub("\ufffd", "" if value is None else str(value))


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: object) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _x(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _x(text)
    return element


def _result_case(suite: ET.Element, report: Report, r: Result) -> str:
    """Add the testcase of one result; return its outcome: passed, failure or skipped."""
    lang = report.lang
    # a result for no subject (none to evaluate) has no period either: "—", not "— · "
    name = " · ".join(filter(None, (r.subject or "—", r.period_label or r.period)))
    required = amount(r.required, r.metric)
    actual = amount(r.actual, r.metric, below=r.required)
    case = _el(suite, "testcase", name=name, classname=f"jituan.{r.target}", time="0")
    detail = (
        f"{r.title} [{t('clause', lang)} {r.source}]\n"
        f"{t('subject', lang)}: {r.subject or '—'}\n"
        f"{t('period', lang)}: {r.period_label or r.period} ({r.period})\n"
        f"{t('required', lang)}: {required}\n"
        f"{t('actual', lang)}: {actual}\n"
        f"{t('status', lang)}: {t(r.status, lang)}"
        + (f"\n{t('reason', lang)}: {r.reason}" if r.reason else "")
    )
    if r.status in ("unknown", "exempt"):
        _el(case, "skipped", message=r.reason or t(r.status, lang))
        return "skipped"
    if fails_run(report, r):
        message = f"{r.source}: {t('required', lang)} {required}, "
        message += f"{t('actual', lang)} {actual} ({t(r.status, lang)})"
        _el(case, "failure", detail, message=message, type=r.status)
        return "failure"
    if r.status != "pass":
        _el(case, "system-out", detail)
    return "passed"


def _issue_case(suite: ET.Element, report: Report, issue: RowIssue) -> str:
    lang = report.lang
    case = _el(suite, "testcase", name=f"{where(issue)} {issue.code}", classname="jituan.ledger")
    case.set("time", "0")
    text = issue_text(issue, lang)
    detail = f"{where(issue)}: {text}" + (
        f"\n{column_label(issue.column, lang)} = {issue.value}" if issue.column is not None else ""
    )
    if fails_run(report, issue):
        _el(case, "failure", detail, message=text, type=issue.code)
        return "failure"
    _el(case, "system-out", detail)
    return "passed"


def _suite(root: ET.Element, name: str, properties: dict[str, str]) -> ET.Element:
    suite = _el(root, "testsuite", name=name, tests=0, failures=0, errors=0, skipped=0, time="0")
    props = _el(suite, "properties")
    for key, value in properties.items():
        _el(props, "property", name=key, value=value)
    return suite


def _count(suite: ET.Element, outcomes: list[str]) -> None:
    suite.set("tests", str(len(outcomes)))
    suite.set("failures", str(outcomes.count("failure")))
    suite.set("skipped", str(outcomes.count("skipped")))


def render(report: Report, options: RenderOptions) -> str:
    root = ET.Element("testsuites", name="jituan", time="0")
    by_target: dict[str, list[Result]] = defaultdict(list)
    for r in report.results:
        by_target[r.target].append(r)
    everything: list[str] = []
    for target, results in by_target.items():
        first = results[0]
        suite = _suite(
            root,
            f"jituan.{target}",
            {
                "title": first.title,
                "clause": first.source,
                "severity": first.severity,
                "as_of": report.as_of.isoformat(),
            },
        )
        outcomes = [_result_case(suite, report, r) for r in results]
        _count(suite, outcomes)
        everything += outcomes
    suite = _suite(
        root,
        "jituan.ledger",
        {"as_of": report.as_of.isoformat()}
        | {
            f"rows:{i.file}" + (f"[{i.sheet}]" if i.sheet else ""): t(
                "junit-rows",
                report.lang,
                rows=i.rows,
                accepted=i.accepted,
                rejected=i.rejected,
                blank=i.blank,
            )
            for i in report.inputs
        },
    )
    outcomes = [_issue_case(suite, report, i) for i in report.issues]
    _count(suite, outcomes)
    everything += outcomes
    root.set("tests", str(len(everything)))
    root.set("failures", str(everything.count("failure")))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
