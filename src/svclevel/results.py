"""The result types the scoring engine returns. Plain, immutable data; reporters render them.

Every result is a frozen dataclass; ``to_dict()`` gives the data of the JSON record
(``svclevel assess FILE -f json``) as plain JSON types, raw numbers beside the display strings.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

JsonDict = dict[str, Any]
"""A JSON object as Python data."""


class Status(enum.Enum):
    """How one criterion stands."""

    MET = "met"
    UNMET = "unmet"
    UNANSWERED = "unanswered"
    NOT_APPLICABLE = "n/a"
    UNEVIDENCED = "unevidenced"
    """Answered well enough, but the rubric (or ``--require-evidence``) wants evidence for a
    required criterion and the answer gives none: not met until it does."""
    STALE = "stale"
    """Answered well enough, but its evidence is older than the rubric allows and the rubric's
    policy for it is ``fail``: not met until the evidence is renewed."""


def json_number(value: float) -> float | int:
    """A number for JSON: ``90.0`` → ``90``, ``2.5`` stays ``2.5``."""
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def percent(fraction: float) -> str:
    """``0.785`` → ``79%``; never rounds a shortfall up to 100%."""
    value = fraction * 100
    shown = round(value)
    if shown == 100 and value < 100:
        shown = 99
    return f"{shown}%"


def line_span(lines: str | None) -> str:
    """``, line 12`` or ``, lines 12-14`` (empty without lines)."""
    if not lines:
        return ""
    return f", {'lines' if '-' in lines else 'line'} {lines}"


@dataclass(frozen=True, slots=True)
class SourceCitation:
    """Where a criterion or tip comes from."""

    title: str
    """The source document's title."""
    section: str
    """The section or passage of that document."""
    lines: str | None = None
    """The lines of the source text the item rests on (``12-14``), when the rubric says."""
    says: str | None = None
    """What the source says there, in the rubric's words, when the rubric says."""

    def __str__(self) -> str:
        return f"{self.title} — {self.section}{line_span(self.lines)}"

    def to_dict(self) -> JsonDict:
        """``{"title": ..., "section": ..., "lines": ..., "says": ...}``."""
        return {
            "title": self.title,
            "section": self.section,
            "lines": self.lines,
            "says": self.says,
        }


@dataclass(frozen=True, slots=True)
class Threshold:
    """The answer a criterion needs, as data (:attr:`CriterionSpec.needed` says it in words)."""

    type: Literal["yes_no", "scale", "number"]
    """The type of the criterion's question."""
    at_least: float | str | None = None
    """Scale: the worst label that meets it. Number: the smallest value that meets it."""
    at_most: float | None = None
    """Number: the largest value that meets it (for questions where lower is better)."""
    unit: str | None = None
    """Number: the unit of the value."""
    equals: bool | None = None
    """Yes/no: the answer needed (yes: questions are phrased so that yes is better)."""

    def to_dict(self) -> JsonDict:
        """The type and the keys that apply: ``{"type": "number", "at_least": 90, "unit": "%"}``,
        ``{"type": "scale", "at_least": "usually"}``, ``{"type": "yes_no", "equals": true}``."""
        out: JsonDict = {"type": self.type}
        if self.at_least is not None:
            at_least = self.at_least
            out["at_least"] = json_number(at_least) if isinstance(at_least, float) else at_least
        if self.at_most is not None:
            out["at_most"] = json_number(self.at_most)
        if self.unit is not None:
            out["unit"] = self.unit
        if self.equals is not None:
            out["equals"] = self.equals
        return out


@dataclass(frozen=True, slots=True)
class Measured:
    """One figure of a measurement file, as an assessment uses it."""

    question_id: str
    value: float | None
    """The figure; None when the file says it is not used (``not_used``)."""
    n: int
    unit: str
    definition: str
    file: str
    """The measurement file, as its answers file or the command line named it."""
    line: int | None
    """The figure's line in that file."""
    period: tuple[str, str]
    interval: tuple[float, float] | None = None
    not_used: str | None = None
    sources: tuple[str, ...] = ()
    """The exports' names."""
    detail: str | None = None
    """What the evidence adds to the definition: the scale, the counts, the unreplied."""
    file_warnings: tuple[str, ...] = ()
    """The warnings the measurement file records (said in every report)."""

    def evidence(self) -> str:
        """The evidence an assessment records for the measured answer."""
        files = ", ".join(self.sources) or "the exports"
        interval = (
            f", 95 % interval {_num(self.interval[0])} to {_num(self.interval[1])}"
            if self.interval
            else ""
        )
        return (
            f"Measured by svclevel from {files}, {self.period[0]} to {self.period[1]} "
            f"(n = {self.n:,}{interval}"
            + (f"; {self.detail}" if self.detail else "")
            + f"): {self.definition}"
        )

    def to_dict(self) -> dict[str, object]:
        """As in the JSON record."""
        return {
            "value": self.value,
            "n": self.n,
            "unit": self.unit,
            "interval": None if self.interval is None else list(self.interval),
            "not_used": self.not_used,
            "file": self.file,
            "period": {"from": self.period[0], "to": self.period[1]},
            "definition": self.definition,
        }


def _num(value: float) -> str:
    return f"{value:g}"


