"""Load the question bank, rubrics (built-in or from a path) and answers files.

The built-in rubrics live in the top-level ``rubrics/`` folder of the repository, which the
wheel ships as ``svclevel/rubrics``; they are found through :mod:`importlib.resources`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import functools
import os
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from svclevel.errors import InputError, Problem, UsageError, did_you_mean
from svclevel.load.checks import (
    AS_DATED,
    Answers,
    Evaluation,
    build_answers,
    check_answer_values,
    check_evidence_dates,
    check_not_applicable,
    check_question_ids,
    check_rubric,
    parse_answers,
    raise_if,
    validate_model,
)
from svclevel.load.respondents import check_respondents
from svclevel.load.yamlfile import (
    YamlDocument,
    gc_paused,
    load_yaml_file,
    not_regular,
    parse_yaml,
)
from svclevel.models import AnswersFile, Question, QuestionBank, Rubric, RubricExtension

if TYPE_CHECKING:
    from svclevel.load.ladder import ScoringPlan

QUESTIONS_FILE = "questions.yaml"


@dataclass(frozen=True)
class LoadedRubric:
    """A validated rubric together with every question it can use."""

    rubric: Rubric
    questions: dict[str, Question]
    """The shared bank plus the rubric's own questions, by id."""
    origin: str
    """Where it came from: ``built-in`` or the path the user gave."""
    located: YamlDocument | None = field(default=None, compare=False, repr=False)
    """For a rubric that extends another: its file, answering for locations in the merged
    rubric (lints use it to point at the right line)."""
    read_from: tuple[tuple[str, tuple[int, int]], ...] = field(
        default=(), compare=False, repr=False
    )
    """The files it was built from (its own, then those it extends) with the modification
    stamp each had: a file that changed since means the rubric must be read again."""

    @property
    def id(self) -> str:
        """The rubric's id."""
        return self.rubric.id

    @property
    def title(self) -> str:
        """The rubric's title."""
        return self.rubric.title

    @functools.cached_property
    def scoring_plan(self) -> ScoringPlan:
        """What scoring needs that does not depend on the answers, worked out once."""
        from svclevel.load.ladder import plan_scoring

        return plan_scoring(self.rubric, self.questions)


def rubrics_dir() -> Traversable:
    """The folder of built-in rubrics: inside the installed package, or the source checkout."""
    packaged = resources.files("svclevel").joinpath("rubrics")
    if packaged.is_dir():
        return packaged
    # An editable install of a source checkout: the rubrics sit at the repository's top level.
    checkout = Path(__file__).resolve().parents[3] / "rubrics"
    if checkout.is_dir():
        return checkout
    raise RuntimeError("svclevel is installed without its rubrics folder")  # pragma: no cover


def _read_builtin(name: str) -> str:
    return rubrics_dir().joinpath(name).read_text(encoding="utf-8")


@functools.cache
def load_bank() -> dict[str, Question]:
    """The shared question bank, validated once per process."""
    name = f"rubrics/{QUESTIONS_FILE}"
    doc = parse_yaml(_read_builtin(QUESTIONS_FILE), name)
    bank, problems = validate_model(doc, QuestionBank)
    if bank is not None:
        problems = check_question_ids(doc, bank.questions, ("questions",))
    raise_if(problems)
    assert bank is not None
    return {q.id: q for q in bank.questions}


@functools.cache
def builtin_rubric_ids() -> tuple[str, ...]:
    """Ids of the built-in rubrics (their file names), sorted."""
    names = [
        entry.name.removesuffix(".yaml")
        for entry in rubrics_dir().iterdir()
        if entry.name.endswith(".yaml") and entry.name != QUESTIONS_FILE
    ]
    return tuple(sorted(names))


@functools.cache
def _load_builtin(rubric_id: str) -> LoadedRubric:
    name = f"rubrics/{rubric_id}.yaml"
    return _validate_rubric(parse_yaml(_read_builtin(f"{rubric_id}.yaml"), name), "built-in")


MAX_EXTENDS_DEPTH = 16
"""How many ``extends`` svclevel follows in a row. Published ladders extend one or two others;
sixteen leaves room for any sensible layering, while a longer chain (each link a file to read and
validate, and a frame on the stack) is a mistake or an attack, refused at its ``extends:`` line."""

RUBRIC_KEYS = frozenset(Rubric.model_fields) | frozenset(RubricExtension.model_fields)
"""The top-level keys of a rubric (full or extending): a file with none of them is no rubric."""

