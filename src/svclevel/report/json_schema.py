"""The JSON Schema of svclevel's JSON output, generated from these models.

The models describe exactly what :mod:`svclevel.report.json_records` emits (the assessment
record is :meth:`svclevel.results.Assessment.to_dict` in an envelope); they are only imported
to print or test the schema.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Tool(_Record):
    """The program that produced the record."""

    name: Literal["svclevel"] = "svclevel"
    version: str = Field(description="svclevel's version.")


class RubricRecord(_Record):
    """The rubric an assessment used."""

    id: str
    version: int
    title: str
    sources: list[str] = Field(description="Titles of the texts the rubric paraphrases.")


class LevelRef(_Record):
    """A level, by position and name."""

    index: int = Field(description="1 for the lowest level of the ladder.")
    id: str
    name: str


class Source(_Record):
    """Where a criterion comes from."""

    title: str
    section: str
    lines: str | None = Field(description="The lines of the source text it rests on ('12-14').")
    says: str | None = Field(description="What the source says there, in the rubric's words.")


class YesNoThreshold(_Record):
    """A yes/no criterion: yes is needed."""

    type: Literal["yes_no"]
    equals: Literal[True] = Field(description="The answer needed.")


class ScaleThreshold(_Record):
    """A scale criterion: a label or a better one."""

    type: Literal["scale"]
    at_least: str = Field(description="The worst label that meets the criterion.")


class NumberThreshold(_Record):
    """A numeric criterion: a bound on the value (exactly one of at_least and at_most)."""

    type: Literal["number"]
    at_least: float | None = Field(
        default=None, description="The smallest value that meets the criterion."
    )
    at_most: float | None = Field(
        default=None, description="The largest value that meets the criterion."
    )
    unit: str = Field(description="The unit of the value.")


Threshold = Annotated[
    YesNoThreshold | ScaleThreshold | NumberThreshold, Field(discriminator="type")
]


class DaySpan(_Record):
    """A span of days: the days a measurement or a piece of evidence covers."""

    from_: str = Field(alias="from")
    to: str


class MeasurementRecord(_Record):
    """A figure measured by ``svclevel measure``."""

    value: float | None = Field(description="The figure; null when it is not used.")
    n: int = Field(description="The sample it rests on (tickets, ratings, responses, customers).")
    unit: str
    interval: list[float] | None = Field(description="Its 95 % interval, when it has one.")
    not_used: str | None = Field(description="Why the figure is not used (too small a sample).")
    file: str = Field(description="The measurement file.")
    period: DaySpan
    definition: str


class MeasurementNoteRecord(_Record):
    """Something every report says about the measurements."""

    kind: Literal["differs", "not_used", "period", "measure_warning"]
    question_id: str | None
    message: str


class MeasurementsRecord(_Record):
    """The measurement files an assessment uses."""

    files: list[str]
    measured: list[str] = Field(description="Questions answered from a measurement file.")
    notes: list[MeasurementNoteRecord] = Field(
        description="Answers that differ from their measurement, figures not used, periods "
        "that do not match."
    )


class EvidenceRecord(_Record):
    """One piece of evidence, with its dates (ISO; null when the answers file gives none)."""

    text: str
    as_of: str | None = Field(description="The day the fact was true.")
    period: DaySpan | None
    source: str | None = Field(description="A file or URL.")
    sha256: str | None
    collected: str | None = Field(description="The day the assessor received it.")
    reviewer: str | None
    valid_until: str | None = Field(description="The last day it is current, when given.")


class EvidenceAgeRecord(_Record):
    """How current an answer's evidence is on the evaluation date (its most current item)."""

    status: Literal["fresh", "expiring", "stale", "undated"]
    dated: str | None = Field(description="The day the most current item describes.")
    limit: str | None = Field(description="The last day it is current.")
    max_age_days: int = Field(description="The rubric's maximum age for the question.")
    on_stale: Literal["warn", "fail"] = Field(
        description="warn: stale evidence is a warning; fail: the criterion counts as not met "
        "(as it does with undated evidence, or none)."
    )
    by_valid_until: bool = Field(description="The limit is the item's own valid_until.")


