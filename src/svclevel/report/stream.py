"""A run streamed to its reporters: each result, as it comes, to every output (stdout and each
``--report`` file), with the gates (``--fail-below``, ``--baseline``) checked on the way.

The lines meant for stderr go to ``err``; the outcome is an exit status (:data:`OK`,
:data:`BELOW_GATE`, :data:`BAD_INPUT`) that the CLI turns into the process's exit code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING

from svclevel.errors import OutputIsInputError, SvclevelError

if TYPE_CHECKING:
    from pathlib import Path

    from svclevel.engine.baseline import Baselines
    from svclevel.engine.run import Found
    from svclevel.errors import Problem
    from svclevel.load.rubrics import LoadedRubric
    from svclevel.report.files import Sink
    from svclevel.report.plan import Processed

OK = 0
"""Every input was reported and passed its gates."""
BELOW_GATE = 1
"""A company is below --fail-below or dropped against --baseline."""
BAD_INPUT = 2
"""An input could not be read or assessed (the others were still reported)."""

Progress = Callable[[], AbstractContextManager[Callable[[], None]]]
"""Makes a context that gives a function to call once per input (a progress counter)."""


def _no_progress() -> AbstractContextManager[Callable[[], None]]:
    return nullcontext(lambda: None)


def stream_assessments(
    sinks: Sequence[Sink],
    results: Iterator[Processed],
    *,
    baseline: Baselines | None,
    err: Callable[[str], None],
    progress: Progress = _no_progress,
) -> int:
    """Write every assessment (or invalid input) to every sink; check the gates of each."""
    status = OK
    for sink in sinks:
        sink.write(sink.reporter.start())
    with progress() as advance:
        for item in results:
            advance()
            if item.skipped:
                continue
            if item.row is None:
                status = BAD_INPUT
                for problem in item.problems:
                    err(str(problem))
                for sink in sinks:
                    sink.write(sink.reporter.invalid(item.file, item.problems))
                continue
            for sink, text in zip(sinks, item.texts, strict=True):
                sink.write(sink.reporter.separator())
                sink.write(text)
                sink.reporter.note(item.row)
            failures: list[tuple[str, list[str]]] = []
            if item.below_threshold:
                failures.append(("below --fail-below", [item.below_threshold]))
            if baseline is not None and item.assessment is not None and item.rubric is not None:
                try:
                    dropped = baseline.regression(item.assessment, item.rubric)
                except OutputIsInputError:
                    raise
                except SvclevelError as exc:  # an earlier file, invalid: the run goes on
                    for line in exc.messages():
                        err(line)
                    status, dropped = BAD_INPUT, None
                if dropped is not None:
                    failures.append(("dropped against --baseline", dropped.messages()))
            for gate, lines in failures:
                for line in lines:
                    err(f"svclevel: {line}")
                for sink in sinks:
                    sink.write(sink.reporter.failed(item.file, gate, lines))
                status = max(status, BELOW_GATE)
    for sink in sinks:
        sink.write(sink.reporter.finish())
    return status


def stream_comparisons(
    sinks: Sequence[Sink],
    inputs: Iterable[Path | Found | Problem] | None,
    rubrics: Sequence[LoadedRubric],
    *,
    thresholds: Sequence[str],
    err: Callable[[str], None],
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
        for result in compare_many(inputs, rubrics):
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
            for message in comparison_shortfalls(result, list(thresholds)):
                err(f"svclevel: {message}")
                for sink in sinks:
                    gate = "below --fail-below"
                    sink.write(sink.reporter.failed(result.answers_file, gate, [message]))
                status = max(status, BELOW_GATE)
    for sink in sinks:
        sink.write(sink.reporter.finish())
    return status