Referrer = Literal["answers file", "rubric", "configuration file"]
"""The kind of file a reference was read from (an answers file's ``rubric:``, a rubric's
``extends:``, a configuration file's ``rubric``): it is untrusted, so the path it names must stay
inside the allowed folders."""

_WHAT_TO_DO: dict[str, str] = {
    "answers file": "name it on the command line with --rubric, or allow its folder with "
    "--allow-path DIR",
    "rubric": "allow its folder with --allow-path DIR",
    "configuration file": "name it with --rubric or SVCLEVEL_RUBRIC",
}


@dataclass(frozen=True, slots=True)
class Reach:
    """The folders a path named inside a file may lead into, besides that file's own folder:
    the working directory (the checked-out project), the rubric folders, the built-in rubrics
    and the folders the user allowed (``--allow-path``), each with its symbolic links resolved.
    """

    roots: tuple[Path, ...]

    @classmethod
    def of(
        cls,
        rubric_dirs: Sequence[str | Path] = (),
        allow_paths: Sequence[str | os.PathLike[str]] = (),
    ) -> Reach:
        """The reach of a run with these rubric folders and allowed folders."""
        return _reach_of(
            os.getcwd(),  # noqa: PTH109 - part of the cache key, as a string
            tuple(map(str, rubric_dirs)),
            tuple(os.fspath(p) for p in allow_paths),
        )

    def admits(self, path: Path, folder: Path | None) -> bool:
        """Whether ``path``, its symbolic links resolved, lies inside ``folder`` (the
        referencing file's) or one of the roots."""
        real = _real(path)
        roots = self.roots if folder is None else (_real(folder), *self.roots)
        return any(real.is_relative_to(root) for root in roots)


@functools.lru_cache(maxsize=16)
def _reach_of(cwd: str, rubric_dirs: tuple[str, ...], allow_paths: tuple[str, ...]) -> Reach:
    """:meth:`Reach.of`, worked out once per working directory and folders (a batch loads its
    rubric once per file)."""
    here = Path(cwd)
    # Run from / (a container's default), the working directory would admit every file.
    folders = [here] if here.parent != here else []
    folders += [Path(cwd, d) for d in (*rubric_dirs, *allow_paths)]
    builtin = rubrics_dir()
    if isinstance(builtin, Path):
        folders.append(builtin)
    return Reach(tuple(dict.fromkeys(_real(f) for f in folders)))


