"""Assess many answers files, one at a time, as a stream of outcomes. No printing."""

from __future__ import annotations

import fnmatch
import functools
import itertools
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from svclevel.engine.facade import RubricRef, assess_document, assess_on, read
from svclevel.errors import InputError, OutputIsInputError, Problem, SvclevelError
from svclevel.load.checks import AS_DATED, Evaluation
from svclevel.load.rubrics import AnswersDocument, NotAnswersError
from svclevel.load.yamlfile import STDIN, display_name, not_regular
from svclevel.results import Assessment

if TYPE_CHECKING:
    from concurrent.futures import Future

    from svclevel.engine.compare import Comparison
    from svclevel.load.rubrics import LoadedRubric

_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class Inputs:
    """The answers files a run will assess, found lazily so memory does not grow with them."""

    args: tuple[str, ...]
    """Files, directories (searched recursively for ``*.yaml``/``*.yml``) and glob patterns."""

    @property
    def batch(self) -> bool:
        """More than one argument, or a directory or pattern: possibly many files."""
        return len(self.args) > 1 or any(
            Path(a).is_dir() or (not Path(a).exists() and _GLOB_CHARS & set(a)) for a in self.args
        )

    def __iter__(self) -> Iterator[Input]:
        """Each file once, in a stable order; a Problem for an argument that matches nothing,
        a :class:`Repeated` for a file named again (by another argument, or inside a folder)."""
        seen: set[str] | None = set() if len(self.args) > 1 else None
        for arg in self.args:
            found = False
            for path in self._expand(arg):
                # a link to a folder passed over is no input: a folder of only those is empty
                found = found or not isinstance(path, Repeated)
                if seen is not None:
                    key = os.path.normpath(str(path))
                    if key in seen:
                        yield Repeated(str(path))
                        continue
                    seen.add(key)
                yield path
            if not found:
                what = (
                    "no *.yaml or *.yml files in folder"
                    if Path(arg).is_dir()
                    else ("the pattern matches no file")
                )
                yield Problem(display_name(arg), None, None, "", what)

    @staticmethod
    def _expand(arg: str) -> Iterator[Input]:
        path = Path(arg)
        if path.is_dir():
            yield from _search(arg, _AnyYaml(), Found)
        elif path.exists() or not _GLOB_CHARS & set(arg):
            yield path  # a missing file is reported when it is read
        else:
            # Not glob.glob: it follows links to folders, so a link to a parent never ends.
            base, pattern = _split_pattern(arg)
            if os.path.isdir(base or "."):  # noqa: PTH112
                yield from _search(base, _Pattern(pattern), Path)


@dataclass(frozen=True, slots=True)
class Found:
    """A file found by walking a folder, not named on the command line.

    Rubrics and question banks found this way are skipped: a consultancy keeps its own rubrics
    next to its answers files.
    """

    path: str
    """The file, as found (a string: a batch can hold many thousands)."""

    def __str__(self) -> str:
        return self.path


REPEATED = "named more than once; it is read once"


@dataclass(frozen=True, slots=True)
class Repeated:
    """An input not read, with a warning saying why: a file named again on the command line (it
    is assessed once), or a link to a folder met while searching (it is not followed)."""

    path: str
    why: str = REPEATED

    def __str__(self) -> str:
        return self.path

    def problem(self) -> Problem:
        """Why it is not assessed (again), as the warning says it."""
        return Problem(display_name(self.path), None, None, "", self.why)


Input = Path | Found | Problem | Repeated
"""One item of :class:`Inputs`."""

MAX_FOLDER_DEPTH = 100
"""Deepest folder searched below a folder or a glob's fixed part (audits need a handful)."""

_FOLDER_LINK = (
    "a link to a folder: not followed (a link to a parent would make the search endless); "
    "name the folder itself to search it"
)


