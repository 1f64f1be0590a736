"""The HTML report a consultancy hands to its client: one self-contained file.

Inline CSS and SVG, no JavaScript, no external requests (a Content-Security-Policy forbids
them), print rules for clean PDF pages. Jinja2 renders it with autoescape on, so every piece of
text from a rubric or an answers file is escaped, in HTML and inside SVG; links in evidence are
only made clickable when they are http(s). Jinja2 is imported only here.

Every kind of result is such a document: assessments (an article each, a portfolio summary for a
batch), comparisons (with the portfolio's strictest model), a crosswalk, a diff. The document is
made when the run is complete (:attr:`HtmlReporter.whole`), so that a batch opens with its
summary and contents. The white label (:class:`~svclevel.report.base.WhiteLabel`) names the
consultancy and the client on the first page and, printed, on every page.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
from collections.abc import Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, NamedTuple

from svclevel import __version__
from svclevel.errors import Problem, printable
from svclevel.report._common import (
    PORTFOLIO_HEADING,
    aged_criteria,
    arithmetic,
    change_word,
    client_gap_reason,
    comparison_notes,
    criterion_marks,
    evidence_note,
    exceptions_note,
    gating_note,
    level_name,
    level_state,
    measurement_summary,
    measurement_warnings,
    moved,
    open_questions,
    percent,
    portfolio,
    portfolio_sentence,
    position_cells,
    provisional_note,
    scale,
    standing_sentence,
    terminal_safe,
    trend_sentence,
)
from svclevel.report.base import Format, Kind, SummarisingReporter, WhiteLabel
from svclevel.results import (
    Assessment,
    CriterionChange,
    CriterionResult,
    GroupAnswer,
    LevelResult,
    Panel,
    Responses,
    Status,
)

if TYPE_CHECKING:
    import jinja2

    from svclevel.engine.compare import Comparison, Crosswalk, Position
    from svclevel.engine.diff import Diff, RubricDiff
    from svclevel.engine.history import History, HistoryStep, RubricHistory

_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)

STATUS_WORDS = {
    "MET": "met",
    "UNMET": "not met",
    "UNANSWERED": "unanswered",
    "NOT_APPLICABLE": "n/a",
    "UNEVIDENCED": "no evidence",
    "STALE": "stale evidence",
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


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string: every character but letters, digits and spaces
    escaped, so no text can end the string or the style sheet (the space after an escape
    ends it, and is not part of the text)."""
    out = []
    for char in printable(text):
        out.append(char if char.isalnum() or char == " " else f"\\{ord(char):06x} ")
    return '"' + "".join(out) + '"'


def _css(text: str) -> Any:
    """CSS svclevel wrote (quoted with :func:`css_string` where it holds text), for the style
    sheet, which HTML escaping would break."""
    from markupsafe import Markup

    return Markup(text)  # noqa: S704 - made by svclevel, never taken from an input as it is


def page_start(
    title: str,
    extra_css: str | None = None,
    *,
    label: WhiteLabel = WhiteLabel(),  # noqa: B008 - an immutable NamedTuple
    header: tuple[str, str] = ("", ""),
    fonts: str = "",
) -> str:
    """The document head (styles, security policy) and the opening of the body; ``extra_css``
    names a template of further rules (those of compare and diff documents). ``header`` is the
    client and the date for the printed running header (where the browser cannot take them
    from the page); ``fonts``, ``@font-face`` rules to use before the system's fonts."""
    footer = " · ".join(filter(None, (label.consultancy, label.reference, label.confidentiality)))
    return (
        environment()
        .get_template("_page_start.html.j2")
        .render(
            title=title,
            version=__version__,
            extra_css=extra_css,
            label=label,
            author=label.prepared_by or label.consultancy,
            header_left=_css(css_string(header[0])),
            header_right=_css(css_string(header[1])),
            footer_left=_css(css_string(footer)),
            fonts=_css(fonts),
            font=_css(FONT if fonts else FONT.replace('"svclevel Sans", ', "")),
        )
    )


def page_end() -> str:
    """The end of the document."""
    return environment().get_template("_page_end.html.j2").render(version=__version__)


def portfolio_summary(rows: Sequence[Any], label: WhiteLabel) -> str:
    """The summary and contents opening a batch: each company's level, linked to its report."""
    return (
        environment()
        .get_template("_portfolio.html.j2")
        .render(
            rows=[
                {
                    **r._asdict(),
                    "file": shown_file(r.file, label),
                    "anchor": article_id(r.file, r.rubric) if r.rubric != "—" else None,
                }
                for r in rows
            ],
            label=label,
            companies=len({r.company for r in rows if r.rubric != "—"}),
        )
    )


def article_id(file: str, rubric: str) -> str:
    """The ``id`` of the report on ``file`` assessed on ``rubric``: unique in a document (two
    files of one name in different folders differ), and made of letters only where it shows."""
    digest = hashlib.sha256(f"{file}\0{rubric}".encode()).hexdigest()[:8]
    return f"a-{_slug(file)[:40] or 'report'}-{rubric}-{digest}"


def _slug(file: str) -> str:
    """A file's name without its folders and extension, in lowercase letters, digits and '-'."""
    return re.sub(r"[^a-z0-9]+", "-", PurePath(file).stem.lower()).strip("-")


def shown_file(file: str, label: WhiteLabel) -> str:
    """An answers file as a client report names it: its name alone, unless the white label
    asks for paths (no folder of the consultant's machine reaches the client otherwise)."""
    # PurePath, not a split on backslashes too: a name is shown with its bytes escaped (\\xe9)
    return file if label.show_paths else PurePath(file).name or file


FONT = '"svclevel Sans", "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif'
"""The report's fonts, first choice first ("svclevel Sans" is the PDF's embedded font)."""