def _real(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a loop of symbolic links: the path as it is, absolute
        return path.absolute()


class _ChainError(UsageError):
    """An ``extends`` chain that closes a cycle or goes too deep (not yet located)."""


class _ChainProblem(InputError):
    """:class:`_ChainError` located at the ``extends:`` line that closes or overflows the chain;
    reported as it is by the rubrics that extend that one (not as their own invalid base)."""


def _check_reference(
    path: Path,
    ref: str,
    folder: Path | None,
    reach: Reach,
    by: Referrer,
    *,
    what: str = "rubric file",
    todo: str | None = None,
) -> None:
    """Refuse a path named inside a file unless it is a regular file in the allowed folders.

    Checked before anything is opened (a named pipe would block, a device never end); raised as
    a :class:`UsageError` that the caller locates at the line of the reference."""
    if not reach.admits(path, folder):
        real = _real(path)
        leads = f" (it leads to {real})" if real != Path(os.path.abspath(path)) else ""  # noqa: PTH100
        todo = todo or _WHAT_TO_DO[by]
        raise UsageError(
            f"{ref} is outside the folders svclevel reads from (the {by}'s folder, the working "
            f"directory, the rubric folders, the built-in rubrics){leads}; {todo}"
        )
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise UsageError(f"{ref}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{ref}: cannot read: {exc.strerror}") from None
    if stat.S_ISDIR(mode):
        article = "an" if what[0] in "aeiou" else "a"
        raise UsageError(f"{ref}: is a directory, not {article} {what}")
    why = not_regular(mode)
    if why is not None:
        raise UsageError(f"{ref}: {why.partition(';')[0]}")


def check_named_file(
    path: Path, ref: str, folder: Path, reach: Reach, *, what: str, flag: str | None = None
) -> None:
    """Refuse a file an answers file names (``what``: a measurement file, an exceptions file,
    an evidence source) unless it is a regular file inside the answers file's folder or the
    folders svclevel reads from (:class:`UsageError`); ``flag`` names it from the command line
    instead."""
    instead = f"name it on the command line with {flag}, or " if flag else ""
    _check_reference(
        path,
        ref,
        folder,
        reach,
        "answers file",
        what=what,
        todo=f"{instead}allow its folder with --allow-path DIR",
    )


def check_reference(
    ref: str, *, folder: Path, rubric_dirs: Sequence[str | Path] = (), by: Referrer
) -> None:
    """Refuse ``ref``, named in a file of ``folder``, if it is a path that leads out of the
    allowed folders or to anything but a regular file (:class:`UsageError`); ids pass."""
    path = Path(ref)
    if ref in builtin_rubric_ids() or not (
        ref.endswith((".yaml", ".yml")) or "/" in ref or "\\" in ref or path.exists()
    ):
        return
    _check_reference(path, ref, folder, Reach.of(rubric_dirs), by)


def validate_rubric_document(
    doc: YamlDocument,
    origin: str,
    *,
    folder: Path | None = None,
    chain: tuple[str, ...] = (),
    reach: Reach | None = None,
) -> LoadedRubric:
    """Validate a parsed rubric document against the models and the question bank.

    A rubric that ``extends`` another is merged with it first (``folder`` resolves a relative
    ``extends``, which must lead inside ``folder`` or ``reach``; ``chain`` holds the files
    being resolved, to refuse cycles).
    """
    return _validate_rubric(doc, origin, folder=folder, chain=chain, reach=reach or Reach.of())


def _validate_rubric(
    doc: YamlDocument,
    origin: str,
    *,
    folder: Path | None = None,
    chain: tuple[str, ...] = (),
    reach: Reach | None = None,
) -> LoadedRubric:
    with gc_paused():
        return _validate_rubric_now(
            doc, origin, folder=folder, chain=chain, reach=reach or Reach.of()
        )


def _validate_rubric_now(
    doc: YamlDocument, origin: str, *, folder: Path | None, chain: tuple[str, ...], reach: Reach
) -> LoadedRubric:
    if isinstance(doc.data, dict) and "extends" in doc.data:
        return _validate_extension(doc, origin, folder=folder, chain=chain, reach=reach)
    rubric, problems = validate_model(doc, Rubric)
    if rubric is None:
        raise InputError(problems)
    bank = load_bank()
    raise_if(check_rubric(doc, rubric, bank))
    return LoadedRubric(
        rubric=rubric,
        questions={**bank, **{q.id: q for q in rubric.questions}},
        origin=origin,
    )


def _validate_extension(
    doc: YamlDocument, origin: str, *, folder: Path | None, chain: tuple[str, ...], reach: Reach
) -> LoadedRubric:
    from svclevel.load.extends import merge

    extension, problems = validate_model(doc, RubricExtension)
    if extension is None:
        raise InputError(problems)
    try:
        base = load_rubric(
            extension.extends, base=folder, referenced="rubric", _chain=chain, _reach=reach
        )
    except _ChainProblem:
        raise  # said once, where the chain closes or overflows
    except UsageError as exc:
        kind = _ChainProblem if isinstance(exc, _ChainError) else InputError
        raise kind([doc.problem(("extends",), str(exc))]) from None
    except InputError as exc:
        raise InputError(
            [doc.problem(("extends",), f"the extended rubric is invalid: {exc.problems[0]}")]
        ) from None
    merged, located, problems = merge(doc, extension, base.rubric)
    if merged is None:
        raise InputError(problems)
    bank = load_bank()
    raise_if(check_rubric(located, merged, bank))
    return LoadedRubric(
        rubric=merged,
        questions={**bank, **{q.id: q for q in merged.questions}},
        origin=origin,
        located=located,
        read_from=base.read_from,
    )


def load_rubric(
    ref: str,
    *,
    base: Path | None = None,
    rubric_dirs: Sequence[str | Path] = (),
    allow_paths: Sequence[str | os.PathLike[str]] = (),
    referenced: Referrer | None = None,
    _chain: tuple[str, ...] = (),
    _reach: Reach | None = None,
) -> LoadedRubric:
    """Load a rubric named by a built-in id, an id found in ``rubric_dirs``, or a path.

    ``base`` is the folder relative paths are resolved against (the answers file's folder when
    the rubric is named inside an answers file). Files are read once per process and again
    only when they change.

    ``referenced`` says the name was read from a file (untrusted, unlike a name the user typed):
    then the file it leads to, its symbolic links resolved, must be a regular file inside
    ``base``, the working directory, ``rubric_dirs``, the built-in rubrics or ``allow_paths``,
    else a :class:`UsageError` (for the caller to locate at the reference). An ``extends`` is
    always such a reference, checked the same way from its rubric's folder.
    """
    if ref in builtin_rubric_ids():
        return _load_builtin(ref)
    reach = _reach if _reach is not None else Reach.of(rubric_dirs, allow_paths)
    looks_like_path = ref.endswith((".yaml", ".yml")) or "/" in ref or "\\" in ref
    path = Path(ref)
    if base is not None and not path.is_absolute() and (base / path).exists():
        path = base / path  # relative to the answers file, wherever svclevel runs from
    if looks_like_path or path.exists():
        if referenced is not None:
            _check_reference(path, ref, base, reach, referenced)
        return _load_rubric_file(path, ref, _chain, reach)
    for folder in rubric_dirs:
        for suffix in (".yaml", ".yml"):
            candidate = Path(folder) / f"{ref}{suffix}"
            if candidate.is_file():
                if referenced is not None:
                    _check_reference(candidate, ref, base, reach, referenced)
                return _load_rubric_file(candidate, str(candidate), _chain, reach)
    known = [*builtin_rubric_ids(), *_ids_in(rubric_dirs)]
    where = "; rubric folders: " + ", ".join(map(str, rubric_dirs)) if rubric_dirs else ""
    raise UsageError(
        f"unknown rubric '{ref}'{did_you_mean(ref, known)} "
        f"(built-in: {', '.join(builtin_rubric_ids())}{where}; or give a path to a rubric file)"
    )


def rubric_ids_in(folders: Sequence[str | Path]) -> list[str]:
    """The ids of the rubrics in ``folders`` (their file names), sorted, each once; a built-in
    id found there is left out (the built-in rubric is the one an id names)."""
    builtin = set(builtin_rubric_ids())
    return sorted({i for i in _ids_in(folders) if i not in builtin})


def _ids_in(folders: Sequence[str | Path]) -> list[str]:
    ids = []
    for folder in folders:
        with contextlib.suppress(OSError):
            ids += [p.stem for p in Path(folder).iterdir() if p.suffix in (".yaml", ".yml")]
    return ids


_FILE_CACHE: dict[tuple[str, str, Reach], LoadedRubric] = {}
"""Rubric files already validated in this process (a batch names the same few again and again),
each kept while none of the files it was built from has changed."""
_FILE_CACHE_MAX = 64


def _stamp(path: str | Path) -> tuple[int, int]:
    try:
        info = Path(path).stat()
    except OSError:
        return (0, 0)  # the read reports the OS error
    return (info.st_mtime_ns, info.st_size)


def _not_a_rubric(doc: YamlDocument, shown: str) -> None:
    """Refuse a mapping that is not a rubric at all, without quoting it: a file named as a
    rubric may be anything (``/etc/shadow``), and its keys are its content."""
    if not isinstance(doc.data, dict) or {"levels", "id", "extends"} & doc.data.keys():
        return
    if "company" in doc.data or "answers" in doc.data:
        message = "this is an answers file, not a rubric (a rubric has `levels:`)"
    elif "questions" in doc.data:
        message = "this is a question bank, not a rubric (a rubric has `levels:`)"
    elif not RUBRIC_KEYS & doc.data.keys():
        message = (
            "not a rubric: none of its top-level keys is a rubric key (a rubric has id, "
            "version, title, description, sources, levels; or id, version, extends)"
        )
    else:
        return
    raise InputError([Problem(shown, None, None, "", message)])


def _load_rubric_file(
    path: Path, shown: str, chain: tuple[str, ...] = (), reach: Reach | None = None
) -> LoadedRubric:
    reach = reach or Reach.of()
    key_path = str(path.resolve()) if path.exists() else str(path)
    if key_path in chain:
        cycle = " → ".join([*chain[chain.index(key_path) :], key_path])
        raise _ChainError(f"extends cycle: {cycle}")
    if len(chain) > MAX_EXTENDS_DEPTH:
        raise _ChainError(
            f"{shown}: more than {MAX_EXTENDS_DEPTH} rubrics extend one another in a row, "
            f"the most svclevel follows; make one of them a full rubric"
        )
    key = (key_path, shown, reach)
    cached = _FILE_CACHE.get(key)
    if cached is not None and all(
        stamp != (0, 0) and _stamp(file) == stamp for file, stamp in cached.read_from
    ):
        return cached
    stamp = _stamp(path)
    doc = load_yaml_file(path, shown)
    _not_a_rubric(doc, shown)
    loaded = _validate_rubric(doc, shown, folder=path.parent, chain=(*chain, key_path), reach=reach)
    loaded = dataclasses.replace(loaded, read_from=((key_path, stamp), *loaded.read_from))
    _FILE_CACHE.pop(key, None)
    if len(_FILE_CACHE) >= _FILE_CACHE_MAX:
        del _FILE_CACHE[next(iter(_FILE_CACHE))]
    _FILE_CACHE[key] = loaded
    return loaded


def load_all_builtin() -> list[LoadedRubric]:
    """Every built-in rubric, in id order."""
    return [_load_builtin(rid) for rid in builtin_rubric_ids()]


@dataclass(frozen=True, slots=True)
class AnswersDocument:
    """An answers file read from disk, its shape checked but not yet its answers."""

    doc: YamlDocument
    """The file as read."""
    parsed: AnswersFile | None
    """The validated header and entries; None when the shape is wrong."""
    shape_problems: tuple[Problem, ...]
    """What is wrong with the shape (reported together with the answers' own problems)."""

    @property
    def default_rubric(self) -> str | None:
        """The rubric the file names with ``rubric:``, if it names one as text."""
        value = self.doc.data.get("rubric") if isinstance(self.doc.data, dict) else None
        return value if isinstance(value, str) else None


ANSWERS_KEYS = frozenset(AnswersFile.model_fields)
"""The top-level keys of an answers file: a file with none of them is no answers file."""


class NotAnswersError(InputError):
    """The file is a rubric or a question bank, not an answers file (one problem, naming it).

    Callers that walk folders catch it before :class:`InputError` to skip such files."""


def known_questions(rubrics: Sequence[LoadedRubric]) -> dict[str, Question]:
    """Every question one of ``rubrics`` can use (the first rubric's definition of an id wins)."""
    known: dict[str, Question] = {}
    for loaded in rubrics:
        for qid, question in loaded.questions.items():
            known.setdefault(qid, question)
    return known


def read_answers(path: str | Path) -> AnswersDocument:
    """Read an answers file and check its shape (keys, types).

    A file that is not even a mapping is an error at once; other shape problems are kept so
    they can be reported together with the problems of the answers themselves.
    """
    return answers_document(load_yaml_file(path))


def answers_document(doc: YamlDocument) -> AnswersDocument:
    """:func:`read_answers` for a document already read."""
    if (
        isinstance(doc.data, dict)
        and "company" not in doc.data
        and ("levels" in doc.data or "extends" in doc.data or "questions" in doc.data)
    ):
        what = "a rubric" if "levels" in doc.data or "extends" in doc.data else "a question bank"
        raise NotAnswersError(
            [
                Problem(
                    doc.name,
                    None,
                    None,
                    "",
                    f"this is {what}, not an answers file (check it with `svclevel validate`)",
                )
            ]
        )
    if isinstance(doc.data, dict) and "svclevel_measurements" in doc.data:
        raise NotAnswersError(
            [
                Problem(
                    doc.name,
                    None,
                    None,
                    "",
                    "this is a measurement file (from svclevel measure), not an answers file: "
                    "an answers file names it under measurements:",
                )
            ]
        )
    if isinstance(doc.data, dict) and "svclevel_exceptions" in doc.data:
        raise NotAnswersError(
            [
                Problem(
                    doc.name,
                    None,
                    None,
                    "",
                    "this is an exceptions file, not an answers file: an answers file names it "
                    "under exceptions:, or give it with --exceptions",
                )
            ]
        )
    if isinstance(doc.data, dict) and not ANSWERS_KEYS & doc.data.keys():
        # Said without quoting a key: a file read as answers may be anything (/etc/shadow).
        message = (
            "not an answers file: none of its top-level keys is an answers key (an answers "
            "file has company, date, answers; and may have rubric, assessor)"
        )
        raise InputError([Problem(doc.name, None, None, "", message)])
    parsed, problems = parse_answers(doc)
    if not isinstance(doc.data, dict):
        raise InputError(problems)
    return AnswersDocument(doc, parsed, tuple(problems))


def _position(problem: Problem) -> tuple[int, int]:
    return (problem.line or 0, problem.column or 0)


def check_answers_for(
    document: AnswersDocument,
    loaded: LoadedRubric,
    *,
    also: Mapping[str, Question] | None = None,
    measurements: Sequence[str] = (),
    allow_paths: Sequence[str] = (),
    evaluation: Evaluation = AS_DATED,
) -> Answers:
    """Check every answer against the questions ``loaded`` can use; all problems at once.

    ``evaluation`` gives the evaluation date (checked: not before the file's ``date``) and the
    exceptions: those of the files the answers file names (``exceptions:``) and
    ``evaluation.exception_files``, resolved against ``loaded``
    (:mod:`svclevel.load.exceptions`).

    Answers to the questions in ``also`` are accepted too (a file compared on several rubrics
    may answer each one's own questions: :func:`known_questions`); ``loaded``'s definitions win.

    The figures of the measurement files the file names (``measurements:``) and of
    ``measurements`` (named on the command line) are merged in
    (:mod:`svclevel.load.measurements`); a path in the file must lead inside its folder, the
    working directory or ``allow_paths``.
    """
    questions = loaded.questions
    if also and not also.keys() <= questions.keys():
        questions = {**also, **questions}
    not_applicable = check_not_applicable(document.doc, loaded.rubric)
    if document.parsed is not None:
        not_applicable += check_evidence_dates(document.doc, document.parsed)
        not_applicable += check_respondents(document.doc, document.parsed, questions)
    aggregation = evaluation.aggregation or loaded.rubric.aggregation
    if document.parsed is not None and not document.shape_problems:
        answers = build_answers(document.doc, document.parsed, questions, aggregation)
        if answers is not None:
            raise_if(not_applicable)
            if answers.measurement_names or measurements:
                from svclevel.load.measurements import merge, read_named

                reach = Reach.of((), allow_paths)
                figures = read_named(
                    answers.measurement_names,
                    answers.source,
                    trusted=measurements,
                    check=lambda path, name, folder: check_named_file(
                        path, name, folder, reach, what="measurement file", flag="--measurements"
                    ),
                )
                answers = merge(answers, figures, questions)
            if evaluation.aggregation is not None:
                answers = dataclasses.replace(answers, aggregation_source="--aggregation")
            elif "aggregation" in loaded.rubric.model_fields_set:
                answers = dataclasses.replace(answers, aggregation_source="rubric")
            return _evaluated(answers, loaded, questions, evaluation, allow_paths)
    problems = [
        *document.shape_problems,
        *check_answer_values(document.doc, questions),
        *not_applicable,
    ]
    assert problems, "build_answers refused answers that check_answer_values accepts"
    raise InputError(sorted(dict.fromkeys(problems), key=_position))


def _evaluated(
    answers: Answers,
    loaded: LoadedRubric,
    questions: Mapping[str, Question],
    evaluation: Evaluation,
    allow_paths: Sequence[str],
) -> Answers:
    """``answers`` with the evaluation date and the exceptions that apply to ``loaded``."""
    on = datetime.date.fromisoformat(answers.date)
    as_of = None
    if evaluation.as_of is not None:
        if evaluation.as_of < on:
            raise UsageError(
                f"--as-of {evaluation.as_of} is before the date of {answers.source} ({on}): "
                "an assessment cannot be evaluated before it was made"
            )
        on, as_of = evaluation.as_of, evaluation.as_of.isoformat()
    if not (answers.exception_names or evaluation.exception_files):
        return dataclasses.replace(answers, as_of=as_of, exceptions_applied=evaluation.exceptions)
    from svclevel.load import exceptions

    reach = Reach.of((), allow_paths)
    records = exceptions.read_all(
        answers.exception_names,
        answers.source,
        trusted=evaluation.exception_files,
        check=lambda path, name, folder: check_named_file(
            path, name, folder, reach, what="exceptions file", flag="--exceptions"
        ),
        max_days=evaluation.max_exception_days,
    )
    grants = exceptions.resolve(
        records,
        rubric_id=loaded.id,
        levels=ladder_of(loaded),
        known_rubrics={r.id: ladder_of(r) for r in load_all_builtin() if r.id != loaded.id},
        known_questions=frozenset({*questions, *load_bank()}),
        company=answers.company,
        on=on,
        apply=evaluation.exceptions,
    )
    return dataclasses.replace(
        answers, as_of=as_of, exceptions=grants, exceptions_applied=evaluation.exceptions
    )


def ladder_of(loaded: LoadedRubric) -> dict[str, frozenset[str]]:
    """The question ids of each level of a rubric, by level id."""
    return {lv.id: frozenset(c.question for c in lv.criteria) for lv in loaded.rubric.levels}
