"""The HTML report a consultancy hands to its client: one self-contained file.

Inline CSS and SVG, no JavaScript, no external requests (a Content-Security-Policy forbids
them), print rules for clean PDF pages. Jinja2 renders it with autoescape on, so every piece of
text from a rubric or an answers file is escaped, in HTML and inside SVG; links in evidence are
only made clickable when they are http(s). Jinja2 is imported only here.

Every kind of result is such a document: assessments (an article each, a portfolio summary for a
batch), comparisons (with the portfolio's strictest model), a crosswalk, a diff.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from svclevel import __version__
from svclevel.errors import Problem, printable
from svclevel.report._common import (
    arithmetic,
    change_word,
    crosswalk_table,
    explanations,
    gap_reason,
    gating_note,
    level_name,
    level_state,
    open_questions,
    percent,
    portfolio,
    portfolio_sentence,
    position_cells,
    provisional_note,
    scale,
    standing_sentence,
    terminal_safe,
)
from svclevel.report.base import Format, Kind, SummarisingReporter
from svclevel.results import Assessment

if TYPE_CHECKING:
    import jinja2

    from svclevel.engine.compare import Comparison, Crosswalk
    from svclevel.engine.diff import Diff

_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)

STATUS_WORDS = {
    "MET": "met",
    "UNMET": "not met",
    "UNANSWERED": "unanswered",
    "NOT_APPLICABLE": "n/a",
    "UNEVIDENCED": "no evidence",
}


def linkify(text: str) -> Any:
    """Escape ``text``; http(s) URLs in it become links, anything else (javascript:, data:)
    stays plain text."""
    from markupsafe import Markup, escape

    text = printable(text)
    out = []
    last = 0
    for match in _URL.finditer(text):
        out.append(escape(text[last : match.start()]))
        url = match.group(0).rstrip(".,;:)")
        rest = match.group(0)[len(url) :]
        out.append(Markup('<a href="{0}" rel="noopener noreferrer nofollow">{0}</a>').format(url))
        out.append(escape(rest))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def _shown(value: Any) -> Any:
    """Every value a template prints goes through :func:`printable` (then autoescape); markup
    the code built (:func:`linkify`) already did."""
    from markupsafe import Markup

    return printable(value) if isinstance(value, str) and not isinstance(value, Markup) else value


@functools.cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment (autoescape on for every template, undefined names are errors)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("svclevel.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
        finalize=_shown,
    )
    env.filters["linkify"] = linkify
    return env


def page_start(title: str, extra_css: str | None = None) -> str:
    """The document head (styles, security policy) and the opening of the body; ``extra_css``
    names a template of further rules (those of compare and diff documents)."""
    return (
        environment()
        .get_template("_page_start.html.j2")
        .render(title=title, version=__version__, extra_css=extra_css)
    )


def page_end(rows: Sequence[Any] = ()) -> str:
    """The portfolio summary (for batches) and the end of the document."""
    return environment().get_template("_page_end.html.j2").render(rows=rows, version=__version__)


def _ladder(a: Assessment) -> dict[str, Any]:
    rungs = []
    levels = list(reversed(a.levels))
    for i, lv in enumerate(levels):
        here = a.level is lv
        skipped = lv in a.skipped
        fill = "#dff3e8" if lv.met and not skipped else "#fff4d6" if skipped else "#f1f3f7"
        caption = "floor" if lv.floor else f"{percent(lv.score)} · {'met' if lv.met else 'not met'}"
        if skipped:
            caption = f"{percent(lv.score)} · met, not counted"
        if here:
            caption = "◀ you are here"
        rungs.append(
            {
                "index": lv.index,
                "name": lv.name,
                "y": 14 + i * 52,
                "fill": fill,
                "stroke": "#2f5bd3" if here else "#9aa3b5",
                "here": here,
                "caption": caption,
                "text_fill": "#2f5bd3" if here else "#5b6475",
            }
        )
    height = 14 + len(levels) * 52 + (24 if a.below_ladder else 0)
    return {
        "rungs": rungs,
        "height": height,
        "below": a.below_ladder,
        "label": f"The ladder of {a.rubric_id}, top level first; the company is {a.standing}",
    }


def _bars(a: Assessment) -> list[dict[str, Any]]:
    return [
        {
            "index": lv.index,
            "name": lv.name,
            "width": 0 if lv.floor else round(120 * lv.score, 1),
            "percent": "—" if lv.floor else percent(lv.score),
            "fill": "#1f7a4d" if lv.met else "#b3261e",
            "state": level_state(lv),
        }
        for lv in reversed(a.levels)
    ]


def render_assessment_html(a: Assessment, explain: bool = False) -> str:
    """One assessment as an HTML article; with ``explain``, the appendix shows the arithmetic
    behind each level's verdict."""
    a = terminal_safe(a)  # control characters cannot appear in HTML text
    return (
        environment()
        .get_template("assessment.html.j2")
        .render(
            assessment=a,
            anchor=f"a-{a.rubric_id}",
            verdict=standing_sentence(a),
            provisional=" ".join(filter(None, (provisional_note(a), open_questions(a)))),
            gating=gating_note(a),
            gap_reason=gap_reason(a.next_level) if a.next_level else "",
            reasons=[gap_reason(step.level) for step in a.roadmap],
            ladder=_ladder(a),
            bars=_bars(a),
            status_words=STATUS_WORDS,
            arithmetic={lv.index: arithmetic(lv) for lv in a.levels} if explain else {},
        )
    )


