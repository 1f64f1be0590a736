"""JUnit XML: a test suite per (company, rubric), a test case per criterion up to the next level.

Unmet and unanswered criteria are failures carrying the gap and the tip; n/a criteria are
skipped. An input that cannot be assessed is a suite with one erroring case. A diff is a suite
per rubric, whose regressed criteria (and a level that dropped) are failures. A history is a
suite per rubric with a case per date, failing where the level dropped from the date before.
A comparison or a crosswalk has no test to pass or fail, so this format refuses them. Built
with ElementTree, so every value is escaped; control characters are removed beforehand because
XML 1.0 cannot carry them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import TYPE_CHECKING

from svclevel.errors import Problem, printable
from svclevel.report._common import (
    aggregation_words,
    calibrate_step,
    evidence_items,
    exception_items,
    level_name,
    measurement_warnings,
    respondent_items,
    response_items,
    responses_line,
    terminal_safe,
    verdict,
)
from svclevel.report.base import Format, Kind, Reporter
from svclevel.results import Assessment, Status

if TYPE_CHECKING:
    from svclevel.engine.diff import Diff
    from svclevel.engine.history import History


def _element(tag: str, text: str | None = None, **attrs: object) -> ET.Element:
    element = ET.Element(tag, {k: str(v) for k, v in attrs.items() if v is not None})
    if text is not None:
        element.text = text
    return element


def _serialise(element: ET.Element) -> str:
    ET.indent(element, space="  ", level=1)
    return "  " + ET.tostring(element, encoding="unicode") + "\n"


def _panel_properties(a: Assessment) -> list[tuple[str, str]]:
    """The suite's properties on the respondents (none without them)."""
    panel = a.panel
    if panel is None:
        return []
    calibrate = calibrate_step(a)
    return [
        *(("respondent", item) for item in respondent_items(panel)),
        ("aggregation", aggregation_words(panel)),
        ("alpha", panel.alpha_words),
        ("disputed", str(len(panel.disputed))),
        *(("disputed question", q) for q in panel.disputed),
        *((("next step", calibrate),) if calibrate else ()),
    ]