@dataclass(frozen=True, slots=True)
class MeasurementNote:
    """Something to say about the measurements of an assessment: a typed answer that differs
    from its measurement, a figure not used, a period that does not match."""

    kind: str
    """``differs``, ``not_used`` or ``period``."""
    question_id: str | None
    """The question it is about (None for a whole file)."""
    message: str
    """The sentence every report shows."""
    line: int | None = None
    """The answer's line in the answers file, for annotations."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """One piece of evidence recorded with an answer."""

    text: str
    """What it shows."""
    as_of: str | None = None
    """The day it was true (ISO), when dated."""
    period: tuple[str, str] | None = None
    """The days it covers (ISO), for a figure."""
    source: str | None = None
    """Where it is kept: a file or a URL."""
    sha256: str | None = None
    """The digest of ``source``."""
    collected: str | None = None
    """The day the assessor received it (ISO)."""
    reviewer: str | None = None
    """Who checked it."""
    valid_until: str | None = None
    """The last day it is current, when the item says (ISO)."""

    @property
    def dated(self) -> str | None:
        """The day its age counts from: ``as_of``, else its period's end, else ``collected``."""
        if self.as_of is not None:
            return self.as_of
        if self.period is not None:
            return self.period[1]
        return self.collected

    def to_dict(self) -> JsonDict:
        """As in the JSON record."""
        return {
            "text": self.text,
            "as_of": self.as_of,
            "period": None
            if self.period is None
            else {"from": self.period[0], "to": self.period[1]},
            "source": self.source,
            "sha256": self.sha256,
            "collected": self.collected,
            "reviewer": self.reviewer,
            "valid_until": self.valid_until,
        }


class Freshness(enum.Enum):
    """How current an answer's evidence is on the evaluation date."""

    FRESH = "fresh"
    """Within its limit, by more than the rubric's warning span."""
    EXPIRING = "expiring"
    """Current, but its limit is within the warning span (30 days unless the rubric says)."""
    STALE = "stale"
    """Past its limit: older than the rubric allows."""
    UNDATED = "undated"
    """No item says when it was true: its age cannot be told."""


@dataclass(frozen=True, slots=True)
class EvidenceAge:
    """The freshness of an answer's evidence: that of its most current item."""

    freshness: Freshness
    """fresh, expiring, stale or undated."""
    dated: str | None
    """The day the most current item describes (ISO); None when undated."""
    limit: str | None
    """The last day that evidence is current (ISO): its ``valid_until``, else ``dated`` plus
    the maximum age; None when undated."""
    max_age_days: int
    """The maximum age the rubric's policy gives the question."""
    on_stale: str
    """What staleness does under the policy: ``warn`` or ``fail``."""
    by_valid_until: bool = False
    """The limit is the item's own ``valid_until`` (earlier than the rubric's maximum age)."""

    def describe(self) -> str:
        """In a report: ``stale since 2026-03-31 (evidence of 2025-03-31, at most 365 days)``."""
        match self.freshness:
            case Freshness.UNDATED:
                return "undated evidence (its age cannot be told)"
            case Freshness.STALE:
                why = (
                    "its valid_until"
                    if self.by_valid_until
                    else f"at most {self.max_age_days} days old"
                )
                return (
                    f"stale evidence: current until {self.limit} (evidence of {self.dated}, {why})"
                )
            case Freshness.EXPIRING:
                return f"evidence expiring on {self.limit} (evidence of {self.dated})"
            case _:
                return f"evidence of {self.dated}, current until {self.limit}"

    def to_dict(self) -> JsonDict:
        """As in the JSON record."""
        return {
            "status": self.freshness.value,
            "dated": self.dated,
            "limit": self.limit,
            "max_age_days": self.max_age_days,
            "on_stale": self.on_stale,
            "by_valid_until": self.by_valid_until,
        }


class Flag(enum.Enum):
    """A sign that respondents disagree on a question (the cut-offs: :mod:`svclevel.agreement`)."""

    RANGE = "range"
    """The answers span two scale steps or more."""
    DEVIATION = "deviation"
    """The average deviation from the median is above the cut-off for the scale (k/6)."""
    AGREEMENT = "agreement"
    """Fewer than 80 % of the respondents give the majority yes/no answer."""
    GROUPS = "groups"
    """Two groups' medians are two scale steps or more apart."""


@dataclass(frozen=True, slots=True)
class Respondent:
    """Someone heard in an assessment."""

    id: str
    """Their key under each question's ``responses``."""
    role: str | None = None
    """What they do."""
    group: str | None = None
    """The group they answer for (``management``, ``frontline``)."""

    @property
    def label(self) -> str:
        """``coo (COO, management)``, or the id alone."""
        extra = ", ".join(x for x in (self.role, self.group) if x)
        return f"{self.id} ({extra})" if extra else self.id

    def to_dict(self) -> JsonDict:
        """As in the JSON record."""
        return {"id": self.id, "role": self.role, "group": self.group}


@dataclass(frozen=True, slots=True)
class Response:
    """One respondent's answer to one question."""

    respondent: str
    """The respondent's id."""
    answer: str
    """The answer in words (``—`` when they gave none)."""
    value: bool | float | str | None
    """The answer as data; None when they gave none."""
    group: str | None = None
    """The respondent's group."""
    evidence_items: tuple[Evidence, ...] = ()
    """The evidence they gave."""
    notes: str | None = None
    """Notes on their answer."""
    line: int | None = None
    """Line of the response in the answers file."""

    def to_dict(self) -> JsonDict:
        """As in the JSON record."""
        value = self.value
        return {
            "respondent": self.respondent,
            "group": self.group,
            "answer": self.answer,
            "value": json_number(value) if isinstance(value, float) else value,
            "evidence_items": [e.to_dict() for e in self.evidence_items],
            "notes": self.notes,
            "line": self.line,
        }


@dataclass(frozen=True, slots=True)
class GroupAnswer:
    """A group's own aggregate of one question."""

    group: str
    """The group."""
    answer: str
    """Its aggregate, in words."""
    respondents: int
    """How many of its respondents answered."""

    def to_dict(self) -> JsonDict:
        """As in the JSON record."""
        return {"group": self.group, "answer": self.answer, "respondents": self.respondents}


