"""GitHub Actions workflow commands: annotations on the answers that block the next level.

See "Workflow commands for GitHub Actions": data is escaped (``%``, CR, LF) and so are property
values (also ``:`` and ``,``), after :func:`~svclevel.errors.printable`, so a hostile answers
file cannot inject commands. A diff warns
on each regressed answer; a history on each criterion lost, and gives a notice per change; a
comparison or a crosswalk annotates no answer, so this format refuses them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from svclevel.errors import Problem, printable
from svclevel.report._common import (
    aged_criteria,
    calibrate_step,
    change_word,
    disputed_criteria,
    level_name,
    moved,
    panel_lines,
    responses_line,
    trend_line,
    verdict,
)
from svclevel.report.base import Format, Kind, Reporter
from svclevel.results import Assessment, Status

if TYPE_CHECKING:
    from svclevel.engine.diff import Diff
    from svclevel.engine.history import History


def escape_data(text: str) -> str:
    """Escape a workflow command's message: each line through :func:`printable` (no ``##[``
    the runner would act on, no escape characters), then the runner's own escapes."""
    text = "\n".join(printable(line) for line in text.split("\n"))
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value."""
    return escape_data(printable(text)).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **properties: object) -> str:
    """One workflow command line, e.g. ``::warning file=a.yaml,line=3::text``."""
    props = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in properties.items()
        if value is not None
    )
    return (
        f"::{kind} {props}::{escape_data(message)}\n"
        if props
        else f"::{kind}::{escape_data(message)}\n"
    )


class GithubReporter(Reporter):
    """A warning per answer that blocks the next level, a notice with the verdict."""

    format = Format.GITHUB
    shows = frozenset({Kind.ASSESSMENT, Kind.DIFF, Kind.HISTORY})

    def render(self, a: Assessment) -> str:
        out = []
        nxt = a.next_level
        for c in a.gaps:
            assert nxt is not None
            what = "unanswered" if c.shown_answer == "—" else f"answer {c.shown_answer}"
            if c.status is Status.UNEVIDENCED:
                what += " without the evidence required"
            if c.status is Status.STALE:
                what += " on stale evidence"
            need = "required" if c.required else f"weight {c.weight:g}"
            out.append(
                command(
                    "warning",
                    f"{c.question_id} ({need}): {what}, needed {c.needed}. Tip: {c.next_step}",
                    file=a.answers_file,
                    line=c.answer_line,
                    title=f"svclevel {a.rubric_id}: blocks {nxt.name}",
                )
            )
        gaps = {c.question_id for c in a.gaps}
        for c in aged_criteria(a):
            age = c.evidence_age
            if age is None or c.question_id in gaps:
                continue
            out.append(
                command(
                    "warning",
                    f"{c.question_id}: {age.describe()}",
                    file=a.answers_file,
                    line=c.answer_line,
                    title=f"svclevel {a.rubric_id}: evidence {age.freshness.value}",
                )
            )
        for e in a.exceptions:
            out.append(
                command(
                    "notice",
                    f"{e.criterion}: {e.describe()}",
                    file=e.file,
                    line=e.line,
                    title=f"svclevel {a.rubric_id}: exception {e.state.value}",
                )
            )
        for c in disputed_criteria(a):
            out.append(
                command(
                    "warning",
                    f"{c.question_id}: {responses_line(c)}",
                    file=a.answers_file,
                    line=c.answer_line,
                    title=f"svclevel {a.rubric_id}: respondents disagree",
                )
            )
        panel = panel_lines(a)
        if panel:
            out.append(
                command(
                    "notice",
                    "\n".join([*panel, *filter(None, [calibrate_step(a)])]),
                    file=a.answers_file,
                    title=f"svclevel {a.rubric_id}: respondents",
                )
            )
        for note in a.measurement_notes:
            out.append(
                command(
                    "warning",
                    note.message,
                    file=a.answers_file,
                    line=note.line,
                    title=f"svclevel {a.rubric_id}: measurement",
                )
            )
        out.append(
            command(
                "notice",
                verdict(a),
                file=a.answers_file,
                title=f"svclevel {a.rubric_id}",
            )
        )
        return "".join(out)

    def diff(self, d: Diff) -> str:
        """A warning per regressed answer, a notice with each rubric's level change."""
        lines = [
            command("warning", w, file=d.after_file, title="svclevel diff") for w in d.warnings
        ]
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
            lines += [
                command("notice", line, file=d.after_file, title=f"svclevel {r.rubric_id}")
                for line in r.exceptions.lines()
            ]
            lines.append(
                command(
                    "notice",
                    f"{d.company} on {r.rubric_id}: {level_name(r.before)} → "
                    f"{level_name(r.after)} ({change_word(r)})",
                    file=d.after_file,
                    title=f"svclevel {r.rubric_id}",
                )
            )
        return "".join(lines)

    def history(self, h: History) -> str:
        """A notice per change of level or criteria between consecutive dates (a warning when
        the level dropped), a warning per criterion lost at its answer, a notice with each
        rubric's trend."""
        lines = []
        for r in h.rubrics:
            for step in r.steps:
                file = step.after.answers_file
                for c in step.lost:
                    lines.append(
                        command(
                            "warning",
                            f"{c.after.question_id}: {c.before.answer} ({step.before.date}) → "
                            f"{c.after.answer} ({step.after.date}), needed {c.after.needed}",
                            file=file,
                            line=c.after.answer_line,
                            title=f"svclevel {r.rubric_id}: criterion lost",
                        )
                    )
                lines += [
                    command("notice", line, file=file, title=f"svclevel {r.rubric_id}: exception")
                    for line in step.exceptions.lines()
                ]
                if not (step.level_change or step.gained or step.lost):
                    continue
                criteria = ", ".join(
                    f"{len(changes)} {'criterion' if len(changes) == 1 else 'criteria'} {what}"
                    for changes, what in ((step.gained, "gained"), (step.lost, "lost"))
                )
                lines.append(
                    command(
                        "warning" if step.level_change < 0 else "notice",
                        f"{h.company} on {r.rubric_id}, {step.before.date} → {step.after.date}: "
                        f"{level_name(step.before.assessment)} → "
                        f"{level_name(step.after.assessment)} ({moved(step.level_change)}); "
                        f"{criteria}",
                        file=file,
                        title=f"svclevel {r.rubric_id}: "
                        + ("level dropped" if step.level_change < 0 else "change"),
                    )
                )
            lines.append(
                command(
                    "notice",
                    f"{h.company} on {trend_line(r)}",
                    file=r.latest.answers_file,
                    title=f"svclevel {r.rubric_id}: history",
                )
            )
        return "".join(lines)

    def failed(self, file: str, gate: str, lines: Sequence[str]) -> str:
        return command("error", "\n".join(lines), file=file, title=f"svclevel: {gate}")

    def invalid(self, file: str, problems: tuple[Problem, ...]) -> str:
        return "".join(
            command(
                "error",
                f"{p.path}: {p.message}" if p.path else p.message,
                file=p.file,
                line=p.line,
                col=p.column,
                title="svclevel: invalid input",
            )
            for p in problems
        )
