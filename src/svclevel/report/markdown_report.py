"""Markdown (CommonMark + GitHub tables and task lists) for PR comments and step summaries.

Text from input files is escaped, so a company called ``*X* | <b>`` renders literally and
cannot break a table, start a list or inject HTML.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from svclevel.errors import Problem, printable
from svclevel.report._common import (
    PORTFOLIO_HEADING,
    arithmetic,
    calibrate_step,
    change_word,
    comparison_notes,
    criterion_marks,
    crosswalk_table,
    disputed_criteria,
    evidence_items,
    exception_items,
    explanations,
    gap_reason,
    gating_note,
    history_heading,
    level_name,
    level_state,
    level_with_state,
    measurement_summary,
    measurement_warnings,
    moved,
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
    trend_sentence,
    verdict,
)
from svclevel.report.base import Format, Kind, SummarisingReporter
from svclevel.results import Assessment, CriterionResult

if TYPE_CHECKING:
    from svclevel.engine.compare import Comparison, Crosswalk
    from svclevel.engine.diff import Diff
    from svclevel.engine.history import History

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~&])")
_MENTION = re.compile(r"(?<![A-Za-z0-9_])@")
"""An ``@`` GitHub could read as a mention: not after an (ASCII) word character, so that an
e-mail address stays as written."""


def md(text: str) -> str:
    """Escape text for inline Markdown, after :func:`printable`: every ASCII punctuation mark
    that could mean something, and ``@`` followed by a zero-width space, so that ``@org/team``
    in a PR comment or a job summary notifies nobody (GitHub finds mentions in the rendered
    text, where a backslash is gone; a zero-width space is what Renovate and Dependabot use)."""
    escaped = _SPECIAL.sub(r"\\\1", printable(" ".join(text.split())))
    return _MENTION.sub("@\u200b", escaped) if "@" in escaped else escaped


def _code(text: str) -> str:
    """Text for an inline code span (where GitHub finds no mentions), after
    :func:`printable`: backticks would end it, so they become quotes."""
    return printable(" ".join(text.replace("`", "'").split()))


def _tag(c: CriterionResult) -> str:
    return "required" if c.required else f"weight {c.weight:g}"


def _heading(a: Assessment) -> list[str]:
    """The title, the verdict (and what would make it final), the meta line, the basis."""
    out: list[str] = []
    out.append(f"## {md(a.company)}: {md(a.rubric_title)}\n")
    icon = "⏳" if a.provisional else "❌" if a.below_ladder else "✅" if a.at_top else "📶"
    out.append(f"{icon} **{md(verdict(a))}**\n")
    still_open = open_questions(a)
    if still_open:
        out.append(f"> {md(still_open)}\n")
    meta = f"Assessed {md(a.date)}"
    if a.assessor:
        meta += f" by {md(a.assessor)}"
    out.append(
        f"_{meta} · period {md(period_text(a))} · rubric `{a.rubric_id}` v{a.rubric_version} "
        f"· answers {md(a.answers_file)}_\n"
    )
    if a.basis:
        out.append(f"_{md(a.basis)}_\n")
    return out


def render_markdown(a: Assessment, explain: bool = False) -> str:
    """One assessment as Markdown; with ``explain``, every criterion and the arithmetic."""
    a = terminal_safe(a)
    out = _heading(a)
    note = gating_note(a)
    if note:
        out.append(f"> ⚠️ {md(note)}\n")
    measured = measurement_summary(a)
    if measured:
        out.append(f"{md(measured)}\n")
        out.extend(f"> ⚠️ {md(w)}\n" for w in measurement_warnings(a))
    out += _dated(a)
    out += _panel(a)
    out.append("| # | Level | Score | Status |")
    out.append("|--:|---|--:|---|")
    for lv in reversed(a.levels):
        here = " ◀ **you are here**" if a.level is lv else ""
        skipped = " (not counted: a lower level is not met)" if lv in a.skipped else ""
        score = "" if lv.floor else percent(lv.score)
        out.append(f"| {lv.index} | {md(lv.name)} | {score} | {level_state(lv)}{skipped}{here} |")
    out.append("")
    nxt = a.next_level
    calibrate = calibrate_step(a)
    if nxt is None:
        out.append("No gaps: every level of the ladder is met.\n")
        if calibrate:
            out.append(f"- [ ] {md(calibrate)}\n")
    else:
        out.append(f"### Gaps to {md(nxt.name)}\n")
        out.append(f"{md(gap_reason(nxt))}\n")
        out.extend(_gap_item(c) for c in a.gaps)
        if calibrate:
            out.append(f"- [ ] {md(calibrate)}")
        out.append("")
        if len(a.roadmap) > 1:
            out.append("### Roadmap to the top\n")
            for step in a.roadmap[1:]:
                out.append(f"**{md(step.level.name)}**: {md(gap_reason(step.level))}\n")
                out.extend(
                    f"- [ ] {md(c.next_step)} ({md(c.question_id)}, {_tag(c)})"
                    for c in step.actions
                )
                out.append("")
    if a.rubric_advice:
        out.append("### Advice for the whole ladder\n")
        out.extend(f"- {md(item.text)} _({md(str(item.source))})_" for item in a.rubric_advice)
        out.append("")
    if a.unanswered:
        out.append(
            f"**Unanswered** (counted as not met): {', '.join(md(q) for q in a.unanswered)}\n"
        )
    if a.not_applicable:
        out.append(
            f"**Not applicable** (left out of the score): "
            f"{'; '.join(md(q) for q in not_applicable_items(a))}\n"
        )
    if explain:
        out += _explanation(a)
    return "\n".join(out) + "\n"


def _gap_item(c: CriterionResult) -> str:
    """A gap as a task-list item: the answer, what is needed, the next step, and what the
    evidence, its age, the exception and the responses add."""
    line = (
        f"- [ ] **{md(c.question_id)}** ({_tag(c)}): answer {md(c.shown_answer)}, "
        f"needed {md(c.needed)}. {md(c.next_step)}"
    )
    if c.evidence:
        line += f" _Evidence: {md(c.evidence)}_"
    for mark in criterion_marks(c):
        line += f" _({md(mark)})_"
    responses = responses_line(c)
    if responses:
        line += f" _Responses: {md(responses)}_"
    return line


def _dated(a: Assessment) -> list[str]:
    """The evidence that is not fresh, and the exceptions."""
    out = []
    aged = evidence_items(a)
    if aged:
        out.append(f"**Evidence judged on {md(a.evaluated_on)}:**\n")
        out.extend(f"- ⏰ {md(item)}" for item in aged)
        out.append("")
    granted = exception_items(a)
    if granted:
        out.append("**Exceptions:**\n")
        out.extend(f"- 🛂 {md(item)}" for item in granted)
        out.append("")
    return out


def _panel(a: Assessment) -> list[str]:
    """The respondents, how their answers combine and how far they agree, then a table of the
    disputed questions (nothing without respondents)."""
    lines = panel_lines(a)
    if not lines:
        return []
    out = ["**Respondents and agreement:**\n"]
    out.extend(f"- {md(line)}" for line in lines)
    out.append("")
    disputed = disputed_criteria(a)
    if disputed:
        out.append("| Question | Each respondent | Distribution → aggregate, disagreement |")
        out.append("|---|---|---|")
        for c in disputed:
            assert c.responses is not None
            out.append(
                f"| **{md(c.question_id)}** | {md(response_items(c.responses))} | "
                f"{md(responses_line(c) or '')} |"
            )
        out.append("")
    return out


def _explanation(a: Assessment) -> list[str]:
    """Every criterion and the arithmetic behind each level, folded (``<details>``)."""
    out = ["<details><summary>Explanation: every criterion</summary>\n"]
    for lv in a.levels:
        state = f"{level_state(lv)}; {arithmetic(lv)}"
        out.append(f"**Level {lv.index}, {md(lv.name)}**: {md(state)}\n")
        if not lv.criteria:
            continue
        panel = a.panel is not None
        out.append(
            "| Criterion | Answer | Needed | Weight | Status |" + (" Responses |" if panel else "")
        )
        out.append("|---|---|---|--:|---|" + ("---|" if panel else ""))
        out += [
            f"| **{md(c.question_id)}**{' (required)' if c.required else ''} | "
            f"{md(c.shown_answer)} | {md(c.needed)} | {c.weight:g} | {status_word(c)} |"
            + (f" {md(responses_line(c) or '')} |" if panel else "")
            for c in lv.criteria
        ]
        out.append("")
    out.append(
        "Ladder rule: the attained level is the highest level that is met together with every "
        "level below it.\n"
    )
    out.append("</details>\n")
    return out


def render_comparison(c: Comparison) -> str:
    """One company on several rubrics as Markdown."""
    out = [f"## {md(c.company)}: the models side by side\n"]
    out.append("| Rubric | Level | Position | Scale 0-100 | Next level | Gaps |")
    out.append("|---|---|---|--:|---|--:|")
    for p in c.positions:
        cells = position_cells(p)
        out.append("| " + " | ".join([f"`{cells[0]}`", *map(md, cells[1:])]) + " |")
    out.append("")
    notes = comparison_notes(c)
    if notes:
        out += [f"- {md(n)}" for n in notes]
        out.append("")
    if c.disagreements:
        out.append("### Why the models disagree\n")
        out.extend(
            md(line) if not line.startswith("  - ") else "  - " + md(line[4:])
            for line in explanations(c)
        )
        out.append("")
    return "\n".join(out) + "\n"


def render_portfolio(comparisons: Sequence[Comparison]) -> str:
    """Which model is the strictest for a set of companies, as Markdown."""
    means = portfolio(comparisons)
    out = [
        f"## {PORTFOLIO_HEADING}\n",
        "| Rubric | Mean scale | Strictest for |",
        "|---|--:|--:|",
    ]
    out += [f"| `{m.rubric}` | {scale(m.mean)} | {m.strictest_for} |" for m in means]
    return "\n".join([*out, "", md(portfolio_sentence(means, len(comparisons)))]) + "\n"


def render_crosswalk(cw: Crosswalk) -> str:
    """A crosswalk as Markdown."""
    t = crosswalk_table(cw)
    out = [
        f"## Crosswalk from `{cw.reference.rubric.id}`\n",
        "| " + " | ".join(map(md, t.header)) + " |",
        "|" + "---|" * len(t.header),
    ]
    out += ["| " + " | ".join(map(md, r)) + " |" for r in t.rows]
    out += ["", "### Where they really differ", ""] + [f"- {md(d)}" for d in t.differ]
    return "\n".join(out) + "\n"


def render_diff(d: Diff) -> str:
    """A diff as Markdown: a table of level changes, the regressions, every answer changed."""
    out = [
        f"## {md(d.company)}: progress from {md(d.before_date)} to {md(d.after_date)}\n",
        *(f"> ⚠️ **Warning:** {md(w)}\n" for w in d.warnings),
        "| Rubric | Before | After | Change | Newly met | Regressed |",
        "|---|---|---|---|--:|--:|",
    ]
    out += [
        f"| `{r.rubric_id}` | {md(level_name(r.before))} | {md(level_name(r.after))} | "
        f"{change_word(r)} | {len(r.newly_met)} | {len(r.regressed)} |"
        for r in d.rubrics
    ]
    for r in d.rubrics:
        for c in r.regressed:
            out.append(
                f"- ⚠️ `{r.rubric_id}` **{md(c.after.question_id)}** regressed: "
                f"{md(c.before.answer)} → {md(c.after.answer)}, needed {md(c.after.needed)}"
            )
        out += [f"- 🛂 `{r.rubric_id}` {md(line)}" for line in r.exceptions.lines()]
    out += ["", f"**Answers changed** ({len(d.answers_changed)}):", ""]
    out += [f"- {md(a.question_id)}: {md(a.before)} → {md(a.after)}" for a in d.answers_changed]
    return "\n".join(out) + "\n"


def render_history(h: History) -> str:
    """A history as Markdown: a table of the level on each rubric at each date, the trend, then
    per rubric and pair of consecutive dates the criteria gained and lost."""
    rubrics = " | ".join(f"`{r.rubric_id}`" for r in h.rubrics)
    out = [
        f"## {md(history_heading(h))}\n",
        f"| Date | Answers file | {rubrics} |",
        "|---|---|" + "---|" * len(h.rubrics),
    ]
    for i, (date, file) in enumerate(zip(h.dates, h.files, strict=True)):
        levels = " | ".join(md(level_with_state(r.points[i].assessment)) for r in h.rubrics)
        out.append(f"| {md(date)} | {md(file)} | {levels} |")
    trends = " | ".join(f"**{moved(r.level_change)}** ({r.trend})" for r in h.rubrics)
    out.append(f"| **Trend** | first to last | {trends} |")
    for r in h.rubrics:
        out += ["", f"### `{r.rubric_id}`: {md(trend_sentence(r))}", ""]
        for step in r.steps:
            out.append(
                f"- **{md(step.before.date)} → {md(step.after.date)}**: "
                f"{md(level_name(step.before.assessment))} → "
                f"{md(level_name(step.after.assessment))} ({moved(step.level_change)})"
                + ("" if step.gained or step.lost or step.exceptions else "; no criterion changed")
            )
            out += [f"  - 🛂 {md(line)}" for line in step.exceptions.lines()]
            out += [
                f"  - ✅ gained **{md(c.after.question_id)}** ({md(c.after.level_id)}): "
                f"{md(c.before.answer)} → {md(c.after.answer)}"
                for c in step.gained
            ]
            out += [
                f"  - ⚠️ lost **{md(c.after.question_id)}** ({md(c.after.level_id)}): "
                f"{md(c.before.answer)} → {md(c.after.answer)}, needed {md(c.after.needed)}"
                for c in step.lost
            ]
    return "\n".join(out) + "\n"


class MarkdownReporter(SummarisingReporter):
    """A section per input and a portfolio summary table for batches."""

    format = Format.MARKDOWN
    explains = True

    def start(self) -> str:
        batch = self.options.batch and self.kind is Kind.ASSESSMENT
        return "# svclevel report\n\n" if batch else ""

    def render(self, a: Assessment) -> str:
        return render_markdown(a, self.options.explain)

    def render_comparison(self, c: Comparison) -> str:
        return render_comparison(c)

    def crosswalk(self, cw: Crosswalk) -> str:
        return render_crosswalk(cw)

    def diff(self, d: Diff) -> str:
        return render_diff(d)

    def history(self, h: History) -> str:
        return render_history(h)

    def invalid(self, file: str, problems: tuple[Problem, ...]) -> str:
        # Unlike the terminal formats, a lone invalid input still gets a section: the Markdown
        # often lands in a job summary where stderr is not shown.
        if self.options.batch and self.kind is Kind.ASSESSMENT:
            return super().invalid(file, problems)
        return self.render_invalid(file, problems)

    def failed(self, file: str, gate: str, lines: Sequence[str]) -> str:
        # As for invalid inputs: in a job summary, this is where the reader learns why it failed.
        head, *details = lines
        out = [f"> **❌ {md(gate[0].upper() + gate[1:])}:** {md(head)}"]
        if details:
            out += [">"] + [f"> - {md(line)}" for line in details]
        return "\n".join(out) + "\n\n"

    def render_invalid(self, file: str, problems: tuple[Problem, ...]) -> str:
        what = "Not assessed" if self.kind is Kind.ASSESSMENT else "Not compared"
        lines = [f"## ❗ {what}: {md(file)}\n"]
        lines += [f"- `{_code(str(p))}`" for p in problems]
        return "\n".join(lines) + "\n\n"

    def finish(self) -> str:
        if self.kind is Kind.COMPARISON:
            return render_portfolio(self.comparisons) if len(self.comparisons) > 1 else ""
        if not self.options.batch:
            return ""
        out = [
            "## Portfolio summary\n",
            "| Company | Rubric | Level | Gaps | File |",
            "|---|---|---|--:|---|",
        ]
        out += [
            f"| {md(r.company)} | `{r.rubric}` | {md(r.level)} | {r.gaps} | {md(r.file)} |"
            for r in self.rows
        ]
        return "\n".join(out) + "\n"
