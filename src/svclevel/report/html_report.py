"""The HTML report a consultancy hands to its client: one self-contained file.

Inline CSS and SVG, no JavaScript, no external requests (a Content-Security-Policy forbids
them), print rules for clean PDF pages. Jinja2 renders it with autoescape on, so every piece of
text from a rubric or an answers file is escaped, in HTML and inside SVG; links in evidence are
only made clickable when they are http(s). Jinja2 is imported only here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from svclevel import __version__
from svclevel.errors import Problem
from svclevel.report import ReportOptions, SummarisingReporter
from svclevel.report._common import gap_reason, gating_note, level_state, percent, terminal_safe
from svclevel.report._common import verdict as verdict_sentence
from svclevel.results import Assessment

if TYPE_CHECKING:
    import jinja2

    from svclevel.engine.compare import Comparison

_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)

STATUS_WORDS = {
    "MET": "met",
    "UNMET": "not met",
    "UNANSWERED": "unanswered",
    "NOT_APPLICABLE": "n/a",
}


def linkify(text: str) -> Any:
    """Escape ``text``; http(s) URLs in it become links, anything else (javascript:, data:)
    stays plain text."""
    from markupsafe import Markup, escape

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
    )
    env.filters["linkify"] = linkify
    return env


def page_start(title: str) -> str:
    """The document head (styles, security policy) and the opening of the body."""
    return (
        environment().get_template("_page_start.html.j2").render(title=title, version=__version__)
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
    where = a.level.name if a.level else "below the ladder"
    return {
        "rungs": rungs,
        "height": height,
        "below": a.below_ladder,
        "label": f"The ladder of {a.rubric_id}, top level first; the company is at: {where}",
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


def render_assessment_html(a: Assessment) -> str:
    """One assessment as an HTML article."""
    a = terminal_safe(a)  # control characters cannot appear in HTML text
    return (
        environment()
        .get_template("assessment.html.j2")
        .render(
            assessment=a,
            anchor=f"a-{a.rubric_id}",
            verdict=verdict_sentence(a),
            gating=gating_note(a),
            gap_reason=gap_reason(a.next_level) if a.next_level else "",
            reasons=[gap_reason(step.level) for step in a.roadmap],
            ladder=_ladder(a),
            bars=_bars(a),
            status_words=STATUS_WORDS,
        )
    )


def render_comparison_html(c: Comparison) -> str:
    """A comparison as an HTML article with the common-scale chart."""
    from svclevel.report.compare_report import explanations, position_cells

    bars = [
        {
            "rubric": p.rubric_id,
            "y": 6 + i * 30,
            "width": round(3 * p.scale, 1),
            "label": f"{p.scale:.0f} · {p.level_name}",
        }
        for i, p in enumerate(c.positions)
    ]
    return (
        environment()
        .get_template("comparison.html.j2")
        .render(
            comparison=c,
            chart={"bars": bars, "height": 6 + len(bars) * 30 + 20},
            rows=[position_cells(p) for p in c.positions],
            explanations=explanations(c),
        )
    )


class HtmlReporter(SummarisingReporter):
    """One self-contained HTML document: an article per input, a summary for batches."""

    def __init__(self, options: ReportOptions) -> None:
        super().__init__(options)

    def start(self) -> str:
        return page_start("svclevel report")

    def render(self, a: Assessment) -> str:
        return render_assessment_html(a)

    def render_invalid(self, file: str, problems: tuple[Problem, ...]) -> str:
        from markupsafe import escape

        items = "".join(f"<li>{escape(str(p))}</li>" for p in problems)
        return (
            f'<article class="invalid"><h1>Not assessed: {escape(file)}</h1>'
            f"<ul>{items}</ul></article>\n"
        )

    def invalid(self, file: str, problems: tuple[Problem, ...]) -> str:
        if self.options.batch:
            return super().invalid(file, problems)
        return self.render_invalid(file, problems)

    def finish(self) -> str:
        return page_end(self.rows if self.options.batch else ())
