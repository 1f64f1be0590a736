"""The plain-text report: readable in CI logs, pipes and terminals without colour."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

from svclevel.errors import Problem, printable
from svclevel.report._common import (
    PORTFOLIO_HEADING,
    POSITION_HEADER,
    SummaryRow,
    arithmetic,
    calibrate_step,
    comparison_notes,
    criterion_marks,
    crosswalk_table,
    diff_lines,
    disputed_criteria,
    evidence_items,
    exception_items,
    explanations,
    gap_reason,
    gating_note,
    history_lines,
    level_state,
    measurement_summary,
    measurement_warnings,
    not_applicable_items,
    open_questions,
    panel_lines,
    percent,
    period_text,
    portfolio,
    portfolio_sentence,
    position_cells,
    response_items,
    responses_line,
    scale,
    status_word,
    terminal_safe,
    unanswered_note,
    verdict,
)
from svclevel.report.base import Format, Kind, ReportOptions, SummarisingReporter
from svclevel.results import Assessment, CriterionResult, Status

if TYPE_CHECKING:
    from svclevel.engine.compare import Comparison, Crosswalk
    from svclevel.engine.diff import Diff
    from svclevel.engine.history import History


def _bar(fraction: float, width: int = 20) -> str:
    filled = round(fraction * width)
    if filled == width and fraction < 1:
        filled = width - 1
    return "[" + "#" * filled + "." * (width - filled) + "]"


class _Writer:
    def __init__(self, width: int) -> None:
        self.width = max(40, width)
        self.lines: list[str] = []

    def line(self, text: str = "") -> None:
        self.lines.append(text)

    def wrap(self, text: str, indent: str = "", first: str | None = None) -> None:
        self.lines.extend(
            textwrap.wrap(
                text,
                width=self.width,
                initial_indent=first if first is not None else indent,
                subsequent_indent=indent,
                break_on_hyphens=False,
            )
            or [first or indent]
        )

    def heading(self, text: str) -> None:
        self.line()
        self.line(text)
        self.line("-" * min(len(text), self.width))


def _criterion(w: _Writer, c: CriterionResult, *, tip: bool) -> None:
    flag = "required" if c.required else f"weight {c.weight:g}"
    if c.required:
        flag += f", weight {c.weight:g}"
    w.wrap(f"{c.question_id} ({flag}): {c.question}", indent="      ", first="    - ")
    w.wrap(f"answer: {c.shown_answer}   needed: {c.needed}   [{status_word(c)}]", indent="      ")
    responses = responses_line(c)
    if responses and c.responses:
        w.wrap(f"responses: {responses}", indent="        ", first="      ")
        w.wrap(f"each: {response_items(c.responses)}", indent="        ", first="      ")
    if c.evidence:
        w.wrap(f"evidence: {c.evidence}", indent="        ", first="      ")
    if c.justification:
        w.wrap(f"why n/a: {c.justification}", indent="        ", first="      ")
    for mark in criterion_marks(c):
        w.wrap(mark, indent="        ", first="      ")
    if tip:
        w.wrap(f"tip: {c.tip}", indent="        ", first="      ")
        w.wrap(f"source: {c.source}", indent="        ", first="      ")
    if c.assumption and tip:
        w.wrap(f"threshold: {c.assumption}", indent="        ", first="      ")


def render_text(a: Assessment, options: ReportOptions) -> str:
    """Render an assessment as plain text."""
    a = terminal_safe(a)
    w = _Writer(options.width)
    w.wrap(f"{a.company} - {a.rubric_title} (rubric {a.rubric_id} v{a.rubric_version})")
    meta = f"Assessed {a.date}"
    if a.assessor:
        meta += f" by {a.assessor}"
    w.wrap(f"{meta}; answers from {a.answers_file}")
    w.wrap(f"Period: {period_text(a)}")
    w.wrap("Sources: " + "; ".join(a.sources))
    if a.basis:
        w.wrap(a.basis)
    w.line()
    w.wrap("Verdict: " + verdict(a))
    still_open = open_questions(a)
    if still_open:
        w.wrap(still_open, indent="  ", first="  ")
    if a.level is not None:
        w.wrap(a.level.experience, indent="  ")
    measured = measurement_summary(a)
    if measured:
        w.line()
        w.wrap(measured)
        for warning in measurement_warnings(a):
            w.wrap(f"Warning: {warning}", indent="  ")
    note = gating_note(a)
    if note:
        w.line()
        w.wrap(note)
    _dated(w, a)
    _panel(w, a)

    w.heading("Ladder (top level first)")
    name_width = max(len(lv.name) for lv in a.levels)
    for lv in reversed(a.levels):
        marker = ">" if a.level is lv else " "
        here = "  <- you are here" if a.level is lv else ""
        if lv in a.skipped:
            here = ", not counted (a lower level is not met)"
        progress = f"{'':22} {'':>4}" if lv.floor else f"{_bar(lv.score)} {percent(lv.score):>4}"
        w.line(f"{marker} {lv.index}. {lv.name:<{name_width}}  {progress}  {level_state(lv)}{here}")
    if a.below_ladder:
        w.line(f"> 0. {'(below the ladder)':<{name_width}}  {'':27}  <- you are here")

    _gaps_and_roadmap(w, a)
    _unknowns(w, a)
    if options.explain:
        _explanation(w, a)
    return "\n".join(w.lines) + "\n"


def _gaps_and_roadmap(w: _Writer, a: Assessment) -> None:
    nxt = a.next_level
    calibrate = calibrate_step(a)
    if nxt is None:
        w.heading("Gaps")
        w.line("None: every level of the ladder is met. Keep it that way.")
        if calibrate:
            w.wrap(calibrate)
    else:
        w.heading(f"Gaps to level {nxt.index}, {nxt.name}")
        w.wrap(gap_reason(nxt))
        for c in a.gaps:
            _criterion(w, c, tip=False)
        w.heading("Next steps, by impact")
        for number, c in enumerate(a.gaps, start=1):
            tag = "required" if c.required else f"weight {c.weight:g}"
            w.wrap(f"{c.next_step} ({c.question_id}, {tag})", indent="    ", first=f"{number:>2}. ")
        if calibrate:
            w.wrap(calibrate, indent="    ", first=f"{len(a.gaps) + 1:>2}. ")
        if nxt.advice:
            w.heading(f"How the sources say to reach {nxt.name}")
            for item in nxt.advice:
                w.wrap(f"{item.text} ({item.source})", indent="    ", first="  - ")
        if len(a.roadmap) > 1:
            w.heading("Roadmap to the top")
            for step in a.roadmap[1:]:
                w.wrap(f"Level {step.level.index}, {step.level.name}: {gap_reason(step.level)}")
                for c in step.actions:
                    tag = "required" if c.required else f"weight {c.weight:g}"
                    w.wrap(
                        f"{c.next_step} ({c.question_id}, {tag})", indent="      ", first="    - "
                    )
    if a.rubric_advice:
        w.heading("Advice for the whole ladder")
        for item in a.rubric_advice:
            w.wrap(f"{item.text} ({item.source})", indent="    ", first="  - ")


def _dated(w: _Writer, a: Assessment) -> None:
    """The evidence that is not fresh, and the exceptions."""
    aged = evidence_items(a)
    if aged:
        w.line()
        w.wrap(f"Evidence judged on {a.evaluated_on}:")
        for item in aged:
            w.wrap(item, indent="    ", first="  - ")
    granted = exception_items(a)
    if granted:
        w.line()
        w.wrap("Exceptions:")
        for item in granted:
            w.wrap(item, indent="    ", first="  - ")


def _panel(w: _Writer, a: Assessment) -> None:
    """The respondents, how their answers combine, how far they agree, and each disputed
    question's responses."""
    lines = panel_lines(a)
    if not lines:
        return
    w.heading("Respondents and agreement")
    for line in lines:
        w.wrap(line)
    for c in disputed_criteria(a):
        responses = responses_line(c)
        assert responses is not None
        w.wrap(f"{c.question_id}: {responses}", indent="    ", first="  - ")