class _Matcher:
    """What a search looks for: each name met moves a state on (None: nothing below)."""

    start: object
    as_paths: bool
    """Whether names sort as the paths below them sort as text (``b.yaml`` before ``b/x``)."""

    def step(self, state: object, name: str) -> tuple[bool, object | None]:
        """Whether ``name`` (under ``state``) is a file searched for, and the state below it
        if it is a folder worth searching (None if not)."""
        raise NotImplementedError


class _AnyYaml(_Matcher):
    """Every ``*.yaml``/``*.yml`` file, at any depth."""

    start = True
    as_paths = False  # as they always have: by name

    def step(self, state: object, name: str) -> tuple[bool, object | None]:
        return name.endswith((".yaml", ".yml")), True


class _Pattern(_Matcher):
    """The names a glob pattern (``*``, ``?``, ``[...]``, ``**`` for any folders) matches, one
    path component at a time, as :func:`glob.glob` with ``recursive=True`` matches them: a
    name starting with ``.`` only by a component that starts with ``.`` too."""

    as_paths = True  # as glob's matches were sorted

    def __init__(self, parts: list[str]) -> None:
        self.parts = parts
        self.start = self._closure({0})

    def _closure(self, states: set[int]) -> frozenset[int]:
        todo = list(states)
        while todo:
            i = todo.pop()
            if i < len(self.parts) and self.parts[i] == "**" and i + 1 not in states:
                states.add(i + 1)
                todo.append(i + 1)
        return frozenset(states)

    def step(self, state: object, name: str) -> tuple[bool, object | None]:
        assert isinstance(state, frozenset)
        after: set[int] = set()
        for i in state:
            if i >= len(self.parts):
                continue
            part = self.parts[i]
            if name.startswith(".") and not part.startswith("."):
                continue
            if part == "**":
                after.add(i)
            elif fnmatch.fnmatchcase(name, part):
                after.add(i + 1)
        states = self._closure(after)
        below = frozenset(i for i in states if i < len(self.parts))
        return len(self.parts) in states, below or None


def _split_pattern(pattern: str) -> tuple[str, list[str]]:
    """A glob pattern's fixed folder (``""``: the current one) and the components after it."""
    parts = pattern.split("/")
    fixed = next(i for i, part in enumerate(parts) if _GLOB_CHARS & set(part))
    base = "/".join(parts[:fixed]) or ("/" if pattern.startswith("/") else "")
    # `a//*.yaml` is `a/*.yaml`; a pattern ending in `/` matches folders only: no file.
    return base, [p for p in parts[fixed:-1] if p] + parts[-1:]


def _search(
    base: str, matcher: _Matcher, make: Callable[[str], Path | Found]
) -> Iterator[Path | Found | Problem | Repeated]:
    """The files below ``base`` that ``matcher`` looks for, in the order of their paths as
    text, one folder listing at a time (only the names kept, so a folder of a million files
    stays a few dozen MB), without recursion and at most :data:`MAX_FOLDER_DEPTH` deep.

    Links to folders are not followed (a warning: the search would never end on a link to a
    parent); a link to a file whose target is outside ``base`` is refused, not read (a pull
    request could add ``client.yaml -> /etc/shadow``): name it on the command line to read it.
    A matching entry that is not a regular file (a named pipe, a device, a broken link) is a
    problem, found without opening it.
    """
    root = os.path.realpath(base or ".")
    shown_base = display_name(base) if base else "the current folder"
    listed = _listing(base, matcher, matcher.start)
    if isinstance(listed, Problem):
        yield listed
        return
    stack = [(base, 0, matcher.start, iter(listed))]
    while stack:
        folder, depth, state, names = stack[-1]
        name = next(names, None)
        if name is None:
            stack.pop()
            continue
        path = os.path.join(folder, name) if folder else name  # noqa: PTH118
        is_file, below = matcher.step(state, name)
        try:
            info = os.lstat(path)
        except OSError:
            continue  # gone since the folder was listed
        mode = _target_mode(path) if stat.S_ISLNK(info.st_mode) else info.st_mode
        if stat.S_ISLNK(info.st_mode):
            if mode is not None and stat.S_ISDIR(mode):
                if below is not None:
                    yield Repeated(path, _FOLDER_LINK)
                continue
            if not is_file:
                continue
            outside = _outside(path, root, shown_base) if mode is not None else None
            if outside is not None:
                yield outside
                continue
        elif stat.S_ISDIR(info.st_mode):
            if below is None:
                continue
            if depth >= MAX_FOLDER_DEPTH:
                yield Problem(
                    display_name(path),
                    None,
                    None,
                    "",
                    f"more than {MAX_FOLDER_DEPTH} folders deep below {shown_base}: not searched",
                )
                continue
            listed = _listing(path, matcher, below)
            if isinstance(listed, Problem):
                yield listed
            else:
                stack.append((path, depth + 1, below, iter(listed)))
            continue
        if not is_file:
            continue
        why = "a broken link, not a file" if mode is None else not_regular(mode)
        yield make(path) if why is None else Problem(display_name(path), None, None, "", why)