@dataclass(frozen=True, slots=True)
class Responses:
    """Several respondents' answers to one question: how they combine and how far they agree."""

    responses: tuple[Response, ...]
    """Every respondent's answer, in the order the file declares the respondents."""
    aggregate: str
    """Their aggregate, in words (``—`` when nobody answered)."""
    method: str
    """How the aggregate was made (``lower median``, ``majority, a tie is no``)."""
    distribution: tuple[tuple[str, int], ...] = ()
    """Each answer given and how many gave it, best first."""
    consensus: str | None = None
    """The consultant's ruling, in words, when it replaces the aggregate."""
    consensus_note: str | None = None
    """Why the ruling is what it is."""
    range: int | None = None
    """Scale steps between the lowest and highest answer (scales)."""
    deviation: float | None = None
    """Average deviation from the median, in scale steps (scales)."""
    deviation_cutoff: float | None = None
    """The deviation above which the answers disagree (k/6 for k labels)."""
    agreement: float | None = None
    """Share of the respondents giving the majority answer (yes/no)."""
    groups: tuple[GroupAnswer, ...] = ()
    """Each group's own aggregate, when respondents belong to groups."""
    group_gap: int | None = None
    """Scale steps between the highest and the lowest group aggregate (scales, two groups or
    more)."""
    flags: tuple[Flag, ...] = ()
    """The signs of disagreement found."""

    @property
    def answered(self) -> int:
        """How many respondents gave an answer."""
        return sum(1 for r in self.responses if r.value is not None)

    @property
    def disputed(self) -> bool:
        """Whether a sign of disagreement was found."""
        return bool(self.flags)

    @property
    def shown_distribution(self) -> str:
        """``always 2 · usually 1 · sometimes 1``."""
        return " · ".join(f"{answer} {count}" for answer, count in self.distribution)

    @property
    def flag_words(self) -> tuple[str, ...]:
        """Each flag as a reader sees it: ``range 2 steps``, ``groups 2 steps apart: management
        always, frontline sometimes``."""
        words = []
        for flag in self.flags:
            if flag is Flag.RANGE:
                words.append(f"range {self.range} steps")
            elif flag is Flag.DEVIATION:
                assert self.deviation is not None
                assert self.deviation_cutoff is not None
                words.append(f"deviation {self.deviation:.2f} > {self.deviation_cutoff:.2f}")
            elif flag is Flag.AGREEMENT:
                assert self.agreement is not None
                words.append(f"agreement {percent(self.agreement)} < 80%")
            else:
                groups = ", ".join(f"{g.group} {g.answer}" for g in self.groups)
                words.append(f"groups {self.group_gap} steps apart: {groups}")
        return tuple(words)

    @property
    def summary(self) -> str:
        """The distribution, the aggregate and the flags in one line."""
        text = f"{self.shown_distribution} → {self.aggregate} ({self.method})"
        if self.consensus is not None:
            text += f"; consensus {self.consensus}: {self.consensus_note}"
        if self.flags:
            text += "; disagreement: " + "; ".join(self.flag_words)
        return text

    def to_dict(self) -> JsonDict:
        """As in the JSON record."""
        return {
            "responses": [r.to_dict() for r in self.responses],
            "aggregate": self.aggregate,
            "method": self.method,
            "distribution": [{"answer": a, "count": n} for a, n in self.distribution],
            "consensus": self.consensus,
            "consensus_note": self.consensus_note,
            "dispersion": {
                "range": self.range,
                "deviation": self.deviation,
                "deviation_cutoff": self.deviation_cutoff,
                "agreement": self.agreement,
                "group_gap": self.group_gap,
            },
            "groups": [g.to_dict() for g in self.groups],
            "flags": [f.value for f in self.flags],
        }


@dataclass(frozen=True, slots=True)
class Alpha:
    """Krippendorff's alpha over the questions of one kind."""

    metric: Literal["ordinal", "nominal"]
    """``ordinal`` (scale questions) or ``nominal`` (yes/no questions)."""
    questions: int
    """How many questions of that kind at least two respondents answered."""
    value: float | None
    """The alpha; None when it is undefined (no variation, or nothing to pair)."""

    @property
    def reading(self) -> str | None:
        """``reliable``, ``tentative`` or ``calibrate`` (None without a value)."""
        from svclevel.agreement import reading

        return None if self.value is None else reading(self.value)

    @property
    def words(self) -> str:
        """``ordinal alpha 0.72 on 8 scale questions: tentative``."""
        kind = "scale" if self.metric == "ordinal" else "yes/no"
        what = f"{self.questions} {kind} question{'s' if self.questions != 1 else ''}"
        if self.value is None:
            return f"{self.metric} alpha undefined on {what} (every answer the same)"
        return f"{self.metric} alpha {self.value:.2f} on {what}: {self.reading}"

    def to_dict(self) -> JsonDict:
        """As in the JSON record."""
        return {
            "metric": self.metric,
            "questions": self.questions,
            "value": self.value,
            "reading": self.reading,
        }


@dataclass(frozen=True, slots=True)
class Panel:
    """The respondents of an assessment and how far they agree overall."""

    respondents: tuple[Respondent, ...]
    """Everyone heard, in file order."""
    aggregation: str
    """The policy: ``median`` or ``min`` (weakest link)."""
    aggregation_source: str
    """Where the policy comes from: ``rubric``, ``--aggregation`` or ``default``."""
    rated: int
    """How many of the rubric's scale and yes/no questions at least two respondents
    answered."""
    alphas: tuple[Alpha, ...] = ()
    """Krippendorff's alpha by metric, when enough questions are rated (:data:`svclevel.
    agreement.MIN_RATED`); empty otherwise."""
    disputed: tuple[str, ...] = ()
    """Ids of the rubric's questions with a disagreement flag, in ladder order."""

    @property
    def calibrate(self) -> bool:
        """Whether the respondents should be calibrated in a workshop: an alpha below the
        tentative cut-off, or a flagged question."""
        return bool(self.disputed) or any(a.reading == "calibrate" for a in self.alphas)

    @property
    def alpha_words(self) -> str:
        """The alphas in a sentence, or why there are none."""
        from svclevel.agreement import MIN_RATED

        if self.alphas:
            return "; ".join(a.words for a in self.alphas)
        if len(self.respondents) < 2:
            return "alpha not computed: one respondent"
        rated = f"{self.rated} rated question{'' if self.rated == 1 else 's'}"
        return f"alpha not computed: {rated} ({MIN_RATED} needed)"

    def to_dict(self) -> JsonDict:
        """As in the JSON record."""
        return {
            "respondents": [r.to_dict() for r in self.respondents],
            "aggregation": self.aggregation,
            "aggregation_source": self.aggregation_source,
            "rated": self.rated,
            "alpha": [a.to_dict() for a in self.alphas],
            "disputed": list(self.disputed),
        }