class ExceptionRecord(_Record):
    """An exception granted to a criterion, as it stands on the evaluation date."""

    criterion: str = Field(description="rubric/level/question, or a question id.")
    effect: Literal["not_applicable", "exempt"]
    justification: str
    approved_by: str
    granted: str
    expires: str = Field(description="The last day it applies (inclusive).")
    state: Literal["active", "expired", "pending", "ignored"] = Field(
        description="active: it decides the criterion; expired, pending: the criterion is "
        "evaluated normally; ignored: --no-exceptions."
    )
    file: str = Field(description="The exceptions file.")
    line: int | None
    ticket: str | None


class EvidenceSummaryRecord(_Record):
    """Questions whose evidence is not fresh on the evaluation date."""

    stale: list[str]
    expiring: list[str]
    undated: list[str]


class ExceptionChangeRecord(_Record):
    """An exception whose terms changed: before and after."""

    before: ExceptionRecord
    after: ExceptionRecord


class ExceptionChangesRecord(_Record):
    """Exceptions added, removed and expired between two assessments."""

    added: list[ExceptionRecord]
    removed: list[ExceptionRecord]
    expired: list[ExceptionRecord]
    changed: list[ExceptionChangeRecord] = Field(
        description="Active before and now, with other terms (effect, span, approver)."
    )


class ResponseRecord(_Record):
    """One respondent's answer to a question."""

    respondent: str = Field(description="The respondent's id.")
    group: str | None = Field(description="The respondent's group (management, frontline).")
    answer: str = Field(description="The answer, as text ('—' when they gave none).")
    value: bool | float | str | None = Field(
        description="The answer as data (as the criterion's value); null when they gave none."
    )
    evidence_items: list[EvidenceRecord] = Field(description="The evidence they gave.")
    notes: str | None
    line: int | None = Field(description="Line of the response in the answers file.")


class CountRecord(_Record):
    """An answer and how many respondents gave it."""

    answer: str
    count: int


class DispersionRecord(_Record):
    """How far the respondents' answers spread (null where it does not apply)."""

    range: int | None = Field(description="Scale steps from the lowest to the highest answer.")
    deviation: float | None = Field(
        description="Average absolute deviation from the median, in scale steps."
    )
    deviation_cutoff: float | None = Field(
        description="The deviation above which answers disagree: k/6 for k labels."
    )
    agreement: float | None = Field(
        description="Share of respondents giving the majority yes/no answer, 0.5 to 1."
    )
    group_gap: int | None = Field(
        description="Scale steps between the highest and the lowest group median."
    )


class GroupRecord(_Record):
    """A group's own median (scales) or majority (yes/no) on a question."""

    group: str
    answer: str
    respondents: int = Field(description="How many of the group answered.")


class ResponsesRecord(_Record):
    """Several respondents' answers to one question, combined."""

    responses: list[ResponseRecord] = Field(description="In the order respondents are declared.")
    aggregate: str = Field(description="Their aggregate, as text.")
    method: str = Field(description="How the aggregate was made ('lower median').")
    distribution: list[CountRecord] = Field(
        description="Each answer given and how often, best first."
    )
    consensus: str | None = Field(
        description="The assessor's ruling, which replaces the aggregate as the answer."
    )
    consensus_note: str | None = Field(description="Why the ruling is what it is.")
    dispersion: DispersionRecord
    groups: list[GroupRecord]
    flags: list[Literal["range", "deviation", "agreement", "groups"]] = Field(
        description="Signs of disagreement: range ≥ 2 steps; deviation > k/6; yes/no "
        "agreement < 80 %; group medians ≥ 2 steps apart."
    )


class RespondentRecord(_Record):
    """Someone heard in the assessment."""

    id: str
    role: str | None
    group: str | None


class AlphaRecord(_Record):
    """Krippendorff's alpha over the questions of one kind."""

    metric: Literal["ordinal", "nominal"] = Field(
        description="ordinal over the scale questions, nominal over the yes/no ones."
    )
    questions: int = Field(description="Questions of that kind two or more respondents answered.")
    value: float | None = Field(description="Null when undefined (every answer the same).")
    reading: Literal["reliable", "tentative", "calibrate"] | None = Field(
        description="≥ 0.8 reliable; 0.667 to 0.8 tentative; below, calibrate the respondents."
    )