def _target_mode(path: str) -> int | None:
    """The mode of what a link points to (None: a broken link)."""
    try:
        return os.stat(path).st_mode  # noqa: PTH116
    except OSError:
        return None


def _outside(path: str, root: str, shown_base: str) -> Problem | None:
    """Why a link to a file is not read: its target is outside the folder searched."""
    real = os.path.realpath(path)
    if os.path.commonpath([root, real]) == root:
        return None
    return Problem(
        display_name(path),
        None,
        None,
        "",
        f"a link to a file outside {shown_base}: not read; name it on the command line to read it",
    )


def _listing(folder: str, matcher: _Matcher, state: object) -> list[str] | Problem:
    """The names in ``folder`` worth looking at (folders, links, files ``matcher`` looks for),
    sorted (as the paths below them sort as text, if ``matcher.as_paths``: a folder's files
    where ``name/`` sorts)."""
    try:
        with os.scandir(folder or ".") as listing:
            kept = (
                e
                for e in listing
                if not e.is_file(follow_symlinks=False) or matcher.step(state, e.name)[0]
            )
            if not matcher.as_paths:
                return sorted(e.name for e in kept)
            names = sorted(
                (e.name + "/" if e.is_dir(follow_symlinks=False) else e.name) for e in kept
            )
    except OSError as exc:
        return Problem(
            display_name(folder) if folder else ".",
            None,
            None,
            "",
            f"cannot list the folder: {(exc.strerror or str(exc)).lower()}",
        )
    return [n.removesuffix("/") for n in names]


def expand_inputs(args: Sequence[str]) -> Inputs:
    """The inputs named on the command line (expanded lazily, when iterated)."""
    return Inputs(tuple(args))


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one input: an assessment, or the problems that prevent one."""

    file: str
    """The input as named (``<stdin>`` for standard input, or as found in a folder)."""
    assessment: Assessment | None
    """The assessment; None when the file could not be assessed."""
    problems: tuple[Problem, ...]
    """Why the file could not be assessed, each problem located (file, line, column)."""
    skipped: bool = False
    """A rubric or question bank found while walking a folder: not an input at all."""
    rubric: RubricRef | None = None
    """How the assessment's rubric was named (to score a ``--baseline`` on the same one)."""


T = TypeVar("T")


def _identity(outcome: Outcome) -> Outcome:
    return outcome


def assess_with_rubric(
    path: str | Path,
    *,
    rubric: str | None,
    rubric_dirs: Sequence[str] = (),
    rubric_is_default: bool,
    allow_paths: Sequence[str] = (),
    require_evidence: bool = False,
    measurements: Sequence[str] = (),
    evaluation: Evaluation = AS_DATED,
) -> tuple[Assessment, RubricRef | None]:
    """Assess one answers file; also say how the rubric it used was named.

    ``rubric`` comes from the command line (it wins over the file's ``rubric:``) unless
    ``rubric_is_default``, in which case it is only used when the file names none.
    """
    document = read(path)
    return assess_document(
        document,
        path,
        rubric=None if rubric_is_default else rubric,
        default_rubric=rubric if rubric_is_default else None,
        rubric_dirs=rubric_dirs,
        allow_paths=allow_paths,
        require_evidence=require_evidence,
        measurements=measurements,
        evaluation=evaluation,
    )