class ExceptionState(enum.Enum):
    """Whether an exception applies on the evaluation date."""

    ACTIVE = "active"
    """Granted on or before the evaluation date and expiring on or after it: it applies."""
    EXPIRED = "expired"
    """Its last day is before the evaluation date: the criterion is evaluated normally."""
    PENDING = "pending"
    """Granted after the evaluation date: not yet in force."""
    IGNORED = "ignored"
    """Not applied because of ``--no-exceptions``."""


@dataclass(frozen=True, slots=True)
class ExceptionGrant:
    """An exception granted to a criterion, as it stands on the evaluation date."""

    criterion: str
    """What it names: ``rubric/level/question`` or a question id."""
    effect: str
    """``not_applicable`` (left out of the score) or ``exempt`` (counted as met)."""
    justification: str
    """Why it was granted."""
    approved_by: str
    """Who approved it."""
    granted: str
    """The first day it applies (ISO)."""
    expires: str
    """The last day it applies (ISO)."""
    state: ExceptionState
    """active, expired, pending or ignored, on the evaluation date."""
    file: str
    """The exceptions file it is in, as named."""
    line: int | None = None
    """Its line there."""
    ticket: str | None = None
    """A reference in the company's tracker."""

    @property
    def effect_words(self) -> str:
        """``counted as met`` or ``not applicable``."""
        return "counted as met" if self.effect == "exempt" else "not applicable"

    def describe(self) -> str:
        """In a report: what it does, until when, and who approved it."""
        match self.state:
            case ExceptionState.ACTIVE:
                return (
                    f"exception until {self.expires}: {self.effect_words} "
                    f"(approved by {self.approved_by}): {self.justification}"
                )
            case ExceptionState.EXPIRED:
                return f"exception expired on {self.expires}, evaluated normally"
            case ExceptionState.PENDING:
                return f"exception granted from {self.granted}, not yet in force"
            case _:
                return "exception not applied (--no-exceptions)"

    def to_dict(self) -> JsonDict:
        """As in the JSON record."""
        return {
            "criterion": self.criterion,
            "effect": self.effect,
            "justification": self.justification,
            "approved_by": self.approved_by,
            "granted": self.granted,
            "expires": self.expires,
            "state": self.state.value,
            "file": self.file,
            "line": self.line,
            "ticket": self.ticket,
        }