class PanelRecord(_Record):
    """The respondents of an assessment and how far they agree."""

    respondents: list[RespondentRecord]
    aggregation: Literal["median", "min"] = Field(
        description="median: lower median, majority (a tie is no), median; min: weakest link."
    )
    aggregation_source: Literal["rubric", "--aggregation", "default"]
    rated: int = Field(description="The rubric's questions two or more respondents answered.")
    alpha: list[AlphaRecord] = Field(
        description="By metric; empty with one respondent or fewer than 10 rated questions."
    )
    disputed: list[str] = Field(description="Questions with a disagreement flag, ladder order.")


class CriterionRecord(_Record):
    """One criterion scored against the answers."""

    level_id: str
    question_id: str = Field(description="The key of the answer in the answers file.")
    question: str
    status: Literal["met", "unmet", "unanswered", "n/a", "unevidenced", "stale"]
    answer: str = Field(description="The answer given, as text ('—' when unanswered).")
    value: bool | float | str | None = Field(
        description="The answer given, as data: true or false (yes/no), a scale label or a "
        "number (in the threshold's unit); null when unanswered or n/a (see status)."
    )
    needed: str = Field(description="The answer the criterion needs, as text.")
    threshold: Threshold = Field(description="The answer the criterion needs, as data.")
    weight: float
    required: bool
    tip: str = Field(description="The concrete next step when the criterion is not met.")
    source: Source
    assumption: str | None = Field(description="Why the threshold, when the source has none.")
    benchmark: Source | None = Field(description="The published benchmark behind the threshold.")
    allow_na: str | None = Field(
        description="When the rubric accepts n/a for the criterion; null: it does not."
    )
    evidence: str | None
    notes: str | None
    justification: str | None = Field(description="Why the question does not apply (n/a).")
    line: int | None = Field(description="Line of the answer in the answers file.")
    origin: Literal["self-reported", "measured"] | None = Field(
        description="Where the answer comes from: typed in the answers file (self-reported) or "
        "taken from a measurement file (measured); null when unanswered."
    )
    measurement: MeasurementRecord | None = Field(
        description="The question's measurement, when a measurement file has one (used or not)."
    )
    evidence_items: list[EvidenceRecord] = Field(description="The evidence, item by item.")
    evidence_age: EvidenceAgeRecord | None = Field(
        description="How current the evidence is; null for an answer without evidence."
    )
    exception: ExceptionRecord | None = Field(
        description="The exception naming the criterion, active or not."
    )
    raw_status: Literal["met", "unmet", "unanswered", "n/a", "unevidenced", "stale"] | None = Field(
        description="The status without the exception, when an active one changed it."
    )
    responses: ResponsesRecord | None = Field(
        description="Several respondents' answers, when the answer is their aggregate or a "
        "consensus."
    )


class LevelRecord(_Record):
    """One level of the ladder, scored."""

    index: int
    id: str
    name: str
    floor: bool = Field(description="A floor level has no criteria; every company stands on it.")
    met: bool = Field(description="Met on its own (lower levels not considered).")
    counted: bool = Field(description="Met together with every level below it.")
    score: float = Field(description="Met weight over applicable weight, 0 to 1.")
    met_weight: float
    applicable_weight: float = Field(description="Weight of the criteria not answered n/a.")
    pass_mark: float
    criteria: list[CriterionRecord]


class RoadmapRecord(_Record):
    """The work to reach one level above the attained one."""

    level: LevelRef
    reason: str = Field(description="What stands between the company and this level.")
    actions: list[CriterionRecord] = Field(description="The gaps, required first, then by weight.")


class CompletenessRecord(_Record):
    """How much of what decides the verdict is answered."""

    provisional: bool
    answered: int = Field(description="Deciding questions answered.")
    deciding: int = Field(
        description="Questions of every level up to the next one (or as high as the open "
        "questions could reach)."
    )
    open: list[str] = Field(description="Deciding questions unanswered.")
    unevidenced: list[str] = Field(description="Deciding answers without the evidence required.")
    stale: list[str] = Field(description="Deciding answers on stale evidence (a fail policy).")
    could_reach: LevelRef | None = Field(
        description="The highest level completing the open questions could reach."
    )


