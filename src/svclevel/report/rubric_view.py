"""Render rubrics themselves: the list of built-ins and one rubric in full."""

from __future__ import annotations

import io
from collections.abc import Sequence

from pydantic import TypeAdapter
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from svclevel.load.rubrics import LoadedRubric
from svclevel.models import Advice, Criterion, Question, Rubric, ScaleQuestion, SourceRef
from svclevel.report._common import percent, terminal_safe
from svclevel.report.rich_report import print_table
from svclevel.results import line_span


def _console(width: int, color: bool) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        highlight=False,
        emoji=False,
        markup=False,
    )
    return console, buffer


def _terminal_safe(loaded: LoadedRubric) -> LoadedRubric:
    """The rubric with every text made printable (a custom rubric is untrusted input)."""
    rubric = Rubric.model_validate(terminal_safe(loaded.rubric.model_dump()))
    questions = {
        qid: TypeAdapter(Question).validate_python(terminal_safe(q.model_dump()))
        for qid, q in loaded.questions.items()
    }
    return LoadedRubric(rubric=rubric, questions=questions, origin=loaded.origin)


def render_rubric_list(rubrics: Sequence[LoadedRubric], *, width: int, color: bool) -> str:
    """A table of rubrics: id, title, ladder."""
    console, buffer = _console(width, color)
    rubrics = [_terminal_safe(loaded) for loaded in rubrics]
    table = Table(box=box.SIMPLE_HEAD if color else box.ASCII2, title_justify="left")
    table.add_column("id", style="bold", no_wrap=True)
    table.add_column("title")
    table.add_column("ladder (lowest first)")
    for loaded in rubrics:
        r = loaded.rubric
        table.add_row(
            Text(r.id),
            Text(r.title),
            Text(" → ".join(level.name for level in r.levels)),
        )
    console.print(table)
    console.print(Text("Show one with: svclevel rubrics show ID", style="dim"))
    return buffer.getvalue()


def render_rubric(loaded: LoadedRubric, *, width: int, color: bool) -> str:
    """One rubric in full: sources, levels (top first) with criteria, tips and advice."""
    loaded = _terminal_safe(loaded)
    console, buffer = _console(width, color)
    r = loaded.rubric
    console.print(Text(f"{r.title} (rubric {r.id} v{r.version})", style="bold"))
    _rubric_head(console, r)
    for index in range(len(r.levels), 0, -1):
        level = r.levels[index - 1]
        pass_mark = level.pass_mark if level.pass_mark is not None else r.pass_mark
        console.rule(Text(f"{index}. {level.name}"), style="cyan" if color else "")
        console.print(Text(level.experience, style="italic"))
        if not level.criteria:
            console.print(Text("Floor level: no criteria; every company stands here at least."))
            continue
        console.print(
            Text(
                f"Pass mark {percent(pass_mark)} of the applicable weight; "
                "required criteria must be met.",
                style="dim",
            )
        )
        table = Table(box=box.SIMPLE_HEAD if color else box.ASCII2, expand=True)
        # Folded, never cut with "…": ids and answer words are what a user types.
        table.add_column("question", ratio=2, overflow="fold")
        table.add_column("needed", ratio=1, overflow="fold")
        table.add_column("weight", justify="right", overflow="fold")
        table.add_column("recommendation and basis", ratio=4, overflow="fold")
        for criterion in level.criteria:
            question = loaded.questions[criterion.question]
            label = Text()
            label.append(criterion.question, style="bold")
            if criterion.required:
                label.append(" (required)", style="magenta")
            label.append("\n" + question.text, style="dim")
            detail = _criterion_detail(criterion, question, r)
            table.add_row(
                label, Text(question.describe_needed(criterion)), f"{criterion.weight:g}", detail
            )
        print_table(console, table, (criterion.question for criterion in level.criteria))
        for advice in level.advice:
            console.print(_advice_line(advice, r))
        if level.calibration:
            console.print(Text("  What it looks like (worked examples from the sources):"))
            for example in level.calibration:
                console.print(_advice_line(example, r))
    return buffer.getvalue()


def _criterion_detail(criterion: Criterion, question: Question, r: Rubric) -> Text:
    """The recommendation, the source and what it says, the benchmark or the rubric's own
    choice, when n/a is accepted, and the question's bands."""
    detail = Text("recommendation: " + criterion.tip)
    detail.append("\nsource: " + _cite(criterion.source, r), style="dim")
    if criterion.source.says:
        detail.append(f"\nthe source says: {criterion.source.says}", style="dim")
    if criterion.benchmark:
        detail.append("\nbenchmark: " + _cite(criterion.benchmark, r), style="dim")
        if criterion.benchmark.says:
            detail.append(f" ({criterion.benchmark.says})", style="dim")
    if criterion.assumption:
        detail.append(f"\nthe rubric's choice: {criterion.assumption}", style="yellow")
    if criterion.allow_na:
        detail.append(f"\nn/a accepted when: {criterion.allow_na}", style="dim")
    if isinstance(question, ScaleQuestion) and question.bands:
        bands = "; ".join(f"{label}: {question.bands[label]}" for label in question.labels)
        detail.append(f"\nbands: {bands}", style="dim")
        if question.sample:
            detail.append(f"\nsample: {question.sample}", style="dim")
    return detail


def _rubric_head(console: Console, r: Rubric) -> None:
    """The description, the basis, the sources, the evidence rule and the ladder's advice."""
    console.print(Text(r.description))
    if r.basis:
        console.print(Text("Basis: ", style="bold").append(Text(r.basis, style="")))
    console.print(Text("Sources:", style="bold"))
    for src in r.sources:
        about = ", ".join(x for x in (src.author, src.publisher, src.date, src.kind) if x)
        console.print(Text(f"  [{src.id}] {src.title}" + (f" ({about})" if about else "")))
        if src.url:
            console.print(Text(f"      {src.url}", style="dim"))
    if r.require_evidence:
        console.print(Text("Evidence rule: a required criterion counts as met only with evidence."))
    if r.advice:
        console.print(Text("Advice for the whole ladder:", style="bold"))
        for advice in r.advice:
            console.print(_advice_line(advice, r))


def _cite(ref: SourceRef, r: Rubric) -> str:
    title = next(s.title for s in r.sources if s.id == ref.doc)
    return f"{title} — {ref.section}{line_span(ref.lines)}"


def _advice_line(advice: Advice, r: Rubric) -> Text:
    line = Text(f"  • {advice.text} ")
    line.append(f"({_cite(advice.source, r)})", style="dim")
    return line