@dataclass(frozen=True, slots=True)
class CriterionSpec:
    """What one criterion of one level asks, whatever the answers (made once per rubric)."""

    level_id: str
    """The level the criterion belongs to."""
    question_id: str
    """The question it uses (the key in the answers file)."""
    question: str
    """The question as asked."""
    needed: str
    """The answer the criterion needs, as text (``yes``, ``usually or better``, ``≤ 4 hours``)."""
    threshold: Threshold
    """The answer the criterion needs, as data."""
    weight: float
    """How much the criterion counts towards its level's pass mark."""
    required: bool
    """A required criterion must be met whatever the rest of the level scores."""
    tip: str
    """The concrete next step when it is not met."""
    source: SourceCitation
    """Where in the source texts the criterion comes from."""
    assumption: str | None
    """Why the threshold is what it is, when the source gives no number."""
    benchmark: SourceCitation | None = None
    """The published benchmark the threshold rests on, when the rubric cites one."""
    allow_na: str | None = None
    """When the rubric accepts n/a for this criterion (None: it does not)."""


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """One criterion of one level, scored against the answers."""

    spec: CriterionSpec
    """The criterion itself (its fields are also readable here: ``result.tip``)."""
    status: Status
    """met, unmet, unanswered (no answer given) or n/a (left out of the score)."""
    answer: str
    """The answer given, as text (``—`` when unanswered)."""
    value: bool | float | str | None
    """The answer given, as data: yes/no as a bool, a scale label, a number; None when
    unanswered or n/a (``status`` tells which)."""
    evidence: str | None
    """The evidence the assessor recorded with the answer."""
    notes: str | None
    """The assessor's notes on the answer."""
    answer_line: int | None
    """Line of the answer in the answers file, when it was answered."""
    justification: str | None = None
    """Why the question does not apply, for an n/a answer."""
    origin: str | None = None
    """Where the answer comes from: ``self-reported`` (typed in the answers file) or
    ``measured`` (a measurement file's figure); None when unanswered."""
    measurement: Measured | None = None
    """The measurement of the question, when a measurement file has one (used or not)."""
    marked: bool = False
    """Whether reports mark the answer's origin: the assessment uses measurement files."""
    evidence_items: tuple[Evidence, ...] = ()
    """The evidence, item by item, with its dates."""
    evidence_age: EvidenceAge | None = None
    """How current the evidence is on the evaluation date; None without evidence."""
    exception: ExceptionGrant | None = None
    """The exception naming this criterion, active or not."""
    raw_status: Status | None = None
    """The status without the exception, when an active exception changed it."""
    responses: Responses | None = None
    """Several respondents' answers, when the answer is their aggregate (or a consensus)."""

    @property
    def status_reason(self) -> str:
        """Why the status is what it is, when the answer alone does not say: `` (by
        exception)``, `` (evidence stale: current until 2026-06-30)``, `` (evidence undated)``,
        `` (no evidence)``; empty otherwise."""
        if self.excepted:
            return " (by exception)"
        if self.status is Status.STALE and self.evidence_age is not None:
            if self.evidence_age.limit is None:
                return " (evidence undated)"
            return f" (evidence stale: current until {self.evidence_age.limit})"
        if self.status is Status.UNEVIDENCED:
            return " (no evidence)"
        return ""

    @property
    def excepted(self) -> bool:
        """Whether an active exception decides this criterion's status."""
        return self.exception is not None and self.exception.state is ExceptionState.ACTIVE

    @property
    def shown_answer(self) -> str:
        """The answer as reports show it: marked ``(measured)`` or ``(self-reported)`` when
        the assessment uses measurement files."""
        if not self.marked or self.origin is None:
            return self.answer
        return f"{self.answer} ({self.origin})"

    @property
    def is_gap(self) -> bool:
        """Unmet, unanswered or unevidenced: something to do to pass the criterion."""
        return self.status in _GAPS

    @property
    def next_step(self) -> str:
        """What to do about it: the tip, or for an unevidenced answer, recording the evidence."""
        if self.status is Status.UNEVIDENCED:
            return (
                f"Record the evidence behind the answer '{self.answer}': it meets the criterion, "
                "but the rubric counts a required criterion only with evidence."
            )
        if self.status is Status.STALE and self.evidence_age is not None:
            if self.evidence_age.limit is None:
                return (
                    f"Date the evidence behind the answer '{self.answer}' (as_of): it meets the "
                    "criterion, but the rubric counts only evidence known to be current."
                )
            return (
                f"Renew the evidence (current until {self.evidence_age.limit}); the answer "
                f"'{self.answer}' meets the criterion."
            )
        return self.spec.tip

    # The criterion's own fields, read through.

    @property
    def level_id(self) -> str:
        """The level the criterion belongs to."""
        return self.spec.level_id

    @property
    def question_id(self) -> str:
        """The question it uses (the key in the answers file)."""
        return self.spec.question_id

    @property
    def question(self) -> str:
        """The question as asked."""
        return self.spec.question

    @property
    def needed(self) -> str:
        """The answer the criterion needs, as text."""
        return self.spec.needed

    @property
    def threshold(self) -> Threshold:
        """The answer the criterion needs, as data."""
        return self.spec.threshold

    @property
    def weight(self) -> float:
        """How much the criterion counts towards its level's pass mark."""
        return self.spec.weight

    @property
    def required(self) -> bool:
        """A required criterion must be met whatever the rest of the level scores."""
        return self.spec.required

    @property
    def tip(self) -> str:
        """The concrete next step when it is not met."""
        return self.spec.tip

    @property
    def source(self) -> SourceCitation:
        """Where in the source texts the criterion comes from."""
        return self.spec.source

    @property
    def assumption(self) -> str | None:
        """Why the threshold is what it is, when the source gives no number."""
        return self.spec.assumption

    def to_dict(self) -> JsonDict:
        """The criterion as in the JSON record: ``answer`` and ``needed`` in words, ``value`` and
        ``threshold`` as data."""
        spec = self.spec
        value = self.value
        return {
            "level_id": spec.level_id,
            "question_id": spec.question_id,
            "question": spec.question,
            "status": self.status.value,
            "answer": self.answer,
            "value": json_number(value) if isinstance(value, float) else value,
            "needed": spec.needed,
            "threshold": spec.threshold.to_dict(),
            "weight": spec.weight,
            "required": spec.required,
            "tip": spec.tip,
            "source": spec.source.to_dict(),
            "assumption": spec.assumption,
            "benchmark": None if spec.benchmark is None else spec.benchmark.to_dict(),
            "allow_na": spec.allow_na,
            "evidence": self.evidence,
            "notes": self.notes,
            "justification": self.justification,
            "line": self.answer_line,
            "origin": self.origin,
            "measurement": None if self.measurement is None else self.measurement.to_dict(),
            "evidence_items": [e.to_dict() for e in self.evidence_items],
            "evidence_age": None if self.evidence_age is None else self.evidence_age.to_dict(),
            "exception": None if self.exception is None else self.exception.to_dict(),
            "raw_status": None if self.raw_status is None else self.raw_status.value,
            "responses": None if self.responses is None else self.responses.to_dict(),
        }


_GAPS = frozenset((Status.UNMET, Status.UNANSWERED, Status.UNEVIDENCED, Status.STALE))


@dataclass(frozen=True, slots=True)
class AdviceItem:
    """A 'how to get there' tip from a source."""

    text: str
    """The tip, in the rubric's words."""
    source: SourceCitation
    """Where in the source texts it comes from."""