PARALLEL_FROM = 64
"""Batches of at least this many files are spread over the CPUs (unless ``jobs`` says otherwise)."""

_CHUNK = 64
"""Files per task sent to a worker process."""


def worker_count(jobs: int, files: int) -> int:
    """How many processes assess at least ``files`` files: ``jobs`` if set, else one per CPU.

    ``files`` is the number of inputs seen so far, up to :data:`PARALLEL_FROM`.
    """
    if jobs > 0:
        return max(1, min(jobs, files))
    if files < PARALLEL_FROM:
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cpus = os.cpu_count() or 1
    return max(1, cpus)


def assess_inputs(
    inputs: Iterable[Input],
    *,
    rubric: str | None,
    rubric_dirs: Sequence[str],
    rubric_is_default: bool,
    allow_paths: Sequence[str] = (),
    jobs: int = 0,
    post: Callable[[Outcome], T] = _identity,  # type: ignore[assignment]
    require_evidence: bool = False,
    measurements: Sequence[str] = (),
    evaluation: Evaluation = AS_DATED,
) -> Iterator[T]:
    """Assess every input, yielding ``post(outcome)`` in input order; failures are outcomes too.

    ``post`` runs where the assessment was made, so with worker processes the rendering is
    spread over the CPUs too; it must be picklable (a module-level function or a partial of
    one). Inputs are consumed lazily and large batches are assessed a bounded number of chunks
    ahead of the consumer, so memory stays flat however many files there are.
    """
    settings = _Settings(
        rubric,
        tuple(rubric_dirs),
        rubric_is_default,
        tuple(allow_paths),
        require_evidence,
        tuple(measurements),
        evaluation,
    )
    work = functools.partial(_assess_chunk, settings=settings, post=post)
    items = iter(inputs)
    head = list(itertools.islice(items, PARALLEL_FROM))
    workers = worker_count(jobs, len(head))
    if isinstance(inputs, Inputs) and STDIN in inputs.args:
        workers = 1  # standard input is this process's: a worker may not be able to read it
    stream = itertools.chain(head, items)
    if workers == 1:
        for item in stream:
            yield from work((item,))
        return
    yield from _parallel(stream, work, workers)