def _bar(rubric: str, level: str | None, value: float) -> dict[str, Any]:
    return {"rubric": rubric, "level": level, "value": scale(value), "width": round(value, 1)}


def render_comparison_html(c: Comparison) -> str:
    """A comparison as an HTML article with the common-scale chart."""
    c = terminal_safe(c)
    why: list[tuple[str, list[str]]] = []
    for line in explanations(c):
        if line.startswith("  - ") and why:
            why[-1][1].append(line[4:])
        else:
            why.append((line, []))
    return (
        environment()
        .get_template("comparison.html.j2")
        .render(
            comparison=c,
            bars=[_bar(p.rubric_id, level_name(p.assessment), p.scale) for p in c.positions],
            rows=[position_cells(p) for p in c.positions],
            why=why,
        )
    )


def render_portfolio_html(comparisons: Sequence[Comparison]) -> str:
    """Which model is the strictest for a set of companies: a chart of the mean positions."""
    means = portfolio(comparisons)
    return (
        environment()
        .get_template("compare_portfolio.html.j2")
        .render(
            sentence=portfolio_sentence(means, len(comparisons)),
            companies=len(comparisons),
            bars=[_bar(m.rubric, None, m.mean) for m in means],
            means=[{**m._asdict(), "mean_text": scale(m.mean)} for m in means],
        )
    )


def render_crosswalk_html(cw: Crosswalk) -> str:
    """A crosswalk as an HTML article."""
    return (
        environment()
        .get_template("crosswalk.html.j2")
        .render(reference=cw.reference.rubric.id, table=crosswalk_table(cw))
    )


def render_diff_html(d: Diff) -> str:
    """A diff as an HTML article: the level on each rubric, the criteria and answers changed."""
    d = terminal_safe(d)
    rubrics = [
        {
            "id": r.rubric_id,
            "before": level_name(r.before),
            "after": level_name(r.after),
            "change": change_word(r),
            "direction": "up" if r.level_change > 0 else "down" if r.level_change < 0 else "same",
            "newly_met": r.newly_met,
            "regressed": r.regressed,
        }
        for r in d.rubrics
    ]
    return environment().get_template("diff.html.j2").render(diff=d, rubrics=rubrics)


_TITLES = {
    Kind.ASSESSMENT: "svclevel report",
    Kind.COMPARISON: "svclevel: the models side by side",
    Kind.CROSSWALK: "svclevel: crosswalk of the models",
    Kind.DIFF: "svclevel: progress between two assessments",
}


class HtmlReporter(SummarisingReporter):
    """One self-contained HTML document: an article per input, a summary for batches."""

    format = Format.HTML
    explains = True

    def start(self) -> str:
        extra = None if self.kind is Kind.ASSESSMENT else "_compare_and_diff.css.j2"
        return page_start(_TITLES[self.kind], extra)

    def render(self, a: Assessment) -> str:
        return render_assessment_html(a, self.options.explain)

    def render_comparison(self, c: Comparison) -> str:
        return render_comparison_html(c)

    def crosswalk(self, cw: Crosswalk) -> str:
        return render_crosswalk_html(cw)

    def diff(self, d: Diff) -> str:
        return render_diff_html(d)

    def render_invalid(self, file: str, problems: tuple[Problem, ...]) -> str:
        from markupsafe import escape

        what = "Not assessed" if self.kind is Kind.ASSESSMENT else "Not compared"
        items = "".join(f"<li>{escape(str(p))}</li>" for p in problems)
        return (
            f'<article class="invalid"><h1>{what}: {escape(printable(file))}</h1><ul>{items}</ul>'
            "</article>\n"
        )

    def invalid(self, file: str, problems: tuple[Problem, ...]) -> str:
        if self.options.batch and self.kind is Kind.ASSESSMENT:
            return super().invalid(file, problems)
        return self.render_invalid(file, problems)

    def finish(self) -> str:
        if self.kind is Kind.COMPARISON and len(self.comparisons) > 1:
            return render_portfolio_html(self.comparisons) + page_end()
        return page_end(self.rows if self.options.batch else ())
