"""Reports of ``svclevel diff`` in every output format."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from svclevel.engine.diff import Diff, RubricDiff
from svclevel.errors import printable
from svclevel.report import Format, ReportOptions
from svclevel.report.csv_report import csv_text
from svclevel.report.github_report import command
from svclevel.report.json_records import json_text, tool_record
from svclevel.report.markdown_report import md


def _level(a: Any) -> str:
    return a.level.name if a.level else "below the ladder"


def _change(r: RubricDiff) -> str:
    if r.level_change > 0:
        return f"up {r.level_change}"
    if r.level_change < 0:
        return f"down {-r.level_change}"
    return "unchanged"


def diff_record(d: Diff) -> dict[str, Any]:
    """The JSON record of a diff."""

    def crit(change: Any) -> dict[str, Any]:
        return {
            "level_id": change.after.level_id,
            "question_id": change.after.question_id,
            "before": change.before.answer,
            "after": change.after.answer,
            "needed": change.after.needed,
        }

    return {
        "schema_version": 1,
        "kind": "diff",
        "tool": tool_record(),
        "company": d.company,
        "before": {"file": d.before_file, "date": d.before_date},
        "after": {"file": d.after_file, "date": d.after_date},
        "rubrics": [
            {
                "rubric": r.rubric_id,
                "before": {"attained": r.before.attained, "level": _level(r.before)},
                "after": {"attained": r.after.attained, "level": _level(r.after)},
                "level_change": r.level_change,
                "newly_met": [crit(c) for c in r.newly_met],
                "regressed": [crit(c) for c in r.regressed],
            }
            for r in d.rubrics
        ],
        "answers_changed": [
            {"question_id": a.question_id, "before": a.before, "after": a.after}
            for a in d.answers_changed
        ],
    }


def _text(d: Diff) -> str:
    out = [
        f"{d.company}: {d.before_date} ({d.before_file}) → {d.after_date} ({d.after_file})",
        "",
    ]
    for r in d.rubrics:
        out.append(f"{r.rubric_id}: {_level(r.before)} → {_level(r.after)} ({_change(r)})")
        out += [
            f"  + newly met: {c.after.question_id} ({c.after.level_id}): {c.before.answer} → "
            f"{c.after.answer}"
            for c in r.newly_met
        ]
        out += [
            f"  - regressed: {c.after.question_id} ({c.after.level_id}): {c.before.answer} → "
            f"{c.after.answer}, needed {c.after.needed}"
            for c in r.regressed
        ]
    out += ["", f"Answers changed ({len(d.answers_changed)}):"]
    out += [f"  {a.question_id}: {a.before} → {a.after}" for a in d.answers_changed]
    return "\n".join(printable(line) for line in out) + "\n"


def render_diff(fmt: Format, d: Diff, options: ReportOptions) -> str:
    """A diff in ``fmt``."""
    match fmt:
        case Format.JSON:
            return json_text(diff_record(d), pretty=True)
        case Format.TEXT:
            return _text(d)
        case Format.RICH:
            from svclevel.report.rich_report import render_rich_text

            return render_rich_text(_text(d), options)
        case Format.MARKDOWN:
            out = [
                f"## {md(d.company)}: progress from {md(d.before_date)} to {md(d.after_date)}\n",
                "| Rubric | Before | After | Change | Newly met | Regressed |",
                "|---|---|---|---|--:|--:|",
            ]
            out += [
                f"| `{r.rubric_id}` | {md(_level(r.before))} | {md(_level(r.after))} | "
                f"{_change(r)} | {len(r.newly_met)} | {len(r.regressed)} |"
                for r in d.rubrics
            ]
            for r in d.rubrics:
                for c in r.regressed:
                    out.append(
                        f"- ⚠️ `{r.rubric_id}` **{md(c.after.question_id)}** regressed: "
                        f"{md(c.before.answer)} → {md(c.after.answer)}, needed "
                        f"{md(c.after.needed)}"
                    )
            out += ["", f"**Answers changed** ({len(d.answers_changed)}):", ""]
            out += [
                f"- {md(a.question_id)}: {md(a.before)} → {md(a.after)}" for a in d.answers_changed
            ]
            return "\n".join(out) + "\n"
        case Format.CSV:
            header = [
                "company",
                "rubric",
                "before",
                "after",
                "level_change",
                "newly_met",
                "regressed",
                "before_file",
                "after_file",
            ]
            return csv_text(
                [
                    header,
                    *(
                        [
                            d.company,
                            r.rubric_id,
                            _level(r.before),
                            _level(r.after),
                            r.level_change,
                            len(r.newly_met),
                            len(r.regressed),
                            d.before_file,
                            d.after_file,
                        ]
                        for r in d.rubrics
                    ),
                ]
            )
        case Format.JUNIT:
            root = ET.Element("testsuites", {"name": "svclevel diff"})
            for r in d.rubrics:
                cases = [*r.newly_met, *r.regressed]
                suite = ET.SubElement(
                    root,
                    "testsuite",
                    {
                        "name": printable(f"{d.company} · {r.rubric_id}"),
                        "tests": str(len(cases) + 1),
                        "failures": str(len(r.regressed) + (r.level_change < 0)),
                        "errors": "0",
                        "skipped": "0",
                    },
                )
                level_case = ET.SubElement(
                    suite,
                    "testcase",
                    {"classname": f"{r.rubric_id}.level", "name": "level did not drop"},
                )
                if r.level_change < 0:
                    ET.SubElement(
                        level_case,
                        "failure",
                        {
                            "message": printable(f"{_level(r.before)} → {_level(r.after)}"),
                            "type": "regression",
                        },
                    )
                for c in cases:
                    case = ET.SubElement(
                        suite,
                        "testcase",
                        {
                            "classname": f"{r.rubric_id}.{c.after.level_id}",
                            "name": printable(c.after.question_id),
                            "file": printable(d.after_file),
                        },
                    )
                    if c in r.regressed:
                        ET.SubElement(
                            case,
                            "failure",
                            {
                                "message": printable(
                                    f"{c.before.answer} → {c.after.answer}, needed {c.after.needed}"
                                ),
                                "type": "regression",
                            },
                        )
            ET.indent(root)
            return (
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                + ET.tostring(root, encoding="unicode")
                + "\n"
            )
        case Format.HTML:
            from markupsafe import escape

            from svclevel.report.html_report import page_end, page_start

            return (
                page_start(f"{d.company}: progress")
                + f"<article><h1>{escape(d.company)}</h1><pre>{escape(_text(d))}</pre></article>\n"
                + page_end()
            )
        case Format.GITHUB:
            lines = []
            for r in d.rubrics:
                for c in r.regressed:
                    lines.append(
                        command(
                            "warning",
                            f"{c.after.question_id}: {c.before.answer} → {c.after.answer}, needed "
                            f"{c.after.needed}",
                            file=d.after_file,
                            line=c.after.answer_line,
                            title=f"svclevel {r.rubric_id}: regressed",
                        )
                    )
                lines.append(
                    command(
                        "notice",
                        f"{d.company} on {r.rubric_id}: {_level(r.before)} → "
                        f"{_level(r.after)} ({_change(r)})",
                        file=d.after_file,
                        title=f"svclevel {r.rubric_id}",
                    )
                )
            return "".join(lines)
