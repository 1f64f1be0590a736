"""A run streamed to its reporters: each result, as it comes, to every output (stdout and each
``--report`` file), with the gates (``--fail-below``, ``--baseline``) checked on the way.

The lines meant for stderr go to ``err``; the outcome is an exit status (:data:`OK`,
:data:`BELOW_GATE`, :data:`BAD_INPUT`) that the CLI turns into the process's exit code.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING

from svclevel.errors import OutputIsInputError, SvclevelError
from svclevel.report.files import raise_if_stopped

if TYPE_CHECKING:
    from svclevel.engine.baseline import Baselines
    from svclevel.engine.facade import RubricRef
    from svclevel.engine.run import Input
    from svclevel.errors import Problem
    from svclevel.load.checks import Evaluation
    from svclevel.load.rubrics import LoadedRubric
    from svclevel.report.files import Sink
    from svclevel.report.plan import Processed
    from svclevel.results import Assessment

OK = 0
"""Every input was reported and passed its gates."""
BELOW_GATE = 1
"""A company is below --fail-below, dropped against --baseline, or has a provisional verdict
under --fail-on-provisional."""
BAD_INPUT = 2
"""An input could not be read or assessed (the others were still reported)."""

Progress = Callable[[], AbstractContextManager[Callable[[], None]]]
"""Makes a context that gives a function to call once per input (a progress counter)."""


def _no_progress() -> AbstractContextManager[Callable[[], None]]:
    return nullcontext(lambda: None)


def _silent(line: str) -> None:
    """Where the lines go that stdout's format already says."""


def _said_measurements(item: Processed, say: Callable[[str], None]) -> bool:
    """Say what there is to say about an assessment's measurements; whether it uses any."""
    for warning in item.measurement_warnings:
        say(f"svclevel: warning: {warning}")
    return item.uses_measurements


def _gates_failed(item: Processed) -> list[tuple[str, list[str]]]:
    """The gates an assessment fails, each with its messages (the baseline's aside)."""
    failures: list[tuple[str, list[str]]] = []
    if item.below_threshold:
        failures.append(("below --fail-below", [item.below_threshold]))
    if item.provisional:
        failures.append(("provisional verdict", [item.provisional]))
    if item.measured_differs:
        failures.append(("answers differ from measurements", [item.measured_differs]))
    if item.disagreement:
        failures.append(("respondents disagree", [item.disagreement]))
    return failures


def stream_assessments(
    sinks: Sequence[Sink],
    results: Iterator[Processed],
    *,
    baseline: Baselines | None,
    err: Callable[[str], None],
    progress: Progress = _no_progress,
    thresholds: Sequence[str] = (),
    known_rubrics: Callable[[], Collection[str]] = frozenset,
    thresholds_named: str = "--fail-below",
    strict_measured: bool = False,
    fail_on_disagreement: int | None = None,
    aggregation: str | None = None,
) -> int:
    """Write every assessment (or invalid input) to every sink; check the gates of each.

    A gate that was never applied is not a pass: a ``RUBRIC=LEVEL`` threshold no input was
    assessed on is a warning (an error when no such rubric is known, ``known_rubrics``), and so
    is an input without an earlier file in ``baseline`` (an error when none had one).

    The first sink is stdout: when its format says problems and failed gates itself, they are
    not repeated on stderr.
    """
    from svclevel.engine.gates import unapplied_thresholds

    status = OK
    assessed: set[str] = set()
    compared = 0
    measured = False
    heard = False
    repeat = err if not sinks or not sinks[0].reporter.says_problems else _silent
    for sink in sinks:
        sink.write(sink.reporter.start())
    with progress() as advance:
        for item in results:
            raise_if_stopped()
            advance()
            if item.skipped:
                for problem in item.problems:
                    err(skipped_warning(problem))
                continue
            if item.row is None:
                status = BAD_INPUT
                for problem in item.problems:
                    repeat(str(problem))
                for sink in sinks:
                    sink.write(sink.reporter.invalid(item.file, item.problems))
                continue
            assessed.add(item.row.rubric)
            for sink, text in zip(sinks, item.texts, strict=True):
                sink.write(sink.reporter.separator())
                sink.write(text)
                sink.reporter.note(item.row)
            measured = _said_measurements(item, repeat) or measured
            heard = heard or item.heard
            if item.gate_error:
                err(item.gate_error)
                status = BAD_INPUT
            failures = _gates_failed(item)
            if baseline is not None and item.assessment is not None and item.rubric is not None:
                outcome = _against_baseline(baseline, item.assessment, item.rubric, err, sinks)
                compared += outcome is not None
                if outcome == BAD_INPUT:
                    status = BAD_INPUT
                elif isinstance(outcome, list):
                    failures.append(("dropped against --baseline", outcome))
            for gate, lines in failures:
                for line in lines:
                    repeat(f"svclevel: {line}")
                for sink in sinks:
                    sink.write(sink.reporter.failed(item.file, gate, lines))
                status = max(status, BELOW_GATE)
    for sink in sinks:
        sink.finish()
    if assessed:
        for line in _idle_gates(
            strict_measured and not measured,
            None if heard else fail_on_disagreement,
            None if heard else aggregation,
        ):
            err(f"svclevel: warning: {line}")
    if baseline is not None and assessed and not compared:
        err(
            f"svclevel: --baseline: none of the {len(baseline.files)} earlier files is of a "
            "company assessed now; nothing was compared"
        )
        status = BAD_INPUT
    if any("=" in spec for spec in thresholds):
        errors, warnings = unapplied_thresholds(
            thresholds, assessed, {*known_rubrics(), *assessed}, thresholds_named
        )
        for line in [*(f"warning: {w}" for w in warnings), *errors]:
            err(f"svclevel: {line}")
        status = BAD_INPUT if errors else status
    return status