BASELINE_MARK = "<!--svclevel:baseline:{anchor}-->"
"""Where an assessment's change since its baseline goes, once the run knows it."""
_UNUSED_MARK = re.compile(r"<!--svclevel:baseline:[a-z0-9-]+-->\n?")


PANEL_MARK = '<p class="panel-clause">'
"""Markup only an assessment that hears several respondents has (text from files is escaped)."""


LADDER_WIDTH = 460
"""The SVG ladder's width: the rungs from 30 to :data:`LADDER_RAIL`, their captions beside."""
LADDER_RAIL = 270
_EM = 0.6
"""The mean advance of a character of the ladder's font (DejaVu Sans Bold), in em, rounded
up (names measure about 0.5): an estimate that errs wide, so that a name it says fits does."""


def _fit(text: str, room: float, size: int, smallest: int) -> int:
    """The largest font size from ``size`` down to ``smallest`` at which ``text`` fits in
    ``room`` pixels (``smallest`` when none does)."""
    for points in range(size, smallest - 1, -1):
        if len(text) * points * _EM <= room:
            return points
    return smallest


def _rung_name(name: str) -> tuple[list[str], int]:
    """A rung's name as the lines it is drawn in and their font size: one line, smaller if it
    must be; two lines, at a word, if it is too long even so; the rest cut with an ellipsis
    (the full name is in the appendix and in the figure's title)."""
    room = LADDER_RAIL - 42 - 8
    size = _fit(name, room, 14, 11)
    if len(name) * size * _EM <= room:
        return [name], size
    per_line = int(room / (10 * _EM))
    words, first = name.split(), ""
    while words and len(f"{first} {words[0]}".strip()) <= per_line:
        first = f"{first} {words.pop(0)}".strip()
    rest = " ".join(words) if first else name[per_line:]
    first = first or name[:per_line]
    if len(rest) > per_line:
        rest = rest[: per_line - 1].rstrip() + "…"
    return [first, rest], 10


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
                "caption_size": _fit(caption, LADDER_WIDTH - LADDER_RAIL - 16, 13, 10),
                "y": 14 + i * 52,
                "fill": fill,
                "stroke": "#2f5bd3" if here else "#9aa3b5",
                "here": here,
                "caption": caption,
                "text_fill": "#2f5bd3" if here else "#5b6475",
            }
        )
    names = [_rung_name(f"{lv.index}. {lv.name}") for lv in levels]
    size = min(points for _, points in names)  # one size for every rung
    for rung, (lines, _) in zip(rungs, names, strict=True):
        rung["lines"], rung["size"] = lines, size
    height = 14 + len(levels) * 52 + (24 if a.below_ladder else 0)
    return {
        "rungs": rungs,
        "width": LADDER_WIDTH,
        "rail": LADDER_RAIL,
        "height": height,
        "below": a.below_ladder,
        "label": f"The ladder of {a.rubric_id}, top level first; the company is {a.standing}",
    }


def top_gaps(a: Assessment, count: int = 3) -> list[CriterionResult]:
    """The gaps that matter most: the next level's by impact, then the levels above it."""
    return [c for step in a.roadmap for c in step.actions][:count]


def _repeats(a: Assessment) -> dict[tuple[int, str], dict[str, str]]:
    """The gaps of the way up that a lower level already asks for, the same answer needed:
    by (level index, question id), the lower level's name, and this level's advice where it
    differs, so that each gap is told once and no advice is lost."""
    first: dict[tuple[str, str], tuple[str, str]] = {}
    repeats = {}
    for step in a.roadmap:
        for c in step.actions:
            key = (c.question_id, c.needed)
            if key in first:
                level, advice = first[key]
                repeats[(step.level.index, c.question_id)] = {
                    "level": level,
                    "step": c.next_step if c.next_step != advice else "",
                }
            else:
                first[key] = (f"level {step.level.index}, {step.level.name}", c.next_step)
    return repeats


def render_assessment_html(
    a: Assessment,
    explain: bool = False,
    label: WhiteLabel = WhiteLabel(),  # noqa: B008 - an immutable NamedTuple
) -> str:
    """One assessment as an HTML article: an executive page (the verdict, the ladder, the gaps
    that matter most), the way up level by level, then a technical appendix of every answer;
    with ``explain``, the appendix shows the arithmetic behind each level's verdict."""
    from markupsafe import Markup

    a = terminal_safe(a)  # control characters cannot appear in HTML text
    anchor = article_id(a.answers_file, a.rubric_id)
    return (
        environment()
        .get_template("assessment.html.j2")
        .render(
            assessment=a,
            anchor=anchor,
            label=label,
            answers_file=shown_file(a.answers_file, label),
            verdict=standing_sentence(a),
            provisional=" ".join(filter(None, (provisional_note(a), open_questions(a)))),
            gating=gating_note(a),
            measured=measurement_summary(a, name=lambda f: shown_file(f, label)),
            measured_warnings=measurement_warnings(a),
            dated=" ".join(filter(None, (evidence_note(a), exceptions_note(a)))),
            aged=_aged(a),
            granted=_granted(a),
            marks={
                (c.level_id, c.question_id): criterion_marks(c, undated=True)
                for lv in a.levels
                for c in lv.criteria
            },
            top_gaps=top_gaps(a),
            reasons=[client_gap_reason(step.level) for step in a.roadmap],
            repeats=_repeats(a),
            baseline_marker=Markup(BASELINE_MARK.format(anchor=anchor)),  # noqa: S704 - an id
            ladder=_ladder(a),
            status_words=STATUS_WORDS,
            font=FONT,
            arithmetic={lv.index: arithmetic(lv) for lv in a.levels} if explain else {},
            panel=_panel(a),
        )
    )


