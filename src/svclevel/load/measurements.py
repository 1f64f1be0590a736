"""Measured figures brought into an answers file: the measurement files it names under
``measurements:`` (and those given with ``--measurements``), merged into its answers.

A number question left unanswered takes the measured value, with generated evidence. An answer
that is given stays, and is compared with the measurement: beyond :func:`tolerance` it is a
discrepancy, said in every report (and a failing gate with ``--strict-measured``).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from svclevel.errors import InputError, Problem, UsageError
from svclevel.load.checks import Answer, Answers, MeasurementNote
from svclevel.measure.file import Measured, read
from svclevel.models import NotApplicable, NumberQuestion, Question, format_number


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
    allow_paths: Sequence[str] = (),
) -> list[Measured]:
    """The figures of the measurement files an answers file names (``names``: each path as
    written and its line), relative to the file's folder and kept inside the folders svclevel
    reads from; and of ``trusted`` files named on the command line."""
    from svclevel.load.rubrics import Reach, check_measurement_reference

    folder = Path(answers_file).parent if not answers_file.startswith("<") else Path()
    reach = Reach.of((), allow_paths)
    figures: list[Measured] = []
    for name, line in names:
        path = folder / name
        try:
            check_measurement_reference(path, name, folder, reach)
        except UsageError as exc:
            raise InputError(
                [Problem(answers_file, line, None, "measurements", str(exc))]
            ) from None
        figures.extend(read(path, name))
    for name in trusted:
        if not Path(name).is_file():
            raise UsageError(f"--measurements {name}: no such file")
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
                raise InputError([Problem(fig.file, fig.line, None, fig.question_id, problem)])
            merged[fig.question_id] = Answer(
                value,
                fig.evidence(),
                None if given is None else given.notes,
                None if given is None else given.line,
                origin="measured",
                measured=fig,
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
