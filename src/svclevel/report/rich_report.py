"""The Rich terminal report. All text from input files goes through ``Text`` (never markup)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from svclevel.errors import Problem, printable
from svclevel.report._common import (
    POSITION_HEADER,
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
    position_cells,
    response_items,
    responses_line,
    status_word,
    terminal_safe,
    trend_sentence,
    unanswered_note,
    verdict,
)
from svclevel.report.base import Format, Kind, ReportOptions, SummarisingReporter
from svclevel.results import Assessment, CriterionResult, LevelResult, Status

if TYPE_CHECKING:
    from svclevel.engine.compare import Comparison, Crosswalk
    from svclevel.engine.diff import Diff
    from svclevel.engine.history import History

_STATUS_STYLE = {
    Status.MET: "green",
    Status.UNMET: "red",
    Status.UNANSWERED: "yellow",
    Status.NOT_APPLICABLE: "dim",
    Status.UNEVIDENCED: "yellow",
    Status.STALE: "yellow",
}


def _header(a: Assessment) -> Panel:
    body = Text()
    body.append(a.company, style="bold")
    body.append("\n")
    body.append(f"{a.rubric_title} ", style="cyan")
    body.append(f"(rubric {a.rubric_id} v{a.rubric_version})", style="dim")
    meta = f"\nAssessed {a.date}"
    if a.assessor:
        meta += f" by {a.assessor}"
    body.append(meta + f" · answers from {a.answers_file}", style="dim")
    body.append(f"\nPeriod: {period_text(a)}", style="dim")
    body.append("\nSources: " + "; ".join(a.sources), style="dim")
    if a.basis:
        body.append("\n" + a.basis, style="dim")
    return Panel(body, title="svclevel", title_align="left", box=box.ROUNDED)


def _verdict(a: Assessment) -> RenderableType:
    style = "bold yellow" if a.provisional else "bold red" if a.below_ladder else "bold green"
    parts: list[RenderableType] = [Text(verdict(a), style=style)]
    still_open = open_questions(a)
    if still_open:
        parts.append(Text(still_open, style="yellow"))
    if a.level is not None:
        parts.append(Text(a.level.experience, style="italic"))
    note = gating_note(a)
    if note:
        parts.append(Text(note, style="bold yellow"))
    measured = measurement_summary(a)
    if measured:
        parts.append(Text(measured))
        parts.extend(Text(f"Warning: {w}", style="bold yellow") for w in measurement_warnings(a))
    aged = evidence_items(a)
    if aged:
        parts.append(Text(f"Evidence judged on {a.evaluated_on}:", style="bold"))
        parts.extend(Text(f"  ⏰ {item}", style="yellow") for item in aged)
    granted = exception_items(a)
    if granted:
        parts.append(Text("Exceptions:", style="bold"))
        parts.extend(Text(f"  • {item}", style="magenta") for item in granted)
    return Group(*parts)


def _panel(a: Assessment) -> RenderableType | None:
    """The respondents, how their answers combine, how far they agree, and each disputed
    question's responses (None without respondents)."""
    lines = panel_lines(a)
    if not lines:
        return None
    parts: list[RenderableType] = [Text(line) for line in lines]
    disputed = disputed_criteria(a)
    if disputed:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column()
        for c in disputed:
            text = Text(c.question_id, style="bold")
            text.append(": " + (responses_line(c) or ""), style="yellow")
            grid.add_row(" •", text)
        parts.append(grid)
    return Panel(
        Group(*parts), title="Respondents and agreement", title_align="left", box=box.ROUNDED
    )