def assess_many(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    rubric: str | None = None,
    *,
    default_rubric: str | None = None,
    rubric_dirs: Sequence[str] = (),
    jobs: int = 1,
    allow_paths: Sequence[str] = (),
    require_evidence: bool = False,
) -> Iterator[Outcome]:
    """Assess every answers file named by ``paths`` (files, folders searched recursively for
    ``*.yaml``/``*.yml``, glob patterns), in a stable order, one :class:`Outcome` each.

    An invalid file is an outcome with its problems, never an exception, so one bad file does
    not stop a portfolio; rubrics found in a folder are skipped. ``jobs`` > 1 spreads the work
    over that many processes (0: one per CPU for large batches). A path a file names
    (``rubric:``) must lead inside its folder, the working directory, ``rubric_dirs``, the
    built-in rubrics or ``allow_paths``.
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    chosen = rubric if rubric is not None else default_rubric
    for outcome in assess_inputs(
        expand_inputs([os.fspath(p) for p in paths]),
        rubric=chosen,
        rubric_dirs=rubric_dirs,
        rubric_is_default=rubric is None,
        allow_paths=allow_paths,
        jobs=jobs,
        require_evidence=require_evidence,
        post=_identity,
    ):
        if not outcome.skipped:
            yield outcome


@dataclass(frozen=True, slots=True)
class _Settings:
    rubric: str | None
    rubric_dirs: tuple[str, ...]
    rubric_is_default: bool
    allow_paths: tuple[str, ...] = ()
    require_evidence: bool = False
    measurements: tuple[str, ...] = ()
    evaluation: Evaluation = AS_DATED


def _outcome(item: Path | Found, settings: _Settings) -> Outcome:
    path = item.path if isinstance(item, Found) else item
    name = display_name(path)
    try:
        a, ref = assess_with_rubric(
            path,
            rubric=settings.rubric,
            rubric_dirs=settings.rubric_dirs,
            rubric_is_default=settings.rubric_is_default,
            allow_paths=settings.allow_paths,
            require_evidence=settings.require_evidence,
            measurements=settings.measurements,
            evaluation=settings.evaluation,
        )
    except NotAnswersError as exc:
        return Outcome(name, None, exc.problems, skipped=isinstance(item, Found))
    except InputError as exc:
        return Outcome(name, None, exc.problems)
    except OutputIsInputError:
        raise  # the whole run stops: going on would write over the input
    except SvclevelError as exc:
        return Outcome(name, None, (Problem(name, None, None, "", _strip(exc, name)),))
    if isinstance(item, Found) and a.respondent is not None:
        return Outcome(name, None, (interview_found(name, a.respondent.id),), skipped=True)
    return Outcome(name, a, (), rubric=ref)


def interview_found(name: str, respondent: str) -> Problem:
    """Why a file recording one respondent, found while walking a folder, is not assessed: it
    is one interview of a company, not the company's assessment."""
    return Problem(
        name,
        None,
        None,
        "",
        f"one respondent's answers (respondent: {respondent}), not a company's assessment: "
        "combine the interviews with svclevel merge, or name the file to assess it alone",
    )


def _assess_chunk(
    items: tuple[Input, ...], *, settings: _Settings, post: Callable[[Outcome], T]
) -> list[T]:
    return [
        post(
            Outcome(item.file, None, (item,))
            if isinstance(item, Problem)
            else Outcome(display_name(item.path), None, (item.problem(),), skipped=True)
            if isinstance(item, Repeated)
            else _outcome(item, settings)
        )
        for item in items
    ]


def _init_worker(refused: dict[tuple[int, int], str]) -> None:
    import gc
    import signal

    from svclevel.load.yamlfile import refuse_to_read

    # Signals are the parent's to handle (Ctrl-C, SIGTERM, SIGHUP): it stops its workers itself.
    # A worker only needs to outlive neither the parent nor its command.
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    _exit_with_parent()
    # A spawned worker starts afresh: it is told again which files the run writes.
    refuse_to_read(refused)
    # Assessments make many small, acyclic objects that die with each file; the cyclic
    # collector would scan them over and over for nothing.
    gc.disable()


def _exit_with_parent() -> None:
    """End this worker as soon as its parent process is gone, however it went (even SIGKILL).

    multiprocessing gives every child the read end of a pipe whose write end only the parent
    holds (its "sentinel"): it becomes readable when the parent dies. A thread waits on it, so
    nothing polls, and it works wherever multiprocessing does, unlike Linux's PR_SET_PDEATHSIG.
    """
    import multiprocessing
    import threading
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:  # pragma: no cover - always set in a worker
        return

    def watch(sentinel: int) -> None:
        wait([sentinel])
        os._exit(1)

    threading.Thread(target=watch, args=(parent.sentinel,), daemon=True).start()