_AGGREGATION = {
    "median": "the median: on a scale the lower median (the worse of the two middle answers), "
    "on a number the median, on yes/no the majority (a tie is no)",
    "min": "the weakest link: the worst answer given (on yes/no, yes only if everyone says yes)",
}
"""Each aggregation policy, for the methodology."""

_AGGREGATION_SOURCE = {
    "rubric": "set by the rubric",
    "--aggregation": "set for this run on the command line (--aggregation)",
    "default": "svclevel's default: neither the rubric nor the command line sets a policy",
}
"""Where the policy comes from, for the methodology."""

_READINGS = (
    "Krippendorff's cut-offs: 0.80 or more, reliable; 0.667 to 0.80, tentative conclusions only; "
    "below 0.667, calibrate the respondents before relying on their answers."
)


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _group_gap(r: Responses) -> str:
    """How far apart the groups are: ``●●● 3 steps`` on a scale, ``opposite`` on yes/no."""
    if r.group_gap is not None:
        return "●" * r.group_gap + " " + _plural(r.group_gap, "step")
    return "opposite" if r.agreement is not None else "differ"


def _group_cell(answer: GroupAnswer | None, members: int) -> str:
    """A group's answer, and how many of its members gave it when some did not answer."""
    if answer is None:
        return "—"
    if answer.respondents < members:
        return f"{answer.answer} ({answer.respondents} of {members} answered)"
    return answer.answer


def _panel(a: Assessment) -> dict[str, Any] | None:
    """What the report says about several respondents: who they are, how their answers were
    combined, how far they agree, the questions on which their groups differ and the questions
    to calibrate; None when the answers file records one person."""
    p: Panel | None = a.panel
    if p is None:
        return None
    groups = list(dict.fromkeys(r.group for r in p.respondents if r.group))
    heard: dict[str, tuple[CriterionResult, Responses]] = {}
    for lv in a.levels:
        for c in lv.criteria:
            if c.responses is not None:
                heard.setdefault(c.question_id, (c, c.responses))
    split = []
    for c, r in heard.values():
        if len({g.answer for g in r.groups}) < 2:
            continue
        answers = {g.group: g for g in r.groups}
        split.append(
            {
                "question": c.question,
                "id": c.question_id,
                "cells": [
                    _group_cell(answers.get(g), sum(1 for x in p.respondents if x.group == g))
                    for g in groups
                ],
                "gap": _group_gap(r),
                "wide": r.group_gap is None or r.group_gap >= 2,
                "answer": c.answer,
            }
        )
    n = len(p.disputed)
    counts = [(g, sum(1 for r in p.respondents if r.group == g)) for g in groups]
    who = _plural(len(p.respondents), "respondent")
    if counts:
        who += " (" + ", ".join(f"{k} {g}" for g, k in counts) + ")"
    see = [
        *(["where the groups disagree"] if split else []),
        *(["the calibration step"] if p.calibrate else []),
    ]
    if n:
        clause = f"Answers from {who}. Respondents disagree on {_plural(n, 'question')}" + (
            f": see {' and '.join(see)}." if see else "."
        )
    elif p.calibrate:
        clause = (
            f"Answers from {who}; no question is flagged, but their agreement overall is low: "
            "see the calibration step."
        )
    else:
        clause = f"Answers from {who}; no question shows a disagreement."
    return {
        "panel": p,
        "groups": [g[:1].upper() + g[1:] for g in groups],
        "split": split,
        "disputed": [
            {
                "question": heard[q][0].question,
                "id": q,
                "flags": heard[q][1].flag_words,
                "consensus": heard[q][1].consensus,
            }
            for q in p.disputed
            if q in heard
        ],
        "clause": clause,
        "aggregation": _AGGREGATION.get(p.aggregation, p.aggregation),
        "source": _AGGREGATION_SOURCE.get(p.aggregation_source, p.aggregation_source),
        "alphas": [al.words for al in p.alphas] or [p.alpha_words],
        "readings": _READINGS if p.alphas else "",
        "why_calibrate": "; ".join(
            [_plural(n, "question") + " flagged"] * bool(n)
            + [al.words for al in p.alphas if al.reading == "calibrate"]
        ),
    }


def _aged(a: Assessment) -> list[dict[str, str]]:
    """The answers whose evidence is not fresh, by question, each once."""
    items = [
        {"question": c.question, "state": age.freshness.value, "text": age.describe()}
        for c in aged_criteria(a)
        if (age := c.evidence_age) is not None
    ]
    if a.undated:
        n = len(a.undated)
        items.append(
            {
                "question": f"{n} answer{'' if n == 1 else 's'}",
                "state": "undated",
                "text": "the evidence gives no date, so its age cannot be told (the appendix "
                "marks each one)",
            }
        )
    return items


def _granted(a: Assessment) -> list[dict[str, Any]]:
    """The exceptions, each with the criteria it names, by question and level."""
    out = []
    for e in a.exceptions:
        named = [
            f"{c.question} ({lv.name})" for lv in a.levels for c in lv.criteria if c.exception == e
        ]
        out.append({"exception": e, "criteria": named, "text": e.describe()})
    return out


def _bar(rubric: str, level: str | None, value: float) -> dict[str, Any]:
    return {"rubric": rubric, "level": level, "value": scale(value), "width": round(value, 1)}


