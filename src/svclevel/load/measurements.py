"""Measured figures brought into an answers file: the measurement files it names under
``measurements:`` (and those given with ``--measurements``), merged into its answers.

A number question left unanswered takes the measured value, with generated evidence. An answer
that is given stays, and is compared with the measurement: beyond :func:`tolerance` it is a
discrepancy, said in every report (and a failing gate with ``--strict-measured``).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from svclevel.errors import InputError, Problem, UsageError
from svclevel.load.checks import Answer, Answers, validate_model
from svclevel.load.yamlfile import check_given_file, load_yaml_file
from svclevel.measure.file import QUESTION_IDS, FigureEntry, MeasurementFile
from svclevel.models import NotApplicable, NumberQuestion, Question, format_number
from svclevel.results import Evidence, Measured, MeasurementNote


def tolerance(unit: str, measured: float) -> float:
    """How far a typed answer may lie from the measurement and still agree with it: the
    rounding a person applies when copying a figure. One point for percentages and NPS (88 for
    a measured 88.4); for hours, a tenth of the figure and at least a quarter of an hour (3 for
    a measured 2.8, 0.5 for 0.6)."""
    if unit == "hours":
        return max(0.1 * measured, 0.25)
    return 1.0


def read_named(
    names: Sequence[tuple[str, int | None]],
    answers_file: str,
    *,
    trusted: Sequence[str] = (),
    check: Callable[[Path, str, Path], None],
) -> list[Measured]:
    """The figures of the measurement files an answers file names (``names``: each path as
    written and its line), relative to the file's folder and kept inside the folders svclevel
    reads from (``check`` refuses any other); or, when given, of ``trusted`` files named on the
    command line instead (as ``--rubric`` overrides ``rubric:``)."""
    folder = Path(answers_file).parent if not answers_file.startswith("<") else Path()
    figures: list[Measured] = []
    for name, line in () if trusted else names:
        path = folder / name
        try:
            check(path, name, folder)
        except UsageError as exc:
            raise InputError(
                [Problem(answers_file, line, None, "measurements", str(exc))]
            ) from None
        figures.extend(read(path, name))
    for name in dict.fromkeys(trusted):
        check_given_file(name, "--measurements", "a measurement file")
        figures.extend(read(name, os.fspath(name)))
    seen: dict[str, str] = {}
    for fig in figures:
        if fig.question_id in seen:
            raise UsageError(
                f"{fig.question_id} is measured in both {seen[fig.question_id]} and {fig.file}: "
                "name one measurement file per figure"
            )
        seen[fig.question_id] = fig.file
    return figures


def merge(
    answers: Answers, figures: Sequence[Measured], questions: Mapping[str, Question]
) -> Answers:
    """``answers`` with the measured figures merged in, and what to say about them."""
    merged = dict(answers.answers)
    notes: list[MeasurementNote] = []
    period = answers.period
    for file in dict.fromkeys(f.file for f in figures):
        measured_period = next(f.period for f in figures if f.file == file)
        if period is not None and measured_period != period:
            notes.append(
                MeasurementNote(
                    "period",
                    None,
                    f"{file} measures {measured_period[0]} to {measured_period[1]}, and the "
                    f"answers' period is {period[0]} to {period[1]}",
                )
            )
    for file, warning in dict.fromkeys((f.file, w) for f in figures for w in f.file_warnings):
        notes.append(MeasurementNote("measure_warning", None, f"{file}: {warning}"))
    for fig in figures:
        question = questions.get(fig.question_id)
        if question is None:
            continue  # a question this rubric does not ask
        if not isinstance(question, NumberQuestion):
            notes.append(
                MeasurementNote(
                    "not_used",
                    fig.question_id,
                    f"{fig.question_id}: not a number question in this rubric, so the measured "
                    "figure is not used",
                )
            )
            continue
        given = merged.get(fig.question_id)
        if given is None or given.value is None:
            if fig.value is None:
                notes.append(
                    MeasurementNote(
                        "not_used",
                        fig.question_id,
                        f"{fig.question_id}: the measured figure is not used ({fig.not_used}); "
                        "the question stays unanswered",
                    )
                )
                continue
            value, problem = question.check_answer(fig.value)
            if problem is not None:
                notes.append(
                    MeasurementNote(
                        "not_used",
                        fig.question_id,
                        f"{fig.question_id}: the measured figure is not used: it {problem} "
                        f"(the question's range); the question stays unanswered",
                    )
                )
                continue
            merged[fig.question_id] = Answer(
                value,
                fig.evidence(),
                None if given is None else given.notes,
                None if given is None else given.line,
                origin="measured",
                measured=fig,
                evidence_items=(
                    Evidence(
                        fig.evidence(), as_of=fig.period[1], period=fig.period, source=fig.file
                    ),
                ),
            )
            continue
        merged[fig.question_id] = dataclasses.replace(given, measured=fig)
        if isinstance(given.value, NotApplicable) or fig.value is None:
            continue
        assert isinstance(given.value, float)
        allowed = tolerance(question.unit, fig.value)
        if abs(given.value - fig.value) > allowed + 1e-9:
            notes.append(
                MeasurementNote(
                    "differs",
                    fig.question_id,
                    f"{fig.question_id}: the answer {format_number(given.value)} {question.unit} "
                    f"differs from the measured {format_number(fig.value)} {question.unit} "
                    f"(n = {fig.n:,}, {fig.file}) by more than {format_number(allowed)} "
                    f"{question.unit}",
                    given.line,
                )
            )
    return dataclasses.replace(
        answers,
        answers=merged,
        measurement_files=tuple(dict.fromkeys(f.file for f in figures)),
        measurement_notes=tuple(notes),
    )


def read(path: str | os.PathLike[str], shown: str) -> tuple[Measured, ...]:
    """The figures of a measurement file (checked; problems located)."""
    doc = load_yaml_file(path, shown)
    if isinstance(doc.data, dict) and "svclevel_measurements" not in doc.data:
        raise InputError(
            [
                doc.problem(
                    (),
                    "not a measurement file (it has no svclevel_measurements key; "
                    "`svclevel measure` writes one)",
                )
            ]
        )
    parsed, problems = validate_model(doc, MeasurementFile)
    if parsed is None:
        raise InputError(problems)
    lines = doc.key_lines(())
    period = (parsed.period.start.isoformat(), parsed.period.end.isoformat())
    out = []
    for qid in QUESTION_IDS:
        entry: FigureEntry | None = getattr(parsed, qid)
        if entry is None:
            continue
        if entry.unit != UNITS[qid]:
            message = f"unit: {qid} is measured in {UNITS[qid]}, not in {entry.unit}"
            raise InputError([doc.problem((qid, "unit"), message)])
        out.append(
            Measured(
                question_id=qid,
                value=None if entry.not_used else entry.value,
                n=entry.n,
                unit=entry.unit,
                definition=entry.definition,
                file=shown,
                line=lines.get(qid),
                period=period,
                interval=entry.interval,
                not_used=entry.not_used
                or (None if entry.value is not None else "the file gives no value"),
                sources=entry.sources or tuple(s.file for s in parsed.sources),
                detail=_detail(qid, entry),
                file_warnings=parsed.warnings,
            )
        )
    return tuple(out)


UNITS = {
    "first_response_hours": "hours",
    "resolution_rate_pct": "%",
    "csat_pct": "%",
    "nps": "points",
    "retention_pct": "%",
}
"""The unit each measured question is answered in (the question bank's)."""


def _detail(qid: str, e: FigureEntry) -> str | None:
    """The counts the question bank asks the evidence to give."""
    if qid == "first_response_hours" and e.unreplied is not None:
        p90 = f"; p90 {e.p90:g} hours" if e.p90 is not None else ""
        return f"{e.unreplied:,} without a reply, counted as the longest waits{p90}"
    if qid == "csat_pct" and e.scale is not None and e.positive is not None:
        return f"scale {e.scale}: {e.positive:,} of {e.n:,} ratings satisfied"
    if qid == "resolution_rate_pct" and e.resolved is not None:
        return f"{e.resolved:,} of {e.n:,} tickets resolved and never reopened"
    if qid == "nps" and e.promoters is not None and e.detractors is not None:
        return f"{e.promoters:,} promoters and {e.detractors:,} detractors of {e.n:,}"
    if qid == "retention_pct" and e.retained is not None and e.before is not None:
        return (
            f"{e.retained:,} of the {e.n:,} customers of {e.before.start} to {e.before.end} "
            "ordered again"
        )
    return None