def _parallel(
    items: Iterator[Input],
    work: Callable[[tuple[Input, ...]], list[T]],
    workers: int,
) -> Iterator[T]:
    # Imported here: single files and small batches never pay for multiprocessing.
    import multiprocessing as mp
    import threading
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    from svclevel.load.yamlfile import refused_to_read

    forkable = "fork" in mp.get_all_start_methods() and threading.active_count() == 1
    context = mp.get_context("fork" if forkable else "spawn")
    chunks = iter(lambda: tuple(itertools.islice(items, _CHUNK)), ())
    others = set(mp.active_children())
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_init_worker,
        initargs=(refused_to_read(),),
    )
    try:
        window: deque[Future[list[T]]] = deque(
            pool.submit(work, chunk) for chunk in itertools.islice(chunks, 2 * workers)
        )
        while window:
            done = window.popleft().result()
            following = next(chunks, None)
            if following is not None:
                window.append(pool.submit(work, following))
            yield from done
    except BaseException:
        # Stopped (an error, Ctrl-C, SIGTERM, the consumer gone): the workers stop now, not
        # after the chunks they are on.
        for worker in set(mp.active_children()) - others:
            worker.kill()
        pool.shutdown(wait=False, cancel_futures=True)
        _ABANDONED.append(pool)
        raise
    pool.shutdown(wait=True)


_ABANDONED: list[object] = []
"""Pools whose workers were killed mid-run. Their manager thread may wait forever on a result a
killed worker was writing, and Python joins it at exit: see :func:`workers_abandoned`."""


def workers_abandoned() -> bool:
    """Whether a batch was stopped with its workers killed: the process should then end at once
    (``os._exit``) once it has said why, as Python's exit could wait for the pool forever."""
    return bool(_ABANDONED)


def _strip(exc: SvclevelError, name: str) -> str:
    text = str(exc)
    prefix = f"{name}: "
    return text[len(prefix) :] if text.startswith(prefix) else text


def compare_many(
    inputs: Iterable[Input],
    rubrics: Sequence[LoadedRubric],
    skipped: Callable[[Problem], None] = lambda problem: None,
    *,
    require_evidence: bool = False,
    evaluation: Evaluation | None = None,
) -> Iterator[Comparison | tuple[str, tuple[Problem, ...]]]:
    """Compare each answers file on every rubric; a file that fails is (file, problems).

    Rubrics and question banks found while walking a folder are skipped, each given to
    ``skipped`` (why, as a problem)."""
    from svclevel.engine.compare import compare
    from svclevel.load.rubrics import known_questions

    known = known_questions(rubrics)
    for item in inputs:
        if isinstance(item, Problem):
            yield item.file, (item,)
            continue
        if isinstance(item, Repeated):
            skipped(item.problem())
            continue
        path = item.path if isinstance(item, Found) else item
        try:
            assessments = assess_on(
                read(path),
                rubrics,
                known,
                require_evidence=require_evidence,
                evaluation=evaluation or AS_DATED,
            )
        except NotAnswersError as exc:
            if isinstance(item, Found):
                skipped(exc.problems[0])
            else:
                yield display_name(path), exc.problems
            continue
        except InputError as exc:
            yield display_name(path), exc.problems
            continue
        if isinstance(item, Found) and assessments and assessments[0].respondent is not None:
            skipped(interview_found(display_name(path), assessments[0].respondent.id))
            continue
        yield compare(assessments, rubrics)


def read_all(
    inputs: Iterable[Input], skipped: Callable[[Problem], None] = lambda problem: None
) -> list[tuple[str, AnswersDocument]]:
    """Every answers file among ``inputs``, read and its shape checked, each with its path:
    the files of a run that needs them all at once (``history``). Rubrics and question banks
    found while walking a folder, and files named twice, go to ``skipped`` (why, as a problem).

    Raises :class:`InputError` with the problems of every input that cannot be read."""
    documents: list[tuple[str, AnswersDocument]] = []
    problems: list[Problem] = []
    for item in inputs:
        if isinstance(item, Problem):
            problems.append(item)
            continue
        if isinstance(item, Repeated):
            skipped(item.problem())
            continue
        path = item.path if isinstance(item, Found) else str(item)
        try:
            document = read(path)
            one = None if document.parsed is None else document.parsed.respondent
            if isinstance(item, Found) and one is not None:
                skipped(interview_found(display_name(path), one.id))
                continue
            documents.append((path, document))
        except NotAnswersError as exc:
            if not isinstance(item, Found):
                problems += exc.problems
            else:
                skipped(exc.problems[0])
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return documents