def _ladder(a: Assessment, width: int) -> Table:
    table = Table(title="Ladder", title_justify="left", box=box.SIMPLE_HEAD, expand=False)
    table.add_column("#", justify="right", no_wrap=True, min_width=1)
    # Names and states wrap rather than end in "…"; the bar gives way first on a narrow screen.
    table.add_column("Level", overflow="fold")
    # The other columns take about 60 characters at their widest.
    bar_width = max(8, min(20, width - 60))  # no narrower than its heading
    table.add_column("Progress", width=bar_width, no_wrap=True)
    table.add_column("Score", justify="right", no_wrap=True, min_width=5)
    table.add_column("Status", overflow="fold")
    for lv in reversed(a.levels):
        here = a.level is lv
        skipped = lv in a.skipped
        style = "yellow" if skipped else "green" if lv.met else "dim" if lv.floor else "red"
        bar = ProgressBar(
            total=1.0,
            completed=lv.score,
            width=bar_width,
            complete_style=style,
            finished_style=style,
        )
        state = Text("met, not counted" if skipped else level_state(lv), style=style)
        if here:
            state.append("  ◀ you are here", style="bold")
        table.add_row(
            str(lv.index),
            Text(lv.name, style="bold" if here else ""),
            Text("") if lv.floor else bar,
            "" if lv.floor else percent(lv.score),
            state,
        )
    if a.below_ladder:
        table.add_row(
            "0",
            Text("(below the ladder)", style="bold red"),
            "",
            "",
            Text("◀ you are here", style="bold"),
        )
    return table


def _criteria_table(title: str, criteria: tuple[CriterionResult, ...], *, tips: bool) -> Table:
    table = Table(title=Text(title), title_justify="left", box=box.SIMPLE_HEAD, show_lines=False)
    table.add_column("Criterion", ratio=3)
    table.add_column("Answer", ratio=1)
    table.add_column("Needed", ratio=1)
    table.add_column("Weight", justify="right")
    table.add_column("Status")
    for c in criteria:
        label = Text()
        label.append(c.question_id, style="bold")
        if c.required:
            label.append(" (required)", style="magenta")
        label.append("\n" + c.question, style="dim")
        if c.evidence:
            label.append("\nevidence: " + c.evidence, style="italic")
        if c.justification:
            label.append("\nwhy n/a: " + c.justification, style="italic")
        for mark in criterion_marks(c):
            label.append("\n" + mark, style="yellow")
        responses = responses_line(c)
        if responses and c.responses:
            style = "yellow" if c.responses.disputed else "cyan"
            label.append("\nresponses: " + responses, style=style)
            label.append("\neach: " + response_items(c.responses), style="dim")
        if tips and c.status is not Status.MET:
            label.append("\ntip: " + c.tip)
        table.add_row(
            label,
            Text(c.shown_answer),
            Text(c.needed),
            f"{c.weight:g}",
            Text(status_word(c), style=_STATUS_STYLE[c.status]),
        )
    return table


def _tip_row(c: CriterionResult) -> Text:
    text = Text(c.next_step)
    tag = "required" if c.required else f"weight {c.weight:g}"
    text.append(f"  ({c.question_id}, {tag})", style="dim")
    return text


def _next_steps(a: Assessment) -> RenderableType:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", style="bold", no_wrap=True)
    grid.add_column()
    for number, c in enumerate(a.gaps, start=1):
        grid.add_row(f"{number}.", _tip_row(c))
    calibrate = calibrate_step(a)
    if calibrate:
        grid.add_row(f"{len(a.gaps) + 1}.", Text(calibrate))
    return Panel(grid, title="Next steps, by impact", title_align="left", box=box.ROUNDED)


def _advice(level: LevelResult) -> RenderableType:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for item in level.advice:
        text = Text(item.text)
        text.append(f"  ({item.source})", style="dim")
        grid.add_row(" •", text)
    return Panel(
        grid,
        title=Text(f"How the sources say to reach {level.name}"),  # a Text: never markup
        title_align="left",
        box=box.ROUNDED,
    )


def _roadmap(a: Assessment) -> RenderableType:
    parts: list[RenderableType] = []
    for step in a.roadmap[1:]:
        heading = Text(f"Level {step.level.index}, {step.level.name}", style="bold")
        heading.append(f": {gap_reason(step.level)}", style="dim")
        parts.append(heading)
        if step.actions:
            grid = Table.grid(padding=(0, 1))
            grid.add_column(no_wrap=True)
            grid.add_column()
            for c in step.actions:
                grid.add_row(" •", _tip_row(c))
            parts.append(grid)
    return Panel(Group(*parts), title="Roadmap to the top", title_align="left", box=box.ROUNDED)


def _console(options: ReportOptions) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=options.width,
        force_terminal=options.color,
        color_system="standard" if options.color else None,
        no_color=not options.color,
        highlight=False,
        emoji=False,
        markup=False,
    )
    return console, buffer