def _unknowns(w: _Writer, a: Assessment) -> None:
    unanswered = a.unanswered
    if unanswered:
        w.heading(f"Unanswered ({len(unanswered)})")
        w.wrap(unanswered_note(a) + " " + ", ".join(unanswered))
    na = a.not_applicable
    if na:
        w.heading(f"Not applicable ({len(na)})")
        w.wrap("Left out of the score: " + "; ".join(not_applicable_items(a)))


def _explanation(w: _Writer, a: Assessment) -> None:
    w.heading("Explanation: every criterion")
    for lv in a.levels:
        w.line()
        w.wrap(f"Level {lv.index}, {lv.name}: {level_state(lv)}")
        w.wrap(arithmetic(lv), indent="  ")
        for c in lv.criteria:
            _criterion(w, c, tip=c.status is not Status.MET)
    w.line()
    w.wrap(
        "Ladder rule: the attained level is the highest level that is met together with "
        "every level below it."
    )


def render_summary(rows: list[SummaryRow], width: int) -> str:
    """The portfolio summary closing a batch, as a plain-text table."""
    w = _Writer(width)
    w.heading(f"Portfolio summary ({len(rows)} input{'s' if len(rows) != 1 else ''})")
    header = ("company", "rubric", "level", "gaps", "file")
    table = [header, *((r.company, r.rubric, r.level, str(r.gaps), r.file) for r in rows)]
    widths = [max(len(printable(row[i])) for row in table) for i in range(len(header) - 1)]
    for row in table:
        cells = [printable(cell).ljust(widths[i]) for i, cell in enumerate(row[:-1])]
        w.line("  ".join([*cells, printable(row[-1])]).rstrip())
    return "\n".join(w.lines) + "\n"