@dataclass(frozen=True, slots=True)
class LevelResult:
    """One rung of the ladder, scored."""

    index: int
    """Position on the ladder, 1 for the lowest level."""
    id: str
    """The level's id in the rubric."""
    name: str
    """The level's name."""
    experience: str
    """What a customer experiences at this level."""
    floor: bool
    """A floor level has no criteria: every company stands on it at least."""
    met: bool
    """Required criteria met and met weight at the pass mark (lower levels not considered)."""
    counted: bool
    """Met together with every level below it: the company stands on this level."""
    met_weight: float
    """Weight of the criteria met."""
    applicable_weight: float
    """Weight of the criteria that apply (everything but n/a)."""
    pass_mark: float
    """Fraction of the applicable weight that must be met."""
    criteria: tuple[CriterionResult, ...]
    """The level's criteria, in rubric order."""
    advice: tuple[AdviceItem, ...]
    """How to reach this level, from the sources."""

    @property
    def score(self) -> float:
        """Met weight over applicable weight (1.0 for a floor, 0.0 when nothing applies)."""
        if self.floor:
            return 1.0
        return self.met_weight / self.applicable_weight if self.applicable_weight else 0.0

    @property
    def required_unmet(self) -> tuple[CriterionResult, ...]:
        """Required criteria not met (unmet, unanswered or unevidenced)."""
        return tuple(c for c in self.criteria if c.required and c.is_gap)

    @property
    def weight_short(self) -> float:
        """Weight still missing to reach the pass mark (0 when reached)."""
        return max(0.0, self.pass_mark * self.applicable_weight - self.met_weight)

    @property
    def gap_reason(self) -> str:
        """What stands between the company and this level, in one sentence."""
        missing = self.required_unmet
        short = self.weight_short
        bits = []
        for status, state in (
            (Status.UNMET, "not met"),
            (Status.UNANSWERED, "unanswered"),
            (Status.UNEVIDENCED, "without the evidence required"),
        ):
            count = sum(1 for c in missing if c.status is status)
            if count:
                noun = "criterion" if count == 1 else "criteria"
                bits.append(f"{count} required {noun} {state}")
        if short > 1e-9:
            bits.append(
                f"{short:g} more weight needed to reach the pass mark of {percent(self.pass_mark)}"
            )
        if not self.applicable_weight and not self.floor:
            bits.append(
                "every criterion is n/a (by exception)"
                if all(c.excepted for c in self.criteria)
                else "every criterion is n/a (answered so, or by exception)"
                if any(c.excepted for c in self.criteria)
                else "every criterion is answered n/a"
            )
        return "; ".join(bits) if bits else "met on its own, blocked by a lower level"

    def ref_dict(self) -> JsonDict:
        """The level by position, id and name: ``{"index": 2, "id": ..., "name": ...}``."""
        return {"index": self.index, "id": self.id, "name": self.name}

    def to_dict(self) -> JsonDict:
        """The level as in the JSON record, with its criteria."""
        return {
            **self.ref_dict(),
            "floor": self.floor,
            "met": self.met,
            "counted": self.counted,
            "score": self.score,
            "met_weight": self.met_weight,
            "applicable_weight": self.applicable_weight,
            "pass_mark": self.pass_mark,
            "criteria": [c.to_dict() for c in self.criteria],
        }


@dataclass(frozen=True, slots=True)
class RoadmapStep:
    """The work to reach one level above the attained one."""

    level: LevelResult
    """The level to reach."""
    actions: tuple[CriterionResult, ...]
    """This level's gaps, by impact: required first, then by weight."""

    def to_dict(self) -> JsonDict:
        """The step as in the JSON record: the level, why it is not reached, the actions."""
        return {
            "level": self.level.ref_dict(),
            "reason": self.level.gap_reason,
            "actions": [c.to_dict() for c in self.actions],
        }


@dataclass(frozen=True, slots=True)
class Completeness:
    """Whether the verdict is final: could the questions still open change it?

    An unanswered criterion counts as not met, so answering it can only raise the level; the
    verdict is *provisional* when answering the open questions (and giving the missing
    evidence) as well as possible would raise it.
    """

    provisional: bool
    """The verdict could still rise: some open question decides the level or the next one."""
    answered: int
    """Questions answered, of those that decide the verdict."""
    deciding: int
    """Questions that decide the verdict: those of every level up to the next one (or up to
    the highest the open questions could reach)."""
    open: tuple[str, ...]
    """Deciding questions unanswered, in ladder order."""
    unevidenced: tuple[str, ...]
    """Deciding questions answered without the evidence the rubric requires."""
    could_reach: LevelResult | None
    """The highest level the open questions could lift the company to, when provisional."""
    stale: tuple[str, ...] = ()
    """Deciding questions whose evidence is stale under a ``fail`` policy."""

    @property
    def note(self) -> str:
        """``provisional: 3 of 8 deciding questions answered`` (or ``final``)."""
        if not self.provisional:
            return "final"
        text = f"provisional: {self.answered} of {self.deciding} deciding questions answered"
        if self.unevidenced:
            text += f", {len(self.unevidenced)} without the evidence required"
        if self.stale:
            text += f", {len(self.stale)} with stale evidence"
        return text

    def to_dict(self) -> JsonDict:
        """The completeness as in the JSON record."""
        return {
            "provisional": self.provisional,
            "answered": self.answered,
            "deciding": self.deciding,
            "open": list(self.open),
            "unevidenced": list(self.unevidenced),
            "stale": list(self.stale),
            "could_reach": None if self.could_reach is None else self.could_reach.ref_dict(),
        }


