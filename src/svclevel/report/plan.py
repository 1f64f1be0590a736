"""The per-input work of ``svclevel assess`` after scoring: render every requested format and
check the threshold. Runs wherever the assessment was made (a worker process in a large batch),
so the parent only writes text and counts exit codes.
"""

from __future__ import annotations

from typing import NamedTuple

from svclevel.engine.facade import RubricRef
from svclevel.engine.gates import below_threshold, threshold_for
from svclevel.engine.run import Outcome
from svclevel.errors import Problem, UsageError
from svclevel.report import Format, Reporter, ReportOptions, reporter_for
from svclevel.report._common import SummaryRow
from svclevel.results import Assessment


class Plan(NamedTuple):
    """What to do with each assessment; sent to worker processes, so plain data only."""

    formats: tuple[tuple[Format, ReportOptions], ...]
    """The format and options of each output, stdout first."""
    thresholds: tuple[str, ...]
    """The --fail-below values."""
    keep_assessments: bool
    """Send the whole assessment back (a --baseline needs it)."""
    thresholds_named: str = "--fail-below"
    """Where the thresholds were given, as messages name it (a flag, file:line: key)."""
    fail_on_provisional: bool = False
    """A provisional verdict fails the run (``--fail-on-provisional``)."""
    strict_measured: bool = False
    """A typed answer that differs from its measurement fails the run (``--strict-measured``)."""
    fail_on_disagreement: int | None = None
    """More disputed questions than this fail the run (``--fail-on-disagreement N``)."""


class Processed(NamedTuple):
    """One input, ready to be written."""

    file: str
    texts: tuple[str, ...]
    """The rendered assessment for each output of the plan; empty for an invalid input."""
    row: SummaryRow | None
    """The portfolio-summary line; None for an invalid input."""
    problems: tuple[Problem, ...]
    """Why the input could not be assessed."""
    below_threshold: str | None
    """The --fail-below message, if the company is below it."""
    assessment: Assessment | None
    """The assessment itself, when the plan keeps it."""
    skipped: bool = False
    """Not an input after all (a rubric found in a folder): write nothing."""
    rubric: RubricRef | None = None
    """How the assessment's rubric was named, when the plan keeps the assessment."""
    gate_error: str | None = None
    """Why the --fail-below threshold could not be checked (a level this rubric lacks)."""
    provisional: str | None = None
    """The --fail-on-provisional message, if the verdict is provisional and the plan fails it."""
    measurement_warnings: tuple[str, ...] = ()
    """What to say about the measurements (on stderr, as warnings)."""
    measured_differs: str | None = None
    """The --strict-measured message, if an answer differs from its measurement."""
    uses_measurements: bool = False
    """Whether the assessment uses measurement files (else --strict-measured does nothing)."""
    disagreement: str | None = None
    """The --fail-on-disagreement message, if more questions are disputed than it allows."""
    heard: bool = False
    """Whether the answers file records several respondents (else --fail-on-disagreement does
    nothing)."""


_REPORTERS: dict[tuple[Format, ReportOptions], Reporter] = {}


def process(outcome: Outcome, plan: Plan) -> Processed:
    """Render and check one outcome according to ``plan``."""
    a = outcome.assessment
    if a is None:
        return Processed(outcome.file, (), None, outcome.problems, None, None, outcome.skipped)
    texts = []
    for key in plan.formats:
        reporter = _REPORTERS.get(key)
        if reporter is None:
            reporter = _REPORTERS[key] = reporter_for(*key)
        texts.append(reporter.render(a))
    spec = threshold_for(a, plan.thresholds)
    below = gate_error = None
    if spec is not None:
        try:
            below = below_threshold(a, spec, plan.thresholds_named)
        except UsageError as exc:
            gate_error = f"{exc} (assessing {a.answers_file}, on {a.rubric_id})"
    return Processed(
        file=outcome.file,
        texts=tuple(texts),
        row=SummaryRow.of(a),
        problems=(),
        below_threshold=below,
        assessment=a if plan.keep_assessments else None,
        rubric=outcome.rubric if plan.keep_assessments else None,
        gate_error=gate_error,
        provisional=provisional_failure(a) if plan.fail_on_provisional else None,
        measurement_warnings=tuple(
            f"{a.answers_file}: {note.message}" for note in a.measurement_notes
        ),
        measured_differs=measured_failure(a) if plan.strict_measured else None,
        uses_measurements=bool(a.measurement_files),
        disagreement=(
            None
            if plan.fail_on_disagreement is None
            else disagreement_failure(a, plan.fail_on_disagreement)
        ),
        heard=a.panel is not None,
    )


def disagreement_failure(a: Assessment, allowed: int) -> str | None:
    """Why ``a`` fails ``--fail-on-disagreement N``: more than ``allowed`` of the rubric's
    questions carry a disagreement flag; None otherwise."""
    disputed = () if a.panel is None else a.panel.disputed
    if len(disputed) <= allowed:
        return None
    return (
        f"{a.answers_file}: respondents disagree on {len(disputed)} of {a.rubric_id}'s "
        f"questions, more than {allowed} (--fail-on-disagreement {allowed}): "
        f"{', '.join(disputed)}"
    )


def measured_failure(a: Assessment) -> str | None:
    """Why ``a`` fails ``--strict-measured``, or None when every typed answer agrees with its
    measurement."""
    differs = [n.question_id for n in a.measurement_notes if n.kind == "differs"]
    if not differs:
        return None
    return (
        f"{a.answers_file}: {len(differs)} answer(s) differ from their measurement "
        f"(--strict-measured): {', '.join(q for q in differs if q)}"
    )


def provisional_failure(a: Assessment) -> str | None:
    """Why ``a`` fails ``--fail-on-provisional``, or None when its verdict is final."""
    c = a.completeness
    if not c.provisional:
        return None
    level = a.level_name
    missing = [*c.open, *(f"{q} (no evidence)" for q in c.unevidenced)]
    return (
        f"{a.answers_file}: {a.company} on {a.rubric_id} is provisionally {level}: "
        f"{c.answered} of {c.deciding} deciding questions answered (--fail-on-provisional); "
        f"open: {', '.join(missing)}"
    )