def table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> list[str]:
    """Rows as lines of left-aligned columns two spaces apart (cells made printable)."""
    cells = [list(header), *(list(map(printable, r)) for r in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    return [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]


def render_comparison(c: Comparison) -> str:
    """One company on several rubrics, as plain text."""
    lines = [f"{printable(c.company)} ({printable(c.answers_file)}): the models side by side", ""]
    lines += table([position_cells(p) for p in c.positions], POSITION_HEADER)
    notes = comparison_notes(c)
    if notes:
        lines += ["", *notes]
    if c.disagreements:
        lines += ["", "Why the models disagree", "-----------------------", *explanations(c)]
    return "\n".join(lines) + "\n\n"


def render_portfolio(comparisons: Sequence[Comparison]) -> str:
    """Which model is the strictest for a set of companies, as plain text."""
    means = portfolio(comparisons)
    lines = ["", PORTFOLIO_HEADING, "-" * len(PORTFOLIO_HEADING)]
    lines += table(
        [[m.rubric, scale(m.mean), str(m.strictest_for)] for m in means],
        ["rubric", "mean scale", "strictest for"],
    )
    lines += ["", portfolio_sentence(means, len(comparisons))]
    return "\n".join(lines) + "\n"


def render_crosswalk(cw: Crosswalk) -> str:
    """A crosswalk as plain text."""
    t = crosswalk_table(cw)
    lines = [
        f"Crosswalk from {cw.reference.rubric.id}: each level, and the level of each other "
        "rubric that demands the same things",
        "",
    ]
    lines += table(t.rows, t.header)
    lines += ["", "Where they really differ", "------------------------", *t.differ]
    return "\n".join(lines) + "\n"


class TextReporter(SummarisingReporter):
    """Plain text, one report per input and a portfolio summary for batches."""

    format = Format.TEXT
    explains = True

    def separator(self) -> str:
        return "\n" + "=" * self.options.width + "\n\n" if self.rows else ""

    def render(self, a: Assessment) -> str:
        return render_text(a, self.options)

    def render_invalid(self, file: str, problems: tuple[Problem, ...]) -> str:
        lines = [f"Not assessed: {printable(file)}", *(str(p) for p in problems)]
        return "\n".join(lines) + "\n"

    def render_comparison(self, c: Comparison) -> str:
        return render_comparison(c)

    def crosswalk(self, cw: Crosswalk) -> str:
        return render_crosswalk(cw)

    def diff(self, d: Diff) -> str:
        return "\n".join(diff_lines(d)) + "\n"

    def history(self, h: History) -> str:
        return "\n".join(history_lines(h)) + "\n"

    def finish(self) -> str:
        if self.kind is Kind.COMPARISON:
            return render_portfolio(self.comparisons) if len(self.comparisons) > 1 else ""
        if not self.options.batch:
            return ""
        return "\n" + render_summary(self.rows, self.options.width)