class PeriodRecord(_Record):
    """The assessment period."""

    from_: str = Field(alias="from", description="ISO date of the first day.")
    to: str = Field(description="ISO date of the last day.")
    stated: bool = Field(
        description="Stated in the answers file (else the twelve months up to its date)."
    )


class AdviceRecord(_Record):
    """A tip from a source."""

    text: str
    source: Source


class AssessmentRecord(_Record):
    """The verdict for one company on one rubric."""

    schema_version: Literal[2] = 2
    kind: Literal["assessment"] = "assessment"
    tool: Tool
    rubric: RubricRecord
    company: str
    date: str = Field(description="ISO date of the assessment.")
    assessor: str | None
    answers_file: str
    level: LevelRef | None = Field(description="The attained level; null below the ladder.")
    attained: int = Field(
        description="Levels attained: 0 below the ladder, levels_total at the top."
    )
    levels_total: int
    below_ladder: bool
    at_top: bool
    next_level: LevelRef | None
    skipped: list[LevelRef] = Field(
        description="Levels met on their own above a level that is not met (not counted)."
    )
    levels: list[LevelRecord]
    gaps: list[CriterionRecord] = Field(description="What stands before the next level, by impact.")
    roadmap: list[RoadmapRecord]
    unanswered: list[str]
    not_applicable: list[str]
    provisional: bool = Field(
        description="The verdict could still rise once the open questions are answered."
    )
    completeness: CompletenessRecord
    period: PeriodRecord
    require_evidence: bool = Field(
        description="Required criteria count as met only with evidence (rubric or flag)."
    )
    basis: str | None = Field(description="What the rubric rests on, for a report.")
    advice: list[AdviceRecord] = Field(description="Advice for the whole ladder, from the sources.")
    evaluated_on: str = Field(
        description="The day evidence and exceptions are judged on: the answers file's date, "
        "or --as-of."
    )
    evidence: EvidenceSummaryRecord
    exceptions: list[ExceptionRecord] = Field(
        description="Every exception naming a criterion of the rubric, active or not."
    )
    exceptions_applied: bool = Field(description="False under --no-exceptions.")
    panel: PanelRecord | None = Field(
        description="The respondents and their agreement; null when the answers file records "
        "one voice."
    )
    respondent: RespondentRecord | None = Field(
        description="The one person the answers file records, when it is one respondent's "
        "interview (respondent:)."
    )
    measurements: MeasurementsRecord


class ProblemRecord(_Record):
    """One problem with an input file."""

    file: str
    line: int | None
    column: int | None
    path: str
    message: str


class ErrorRecord(_Record):
    """An input that could not be assessed."""

    schema_version: Literal[2] = 2
    kind: Literal["error"] = "error"
    tool: Tool
    file: str
    problems: list[ProblemRecord]


Record = Annotated[AssessmentRecord | ErrorRecord, Field(discriminator="kind")]
"""One line of svclevel's JSON output: an assessment or an input that failed."""


def result_schema() -> dict[str, Any]:
    """The JSON Schema of one record of svclevel's JSON output."""
    schema = TypeAdapter(Record).json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "svclevel result",
        "description": "One assessment, or one input that could not be assessed.",
        **schema,
    }


def schema_version() -> int:
    """The ``schema_version`` the models describe (kept equal to json_records.SCHEMA_VERSION)."""
    field = AssessmentRecord.model_fields["schema_version"]
    return int(field.default)


class RubricBrief(_Record):
    """A rubric, by id, version and title."""

    id: str
    version: int
    title: str


class ModelPosition(_Record):
    """Where one rubric places the company."""

    rubric: RubricBrief
    level: LevelRef | None
    attained: int
    levels_total: int
    scale: float = Field(description="Position on the common 0-100 scale.", ge=0, le=100)
    next_level: LevelRef | None
    gaps: int = Field(description="Criteria standing before the next level.")
    provisional: bool = Field(description="The verdict could still rise (open questions).")
    evaluated_on: str = Field(description="The day evidence and exceptions are judged on.")
    evidence: EvidenceSummaryRecord
    exceptions: list[ExceptionRecord] = Field(
        description="Every exception naming a criterion of this rubric, active or not."
    )