def print_table(console: Console, table: Table, ids: Iterable[str]) -> None:
    """Print ``table``, unless at the console's width it would cut one of ``ids`` (rubric and
    question ids, which a user types): then print each row as a block, its first cell on a line
    of its own and the others below it after their headers, which wraps at any width."""
    probe = Console(
        file=io.StringIO(), width=console.width, no_color=True, highlight=False, markup=False
    )
    probe.print(table)
    shown = probe.file.getvalue()  # type: ignore[attr-defined]
    if all(i in shown for i in ids):
        console.print(table)
        return
    if table.title:
        console.print(Text(str(table.title), style="bold"))
    columns = [(column.header, list(column.cells)) for column in table.columns]
    console.print(Text(str(columns[0][0]), style="dim"))
    for row in range(table.row_count):
        if row:
            console.print()
        console.print(columns[0][1][row])
        for header, cells in columns[1:]:
            cell = cells[row]
            line = Text.assemble(
                (f"{header}: ", "dim"), cell if isinstance(cell, Text) else str(cell)
            )
            console.print(Padding(line, (0, 0, 0, 2), expand=False))


def render_rich(a: Assessment, options: ReportOptions) -> str:
    """Render an assessment for a terminal, as a string with ANSI styles."""
    a = terminal_safe(a)
    console, buffer = _console(options)
    console.print(_header(a))
    console.print(_verdict(a))
    panel = _panel(a)
    if panel is not None:
        console.print(panel)
    console.print()
    console.print(_ladder(a, options.width))
    nxt = a.next_level
    if nxt is None:
        console.print(Text("No gaps: every level of the ladder is met.", style="green"))
        calibrate = calibrate_step(a)
        if calibrate:
            console.print(Text(calibrate, style="yellow"))
    else:
        print_table(
            console,
            _criteria_table(
                f"Gaps to level {nxt.index}, {nxt.name} — {gap_reason(nxt)}", a.gaps, tips=False
            ),
            (c.question_id for c in a.gaps),
        )
        console.print(_next_steps(a))
        if nxt.advice:
            console.print(_advice(nxt))
        if len(a.roadmap) > 1:
            console.print(_roadmap(a))
    if a.rubric_advice:
        console.print(Text("Advice for the whole ladder", style="bold"))
        for item in a.rubric_advice:
            line = Text(f"  • {item.text} ")
            line.append(f"({item.source})", style="dim")
            console.print(line)
    if a.unanswered:
        console.print(
            Text(
                f"Unanswered ({len(a.unanswered)}). {unanswered_note(a)} "
                + ", ".join(a.unanswered),
                style="yellow",
            )
        )
    if a.not_applicable:
        console.print(
            Text(
                "Not applicable, left out of the score: " + "; ".join(not_applicable_items(a)),
                style="dim",
            )
        )
    if options.explain:
        console.rule("Explanation: every criterion")
        for lv in a.levels:
            console.print(Text(f"Level {lv.index}, {lv.name}: {level_state(lv)}", style="bold"))
            console.print(Text("  " + arithmetic(lv)))
            if lv.criteria:
                print_table(
                    console,
                    _criteria_table("", lv.criteria, tips=True),
                    (c.question_id for c in lv.criteria),
                )
        console.print(
            Text(
                "Ladder rule: the attained level is the highest level that is met together "
                "with every level below it.",
                style="dim",
            )
        )
    return buffer.getvalue()


