"""The engine's one entrance: read an answers file, choose its rubric, check it, score it.

Every command goes through these functions (``assess`` and its batch workers, ``--baseline``,
``compare``, ``diff``, ``validate``'s self-tests), and so does a notebook user: the package
exports them as svclevel's public Python API (see ``docs/api.md``). Nothing here prints.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from svclevel.engine.score import score
from svclevel.errors import InputError, Problem, UsageError
from svclevel.load.checks import AS_DATED, Evaluation
from svclevel.load.exceptions import MAX_DAYS as MAX_EXCEPTION_DAYS
from svclevel.load.rubrics import (
    AnswersDocument,
    LoadedRubric,
    answers_document,
    builtin_rubric_ids,
    check_answers_for,
    known_questions,
    read_answers,
)
from svclevel.load.rubrics import load_rubric as _load_rubric
from svclevel.load.yamlfile import YamlDocument, display_name
from svclevel.models import Aggregation, Question
from svclevel.results import Assessment

if TYPE_CHECKING:
    from svclevel.engine.compare import Comparison, Crosswalk
    from svclevel.engine.diff import Diff
    from svclevel.engine.history import History

Source = str | os.PathLike[str] | Mapping[str, Any]
"""An answers file: a path (``-`` for standard input), or its content as a mapping."""

RubricArg = str | os.PathLike[str] | LoadedRubric
"""A rubric: a built-in id, an id in a rubric folder, a path, or a rubric already loaded."""

Folders = Sequence[str | os.PathLike[str]]
"""``allow_paths``: folders a path named inside a file (an answers file's ``rubric:``, a
rubric's ``extends:``) may also lead into. Always allowed: the referencing file's own folder,
the working directory, the rubric folders and the built-in rubrics."""

DATA_NAME = "<data>"
"""How answers given as a mapping are named in messages."""


@dataclass(frozen=True, slots=True)
class RubricRef:
    """How an assessment's rubric was named: enough to load the same rubric again."""

    ref: str
    """A built-in id, an id in a rubric folder, or a path."""
    base: str | None
    """The folder a relative path is resolved against (the answers file's, when the file named
    the rubric); None for a rubric named on the command line or in the configuration."""
    allow_paths: tuple[str, ...] = ()
    """The folders the reference was allowed to lead into (``allow_paths``)."""

    def load(self, rubric_dirs: Sequence[str | Path] = ()) -> LoadedRubric:
        """The rubric this names (checked as a reference when a file named it)."""
        base = None if self.base is None else Path(self.base)
        return _load_rubric(
            self.ref,
            base=base,
            rubric_dirs=rubric_dirs,
            allow_paths=self.allow_paths,
            referenced=None if base is None else "answers file",
        )


def load_rubric(
    rubric: RubricArg,
    *,
    rubric_dirs: Sequence[str | Path] = (),
    base: str | os.PathLike[str] | None = None,
    allow_paths: Folders = (),
) -> LoadedRubric:
    """A validated rubric: a built-in id (``"four-level"``), an id found in ``rubric_dirs``, or a
    path to a rubric file (relative to ``base`` when given). Raises
    :class:`~svclevel.errors.UsageError` for an unknown id and
    :class:`~svclevel.errors.InputError` (with every problem located) for an invalid file.

    The path given here is trusted; an ``extends:`` inside the file is not: it must lead inside
    the rubric's folder, the working directory, ``rubric_dirs``, the built-in rubrics or
    ``allow_paths``."""
    if isinstance(rubric, LoadedRubric):
        return rubric
    return _load_rubric(
        os.fspath(rubric),
        base=None if base is None else Path(base),
        rubric_dirs=rubric_dirs,
        allow_paths=allow_paths,
    )


def builtin_rubrics() -> tuple[str, ...]:
    """The ids of the built-in rubrics, sorted."""
    return builtin_rubric_ids()


def read(source: Source) -> AnswersDocument:
    """An answers file read and its shape checked (its answers are checked against a rubric)."""
    if isinstance(source, Mapping):
        return answers_document(YamlDocument(DATA_NAME, dict(source), None))
    return read_answers(os.fspath(source))


def _name(source: Source) -> str:
    return DATA_NAME if isinstance(source, Mapping) else display_name(os.fspath(source))


def choose_rubric(
    document: AnswersDocument,
    source: Source,
    *,
    rubric: RubricArg | None,
    default_rubric: RubricArg | None,
    rubric_dirs: Sequence[str | Path],
    allow_paths: Folders = (),
) -> tuple[LoadedRubric, RubricRef | None]:
    """The rubric an answers file is assessed on: ``rubric`` if given, else the file's
    ``rubric:``, else ``default_rubric``. A rubric the file names that cannot be loaded is a
    problem of the file (at its ``rubric:`` line), and so is a path there that is not a regular
    file inside the file's folder, the working directory, ``rubric_dirs``, the built-in rubrics
    or ``allow_paths``."""
    named = document.default_rubric
    allowed = tuple(os.fspath(p) for p in allow_paths)
    if rubric is None and named is not None:
        folder = Path(os.fspath(source)).parent if not isinstance(source, Mapping) else None
        try:
            loaded = _load_rubric(
                named,
                base=folder,
                rubric_dirs=rubric_dirs,
                allow_paths=allowed,
                referenced="answers file",
            )
        except UsageError as exc:
            raise InputError([document.doc.problem(("rubric",), str(exc))]) from None
        return loaded, RubricRef(named, None if folder is None else str(folder), allowed)
    chosen = rubric if rubric is not None else default_rubric
    if chosen is None:
        missing = Problem(
            _name(source),
            None,
            None,
            "",
            "no rubric chosen: pass --rubric ID|PATH or add 'rubric: ID' to the file "
            f"(built-in: {', '.join(builtin_rubric_ids())})",
        )
        raise InputError([*document.shape_problems, missing])
    loaded = load_rubric(chosen, rubric_dirs=rubric_dirs, allow_paths=allowed)
    ref = None if isinstance(chosen, LoadedRubric) else RubricRef(os.fspath(chosen), None, allowed)
    return loaded, ref


def assess_document(
    document: AnswersDocument,
    source: Source,
    *,
    rubric: RubricArg | None = None,
    default_rubric: RubricArg | None = None,
    rubric_dirs: Sequence[str | Path] = (),
    allow_paths: Folders = (),
    require_evidence: bool = False,
    measurements: Sequence[str | os.PathLike[str]] = (),
    evaluation: Evaluation = AS_DATED,
) -> tuple[Assessment, RubricRef | None]:
    """:func:`assess` for a document already read; also says how its rubric was named."""
    loaded, ref = choose_rubric(
        document,
        source,
        rubric=rubric,
        default_rubric=default_rubric,
        rubric_dirs=rubric_dirs,
        allow_paths=allow_paths,
    )
    checked = check_answers_for(
        document,
        loaded,
        measurements=[os.fspath(m) for m in measurements],
        allow_paths=[os.fspath(p) for p in allow_paths],
        evaluation=evaluation,
    )
    return score(loaded, checked, require_evidence=require_evidence), ref


def assess(
    source: Source,
    rubric: RubricArg | None = None,
    *,
    default_rubric: RubricArg | None = None,
    rubric_dirs: Sequence[str | Path] = (),
    allow_paths: Folders = (),
    require_evidence: bool = False,
    measurements: Sequence[str | os.PathLike[str]] = (),
    as_of: datetime.date | str | None = None,
    exceptions: bool = True,
    exception_files: Sequence[str | os.PathLike[str]] = (),
    max_exception_days: int = MAX_EXCEPTION_DAYS,
    aggregation: Aggregation | None = None,
) -> Assessment:
    """Assess one company: the level reached on the ladder, every criterion, the gaps.

    ``source`` is an answers file (a path, or ``-`` for standard input) or its content as a
    mapping (``{"company": ..., "date": ..., "answers": {...}}``). The rubric is ``rubric``
    when given, else the one the file names with ``rubric:``, else ``default_rubric``.

    ``require_evidence``: a required criterion counts as met only when its answer carries
    evidence (otherwise it is *unevidenced* and the verdict provisional), as when the rubric
    sets ``require_evidence`` itself.

    An ``n/a`` answer is accepted only for a criterion whose rubric says when (``allow_na``),
    and then only with a ``justification``.

    Measured figures (``svclevel measure``) come from the measurement files the answers file
    names under ``measurements:`` and from ``measurements``: a number question left unanswered
    takes the measured value (its criterion's ``origin`` is ``measured``); an answer given is
    kept and compared with it, and a difference beyond the tolerance is in
    ``Assessment.measurement_notes``.

    Evidence and exceptions are judged on ``as_of`` (a date or ``YYYY-MM-DD``; default: the
    file's ``date``, never the clock, so a result does not change overnight). Evidence older
    than the rubric's ``evidence_policy`` allows is *stale* (under an ``on_stale: fail`` rule
    its criterion counts as not met). The exceptions of the files the answers file names
    (``exceptions:``) and of ``exception_files`` apply from ``granted`` to ``expires``;
    ``exceptions=False`` evaluates the raw answers. Each criterion says its
    ``evidence_age`` and ``exception``.

    A path the file names (``rubric:``, and a rubric's ``extends:``) is untrusted: it must lead,
    its symbolic links resolved, to a regular file inside the file's own folder, the working
    directory, ``rubric_dirs``, the built-in rubrics or one of ``allow_paths``.

    Answers heard from several respondents (``respondents:`` and each question's
    ``responses``) are combined by ``aggregation`` (``median`` or ``min``, the weakest link;
    default: the rubric's ``aggregation``), or replaced by the file's ``consensus``; each
    criterion's ``responses`` gives the distribution and the disagreement flags, and
    ``Assessment.panel`` the respondents and Krippendorff's alpha.

    Raises :class:`~svclevel.errors.InputError` listing every problem of the file (each with
    its line and column) and :class:`~svclevel.errors.UsageError` for an unknown rubric.
    """
    document = read(source)
    return assess_document(
        document,
        source,
        rubric=rubric,
        default_rubric=default_rubric,
        rubric_dirs=rubric_dirs,
        allow_paths=allow_paths,
        require_evidence=require_evidence,
        measurements=measurements,
        evaluation=evaluation_of(
            as_of, exceptions, exception_files, max_exception_days, aggregation
        ),
    )[0]


def parse_day(text: str, name: str) -> datetime.date:
    """A day written YYYY-MM-DD (as in the files), else a :class:`UsageError` naming ``name``."""
    try:
        if not _ISO_DAY.fullmatch(text.strip()):
            raise ValueError(text)
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{name} {text}: expected a date such as 2026-10-01") from None


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def evaluation_of(
    as_of: datetime.date | str | None = None,
    exceptions: bool = True,
    exception_files: Sequence[str | os.PathLike[str]] = (),
    max_exception_days: int = MAX_EXCEPTION_DAYS,
    aggregation: Aggregation | None = None,
) -> Evaluation:
    """The evaluation settings of the public functions' arguments, checked."""
    if aggregation not in (None, "median", "min"):
        raise UsageError(f"aggregation: expected 'median' or 'min', got {aggregation!r}")
    if isinstance(as_of, datetime.datetime) or not isinstance(
        as_of, datetime.date | str | type(None)
    ):
        raise UsageError(f"as_of: expected a date or YYYY-MM-DD, got {as_of!r}")
    if isinstance(as_of, str):
        as_of = parse_day(as_of, "as_of:")
    if isinstance(exception_files, str | os.PathLike):
        exception_files = [exception_files]
    if (
        isinstance(max_exception_days, bool)
        or not isinstance(max_exception_days, int)
        or not 1 <= max_exception_days <= 3660
    ):
        raise UsageError(
            f"max_exception_days: expected a whole number of days from 1 to 3660, got "
            f"{max_exception_days!r}"
        )
    return Evaluation(
        as_of=as_of,
        exceptions=exceptions,
        exception_files=tuple(os.fspath(f) for f in exception_files),
        max_exception_days=max_exception_days,
        aggregation=aggregation,
    )


def _folders(allow_paths: Folders) -> list[str]:
    return [os.fspath(p) for p in allow_paths]


def _rubrics(
    rubrics: RubricArg | Iterable[RubricArg] | None,
    rubric_dirs: Sequence[str | Path],
    allow_paths: Folders = (),
) -> list[LoadedRubric]:
    refs: list[RubricArg]
    if rubrics is None:
        refs = list(builtin_rubric_ids())
    elif isinstance(rubrics, str | os.PathLike | LoadedRubric):
        refs = [rubrics]
    else:
        refs = list(rubrics)
    if not refs:
        raise UsageError("no rubric to use: name at least one")
    return [load_rubric(r, rubric_dirs=rubric_dirs, allow_paths=allow_paths) for r in refs]


def assess_on(
    document: AnswersDocument,
    rubrics: Sequence[LoadedRubric],
    known: Mapping[str, Question] | None = None,
    *,
    require_evidence: bool = False,
    allow_paths: Folders = (),
    evaluation: Evaluation = AS_DATED,
) -> list[Assessment]:
    """One answers file assessed on each of ``rubrics`` (all of its problems at once); it may
    answer the questions of any of them (``known``: :func:`known_questions` of ``rubrics``,
    when the caller assesses many files on the same rubrics)."""
    if known is None:
        known = known_questions(rubrics)
    return [
        score(
            r,
            check_answers_for(
                document, r, also=known, allow_paths=_folders(allow_paths), evaluation=evaluation
            ),
            require_evidence=require_evidence,
        )
        for r in rubrics
    ]


def compare(
    source: Source,
    rubrics: RubricArg | Iterable[RubricArg] | None = None,
    *,
    rubric_dirs: Sequence[str | Path] = (),
    allow_paths: Folders = (),
    require_evidence: bool = False,
    as_of: datetime.date | str | None = None,
    exceptions: bool = True,
    exception_files: Sequence[str | os.PathLike[str]] = (),
    aggregation: Aggregation | None = None,
) -> Comparison:
    """One company on several ladder models side by side (default: every built-in rubric);
    ``as_of``, the exceptions and ``aggregation`` as for :func:`assess`."""
    from svclevel.engine.compare import compare as compare_assessments

    loaded = _rubrics(rubrics, rubric_dirs, allow_paths)
    assessed = assess_on(
        read(source),
        loaded,
        require_evidence=require_evidence,
        allow_paths=allow_paths,
        evaluation=evaluation_of(as_of, exceptions, exception_files, aggregation=aggregation),
    )
    return compare_assessments(assessed, loaded)


def crosswalk(
    rubrics: RubricArg | Iterable[RubricArg] | None = None,
    *,
    rubric_dirs: Sequence[str | Path] = (),
    allow_paths: Folders = (),
) -> Crosswalk:
    """How the levels of several rubrics line up, from their own criteria; the first rubric is
    the reference (default: every built-in rubric)."""
    from svclevel.engine.compare import crosswalk as crosswalk_rubrics

    loaded = _rubrics(rubrics, rubric_dirs, allow_paths)
    return crosswalk_rubrics(loaded[0], loaded[1:] or loaded[:1])


def diff(
    before: Source,
    after: Source,
    rubrics: RubricArg | Iterable[RubricArg] | None = None,
    *,
    default_rubric: RubricArg | None = None,
    rubric_dirs: Sequence[str | Path] = (),
    allow_paths: Folders = (),
    require_evidence: bool = False,
    exceptions: bool = True,
    exception_files: Sequence[str | os.PathLike[str]] = (),
    max_exception_days: int = MAX_EXCEPTION_DAYS,
    aggregation: Aggregation | None = None,
) -> Diff:
    """Progress between two assessments of a company: level changes per rubric, criteria newly
    met and regressed, and every answer that changed. Default rubrics: the later file's, else
    ``default_rubric``, else every built-in rubric. ``require_evidence`` as for
    :func:`assess`; each file is evaluated on its own date, with its exceptions (and
    ``exception_files``), and the diff lists the exceptions added, removed and expired."""
    from svclevel.engine.diff import diff as diff_answers

    old, new = read(before), read(after)
    if rubrics is None and (new.default_rubric is not None or default_rubric is not None):
        # The later file's rubric, else the default, as assess would choose.
        loaded = [
            choose_rubric(
                new,
                after,
                rubric=None,
                default_rubric=default_rubric,
                rubric_dirs=rubric_dirs,
                allow_paths=allow_paths,
            )[0]
        ]
    else:
        loaded = _rubrics(rubrics, rubric_dirs, allow_paths)
    # Either file may answer the questions of any of the rubrics (custom ones add questions).
    known = known_questions(loaded)
    # Checked against every rubric: each says where it accepts n/a.
    folders = _folders(allow_paths)
    evaluation = evaluation_of(None, exceptions, exception_files, max_exception_days, aggregation)
    checked_old = [
        check_answers_for(old, r, also=known, allow_paths=folders, evaluation=evaluation)
        for r in loaded
    ]
    checked_new = [
        check_answers_for(new, r, also=known, allow_paths=folders, evaluation=evaluation)
        for r in loaded
    ]
    return diff_answers(checked_old, checked_new, loaded, require_evidence=require_evidence)


def history(
    sources: Iterable[Source],
    rubrics: RubricArg | Iterable[RubricArg] | None = None,
    *,
    default_rubric: RubricArg | None = None,
    rubric_dirs: Sequence[str | Path] = (),
    allow_paths: Folders = (),
    require_evidence: bool = False,
    exceptions: bool = True,
    exception_files: Sequence[str | os.PathLike[str]] = (),
    max_exception_days: int = MAX_EXCEPTION_DAYS,
    aggregation: Aggregation | None = None,
) -> History:
    """One company's level over time: ``sources`` are at least two answers files of the same
    company, each of its own date, in any order. Per rubric, the level at each date, the
    criteria gained and lost between consecutive dates, and the trend from the first date to
    the last. Default rubrics: those the files name, else ``default_rubric``, else every
    built-in rubric. ``require_evidence`` and the exceptions as for :func:`assess`; each file
    is evaluated on its own date.

    Raises :class:`~svclevel.errors.InputError` with the problems of every file at once (a file
    of another company, at its ``company:`` line; two files of one date, at the later one's
    ``date:``) and :class:`~svclevel.errors.UsageError` for fewer than two files."""
    documents: list[tuple[Source, AnswersDocument]] = []
    problems: list[Problem] = []
    for source in sources:
        try:
            documents.append((source, read(source)))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return history_of(
        documents,
        rubrics,
        default_rubric=default_rubric,
        rubric_dirs=rubric_dirs,
        allow_paths=allow_paths,
        require_evidence=require_evidence,
        evaluation=evaluation_of(
            None, exceptions, exception_files, max_exception_days, aggregation
        ),
    )


def history_of(
    documents: Sequence[tuple[Source, AnswersDocument]],
    rubrics: RubricArg | Iterable[RubricArg] | None = None,
    *,
    default_rubric: RubricArg | None = None,
    rubric_dirs: Sequence[str | Path] = (),
    allow_paths: Folders = (),
    require_evidence: bool = False,
    evaluation: Evaluation = AS_DATED,
) -> History:
    """:func:`history` for answers files already read (each with the source it was read from,
    against which a ``rubric:`` path it names is resolved)."""
    from svclevel.engine.history import MIN_FILES, timeline_problems, too_few
    from svclevel.engine.history import history as timeline

    if len(documents) < MIN_FILES:
        raise too_few([_name(source) for source, _ in documents])
    problems: list[Problem] = list(timeline_problems([doc for _, doc in documents]))
    if rubrics is None:
        named: dict[str, LoadedRubric] = {}
        for source, doc in documents:
            if doc.default_rubric is None:
                continue
            try:
                loaded, _ = choose_rubric(
                    doc,
                    source,
                    rubric=None,
                    default_rubric=None,
                    rubric_dirs=rubric_dirs,
                    allow_paths=allow_paths,
                )
            except InputError as exc:
                problems += exc.problems
                continue
            named.setdefault(loaded.id, loaded)
        if named:
            chosen = list(named.values())
        elif default_rubric is not None:
            chosen = [load_rubric(default_rubric, rubric_dirs=rubric_dirs, allow_paths=allow_paths)]
        else:
            chosen = _rubrics(None, rubric_dirs, allow_paths)
    else:
        chosen = _rubrics(rubrics, rubric_dirs, allow_paths)
    known = known_questions(chosen)
    assessed = []
    for _, doc in documents:
        try:
            assessed.append(
                assess_on(
                    doc,
                    chosen,
                    known,
                    require_evidence=require_evidence,
                    allow_paths=allow_paths,
                    evaluation=dataclasses.replace(evaluation, as_of=None),
                )
            )
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return timeline(assessed)
