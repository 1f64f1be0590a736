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
from svclevel.models import Question, Rubric
from svclevel.report._common import percent, terminal_safe
from svclevel.report.rich_report import print_table


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
    console.print(Text(r.description))
    console.print(Text("Sources:", style="bold"))
    for src in r.sources:
        by = ", ".join(x for x in (src.author, src.publisher) if x)
        console.print(Text(f"  [{src.id}] {src.title}" + (f" ({by})" if by else "")))
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
        table.add_column("tip and source", ratio=4, overflow="fold")
        for criterion in level.criteria:
            question = loaded.questions[criterion.question]
            label = Text()
            label.append(criterion.question, style="bold")
            if criterion.required:
                label.append(" (required)", style="magenta")
            label.append("\n" + question.text, style="dim")
            detail = Text(criterion.tip)
            detail.append(
                f"\nsource: {next(s.title for s in r.sources if s.id == criterion.source.doc)}"
                f" — {criterion.source.section}",
                style="dim",
            )
            if criterion.assumption:
                detail.append(f"\nassumption: {criterion.assumption}", style="yellow")
            table.add_row(
                label, Text(question.describe_needed(criterion)), f"{criterion.weight:g}", detail
            )
        print_table(console, table, (criterion.question for criterion in level.criteria))
        for advice in level.advice:
            console.print(Text(f"  • {advice.text}"))
    return buffer.getvalue()