class DecidingCriterion(_Record):
    """An answer that explains why two models disagree."""

    level_id: str = Field(description="The lower model's next level.")
    question_id: str
    needed: str
    answer: str
    status: Literal["met", "unmet", "unanswered", "n/a", "unevidenced"]
    required: bool
    other: str = Field(description="What the higher model asks of the same question.")
    value: bool | float | str | None = Field(
        description="The answer as data (see CriterionRecord.value)."
    )
    threshold: Threshold = Field(description="What the lower model's criterion needs, as data.")


class DisagreementRecord(_Record):
    """Two models place the company at different points of the common scale."""

    higher: str
    lower: str
    higher_scale: float
    lower_scale: float
    deciding: list[DecidingCriterion]


class ComparisonRecord(_Record):
    """One company on several rubrics."""

    schema_version: Literal[2] = 2
    kind: Literal["comparison"] = "comparison"
    tool: Tool
    company: str
    answers_file: str
    positions: list[ModelPosition]
    strictest: str = Field(description="The rubric that places the company lowest.")
    disagreements: list[DisagreementRecord]


class LevelName(_Record):
    """A level by id and name."""

    id: str
    name: str


class Counterpart(_Record):
    """The level of another rubric that demands what a reference level demands."""

    rubric: str
    level: LevelRef | None
    scale: float
    shared: list[str] = Field(description="Questions both ask.")
    only_here: list[str] = Field(
        description="Questions of the reference level the other never asks."
    )
    raised_from: LevelName | None = Field(
        description="Where the level's criteria land on their own, when that is below the "
        "counterpart of a lower level (the counterpart is raised to keep the ladders' order)."
    )


class CrosswalkRowRecord(_Record):
    """One level of the reference rubric."""

    level: LevelRef
    scale: float
    counterparts: list[Counterpart]


class CrosswalkRecord(_Record):
    """A reference rubric's levels mapped onto other rubrics."""

    schema_version: Literal[2] = 2
    kind: Literal["crosswalk"] = "crosswalk"
    tool: Tool
    reference: str
    others: list[str]
    rows: list[CrosswalkRowRecord]
    only_there: dict[str, list[str]] = Field(
        description="For each other rubric, the questions it asks that the reference never does."
    )


CompareRecord = Annotated[
    ComparisonRecord | ErrorRecord | CrosswalkRecord, Field(discriminator="kind")
]


def compare_schema() -> dict[str, Any]:
    """The JSON Schema of one record of ``svclevel compare --format json``."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "svclevel compare result",
        "description": "A comparison of one company on several models, an input that could not "
        "be compared, or a crosswalk of rubrics.",
        **TypeAdapter(CompareRecord).json_schema(),
    }


class FileRef(_Record):
    """One of the two answers files of a diff."""

    file: str
    date: str = Field(description="ISO date of that assessment.")
    company: str = Field(description="The company that file names.")


class LevelReached(_Record):
    """Where one assessment of a diff stands on a rubric."""

    attained: int = Field(description="Levels attained: 0 below the ladder.")
    level: str = Field(description="The attained level's name, or 'below the ladder'.")
    provisional: bool = Field(description="The verdict could still rise (open questions).")


class CriterionChangeRecord(_Record):
    """A criterion met on one side of a diff and not on the other."""

    level_id: str
    question_id: str
    before: str = Field(description="The earlier answer, as text ('—' when unanswered).")
    after: str = Field(description="The later answer, as text.")
    needed: str
    value_before: bool | float | str | None = Field(
        description="The earlier answer as data (see CriterionRecord.value)."
    )
    value_after: bool | float | str | None = Field(description="The later answer as data.")
    threshold: Threshold = Field(description="What the criterion needs, as data.")


class RubricDiffRecord(_Record):
    """The change on one rubric."""

    rubric: str
    before: LevelReached
    after: LevelReached
    level_change: int = Field(description="Levels gained (positive) or lost (negative).")
    newly_met: list[CriterionChangeRecord]
    regressed: list[CriterionChangeRecord]
    exceptions: ExceptionChangesRecord


class AnswerChangeRecord(_Record):
    """An answer that differs between the two files."""

    question_id: str
    before: str
    after: str


class DiffRecord(_Record):
    """Two assessments of a company compared (``svclevel diff``)."""

    schema_version: Literal[2] = 2
    kind: Literal["diff"] = "diff"
    tool: Tool
    company: str
    before: FileRef
    after: FileRef
    rubrics: list[RubricDiffRecord]
    answers_changed: list[AnswerChangeRecord]
    warnings: list[str] = Field(
        description="Why this may not read as one company's progress: the files name two "
        "companies, or AFTER is dated before BEFORE."
    )


def diff_schema() -> dict[str, Any]:
    """The JSON Schema of ``svclevel diff --format json``."""
    schema = DiffRecord.model_json_schema()
    del schema["title"]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "svclevel diff result",
        **schema,
    }


StatusValue = Literal["met", "unmet", "unanswered", "n/a", "unevidenced"]
"""A criterion's status, as in CriterionRecord.status."""