def _idle_gates(
    strict_measured: bool, fail_on_disagreement: int | None, aggregation: str | None
) -> list[str]:
    """The gates and options no assessed file gave anything to act on: a gate never applied
    is no pass."""
    lines = []
    if aggregation is not None:
        lines.append(
            f"--aggregation {aggregation} changes nothing: no answers file assessed records "
            "several respondents (respondents:)"
        )
    if strict_measured:
        lines.append(
            "--strict-measured changes nothing: no answers file assessed uses a measurement "
            "file (measurements:, --measurements)"
        )
    if fail_on_disagreement is not None:
        lines.append(
            f"--fail-on-disagreement {fail_on_disagreement} changes nothing: no answers file "
            "assessed records several respondents (respondents:)"
        )
    return lines


def skipped_warning(problem: Problem) -> str:
    """A file found in a folder and not assessed, in words."""
    return f"svclevel: warning: {problem.file}: skipped: {problem.message}"


def _against_baseline(
    baseline: Baselines,
    a: Assessment,
    rubric: RubricRef,
    err: Callable[[str], None],
    sinks: Sequence[Sink] = (),
) -> int | list[str] | None:
    """``a`` against its company's earlier file: None when there is none (a warning), the lines
    of a drop, :data:`BAD_INPUT` for an invalid earlier file, else :data:`OK` (a rise is
    said)."""
    from svclevel.engine.gates import improvement, regression
    from svclevel.results import exception_changes

    try:
        before = baseline.assessment_for(a, rubric)
    except OutputIsInputError:
        raise  # stops the whole run: a report would be written over an input
    except SvclevelError as exc:  # an earlier file, invalid: the run goes on
        for line in exc.messages():
            err(line)
        return BAD_INPUT
    if before is None:
        err(f"svclevel: warning: {baseline.unmatched(a)}")
        return None
    for sink in sinks:
        sink.reporter.baseline(before, a)
    for warning in _baseline_doubts(before, a):
        err(f"svclevel: warning: {warning}")
    for line in exception_changes(before, a).lines():
        err(f"svclevel: {a.answers_file}: {a.rubric_id}: since --baseline: {line}")
    dropped = regression(before, a)
    if dropped is not None:
        return dropped.messages()
    if rose := improvement(before, a):
        err(f"svclevel: {rose}")
    return OK


def _baseline_doubts(before: Assessment, after: Assessment) -> list[str]:
    """Why a comparison with the earlier file may mean nothing: it is the same file, or it is
    dated after the current one (the baseline and current folders swapped?)."""
    from pathlib import Path

    out = []
    try:
        same = Path(before.answers_file).samefile(after.answers_file)
    except OSError:  # standard input, or a file gone
        same = False
    if same and before.evaluated_on == after.evaluated_on:
        out.append(
            f"{after.answers_file}: --baseline names this file itself; nothing can have changed"
        )
    elif before.date > after.date:
        out.append(
            f"{after.answers_file} ({after.date}) is dated before its --baseline file "
            f"{before.answers_file} ({before.date}): are the two swapped?"
        )
    return out


def stream_comparisons(
    sinks: Sequence[Sink],
    inputs: Iterable[Input] | None,
    rubrics: Sequence[LoadedRubric],
    *,
    thresholds: Sequence[str],
    err: Callable[[str], None],
    thresholds_named: str = "--fail-below",
    require_evidence: bool = False,
    evaluation: Evaluation | None = None,
) -> int:
    """Compare each input on every rubric, or without inputs crosswalk the rubrics."""
    from svclevel.engine.facade import crosswalk
    from svclevel.engine.gates import comparison_shortfalls
    from svclevel.engine.run import compare_many

    status = OK
    for sink in sinks:
        sink.write(sink.reporter.start())
    if inputs is None:
        cw = crosswalk(rubrics)
        for sink in sinks:
            sink.write(sink.reporter.crosswalk(cw))
    else:
        for result in compare_many(
            inputs,
            rubrics,
            lambda p: err(skipped_warning(p)),
            require_evidence=require_evidence,
            evaluation=evaluation,
        ):
            raise_if_stopped()
            if isinstance(result, tuple):
                file, problems = result
                status = BAD_INPUT
                for problem in problems:
                    err(str(problem))
                for sink in sinks:
                    sink.write(sink.reporter.invalid(file, problems))
                continue
            for sink in sinks:
                sink.write(sink.reporter.comparison(result))
            notes = dict.fromkeys(
                n.message for p in result.positions for n in p.assessment.measurement_notes
            )
            for note in notes:  # the same on every rubric: said once
                err(f"svclevel: warning: {result.answers_file}: {note}")
            for message in comparison_shortfalls(result, list(thresholds), thresholds_named):
                err(f"svclevel: {message}")
                for sink in sinks:
                    gate = "below --fail-below"
                    sink.write(sink.reporter.failed(result.answers_file, gate, [message]))
                status = max(status, BELOW_GATE)
    for sink in sinks:
        sink.finish()
    return status
