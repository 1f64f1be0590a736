"""Wording shared by the human-readable reports, so every format says the same thing."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from svclevel import results
from svclevel.errors import printable
from svclevel.results import (
    Assessment,
    CriterionResult,
    ExceptionState,
    Freshness,
    LevelResult,
    Status,
)

if TYPE_CHECKING:
    from svclevel.engine.compare import Comparison, Crosswalk, Position
    from svclevel.engine.diff import Diff, RubricDiff
    from svclevel.engine.history import History, HistoryStep, RubricHistory
    from svclevel.results import CriterionChange

T = TypeVar("T")


def terminal_safe(value: T) -> T:
    """A copy of a result with every string made printable (no control or escape characters).

    Text in results comes from untrusted files; terminal reports must not let it move the cursor,
    retitle the window or break a line.
    """
    return _clean(value)  # type: ignore[no-any-return]


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return _one_line(value)
    make = getattr(value, "_make", None)
    if isinstance(value, tuple) and make is not None:  # a named tuple (a result)
        return make(_clean(v) for v in value)
    if isinstance(value, tuple | list):
        return type(value)(_clean(v) for v in value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _clean(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    return value


def _one_line(text: str) -> str:
    """Line breaks and tabs become spaces; then :func:`printable`."""
    if not text.isprintable():
        for space in "\r\n\t":
            text = text.replace(space, " ")
    return printable(text)


def percent(fraction: float) -> str:
    """``0.785`` → ``79%``; never rounds a shortfall up to 100%."""
    return results.percent(fraction)


def standing_sentence(a: Assessment) -> str:
    """One sentence saying where the company stands."""
    total = len(a.levels)
    tag = exceptions_tag(a)
    if a.below_ladder:
        first = a.levels[0]
        return (
            f"Below the ladder{f' ({tag})' if tag else ''}: {a.company} does not reach the "
            f"first level, {first.name}, so no level is attained."
        )
    level = a.level
    assert level is not None
    if level.floor:
        return (
            f"{a.company} stands at {level.name}{f' ({tag})' if tag else ''}, the floor of the "
            f"ladder (level {level.index} of {total}): the next level is not met."
        )
    where = "the top of the ladder" if a.at_top else f"level {level.index} of {total}"
    return f"{a.company} reaches {level.name} ({tag + '; ' if tag else ''}{where})."


def exceptions_tag(a: Assessment) -> str | None:
    """``1 exception``: the active exceptions the verdict rests on (None without)."""
    n = len(a.active_exceptions)
    return f"{n} exception{'' if n == 1 else 's'}" if n else None


def verdict(a: Assessment) -> str:
    """Where the company stands, whether that is final, and what its evidence and exceptions
    do to it, in a few sentences."""
    parts = [
        standing_sentence(a),
        provisional_note(a),
        evidence_note(a),
        exceptions_note(a),
        disputed_note(a),
    ]
    return " ".join(p for p in parts if p)


# --------------------------------------------------------------------------- respondents


def disputed_note(a: Assessment) -> str | None:
    """``Respondents disagree on 9 questions.`` (None without respondents or disagreement)."""
    panel = a.panel
    if panel is None or not panel.disputed:
        return None
    n = len(panel.disputed)
    return f"Respondents disagree on {n} question{'' if n == 1 else 's'}."


_POLICY_WORDS = {
    "median": "the median (scales: the lower median; yes/no: the majority, a tie is no)",
    "min": "the weakest link (scales: the worst answer; yes/no: yes only if all say yes)",
}
_SOURCE_WORDS = {
    "rubric": "set by the rubric",
    "--aggregation": "set by --aggregation",
    "default": "the default",
}


def aggregation_words(panel: results.Panel) -> str:
    """``Answers combined by the median (...), set by the rubric.``"""
    policy = _POLICY_WORDS.get(panel.aggregation, panel.aggregation)
    source = _SOURCE_WORDS.get(panel.aggregation_source, panel.aggregation_source)
    return f"Answers combined by {policy}, {source}."


def respondent_items(panel: results.Panel) -> list[str]:
    """Each respondent as a reader sees them: ``coo (Chief Operating Officer, management)``."""
    return [r.label for r in panel.respondents]


def disputed_words(panel: results.Panel) -> str:
    """``9 of 12 rated questions disputed: a, b, ...`` or ``No question disputed ...``."""
    if not panel.disputed:
        return f"No question disputed ({panel.rated} rated by two respondents or more)."
    n = len(panel.disputed)
    return (
        f"{n} of {panel.rated} rated question{'' if panel.rated == 1 else 's'} disputed: "
        + ", ".join(panel.disputed)
        + "."
    )


def panel_lines(a: Assessment) -> list[str]:
    """What an assessment says once about its respondents: who they are, how their answers
    are combined, how far they agree (Krippendorff's alpha) and the disputed questions; empty
    without respondents."""
    panel = a.panel
    if panel is None:
        return []
    return [
        "Respondents: " + "; ".join(respondent_items(panel)) + ".",
        aggregation_words(panel),
        f"Agreement: {panel.alpha_words}.",
        disputed_words(panel),
    ]


def calibrate_step(a: Assessment) -> str | None:
    """The next step when the respondents should be calibrated (None otherwise)."""
    panel = a.panel
    if panel is None or not panel.calibrate:
        return None
    on = ", ".join(panel.disputed) if panel.disputed else "the questions they rated"
    return (
        f"Calibrate the respondents in a workshop on the disputed questions ({on}): ask each "
        "for one recent example, then rule a consensus."
    )


def response_items(r: results.Responses) -> str:
    """Each respondent's answer, compactly: ``coo=always; cx-lead=always; tom=rarely``."""
    return "; ".join(f"{x.respondent}={x.answer}" for x in r.responses)


def group_words(r: results.Responses) -> str | None:
    """``management always, frontline rarely`` (None without groups)."""
    if not r.groups:
        return None
    return ", ".join(f"{g.group} {g.answer}" for g in r.groups)


def responses_line(c: CriterionResult) -> str | None:
    """A criterion's responses in one line: the distribution, the aggregate and its method,
    the consensus and its note, the group answers and the flags (None without responses)."""
    r = c.responses
    if r is None:
        return None
    text = f"{r.shown_distribution} → {r.aggregate} ({r.method})"
    if r.consensus is not None:
        text += f"; consensus {r.consensus}"
        if r.consensus_note:
            text += f" ({r.consensus_note.rstrip('.')})"
    groups = group_words(r)
    if groups and results.Flag.GROUPS not in r.flags:
        text += f"; groups: {groups}"
    if r.flags:
        text += "; disagreement: " + "; ".join(r.flag_words)
    return text


def disputed_criteria(a: Assessment) -> list[CriterionResult]:
    """The criteria whose responses are disputed, one per question, in ladder order."""
    seen: dict[str, CriterionResult] = {}
    for level in a.levels:
        for c in level.criteria:
            if c.responses is not None and c.responses.disputed:
                seen.setdefault(c.question_id, c)
    return list(seen.values())


def evidence_counts(a: Assessment) -> str | None:
    """``1 stale, 2 expiring, 3 undated`` (None when every piece of evidence is fresh)."""
    counts = [
        (len(a.stale), "stale"),
        (len(a.expiring), "expiring"),
        (len(a.undated), "undated"),
    ]
    shown = [f"{n} {word}" for n, word in counts if n]
    return ", ".join(shown) if shown else None


def evidence_note(a: Assessment) -> str | None:
    """``Evidence on 2026-10-01: 1 stale, 3 undated.`` (None when all of it is fresh)."""
    counts = evidence_counts(a)
    return f"Evidence on {a.evaluated_on}: {counts}." if counts else None


def exceptions_note(a: Assessment) -> str | None:
    """What the exceptions did: applied, expired, pending or not applied (None without)."""
    if not a.exceptions:
        return None
    if not a.exceptions_applied:
        n = len(a.exceptions)
        return f"{n} exception{'' if n == 1 else 's'} not applied (--no-exceptions)."
    bits = []
    if a.active_exceptions:
        bits.append(f"{len(a.active_exceptions)} applied")
    bits += [f"1 expired on {e.expires}, evaluated normally" for e in a.expired_exceptions]
    pending = [e for e in a.exceptions if e.state is ExceptionState.PENDING]
    bits += [f"1 in force only from {e.granted}" for e in pending]
    return "Exceptions: " + "; ".join(bits) + "."


def aged_criteria(a: Assessment) -> list[CriterionResult]:
    """The criteria whose evidence is stale or expiring, one per question, in ladder order."""
    seen: dict[str, CriterionResult] = {}
    for level in a.levels:
        for c in level.criteria:
            age = c.evidence_age
            if age is not None and age.freshness in (Freshness.STALE, Freshness.EXPIRING):
                seen.setdefault(c.question_id, c)
    return list(seen.values())


def evidence_items(a: Assessment) -> list[str]:
    """Each question whose evidence is stale or expiring, once, in ladder order
    (``csat_pct: stale evidence: current until 2026-03-31 (...)``), then one item naming the
    questions whose evidence is undated."""
    items = [
        f"{c.question_id}: {c.evidence_age.describe()}" for c in aged_criteria(a) if c.evidence_age
    ]
    if a.undated:
        items.append("undated evidence (its age cannot be told): " + ", ".join(a.undated))
    return items


def exception_items(a: Assessment) -> list[str]:
    """Each exception that names a criterion of the rubric, in file order, in words."""
    return [f"{e.criterion}: {e.describe()}" for e in a.exceptions]


def criterion_marks(c: CriterionResult, *, undated: bool = False) -> list[str]:
    """What a criterion's row adds about its evidence's age (stale or expiring; undated too
    when ``undated``: a report that lists the undated answers apart leaves it out) and its
    exception."""
    out = []
    age = c.evidence_age
    if age is not None and (
        age.freshness in (Freshness.STALE, Freshness.EXPIRING)
        or (undated and age.freshness is Freshness.UNDATED)
    ):
        out.append(age.describe())
    if c.exception is not None:
        out.append(c.exception.describe())
        if c.raw_status is not None:
            out.append(f"without the exception: {STATUS_WORDS[c.raw_status]}")
    return out


def provisional_note(a: Assessment) -> str | None:
    """``Provisional: 3 of 9 questions that decide it are answered; ...`` (None when final)."""
    c = a.completeness
    if not c.provisional:
        return None
    text = f"Provisional: {c.answered} of {c.deciding} questions that decide it are answered"
    if c.unevidenced:
        count = len(c.unevidenced)
        text += (
            f", {count} {'answer lacks' if count == 1 else 'answers lack'} the evidence required"
        )
    if c.stale:
        count = len(c.stale)
        text += f", {count} {'answer rests' if count == 1 else 'answers rest'} on stale evidence"
    assert c.could_reach is not None
    text += f"; completing them could lift it as far as {c.could_reach.name}."
    return text


def open_questions(a: Assessment) -> str | None:
    """What to answer to make a provisional verdict final, in one sentence (None when final)."""
    c = a.completeness
    if not c.provisional:
        return None
    bits = []
    if c.open:
        bits.append("answer " + ", ".join(c.open))
    if c.unevidenced:
        bits.append("give evidence for " + ", ".join(c.unevidenced))
    if c.stale:
        bits.append("renew the evidence for " + ", ".join(c.stale))
    return "To make the verdict final, " + "; ".join(bits) + "."


def period_text(a: Assessment) -> str:
    """``2025-10-02 to 2026-10-01`` (and how it was chosen, when the file does not say)."""
    text = f"{a.period[0]} to {a.period[1]}"
    return text if a.period_stated else text + " (the twelve months up to the assessment date)"


def measured_items(a: Assessment) -> list[str]:
    """Each criterion's question answered from a measurement file, with the figure and its
    sample: ``first_response_hours 3.28 hours (n = 2,081, 95 % interval ...)``; each once."""
    seen: dict[str, str] = {}
    for level in a.levels:
        for c in level.criteria:
            m = c.measurement
            if m is None or c.question_id in seen:
                continue
            interval = (
                f", 95 % interval {m.interval[0]:g} to {m.interval[1]:g}" if m.interval else ""
            )
            if c.origin == "measured":
                seen[c.question_id] = f"{c.question_id} {c.answer} (n = {m.n:,}{interval})"
            elif m.value is not None:
                seen[c.question_id] = (
                    f"{c.question_id} self-reported {c.answer}, measured {m.value:g} {m.unit} "
                    f"(n = {m.n:,})"
                )
    return list(seen.values())


def measurement_summary(a: Assessment, name: Callable[[str], str] = str) -> str | None:
    """One sentence on what is measured and what is self-reported (None without measurement
    files); ``name`` shows a file (a client report shows its name only)."""
    if not a.measurement_files:
        return None
    files = ", ".join(name(f) for f in a.measurement_files)
    items = measured_items(a)
    listed = "; ".join(items) if items else "no figure this rubric uses"
    return f"Measured from {files}: {listed}. Every other answer is self-reported."


def measurement_warnings(a: Assessment) -> list[str]:
    """The measurement notes, as every report says them."""
    return [note.message for note in a.measurement_notes]


def not_applicable_items(a: Assessment) -> list[str]:
    """Each question answered n/a, with its justification: ``csat_pct (no survey is run)``."""
    why = dict(a.justifications)
    for level in a.levels:
        for c in level.criteria:
            if c.excepted and c.exception is not None and c.status is Status.NOT_APPLICABLE:
                why.setdefault(c.question_id, f"by exception until {c.exception.expires}")
    return [f"{q} ({why[q]})" if q in why else q for q in a.not_applicable]


def unanswered_note(a: Assessment) -> str:
    """What the unanswered questions mean for this verdict."""
    if a.provisional:
        return (
            "Counted as not met. Unlike a 'no', these are unknowns, and the verdict is "
            "provisional until they are answered:"
        )
    return (
        "Counted as not met. Unlike a 'no', these are unknowns; answering them cannot change "
        "the level reached:"
    )


def level_with_state(a: Assessment) -> str:
    """``2. Exceed expectations``, ``below the ladder``, with `` (provisional)`` when it is
    and `` (1 exception)`` when exceptions decide it."""
    level = "below the ladder" if a.level is None else f"{a.level.index}. {a.level.name}"
    tag = exceptions_tag(a)
    return level + (" (provisional)" if a.provisional else "") + (f" ({tag})" if tag else "")


def gating_note(a: Assessment) -> str | None:
    """Explain levels met on their own but not counted because a lower level is not met."""
    if not a.skipped:
        return None
    blocked_by = a.next_level
    assert blocked_by is not None
    names = ", ".join(lv.name for lv in a.skipped)
    return (
        f"Fundamentals first: {names} {'is' if len(a.skipped) == 1 else 'are'} met on its own, "
        f"but {blocked_by.name} below it is not, so the company is placed {a.standing}."
    )


def level_state(level: LevelResult) -> str:
    """``met``, ``not met`` or ``floor``."""
    if level.floor:
        return "floor"
    return "met" if level.met else "not met"


def arithmetic(level: LevelResult) -> str:
    """The computation behind one level's verdict, in one line."""
    if level.floor:
        return "floor level: no criteria, every company stands here"
    na = sum(c.weight for c in level.criteria if c.status is Status.NOT_APPLICABLE)
    text = f"met weight {level.met_weight:g} of {level.applicable_weight:g} applicable"
    if na:
        text += f" ({na:g} n/a left out)"
    if level.applicable_weight:
        reached = "not reached" if level.weight_short > 1e-9 else "reached"
        text += f" = {percent(level.score)}, pass mark {percent(level.pass_mark)} → {reached}"
    else:
        text += ": nothing applies (every criterion n/a), so the level cannot be met"
    missing = level.required_unmet
    if missing:
        text += "; required not met: " + ", ".join(c.question_id for c in missing)
    elif any(c.required for c in level.criteria):
        text += "; every required criterion met"
    return text


def gap_reason(level: LevelResult) -> str:
    """What stands between the company and ``level``, in one sentence."""
    return level.gap_reason


def client_gap_reason(level: LevelResult) -> str:
    """What stands between the company and ``level``, in words for the client (no weights):
    ``2 criteria it requires are not met yet; 72% of it is in place, and it asks for 80%.``"""
    bits = []
    for status, state in (
        (Status.UNMET, "not met yet"),
        (Status.UNANSWERED, "not yet answered"),
        (Status.UNEVIDENCED, "answered without the evidence required"),
    ):
        count = sum(1 for c in level.required_unmet if c.status is status)
        if count:
            noun = "criterion it requires is" if count == 1 else "criteria it requires are"
            bits.append(f"{count} {noun} {state}")
    if not level.applicable_weight and not level.floor:
        bits.append("none of its criteria applies")
    elif level.weight_short > 1e-9:
        bits.append(
            f"{percent(level.score)} of it is in place, and it asks for {percent(level.pass_mark)}"
        )
    if not bits:
        return "It is met on its own, but counts only once the levels below it are met."
    text = "; ".join(bits)
    return text[0].upper() + text[1:] + "."


def status_word(c: CriterionResult) -> str:
    """Short status text for one criterion."""
    word = STATUS_WORDS[c.status]
    return f"{word}, by exception" if c.excepted and c.raw_status is not c.status else word


STATUS_WORDS = {
    Status.MET: "met",
    Status.UNMET: "not met",
    Status.UNANSWERED: "unanswered",
    Status.NOT_APPLICABLE: "n/a",
    Status.UNEVIDENCED: "no evidence",
    Status.STALE: "stale evidence",
}
"""Each status in a few words."""


class SummaryRow(NamedTuple):
    """One line of a portfolio summary."""

    company: str
    rubric: str
    level: str
    gaps: int
    file: str
    date: str = ""
    """The assessment's date (empty for an invalid input)."""

    @classmethod
    def of(cls, a: Assessment) -> SummaryRow:
        return cls(
            a.company, a.rubric_id, level_with_state(a), len(a.gaps), a.answers_file, str(a.date)
        )

    @classmethod
    def failed(cls, file: str) -> SummaryRow:
        return cls("—", "—", "invalid input", 0, file)


# --------------------------------------------------------------------------- comparisons


def scale(value: float) -> str:
    """A point of the common 0-100 scale, as shown: ``66.7`` → ``67``."""
    return f"{value:.0f}"


def level_name(a: Assessment) -> str:
    """The attained level's name, or ``below the ladder``; `` (provisional)`` when it is, and
    `` (1 exception)`` when exceptions decide it."""
    tag = exceptions_tag(a)
    return a.level_name + (" (provisional)" if a.provisional else "") + (f" ({tag})" if tag else "")


POSITION_HEADER = ("rubric", "level", "position", "scale 0-100", "next level", "gaps")
"""The columns of :func:`position_cells`."""


def position_cells(p: Position) -> list[str]:
    """Where one rubric places the company, as the cells of :data:`POSITION_HEADER`."""
    a = p.assessment
    nxt = a.next_level
    return [
        a.rubric_id,
        level_name(a),
        f"{a.attained} of {len(a.levels)}",
        scale(p.scale),
        nxt.name if nxt else "—",
        str(len(a.gaps)),
    ]


def explanations(c: Comparison) -> list[str]:
    """Why the models disagree: a line per disagreement, each followed by its deciding answers
    (those lines start with ``"  - "``)."""
    lines = []
    for d in c.disagreements:
        lines.append(
            f"{d.lower.rubric_id} places {c.company} {d.lower.assessment.standing} "
            f"({scale(d.lower.scale)}), {d.higher.rubric_id} {d.higher.assessment.standing} "
            f"({scale(d.higher.scale)}):"
        )
        nxt = d.lower.assessment.next_level
        for item in d.deciding:
            crit = item.criterion
            need = "required" if crit.required else f"weight {crit.weight:g}"
            lines.append(
                f"  - {nxt.name if nxt else ''} needs {crit.question_id} {crit.needed} ({need}), "
                f"answer {crit.shown_answer}; {item.other}"
            )
    return [printable(line) for line in lines]


class ModelMean(NamedTuple):
    """One rubric across a portfolio of comparisons."""

    rubric: str
    mean: float
    """The mean position of the companies on the common scale."""
    strictest_for: int
    """The companies this rubric places lowest."""


def comparison_notes(c: Comparison) -> list[str]:
    """Per model, its stale or expiring evidence and its exceptions, and each exception itself:
    ``four-level: Exceptions: 1 applied.``, ``four-level: four-level/amaze/...: ...``."""
    out = []
    for p in c.positions:
        a = p.assessment
        # Undated evidence is the same on every model: the assessment of each file says it.
        aged = evidence_note(a) if a.stale or a.expiring else None
        notes = [n for n in (aged, exceptions_note(a)) if n]
        if notes:
            out.append(f"{a.rubric_id}: {' '.join(notes)}")
        out += [f"{a.rubric_id}: {item}" for item in exception_items(a)]
    return [printable(line) for line in out]


def portfolio(comparisons: Sequence[Comparison]) -> list[ModelMean]:
    """Each compared rubric's mean position over the companies, in the order compared."""
    ids = [p.rubric_id for p in comparisons[0].positions]
    return [
        ModelMean(
            rid,
            sum(p.scale for c in comparisons for p in c.positions if p.rubric_id == rid)
            / len(comparisons),
            sum(c.strictest.rubric_id == rid for c in comparisons),
        )
        for rid in ids
    ]


PORTFOLIO_HEADING = "Portfolio: which model is strictest"


def portfolio_sentence(means: Sequence[ModelMean], companies: int) -> str:
    """Which model is the strictest for the portfolio (the lowest mean, the first on ties)."""
    strictest = min(means, key=lambda m: m.mean)
    return (
        f"The strictest model for this portfolio of {companies} companies is {strictest.rubric} "
        f"(mean {scale(strictest.mean)} on the common scale)."
    )


class CrosswalkTable(NamedTuple):
    """A crosswalk as a table (the reference's levels top first) and what differs."""

    header: list[str]
    rows: list[list[str]]
    differ: list[str]
    """Where the rubrics really differ: questions only one of them asks."""


def crosswalk_table(cw: Crosswalk) -> CrosswalkTable:
    """The cells of a crosswalk, as every human-readable format shows them (printable)."""
    ref = cw.reference.rubric
    others = [o.rubric.id for o in cw.others]
    rows = []
    for row in reversed(cw.rows):
        cells = [f"{row.level.name} ({scale(row.scale)})"]
        for cell in row.cells:
            text = f"{cell.level.name} ({scale(cell.scale)})" if cell.level else "—"
            cells.append(text + (" *" if cell.raised_from else ""))
        rows.append(cells)
    differ = []
    for row in cw.rows:
        for other, cell in zip(others, row.cells, strict=True):
            if cell.raised_from is not None and cell.level is not None:
                differ.append(
                    f"* {ref.id} {row.level.name}: its criteria land at {other} "
                    f"{cell.raised_from.name} on their own, below the counterpart of a lower "
                    f"level, so it is placed at {cell.level.name} to keep the ladders' order"
                )
    for other, row_only in zip(others, cw.only_there, strict=True):
        if row_only:
            differ.append(f"{other} also requires: {', '.join(row_only)}")
    for row in cw.rows:
        for other, cell in zip(others, row.cells, strict=True):
            if cell.only_here:
                differ.append(
                    f"{ref.id} {row.level.name} requires what {other} never asks: "
                    f"{', '.join(cell.only_here)}"
                )
    return CrosswalkTable(
        [f"{ref.id} (scale)", *others],
        [[printable(cell) for cell in row] for row in rows],
        [printable(line) for line in differ],
    )


# --------------------------------------------------------------------------- diffs


def change_word(r: RubricDiff) -> str:
    """The level change on one rubric: ``up 1``, ``down 2`` or ``unchanged``."""
    return moved(r.level_change)


def moved(change: int) -> str:
    """A change of level in words: ``up 1``, ``down 2`` or ``unchanged``."""
    if change > 0:
        return f"up {change}"
    if change < 0:
        return f"down {-change}"
    return "unchanged"


def diff_lines(d: Diff) -> list[str]:
    """A diff as plain lines: newly met criteria start with ``+``, regressed ones with ``-``."""
    out = [
        f"{d.company}: {d.before_date} ({d.before_file}) → {d.after_date} ({d.after_file})",
        *(f"Warning: {w}" for w in d.warnings),
        "",
    ]
    for r in d.rubrics:
        out.append(
            f"{r.rubric_id}: {level_name(r.before)} → {level_name(r.after)} ({change_word(r)})"
        )
        out += [f"  + newly met: {gained_text(c)}" for c in r.newly_met]
        out += [f"  - regressed: {lost_text(c)}" for c in r.regressed]
        out += [f"  * {line}" for line in r.exceptions.lines()]
    out += ["", f"Answers changed ({len(d.answers_changed)}):"]
    out += [f"  {a.question_id}: {a.before} → {a.after}" for a in d.answers_changed]
    return [printable(line) for line in out]


# --------------------------------------------------------------------------- histories


def history_heading(h: History) -> str:
    """``Acme: 3 assessments, 2024-09-30 to 2026-09-30``."""
    return f"{h.company}: {len(h.dates)} assessments, {h.dates[0]} to {h.dates[-1]}"


def level_path(r: RubricHistory) -> str:
    """The levels of every date in order: ``Meet expectations → Exceed expectations``."""
    return " → ".join(level_name(p.assessment) for p in r.points)


def trend_line(r: RubricHistory) -> str:
    """``four-level: Meet expectations → Exceed expectations (up)``, the trend from the first
    date to the last."""
    return f"{r.rubric_id}: {level_path(r)} ({r.trend})"


def trend_sentence(r: RubricHistory) -> str:
    """``up 2 levels from 2024-09-30 to 2026-09-30`` (or ``unchanged from ...``)."""
    steps = abs(r.level_change)
    span = f"from {r.first.date} to {r.latest.date}"
    if not steps:
        return f"unchanged {span}"
    return f"{r.trend} {steps} level{'' if steps == 1 else 's'} {span}"


def step_heading(s: HistoryStep) -> str:
    """``2024-09-30 → 2025-09-30: Meet expectations → Exceed expectations (up 1)``."""
    return (
        f"{s.before.date} → {s.after.date}: {level_name(s.before.assessment)} → "
        f"{level_name(s.after.assessment)} ({moved(s.level_change)})"
    )


def gained_text(c: CriterionChange) -> str:
    """``first_response_hours (exceed): 9 hours → 3 hours``, with why when the answer alone
    does not say (`` (by exception)``, `` (evidence stale: current until ...)``)."""
    return (
        f"{c.after.question_id} ({c.after.level_id}): {c.before.answer}{c.before.status_reason} "
        f"→ {c.after.answer}{c.after.status_reason}"
    )


def lost_text(c: CriterionChange) -> str:
    """``surprise_gestures (exceed): sometimes → rarely, needed sometimes or better``."""
    return f"{gained_text(c)}, needed {c.after.needed}"


def history_lines(h: History) -> list[str]:
    """A history as plain lines: per rubric the trend, the level of each date, and for each
    pair of consecutive dates the criteria gained (``+``) and lost (``-``)."""
    out = [history_heading(h)]
    width = max(len(level_with_state(p.assessment)) for r in h.rubrics for p in r.points)
    for r in h.rubrics:
        out += ["", f"{r.rubric_id}: {trend_sentence(r)}"]
        out += [
            f"  {p.date}  {level_with_state(p.assessment):<{width}}  {p.answers_file}"
            for p in r.points
        ]
        for step in r.steps:
            out.append(f"  {step_heading(step)}")
            out += [f"    + gained: {gained_text(c)}" for c in step.gained]
            out += [f"    - lost: {lost_text(c)}" for c in step.lost]
            out += [f"    * {line}" for line in step.exceptions.lines()]
            if not (step.gained or step.lost or step.exceptions):
                out.append("    no criterion changed")
    return [printable(line) for line in out]


# --------------------------------------------------------------------------- file names