def _names(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def comparison_anchor(c: Comparison) -> str:
    """The ``id`` of a comparison's article: the answers file's name, and a short digest of its
    path, so that two files of one name in different folders get different ids."""
    digest = hashlib.sha256(c.answers_file.encode()).hexdigest()[:6]
    return f"c-{_slug(c.answers_file) or 'answers'}-{digest}"


def _where(a: Assessment) -> str:
    """``Exceed expectations (level 2 of 4)``, ``below the ladder``, with provisional."""
    provisional = ", provisional" if a.provisional else ""
    if a.level is None:
        return "below the ladder" + (" (provisional)" if a.provisional else "")
    return f"{a.level.name} (level {a.level.index} of {len(a.levels)}{provisional})"


def _model_line(p: Position) -> dict[str, Any]:
    """Where one model places the company, in a sentence or two."""
    a = p.assessment
    nxt = a.next_level
    if nxt is None:
        after = "Nothing is left to climb on this ladder."
    else:
        n = len(a.gaps)
        after = f"Next level: {nxt.name}, {n} open point{'' if n == 1 else 's'}."
    note = provisional_note(a)
    return {
        "rubric": p.rubric_id,
        "title": a.rubric_title,
        "sentence": " ".join(filter(None, (standing_sentence(a), after, note))),
    }


def _headline(c: Comparison) -> str:
    """Where the models place the company, together, in one sentence."""
    low = min(p.scale for p in c.positions)
    high = max(p.scale for p in c.positions)
    if len(c.positions) == 1:
        only = c.positions[0]
        return (
            f"{only.rubric_id} places {c.company} at {only.level_name}, {scale(only.scale)} on "
            "the common 0-100 scale."
        )
    if scale(low) == scale(high):
        return (
            f"All {len(c.positions)} models place {c.company} at the same point: "
            f"{scale(low)} on the common 0-100 scale."
        )
    strictest = [p.rubric_id for p in c.positions if p.scale == low]
    lenient = [p.rubric_id for p in c.positions if p.scale == high]
    return (
        f"The models place {c.company} between {scale(low)} and {scale(high)} on the common "
        f"0-100 scale: {_names(strictest)} {'is' if len(strictest) == 1 else 'are'} the "
        f"strictest, {_names(lenient)} the most lenient."
    )


def _not_asked(higher: Position) -> str:
    return f"{higher.rubric_id} does not ask this for any level up to {higher.level_name}."


def _their_view(higher: Position, question_id: str) -> str:
    """What the more lenient model makes of a question that holds the company back on another
    (the reasoning of :func:`svclevel.engine.compare.compare`, in a client's words)."""
    a = higher.assessment
    asked: dict[str, tuple[str, Any]] = {}
    for level in a.levels[: a.attained]:
        for result in level.criteria:
            asked[result.question_id] = (level.name, result)  # the highest granted level
    if question_id not in asked:
        return _not_asked(higher)
    name, theirs = asked[question_id]
    if theirs.status is Status.MET:
        return f"{higher.rubric_id} asks for {theirs.needed} (for {name}), which the answer meets."
    return (
        f"{higher.rubric_id} asks for {theirs.needed} too (for {name}), but grants that level "
        "without it."
    )


_ANSWER_STATE = {
    Status.UNANSWERED: "the question is not answered",
    Status.UNEVIDENCED: "the answer lacks the evidence required",
    Status.STALE: "the answer's evidence is stale",
}


def _why(c: Comparison) -> list[dict[str, Any]]:
    """Why the models disagree: each lower model, and the answers that hold the company back on
    it, by the question asked."""
    out = []
    for d in c.disagreements:
        lower = d.lower.assessment
        nxt = lower.next_level
        target = nxt.name if nxt else ""
        items = [
            {
                "question": item.criterion.question,
                "id": item.criterion.question_id,
                "needed": item.criterion.needed,
                "answer": "none"
                if item.criterion.status is Status.UNANSWERED
                else item.criterion.shown_answer,
                "state": _ANSWER_STATE.get(item.criterion.status, ""),
                "why": f"a must for {target}"
                if item.criterion.required
                else f"counts toward {target}",
                "other": _their_view(d.higher, item.criterion.question_id),
            }
            for item in d.deciding
        ]
        not_asked = _not_asked(d.higher)
        common = (
            f"{d.higher.rubric_id} asks none of these questions for any level up to "
            f"{d.higher.level_name}."
            if len(items) > 1 and all(item["other"] == not_asked for item in items)
            else ""
        )
        out.append(
            {
                "common": common,
                "head": (
                    f"{d.lower.rubric_id} places {c.company} lower, at {lower.level_name} "
                    f"({scale(d.lower.scale)}), than {d.higher.rubric_id} does, at "
                    f"{d.higher.level_name} ({scale(d.higher.scale)})."
                ),
                "intro": f"What keeps the company from {target} on {d.lower.rubric_id}:"
                if items
                else "",
                "questions": items,
            }
        )
    return out


def render_comparison_html(
    c: Comparison,
    label: WhiteLabel = WhiteLabel(),  # noqa: B008 - an immutable NamedTuple
) -> str:
    """A comparison as an HTML article: where each model places the company, the common-scale
    chart, why the models disagree (by the questions asked), then the figures."""
    anchor = comparison_anchor(c)
    c = terminal_safe(c)
    return (
        environment()
        .get_template("comparison.html.j2")
        .render(
            comparison=c,
            anchor=anchor,
            label=label,
            date=_one_date(c),
            answers_file=shown_file(c.answers_file, label),
            headline=_headline(c),
            models=[_model_line(p) for p in c.positions],
            bars=[_bar(p.rubric_id, level_name(p.assessment), p.scale) for p in c.positions],
            header=["Rubric", "Level", "Position", "Scale 0-100", "Next level", "Open points"],
            rows=[position_cells(p) for p in c.positions],
            notes=comparison_notes(c),
            why=_why(c),
        )
    )


def _one_date(c: Comparison) -> str:
    """The date of a comparison's answers (one file: every position has it)."""
    dates = {str(p.assessment.date) for p in c.positions}
    return dates.pop() if len(dates) == 1 else ""


def render_portfolio_html(
    comparisons: Sequence[Comparison],
    label: WhiteLabel = WhiteLabel(),  # noqa: B008 - an immutable NamedTuple
) -> str:
    """Which model is the strictest for a set of companies: the conclusion first, then each
    company's place on every model (linking to its article) and a chart of the means."""
    means = portfolio(comparisons)
    anchors = [comparison_anchor(c) for c in comparisons]
    comparisons = [terminal_safe(c) for c in comparisons]
    rubrics = [m.rubric for m in means]
    companies = []
    for c, anchor in zip(comparisons, anchors, strict=True):
        low = min(p.scale for p in c.positions)
        split = low < max(p.scale for p in c.positions)  # no strictest when all agree
        by_id = {p.rubric_id: p for p in c.positions}
        cells = [
            {
                "level": level_name(by_id[rid].assessment),
                "value": scale(by_id[rid].scale),
                "strictest": split and by_id[rid].scale == low,
            }
            if rid in by_id
            else None
            for rid in rubrics
        ]
        companies.append(
            {
                "company": c.company,
                "anchor": anchor,
                "file": shown_file(c.answers_file, label),
                "cells": cells,
            }
        )
    return (
        environment()
        .get_template("compare_portfolio.html.j2")
        .render(
            heading=PORTFOLIO_HEADING,
            label=label,
            sentence=portfolio_sentence(means, len(comparisons)),
            count=len(comparisons),
            rubrics=rubrics,
            companies=companies,
            bars=[_bar(m.rubric, None, m.mean) for m in means],
            means=[{**m._asdict(), "mean_text": scale(m.mean)} for m in means],
        )
    )


def render_crosswalk_html(
    cw: Crosswalk,
    label: WhiteLabel = WhiteLabel(),  # noqa: B008 - an immutable NamedTuple
) -> str:
    """A crosswalk as an HTML article: a table of the levels that demand the same things, then
    the questions only some of the models ask, by the question's text."""
    ref = cw.reference.rubric.id
    others = [o.rubric.id for o in cw.others]
    texts = {qid: q.text for r in (cw.reference, *cw.others) for qid, q in r.questions.items()}
    rows = []
    for row in reversed(cw.rows):
        cells = [
            {
                "name": cell.level.name if cell.level else None,
                "value": scale(cell.scale),
                "raised": cell.raised_from is not None and cell.level is not None,
            }
            for cell in row.cells
        ]
        rows.append({"name": row.level.name, "value": scale(row.scale), "cells": cells})
    raised = [
        f"{ref} {row.level.name}: its criteria land at {other} {cell.raised_from.name} on their "
        f"own, below the counterpart of a lower level; it is shown at {cell.level.name} to keep "
        "the ladders in order."
        for row in cw.rows
        for other, cell in zip(others, row.cells, strict=True)
        if cell.raised_from is not None and cell.level is not None
    ]
    only_here = []
    for row in cw.rows:
        missing: dict[str, list[str]] = {}
        for other, cell in zip(others, row.cells, strict=True):
            for qid in cell.only_here:
                missing.setdefault(qid, []).append(other)
        if missing:
            questions = [
                {"question": texts.get(qid, qid), "id": qid, "by": _names(by)}
                for qid, by in missing.items()
            ]
            only_here.append({"level": row.level.name, "questions": questions})
    there: dict[str, list[str]] = {}
    for other, qids in zip(others, cw.only_there, strict=True):
        for qid in qids:
            there.setdefault(qid, []).append(other)
    only_there = [
        {"question": texts.get(qid, qid), "id": qid, "by": _names(by)} for qid, by in there.items()
    ]
    return (
        environment()
        .get_template("crosswalk.html.j2")
        .render(
            label=label,
            reference=ref,
            others=others,
            rows=rows,
            raised=raised,
            only_here=only_here,
            only_there=only_there,
        )
    )


def _score_cell(level: LevelResult, here: bool) -> dict[str, Any]:
    return {
        "text": "—" if level.floor else percent(level.score),
        "state": level_state(level),
        "width": 0 if level.floor else round(100 * level.score, 1),
        "met": level.met,
        "here": here,
    }


def _movement(company: str, r: RubricDiff) -> str:
    """``On four-level, Acme moved up 1 level: from … to ….``"""
    steps = abs(r.level_change)
    levels = f"{steps} level{'' if steps == 1 else 's'}"
    before, after = _where(r.before), _where(r.after)
    if r.level_change > 0:
        return f"On {r.rubric_id}, {company} moved up {levels}: from {before} to {after}."
    if r.level_change < 0:
        return f"On {r.rubric_id}, {company} moved down {levels}: from {before} to {after}."
    return f"On {r.rubric_id}, {company} stays at {after}."


def _criteria_moved(r: RubricDiff) -> str:
    """``2 criteria newly met, 1 regressed.``"""
    if not (r.newly_met or r.regressed):
        return "No criterion changed."
    met = len(r.newly_met)
    return (
        f"{met} {'criterion' if met == 1 else 'criteria'} newly met, {len(r.regressed)} regressed."
    )


def _criterion_change(change: CriterionChange, names: dict[str, str]) -> dict[str, Any]:
    return {
        "question": change.after.question,
        "id": change.after.question_id,
        "level": names.get(change.after.level_id, change.after.level_id),
        "before": change.before.answer + change.before.status_reason,
        "after": change.after.answer + change.after.status_reason,
        "needed": change.after.needed,
    }


def render_diff_html(
    d: Diff,
    label: WhiteLabel = WhiteLabel(),  # noqa: B008 - an immutable NamedTuple
) -> str:
    """A diff as an HTML article: the move on each rubric in a sentence, each level's score
    before and after, what improved and what regressed, the answers changed, by the question."""
    d = terminal_safe(d)
    texts: dict[str, str] = {}
    rubrics = []
    for r in d.rubrics:
        names = {lv.id: lv.name for lv in r.after.levels}
        for a in (r.before, r.after):
            texts.update((c.question_id, c.question) for lv in a.levels for c in lv.criteria)
        levels = [
            {
                "index": after.index,
                "name": after.name,
                "before": _score_cell(before, before is r.before.level),
                "after": _score_cell(after, after is r.after.level),
            }
            for before, after in zip(
                reversed(r.before.levels), reversed(r.after.levels), strict=True
            )
        ]
        rubrics.append(
            {
                "id": r.rubric_id,
                "before": level_name(r.before),
                "after": level_name(r.after),
                "change": change_word(r),
                "direction": "up"
                if r.level_change > 0
                else "down"
                if r.level_change < 0
                else "same",
                "sentence": f"{_movement(d.company, r)} {_criteria_moved(r)}",
                "levels": levels,
                "newly_met": [_criterion_change(c, names) for c in r.newly_met],
                "regressed": [_criterion_change(c, names) for c in r.regressed],
                "exceptions": r.exceptions.lines(),
            }
        )
    before_file, after_file = shown_file(d.before_file, label), shown_file(d.after_file, label)
    warnings = [
        w.replace(d.before_file, before_file).replace(d.after_file, after_file) for w in d.warnings
    ]
    used = [a for a in d.answers_changed if a.question_id in texts]
    unused = [a.question_id for a in d.answers_changed if a.question_id not in texts]
    return (
        environment()
        .get_template("diff.html.j2")
        .render(
            diff=d,
            label=label,
            before_file=before_file,
            after_file=after_file,
            warnings=warnings,
            rubrics=rubrics,
            answers=[
                {
                    "question": texts[a.question_id],
                    "id": a.question_id,
                    "before": a.before,
                    "after": a.after,
                }
                for a in used
            ],
            unused=unused,
            changed=len(d.answers_changed),
        )
    )


CHART_COLOURS = ("#2f5bd3", "#c2410c", "#15803d", "#7c3aed", "#0e7490", "#a16207")
"""The lines of a history chart, one colour per rubric (then again, with another dash)."""
CHART_DASHES = ("", "8 4", "3 4", "12 4 3 4")
"""Dash patterns, so that the lines differ in print without colour too."""


class _ChartBox(NamedTuple):
    """The geometry of one rendering of a history chart (in SVG user units)."""

    width: int
    """The viewBox's width."""
    font: int
    """The font size of its labels."""
    step: int
    """The height of one level (or of a quarter of the common scale)."""
    left: float
    """Where the plot starts: after the level names, or at the left edge on a phone (the
    names are then written above their grid lines)."""
    right: float
    """Room after the plot, for each line's name at its end (none on a phone)."""


def _chart_values(h: History) -> tuple[list[tuple[float, str]], list[list[float]], float]:
    """The y axis of a history chart: its ticks (value, label), each rubric's value per date,
    and the top value. One rubric: its levels by name (0 below the ladder). Several: the common
    0-100 scale, as ``compare`` places ladders of different lengths side by side."""
    if len(h.rubrics) == 1:
        [r] = h.rubrics
        ticks = [(0.0, "below the ladder")] + [
            (float(lv.index), f"{lv.index}. {lv.name}") for lv in r.levels
        ]
        return ticks, [[float(p.attained) for p in r.points]], float(len(r.levels))
    from svclevel.engine.compare import common_scale

    ticks = [(float(v), str(v)) for v in (0, 25, 50, 75, 100)]
    return ticks, [[common_scale(p.assessment) for p in r.points] for r in h.rubrics], 100.0


def _days(date: str) -> int:
    import datetime

    return datetime.date.fromisoformat(date).toordinal()


def _clipped(texts: Sequence[str], room: float, size: int) -> list[str]:
    """Each text cut with an ellipsis where it would run past ``room`` pixels at font ``size``
    (the chart's own table and legend give it whole)."""
    most = int(room / (size * _EM))
    return [t if len(t) <= most else t[: most - 1].rstrip() + "…" for t in texts]


def _spread(days: Sequence[int], width: float, gap: float) -> list[float]:
    """Where each day goes on an axis ``width`` long: by time, but moved towards even spacing
    just as far as it takes for no two days to be closer than ``gap`` (all the way when even
    spacing is closer)."""
    span = (days[-1] - days[0]) or 1
    timed = [width * (d - days[0]) / span for d in days]
    step = width / (len(days) - 1)
    blend = 0.0
    for a, b in itertools.pairwise(timed):
        if b - a < gap:
            blend = max(blend, 1.0 if step <= gap else (gap - (b - a)) / (step - (b - a)))
    return [(1 - blend) * t + blend * i * step for i, t in enumerate(timed)]


def _history_chart(h: History, narrow: bool) -> dict[str, Any]:
    """One rendering of the chart of a history: dates on x (spaced by time, as far as their
    labels allow), levels on y, one line per rubric. ``narrow`` is the phone's: names above
    the grid lines, no end labels."""
    ticks, values, top = _chart_values(h)
    per_tick = 4 if len(h.rubrics) > 1 else len(ticks) - 1
    if narrow:
        box = _ChartBox(360, 12, 40 if per_tick <= 4 else 34, 6, 14)
        names = _clipped([label for _, label in ticks], 340, 12)
        ids = [r.rubric_id for r in h.rubrics]
    else:
        names = _clipped([label for _, label in ticks], 280, 13)
        ids = _clipped([r.rubric_id for r in h.rubrics], 170, 13)
        box = _ChartBox(
            880,
            13,
            46 if per_tick <= 5 else 36,
            max(len(name) for name in names) * 13 * _EM + 18,
            max(len(i) for i in ids) * 13 * _EM + 24,
        )
    ticks = [(value, name) for (value, _), name in zip(ticks, names, strict=True)]
    date_width = 10 * (box.font - 1) * _EM
    pad = date_width / 2 + 4
    x0, x1 = box.left + pad, box.width - box.right - pad
    # Horizontal dates where they fit side by side, else slanted (they need less room).
    even = (x1 - x0) / (len(h.dates) - 1)
    rotated = even < date_width + 8
    if rotated:  # a slanted date ends at its point and runs down to the left
        x0, x1 = max(box.left + 8, date_width * 0.72 + 6), box.width - box.right - 8
    apart = box.font * 1.7 if rotated else date_width + 8
    xs = [x0 + x for x in _spread([_days(d) for d in h.dates], x1 - x0, apart)]
    top_margin = box.font + 10 if narrow else 14
    plot = box.step * per_tick
    bottom = plot + top_margin

    def y(value: float) -> float:
        return round(bottom - plot * value / top, 1)

    lines: list[dict[str, Any]] = []
    for i, (r, series, shown_id) in enumerate(zip(h.rubrics, values, ids, strict=True)):
        colour = CHART_COLOURS[i % len(CHART_COLOURS)]
        dash = CHART_DASHES[(i // len(CHART_COLOURS) + i) % len(CHART_DASHES)]
        points = [
            {
                "x": round(x, 1),
                "y": y(v),
                "hollow": p.provisional,
                "title": f"{r.rubric_id}, {p.date}: {level_name(p.assessment)}",
            }
            for x, v, p in zip(xs, series, r.points, strict=True)
        ]
        lines.append(
            {
                "id": r.rubric_id,
                "shown_id": shown_id,
                "title": r.rubric_title,
                "colour": colour,
                "dash": dash,
                "points": points,
                "polyline": " ".join(f"{pt['x']},{pt['y']}" for pt in points),
                "end_y": points[-1]["y"],
            }
        )
    # The names at the lines' ends, a line apart where lines end close together, and none
    # below the plot (where the dates are).
    labels = sorted(lines, key=lambda line: line["end_y"])
    gap = box.font + 3
    for i, line in enumerate(labels):
        wanted = line["end_y"] + box.font / 3
        line["label_y"] = max(wanted, labels[i - 1]["label_y"] + gap) if i else wanted
    lowest = bottom + box.font / 3
    for i in reversed(range(len(labels))):
        below = labels[i + 1]["label_y"] - gap if i + 1 < len(labels) else lowest
        labels[i]["label_y"] = round(min(labels[i]["label_y"], below), 1)
    height_dates = (date_width * 0.72 + box.font + 8) if rotated else (box.font + 14)
    return {
        "width": box.width,
        "height": round(bottom + height_dates + 6),
        "font": box.font,
        "left": box.left,
        "plot_right": box.width - box.right,
        "narrow": narrow,
        "ticks": [{"y": y(v), "label": label} for v, label in ticks],
        "dates": [
            {"x": round(x, 1), "label": d, "y": round(bottom + box.font + 8, 1)}
            for x, d in zip(xs, h.dates, strict=True)
        ],
        "rotated": rotated,
        "lines": lines,
        "end_x": round(xs[-1] + 10, 1),
        "bottom": bottom,
        "top": top_margin,
    }


def _history_rubric(company: str, r: RubricHistory) -> dict[str, Any]:
    names = {lv.id: lv.name for lv in r.levels}
    return {
        "id": r.rubric_id,
        "title": r.rubric_title,
        "direction": r.trend,
        "trend": trend_sentence(r),
        "sentence": _trend_movement(company, r),
        "steps": [_history_step(step, names) for step in r.steps],
    }


def _trend_movement(company: str, r: RubricHistory) -> str:
    """``On four-level, Acme rose 2 levels: from … on 2024-10-15 to … on 2026-10-13.``"""
    steps = abs(r.level_change)
    levels = f"{steps} level{'' if steps == 1 else 's'}"
    before, after = _where(r.first.assessment), _where(r.latest.assessment)
    first, last = r.first.date, r.latest.date
    if r.level_change:
        verb = "rose" if r.level_change > 0 else "fell"
        return (
            f"On {r.rubric_id}, {company} {verb} {levels}: from {before} on {first} to {after} "
            f"on {last}."
        )
    at = after if r.latest.assessment.below_ladder else f"at {after}"
    return f"On {r.rubric_id}, {company} is {at} on {last}, as on {first}."


def _history_step(step: HistoryStep, names: dict[str, str]) -> dict[str, Any]:
    return {
        "before_date": step.before.date,
        "after_date": step.after.date,
        "before": level_name(step.before.assessment),
        "after": level_name(step.after.assessment),
        "change": moved(step.level_change),
        "direction": step.direction,
        "gained": [_criterion_change(c, names) for c in step.gained],
        "lost": [_criterion_change(c, names) for c in step.lost],
        "exceptions": step.exceptions.lines(),
    }


def render_history_html(
    h: History,
    label: WhiteLabel = WhiteLabel(),  # noqa: B008 - an immutable NamedTuple
) -> str:
    """A history as an HTML article: a sentence per rubric on where the company went, a line
    chart of its level at each date (an SVG drawn twice: for a page and for a phone), the
    levels by date in a table, and for each pair of consecutive dates the criteria gained and
    lost, by the question."""
    h = terminal_safe(h)
    rubrics = [_history_rubric(h.company, r) for r in h.rubrics]
    rows = [
        {
            "date": date,
            "file": shown_file(file, label),
            "levels": [level_name(r.points[i].assessment) for r in h.rubrics],
        }
        for i, (date, file) in enumerate(zip(h.dates, h.files, strict=True))
    ]
    several = len(h.rubrics) > 1
    caption = (
        f"{h.company} on {len(h.rubrics)} rubrics, {h.dates[0]} to {h.dates[-1]}: the position "
        "on each ladder (0 below the ladder or on its floor, 100 its top)"
        if several
        else f"{h.company} on {h.rubrics[0].rubric_id}, {h.dates[0]} to {h.dates[-1]}: the "
        "level reached on each date"
    )
    return (
        environment()
        .get_template("history.html.j2")
        .render(
            history=h,
            label=label,
            rubrics=rubrics,
            rows=rows,
            caption=caption,
            several=several,
            provisional=any(p.provisional for r in h.rubrics for p in r.points),
            charts=[_history_chart(h, narrow=False), _history_chart(h, narrow=True)],
            font=FONT,
        )
    )


_TITLES = {
    Kind.ASSESSMENT: "Customer-service level assessment",
    Kind.COMPARISON: "Customer-service level: the models side by side",
    Kind.CROSSWALK: "Crosswalk of the customer-service models",
    Kind.DIFF: "Customer-service level: progress between two assessments",
    Kind.HISTORY: "Customer-service level over time",
}


class HtmlReporter(SummarisingReporter):
    """One self-contained HTML document: an article per input; a batch opens with a summary
    and contents linking each article."""

    format = Format.HTML
    explains = True
    whole = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clients: list[tuple[str, str]] = []
        """The company and date of each result, for the printed running header."""
        self.baseline_changes: dict[str, str] = {}
        """An article's change since its baseline, by article id."""
        self.panels = False
        """Whether an assessment of the document hears several respondents (their parts need
        more rules in the style sheet)."""

    def render(self, a: Assessment) -> str:
        return render_assessment_html(a, self.options.explain, self.options.label)

    def note(self, row: Any) -> None:
        super().note(row)
        self.clients.append((row.company, row.date))

    def baseline(self, before: Assessment, after: Assessment) -> None:
        from markupsafe import escape

        from svclevel.report._common import level_name

        rise = after.attained - before.attained
        change = "up" if rise > 0 else "down" if rise < 0 else "same"
        words = {"up": "up from", "down": "down from", "same": "unchanged since"}[change]
        self.baseline_changes[article_id(after.answers_file, after.rubric_id)] = (
            f'<p class="since change-{change}"><strong>Since the baseline of {escape(before.date)}:'
            f"</strong> {escape(level_name(after))}, {words} {escape(level_name(before))}.</p>"
        )

    def render_comparison(self, c: Comparison) -> str:
        self.clients.append((c.company, _one_date(c)))
        return render_comparison_html(c, self.options.label)

    def crosswalk(self, cw: Crosswalk) -> str:
        self.clients.append(("Crosswalk of the models", ""))
        return render_crosswalk_html(cw, self.options.label)

    def diff(self, d: Diff) -> str:
        self.clients.append((d.company, str(d.after_date)))
        return render_diff_html(d, self.options.label)

    def history(self, h: History) -> str:
        self.clients.append((h.company, h.dates[-1]))
        return render_history_html(h, self.options.label)

    def render_invalid(self, file: str, problems: tuple[Problem, ...]) -> str:
        from markupsafe import escape

        what = "Not assessed" if self.kind is Kind.ASSESSMENT else "Not compared"
        label = self.options.label
        items = "".join(
            f"<li>{escape(str(p._replace(file=shown_file(p.file, label))))}</li>" for p in problems
        )
        name = escape(printable(shown_file(file, label)))
        return f'<article class="invalid"><h1>{what}: {name}</h1><ul>{items}</ul></article>\n'

    def invalid(self, file: str, problems: tuple[Problem, ...]) -> str:
        if self.options.batch and self.kind is Kind.ASSESSMENT:
            return super().invalid(file, problems)
        return self.render_invalid(file, problems)

    def _header(self) -> tuple[str, str]:
        """The running header where the page cannot say it: the client and date, or for
        several companies how many."""
        label = self.options.label
        companies = {c for c, _ in self.clients}
        dates = {d for _, d in self.clients if d}
        client = label.prepared_for or (
            next(iter(companies)) if len(companies) == 1 else f"{len(companies)} companies"
        )
        date = label.issued or (next(iter(dates)) if len(dates) == 1 else "")
        return client, date

    def title(self) -> str:
        """The document's title: what it is, and for whom."""
        client, _ = self._header()
        return f"{_TITLES[self.kind]}: {client}" if client else _TITLES[self.kind]

    def head(self, fonts: str = "") -> str:
        """The start of the document."""
        extra = {
            Kind.ASSESSMENT: "_panel.css.j2" if self.panels else None,
            Kind.HISTORY: "_history.css.j2",
        }.get(self.kind, "_compare_and_diff.css.j2")
        return page_start(
            self.title(), extra, label=self.options.label, header=self._header(), fonts=fonts
        )

    def document(self, body: str) -> bytes:
        for anchor, sentence in self.baseline_changes.items():
            body = body.replace(BASELINE_MARK.format(anchor=anchor), sentence, 1)
        body = _UNUSED_MARK.sub("", body)  # no baseline for these (text from files is escaped)
        # Articles may be rendered in worker processes: the markup says which hear respondents.
        self.panels = PANEL_MARK in body
        opening = ""
        if self.kind is Kind.ASSESSMENT and self.options.batch and self.rows:
            opening = portfolio_summary(self.rows, self.options.label)
        elif self.kind is Kind.COMPARISON and len(self.comparisons) > 1:
            opening = render_portfolio_html(self.comparisons, self.options.label)
        return (self.head() + opening + body + page_end()).encode("utf-8")