class HistoryPointRecord(_Record):
    """Where the company stood on one rubric on one date."""

    date: str = Field(description="ISO date of the answers file.")
    answers_file: str
    attained: int = Field(description="Levels attained: 0 below the ladder.")
    level: LevelRef | None = Field(description="The attained level; null below the ladder.")
    level_name: str = Field(description="The attained level's name, or 'below the ladder'.")
    levels_total: int = Field(description="The levels of the ladder.")
    provisional: bool = Field(description="The verdict could still rise (open questions).")


class HistoryChangeRecord(_Record):
    """A criterion met at one of two consecutive dates and not at the other."""

    level_id: str
    question_id: str
    question: str = Field(description="The question as asked.")
    before: str = Field(description="The earlier answer, as text ('—' when unanswered).")
    after: str = Field(description="The later answer, as text.")
    status_before: StatusValue = Field(description="The criterion's status at the earlier date.")
    status_after: StatusValue = Field(description="Its status at the later date.")
    needed: str


class HistoryStepRecord(_Record):
    """What changed on one rubric from one date to the next."""

    from_: str = Field(alias="from", description="The earlier date.")
    to: str = Field(description="The next date.")
    level_change: int = Field(description="Levels gained (positive) or lost (negative).")
    direction: Literal["up", "down", "same"]
    gained: list[HistoryChangeRecord] = Field(description="Criteria met now and not before.")
    lost: list[HistoryChangeRecord] = Field(description="Criteria met before and not now.")
    exceptions: ExceptionChangesRecord


class HistoryRubricRef(_Record):
    """The rubric a history follows."""

    id: str
    version: int
    title: str


class RubricHistoryRecord(_Record):
    """The company's level on one rubric over time."""

    rubric: HistoryRubricRef
    levels: list[LevelRef] = Field(description="The rubric's levels, lowest first.")
    points: list[HistoryPointRecord] = Field(description="One per date, oldest first.")
    steps: list[HistoryStepRecord] = Field(
        description="One per pair of consecutive dates, oldest first."
    )
    level_change: int = Field(description="Levels gained or lost from the first date to the last.")
    trend: Literal["up", "down", "same"] = Field(description="From the first date to the last.")
    dropped: bool = Field(description="The latest level is below the one of the date before.")


class HistoryRecord(_Record):
    """One company's dated assessments over time (``svclevel history``)."""

    schema_version: Literal[2] = 2
    kind: Literal["history"] = "history"
    tool: Tool
    company: str
    dates: list[str] = Field(description="The answers files' dates, oldest first.")
    files: list[str] = Field(description="The answers files, oldest first.")
    rubrics: list[RubricHistoryRecord]


def history_schema() -> dict[str, Any]:
    """The JSON Schema of ``svclevel history --format json``."""
    schema = HistoryRecord.model_json_schema(by_alias=True)
    del schema["title"]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "svclevel history result",
        **schema,
    }