@dataclass(frozen=True, slots=True)
class Assessment:
    """The verdict for one company on one rubric."""

    rubric_id: str
    """The rubric's id."""
    rubric_title: str
    """The rubric's title."""
    rubric_version: int
    """The rubric's version."""
    sources: tuple[str, ...]
    """Titles of the rubric's source documents."""
    company: str
    """The company assessed."""
    date: str
    """ISO date of the assessment."""
    assessor: str | None
    """Who made the assessment, if the file says."""
    answers_file: str
    """The answers file as the user named it."""
    levels: tuple[LevelResult, ...]
    """Every level, lowest first."""
    attained: int
    """Number of levels attained: 0 means below the ladder, ``len(levels)`` the top."""
    skipped: tuple[LevelResult, ...]
    """Levels met on their own but above a lower level that is not met (fundamentals first)."""
    roadmap: tuple[RoadmapStep, ...]
    """Every level above the attained one, with its gaps by impact."""
    rubric_advice: tuple[AdviceItem, ...]
    """Advice from the sources that applies to the whole ladder."""
    completeness: Completeness
    """Whether the verdict is final or provisional, and how much of what decides it is
    answered."""
    period: tuple[str, str]
    """The assessment period (first and last day, ISO)."""
    period_stated: bool
    """Whether the answers file states the period (else: the twelve months up to its date)."""
    require_evidence: bool
    """Required criteria counted as met only with evidence (the rubric's rule or the flag)."""
    basis: str | None = None
    """What the rubric rests on, for a report (the rubric's ``basis``)."""
    measurement_files: tuple[str, ...] = ()
    """The measurement files whose figures the answers use (``measurements:``)."""
    measurement_notes: tuple[MeasurementNote, ...] = ()
    """What every report says about them: answers that differ from their measurement, figures
    not used, a measured period that is not the assessment's."""
    as_of: str | None = None
    """The evaluation date (ISO) when it is not the answers file's ``date`` (``--as-of``)."""
    exceptions: tuple[ExceptionGrant, ...] = ()
    """Every exception that names a criterion of this rubric, active or not, in file order."""
    exceptions_applied: bool = True
    """False under ``--no-exceptions``: the raw answers were evaluated."""
    panel: Panel | None = None
    """The respondents and their agreement, when the answers file hears several people."""
    respondent: Respondent | None = None
    """The one person whose answers the file records, when it is one respondent's interview
    (``respondent:``)."""

    @property
    def evaluated_on(self) -> str:
        """The day evidence and exceptions are judged on (ISO): ``as_of``, else ``date``."""
        return self.as_of or self.date

    def _with_age(self, freshness: Freshness) -> tuple[str, ...]:
        return _unique(
            c.question_id
            for lv in self.levels
            for c in lv.criteria
            if c.evidence_age is not None and c.evidence_age.freshness is freshness
        )

    @property
    def stale(self) -> tuple[str, ...]:
        """Ids of the questions whose evidence is stale, in ladder order."""
        return self._with_age(Freshness.STALE)

    @property
    def expiring(self) -> tuple[str, ...]:
        """Ids of the questions whose evidence is expiring, in ladder order."""
        return self._with_age(Freshness.EXPIRING)

    @property
    def undated(self) -> tuple[str, ...]:
        """Ids of the questions whose evidence is undated, in ladder order."""
        return self._with_age(Freshness.UNDATED)

    @property
    def active_exceptions(self) -> tuple[ExceptionGrant, ...]:
        """The exceptions that decided a criterion's status."""
        return tuple(e for e in self.exceptions if e.state is ExceptionState.ACTIVE)

    @property
    def expired_exceptions(self) -> tuple[ExceptionGrant, ...]:
        """The exceptions whose last day is before the evaluation date."""
        return tuple(e for e in self.exceptions if e.state is ExceptionState.EXPIRED)

    @property
    def measured(self) -> tuple[str, ...]:
        """Ids of the questions answered from a measurement file, in ladder order."""
        return _unique(
            c.question_id for lv in self.levels for c in lv.criteria if c.origin == "measured"
        )

    @property
    def provisional(self) -> bool:
        """The verdict could still rise once the open questions are answered."""
        return self.completeness.provisional

    @property
    def level(self) -> LevelResult | None:
        """The attained level, or None when the company is below the ladder."""
        return self.levels[self.attained - 1] if self.attained else None

    @property
    def next_level(self) -> LevelResult | None:
        """The level just above the attained one, or None at the top."""
        return self.levels[self.attained] if self.attained < len(self.levels) else None

    @property
    def gaps(self) -> tuple[CriterionResult, ...]:
        """What stands before the next level, by impact."""
        return self.roadmap[0].actions if self.roadmap else ()

    @property
    def level_name(self) -> str:
        """The attained level's name, or ``below the ladder``."""
        return self.level.name if self.level else "below the ladder"

    @property
    def standing(self) -> str:
        """Where the company stands, to follow "is" or "places X" in a sentence:
        ``at Exceed expectations``, or ``below the ladder``."""
        return f"at {self.level.name}" if self.level else "below the ladder"

    @property
    def below_ladder(self) -> bool:
        """True when even the lowest level is not met."""
        return self.attained == 0

    @property
    def at_top(self) -> bool:
        """True when every level is attained."""
        return self.attained == len(self.levels)

    @property
    def unanswered(self) -> tuple[str, ...]:
        """Ids of the questions the rubric uses that were not answered, in ladder order."""
        return _unique(
            c.question_id
            for lv in self.levels
            for c in lv.criteria
            if c.status is Status.UNANSWERED
        )

    @property
    def not_applicable(self) -> tuple[str, ...]:
        """Ids of the questions answered n/a, in ladder order."""
        return _unique(
            c.question_id
            for lv in self.levels
            for c in lv.criteria
            if c.status is Status.NOT_APPLICABLE
        )

    @property
    def justifications(self) -> dict[str, str]:
        """Why each question answered n/a does not apply, by question id."""
        return {
            c.question_id: c.justification
            for lv in self.levels
            for c in lv.criteria
            if c.status is Status.NOT_APPLICABLE and c.justification
        }

    def to_dict(self) -> JsonDict:
        """The assessment as plain JSON data: the JSON record (``svclevel assess FILE -f json``)
        without its envelope (``schema_version``, ``kind``, ``tool``).

        Criteria give the answer and the condition both in words (``answer``, ``needed``) and as
        data (``value``, ``threshold``).
        """
        return {
            "rubric": {
                "id": self.rubric_id,
                "version": self.rubric_version,
                "title": self.rubric_title,
                "sources": list(self.sources),
            },
            "company": self.company,
            "date": self.date,
            "assessor": self.assessor,
            "answers_file": self.answers_file,
            "level": self.level.ref_dict() if self.level else None,
            "attained": self.attained,
            "levels_total": len(self.levels),
            "below_ladder": self.below_ladder,
            "at_top": self.at_top,
            "next_level": self.next_level.ref_dict() if self.next_level else None,
            "skipped": [lv.ref_dict() for lv in self.skipped],
            "levels": [lv.to_dict() for lv in self.levels],
            "gaps": [c.to_dict() for c in self.gaps],
            "roadmap": [step.to_dict() for step in self.roadmap],
            "unanswered": list(self.unanswered),
            "not_applicable": list(self.not_applicable),
            "provisional": self.provisional,
            "completeness": self.completeness.to_dict(),
            "period": {"from": self.period[0], "to": self.period[1], "stated": self.period_stated},
            "require_evidence": self.require_evidence,
            "basis": self.basis,
            "advice": [
                {"text": item.text, "source": item.source.to_dict()} for item in self.rubric_advice
            ],
            "evaluated_on": self.evaluated_on,
            "evidence": {
                "stale": list(self.stale),
                "expiring": list(self.expiring),
                "undated": list(self.undated),
            },
            "exceptions": [e.to_dict() for e in self.exceptions],
            "exceptions_applied": self.exceptions_applied,
            "panel": None if self.panel is None else self.panel.to_dict(),
            "respondent": None if self.respondent is None else self.respondent.to_dict(),
            "measurements": {
                "files": list(self.measurement_files),
                "measured": list(self.measured),
                "notes": [
                    {"kind": n.kind, "question_id": n.question_id, "message": n.message}
                    for n in self.measurement_notes
                ],
            },
        }