class JunitReporter(Reporter):
    """The XML document is streamed: header, a suite per input, closing tag."""

    format = Format.JUNIT
    shows = frozenset({Kind.ASSESSMENT, Kind.DIFF, Kind.HISTORY})

    def start(self) -> str:
        name = {Kind.DIFF: "svclevel diff", Kind.HISTORY: "svclevel history"}.get(
            self.kind, "svclevel"
        )
        return f'<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="{name}">\n'

    def render(self, a: Assessment) -> str:
        a = terminal_safe(a)
        upto = a.attained + 1  # every level attained, and the next one
        criteria = [c for lv in a.levels[:upto] for c in lv.criteria]
        failures = [c for c in criteria if c.is_gap]
        skipped = [c for c in criteria if c.status is Status.NOT_APPLICABLE or c.excepted]
        suite = _element(
            "testsuite",
            name=f"{a.company} · {a.rubric_id}",
            tests=len(criteria),
            failures=len(failures),
            errors=0,
            skipped=len(skipped),
            file=a.answers_file,
        )
        properties = _element("properties")
        level = a.level_name
        for name, value in (
            ("company", a.company),
            ("rubric", f"{a.rubric_id} v{a.rubric_version}"),
            ("date", a.date),
            ("period", f"{a.period[0]} to {a.period[1]}"),
            ("level", level),
            ("attained", str(a.attained)),
            ("verdict", verdict(a)),
            ("provisional", "true" if a.provisional else "false"),
            *(("measured", q) for q in a.measured),
            *(("measurement warning", w) for w in measurement_warnings(a)),
            ("evaluated on", a.evaluated_on),
            *(("evidence", item) for item in evidence_items(a)),
            *(("exception", item) for item in exception_items(a)),
            *_panel_properties(a),
        ):
            properties.append(_element("property", name=name, value=value))
        suite.append(properties)
        for c in criteria:
            case = _element(
                "testcase",
                classname=f"{a.rubric_id}.{c.level_id}",
                name=f"{c.question_id}: {c.question}",
                file=a.answers_file,
                line=c.answer_line,
            )
            r = c.responses
            marks = [
                *((("origin", c.origin),) if c.origin is not None and c.marked else ()),
                *((("evidence", c.evidence_age.describe()),) if c.evidence_age is not None else ()),
                *(
                    ()
                    if r is None
                    else (
                        ("responses", response_items(r)),
                        ("distribution", r.shown_distribution),
                        ("aggregate", f"{r.aggregate} ({r.method})"),
                        *((("consensus", r.consensus),) if r.consensus is not None else ()),
                        *(("flag", words) for words in r.flag_words),
                    )
                ),
            ]
            disagree = (
                f"respondents disagree: {'; '.join(r.flag_words)}"
                if r is not None and r.disputed
                else None
            )
            if marks:
                props = _element("properties")
                for name, value in marks:
                    props.append(_element("property", name=name, value=value))
                case.append(props)
            if c.excepted:
                assert c.exception is not None
                raw = "" if c.raw_status is None else f" (without it: {c.raw_status.value})"
                case.append(_element("skipped", message=f"{c.exception.describe()}{raw}"))
            elif c.is_gap:
                what = {
                    Status.UNANSWERED: "unanswered",
                    Status.UNEVIDENCED: f"answer {c.shown_answer} without the evidence required",
                    Status.STALE: f"answer {c.shown_answer} on stale evidence"
                    + ("" if c.evidence_age is None else f" ({c.evidence_age.describe()})"),
                }.get(c.status, f"answer {c.shown_answer}")
                case.append(
                    _element(
                        "failure",
                        f"Tip: {c.next_step}\nSource: {c.source}",
                        message=f"{what}, needed {c.needed}"
                        + (" (required)" if c.required else f" (weight {c.weight:g})")
                        + (f"; {disagree}" if disagree else ""),
                        type=c.status.value,
                    )
                )
            elif c.status is Status.NOT_APPLICABLE:
                why = f": {c.justification}" if c.justification else ""
                case.append(_element("skipped", message=f"answered n/a{why}"))
            if disagree:
                case.append(_element("system-out", f"Responses: {responses_line(c)}"))
            suite.append(case)
        return _serialise(suite)

    def diff(self, d: Diff) -> str:
        """A suite per rubric: the level did not drop, and a case per criterion that changed."""
        out = []
        for r in d.rubrics:
            cases = [*r.newly_met, *r.regressed]
            suite = _element(
                "testsuite",
                name=printable(f"{d.company} · {r.rubric_id}"),
                tests=len(cases) + 1,
                failures=len(r.regressed) + (r.level_change < 0),
                errors=0,
                skipped=0,
            )
            level_case = _element(
                "testcase", classname=f"{r.rubric_id}.level", name="level did not drop"
            )
            if r.level_change < 0:
                level_case.append(
                    _element(
                        "failure",
                        message=printable(f"{level_name(r.before)} → {level_name(r.after)}"),
                        type="regression",
                    )
                )
            suite.append(level_case)
            for c in cases:
                case = _element(
                    "testcase",
                    classname=f"{r.rubric_id}.{c.after.level_id}",
                    name=printable(c.after.question_id),
                    file=printable(d.after_file),
                )
                if c in r.regressed:
                    case.append(
                        _element(
                            "failure",
                            message=printable(
                                f"{c.before.answer} → {c.after.answer}, needed {c.after.needed}"
                            ),
                            type="regression",
                        )
                    )
                suite.append(case)
            changes = r.exceptions.lines()
            if changes:
                suite.append(_element("system-out", "\n".join(printable(x) for x in changes)))
            out.append(_serialise(suite))
        return "".join(out)

    def history(self, h: History) -> str:
        """A suite per rubric, a case per date: it fails when the level dropped from the date
        before (the criteria lost in its text)."""
        out = []
        for r in h.rubrics:
            drops = [s for s in r.steps if s.level_change < 0]
            suite = _element(
                "testsuite",
                name=printable(f"{h.company} · {r.rubric_id} · history"),
                tests=len(r.points),
                failures=len(drops),
                errors=0,
                skipped=0,
            )
            properties = _element("properties")
            for name, value in (
                ("company", h.company),
                ("rubric", f"{r.rubric_id} v{r.rubric_version}"),
                ("from", r.first.date),
                ("to", r.latest.date),
                ("trend", r.trend),
                ("level change", str(r.level_change)),
            ):
                properties.append(_element("property", name=name, value=printable(value)))
            suite.append(properties)
            steps = [None, *r.steps]
            for point, step in zip(r.points, steps, strict=True):
                case = _element(
                    "testcase",
                    classname=f"{r.rubric_id}.history",
                    name=printable(f"{point.date}: {level_name(point.assessment)}"),
                    file=printable(point.answers_file),
                )
                changes = [] if step is None else step.exceptions.lines()
                if step is not None and step.level_change < 0:
                    lost = "\n".join(
                        [
                            *(
                                printable(
                                    f"lost {c.after.question_id} ({c.after.level_id}): "
                                    f"{c.before.answer} → {c.after.answer}"
                                    f"{c.after.status_reason}, needed {c.after.needed}"
                                )
                                for c in step.lost
                            ),
                            *(printable(line) for line in changes),
                        ]
                    )
                    case.append(
                        _element(
                            "failure",
                            lost,
                            message=printable(
                                f"dropped since {step.before.date}: "
                                f"{level_name(step.before.assessment)} → "
                                f"{level_name(step.after.assessment)}"
                            ),
                            type="regression",
                        )
                    )
                elif changes:
                    case.append(
                        _element("system-out", "\n".join(printable(line) for line in changes))
                    )
                suite.append(case)
            out.append(_serialise(suite))
        return "".join(out)

    def failed(self, file: str, gate: str, lines: Sequence[str]) -> str:
        """A suite of its own with one failing case: CI test reports show why the run failed."""
        file = printable(file)
        suite = _element(
            "testsuite", name=f"{file} · gates", tests=1, failures=1, errors=0, skipped=0
        )
        case = _element("testcase", classname="svclevel.gate", name=gate, file=file)
        head = printable(lines[0])
        case.append(
            _element(
                "failure", "\n".join(printable(line) for line in lines), message=head, type="gate"
            )
        )
        suite.append(case)
        return _serialise(suite)

    def invalid(self, file: str, problems: tuple[Problem, ...]) -> str:
        file = printable(file)
        suite = _element("testsuite", name=file, tests=1, failures=0, errors=1, skipped=0)
        case = _element("testcase", classname="svclevel.input", name=f"{file} is valid", file=file)
        case.append(
            _element(
                "error",
                "\n".join(printable(str(p)) for p in problems),
                message=f"{len(problems)} problem(s) in {file}",
                type="invalid-input",
            )
        )
        suite.append(case)
        return _serialise(suite)

    def finish(self) -> str:
        return "</testsuites>\n"