def render_rich_comparison(c: Comparison, options: ReportOptions) -> str:
    """A comparison as a Rich table, with the explanations below it."""
    console, buffer = _console(options)
    table = Table(
        title=Text(f"{printable(c.company)}: the models side by side"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    for column in POSITION_HEADER:
        table.add_column(
            column,
            justify="right" if column in ("scale 0-100", "gaps") else "left",
            overflow="fold",
        )
    for p in c.positions:
        cells = position_cells(p)
        style = "green" if p.scale == 100 else "red" if p.scale == 0 else ""
        table.add_row(
            *(Text(printable(x)) for x in cells[:3]),
            Text(cells[3], style=style),
            *(Text(printable(x)) for x in cells[4:]),
        )
    print_table(console, table, (p.assessment.rubric_id for p in c.positions))
    for note in comparison_notes(c):
        console.print(Text(note, style="yellow"))
    if c.disagreements:
        console.print(Text("Why the models disagree", style="bold"))
        for line in explanations(c):
            console.print(Text(line, style="" if line.startswith("  ") else "yellow"))
    return buffer.getvalue()


def render_rich_crosswalk(cw: Crosswalk, options: ReportOptions) -> str:
    """A crosswalk as a Rich table."""
    header, rows, differ = crosswalk_table(cw)
    console, buffer = _console(options)
    table = Table(
        title="Crosswalk (common scale in brackets)", title_justify="left", box=box.SIMPLE_HEAD
    )
    for column in header:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(Text(printable(x)) for x in row))
    print_table(console, table, [cw.reference.rubric.id, *(o.rubric.id for o in cw.others)])
    console.print(Text("Where they really differ", style="bold"))
    for line in differ:
        console.print(Text(f"• {printable(line)}"))
    return buffer.getvalue()


def render_rich_diff(d: Diff, options: ReportOptions) -> str:
    """A diff: the plain lines through the rich console (wrapping; newly met green, regressed
    red)."""
    console, buffer = _console(options)
    for line in diff_lines(d):
        style = (
            "green"
            if line.lstrip().startswith("+")
            else ("red" if line.lstrip().startswith("-") else "")
        )
        console.print(Text(line, style=style))
    return buffer.getvalue()


def render_rich_history(h: History, options: ReportOptions) -> str:
    """A history: the plain lines through the rich console (wrapping; the heading bold, each
    rubric's trend in its direction's colour, gains green, losses red)."""
    console, buffer = _console(options)
    trends = {printable(f"{r.rubric_id}: {trend_sentence(r)}"): r.trend for r in h.rubrics}
    for i, line in enumerate(history_lines(h)):
        mark = line.lstrip()[:1]
        style = "bold" if i == 0 else "green" if mark == "+" else "red" if mark == "-" else ""
        if line in trends:
            style = {"up": "bold green", "down": "bold red", "same": "bold"}[trends[line]]
        console.print(Text(line, style=style))
    return buffer.getvalue()


class RichReporter(SummarisingReporter):
    """The terminal report, one per input, and a portfolio summary table for batches."""

    format = Format.RICH
    explains = True

    def separator(self) -> str:
        if not self.rows:
            return ""
        console, buffer = _console(self.options)
        console.print()
        console.rule(style="bold")
        console.print()
        return buffer.getvalue()

    def render(self, a: Assessment) -> str:
        return render_rich(a, self.options)

    def render_invalid(self, file: str, problems: tuple[Problem, ...]) -> str:
        console, buffer = _console(self.options)
        console.print(Text(f"Not assessed: {printable(file)}", style="bold red"))
        for problem in problems:
            console.print(Text(str(problem), style="red"))
        return buffer.getvalue()

    def render_comparison(self, c: Comparison) -> str:
        return render_rich_comparison(c, self.options)

    def crosswalk(self, cw: Crosswalk) -> str:
        return render_rich_crosswalk(cw, self.options)

    def diff(self, d: Diff) -> str:
        return render_rich_diff(d, self.options)

    def history(self, h: History) -> str:
        return render_rich_history(h, self.options)

    def finish(self) -> str:
        if self.kind is Kind.COMPARISON:
            if len(self.comparisons) < 2:
                return ""
            from svclevel.report.text_report import render_portfolio

            return render_portfolio(self.comparisons)
        if not self.options.batch:
            return ""
        console, buffer = _console(self.options)
        table = Table(
            title=f"Portfolio summary ({len(self.rows)} inputs)",
            title_justify="left",
            box=box.SIMPLE_HEAD,
        )
        for column in ("company", "rubric", "level", "gaps", "file"):
            table.add_column(  # paths whole, wrapped
                column, justify="right" if column == "gaps" else "left", overflow="fold"
            )
        for row in self.rows:
            style = "red" if row.level in ("invalid input", "below the ladder") else ""
            table.add_row(
                Text(printable(row.company)),
                Text(row.rubric),
                Text(printable(row.level), style=style),
                str(row.gaps),
                Text(printable(row.file), style="dim"),
            )
        console.print()
        console.print(table)
        return buffer.getvalue()