@dataclass(frozen=True, slots=True)
class CriterionChange:
    """A criterion whose status changed between two assessments on the same rubric."""

    before: CriterionResult
    """The criterion in the earlier assessment."""
    after: CriterionResult
    """The same criterion in the later one."""


def criterion_changes(
    before: Assessment, after: Assessment
) -> tuple[tuple[CriterionChange, ...], tuple[CriterionChange, ...]]:
    """The criteria newly met, and those met before and not now, in ladder order.

    Criteria are paired by level and question; one found on only one side is left out.
    """
    old = {(c.level_id, c.question_id): c for lv in before.levels for c in lv.criteria}
    newly_met: list[CriterionChange] = []
    lost: list[CriterionChange] = []
    for lv in after.levels:
        for c in lv.criteria:
            prev = old.get((c.level_id, c.question_id))
            if prev is None:
                continue
            if prev.status is not Status.MET and c.status is Status.MET:
                newly_met.append(CriterionChange(prev, c))
            elif prev.status is Status.MET and c.status is not Status.MET:
                lost.append(CriterionChange(prev, c))
    return tuple(newly_met), tuple(lost)


@dataclass(frozen=True, slots=True)
class ExceptionChanges:
    """How the exceptions changed between two assessments on the same rubric."""

    added: tuple[ExceptionGrant, ...] = ()
    """Active now, and not active before."""
    removed: tuple[ExceptionGrant, ...] = ()
    """Active before, and in no exceptions file now."""
    expired: tuple[ExceptionGrant, ...] = ()
    """Expired now (the criterion evaluated normally), after being active before or unseen."""
    changed: tuple[tuple[ExceptionGrant, ExceptionGrant], ...] = ()
    """Active before and now, with another effect, span, approver or justification (before,
    after)."""

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.expired or self.changed)

    def lines(self) -> list[str]:
        """One sentence per change, for any format: ``exception added: four-level/meet/x,
        until 2027-01-31 (approved by Dana Ortiz)``."""
        return [
            *(
                f"exception added: {e.criterion}, {e.effect_words} until {e.expires} "
                f"(approved by {e.approved_by})"
                for e in self.added
            ),
            *(f"exception removed: {e.criterion}" for e in self.removed),
            *(
                f"exception expired: {e.criterion}, on {e.expires}; evaluated normally"
                for e in self.expired
            ),
            *(
                f"exception changed: {new.criterion}, now {new.effect_words} from {new.granted} "
                f"until {new.expires} (approved by {new.approved_by}); was {old.effect_words} "
                f"from {old.granted} until {old.expires} (approved by {old.approved_by})"
                for old, new in self.changed
            ),
        ]

    def to_dict(self) -> JsonDict:
        """As in the JSON records of ``diff`` and ``--baseline``."""
        return {
            "added": [e.to_dict() for e in self.added],
            "removed": [e.to_dict() for e in self.removed],
            "expired": [e.to_dict() for e in self.expired],
            "changed": [{"before": b.to_dict(), "after": a.to_dict()} for b, a in self.changed],
        }


def exception_changes(before: Assessment, after: Assessment) -> ExceptionChanges:
    """The exceptions added, removed and expired from ``before`` to ``after``, by criterion."""
    old = {e.criterion: e for e in before.exceptions}
    new = {e.criterion: e for e in after.exceptions}

    def active(e: ExceptionGrant | None) -> bool:
        return e is not None and e.state is ExceptionState.ACTIVE

    return ExceptionChanges(
        added=tuple(e for k, e in new.items() if active(e) and not active(old.get(k))),
        removed=tuple(e for k, e in old.items() if active(e) and k not in new),
        expired=tuple(
            e
            for k, e in new.items()
            if e.state is ExceptionState.EXPIRED
            and (old.get(k) is None or old[k].state is not ExceptionState.EXPIRED)
        ),
        changed=tuple(
            (old[k], e)
            for k, e in new.items()
            if active(e) and active(old.get(k)) and _terms(old[k]) != _terms(e)
        ),
    )


def _terms(e: ExceptionGrant) -> tuple[str, ...]:
    """What an exception grants, and on whose word: its effect, span, approver, reasons."""
    return (e.effect, e.granted, e.expires, e.approved_by, e.justification, e.ticket or "")


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))
