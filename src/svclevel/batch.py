"""Assess many answers files, one at a time, as a stream of outcomes. No printing."""

from __future__ import annotations

import glob
import itertools
import multiprocessing as mp
import os
import signal
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from svclevel.errors import InputError, Problem, SvclevelError, UsageError
from svclevel.loading import check_answers_for, load_rubric, read_answers
from svclevel.results import Assessment
from svclevel.scoring import score

_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class Inputs:
    """The answers files a run will assess."""

    files: tuple[Path, ...]
    """Files to assess, in a stable order (directories walked and globs expanded, sorted)."""
    missing: tuple[Problem, ...]
    """Arguments that matched nothing."""
    batch: bool
    """More than one file, or a directory or glob was given."""


def expand_inputs(args: Sequence[str]) -> Inputs:
    """Files, directories (recursively ``*.yaml``/``*.yml``) and globs, each file once."""
    files: dict[Path, None] = {}
    missing: list[Problem] = []
    batch = len(args) > 1
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            batch = True
            found = sorted(
                p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()
            )
            if not found:
                missing.append(Problem(arg, None, None, "", "no *.yaml or *.yml files in folder"))
            files.update(dict.fromkeys(found))
        elif path.exists() or not _GLOB_CHARS & set(arg):
            files[path] = None  # a missing file is reported when it is read
        else:
            batch = True
            # glob.glob, not Path.glob: the pattern may be absolute or climb out with "..".
            matches = sorted(Path(m) for m in glob.glob(arg, recursive=True))  # noqa: PTH207
            matched = [m for m in matches if m.is_file()]
            if not matched:
                missing.append(Problem(arg, None, None, "", "the pattern matches no file"))
            files.update(dict.fromkeys(matched))
    return Inputs(tuple(files), tuple(missing), batch)


@dataclass(frozen=True)
class Outcome:
    """What became of one input."""

    file: str
    assessment: Assessment | None
    problems: tuple[Problem, ...]


def assess_file(
    path: Path, *, rubric: str | None, rubric_dirs: Sequence[str] = (), rubric_is_default: bool
) -> Assessment:
    """Assess one answers file.

    ``rubric`` comes from the command line (it wins over the file's ``rubric:``) unless
    ``rubric_is_default``, in which case it is only used when the file names none.
    """
    document = read_answers(path)
    ref = document.default_rubric if rubric_is_default else rubric
    ref = ref or rubric
    if ref is None:
        from svclevel.loading import builtin_rubric_ids

        missing = Problem(
            str(path),
            None,
            None,
            "",
            "no rubric chosen: pass --rubric ID|PATH or add 'rubric: ID' to the file "
            f"(built-in: {', '.join(builtin_rubric_ids())})",
        )
        raise InputError([*document.shape_problems, missing])
    from_file = rubric_is_default and document.default_rubric is not None
    try:
        loaded = load_rubric(ref, base=path.parent if from_file else None, rubric_dirs=rubric_dirs)
    except UsageError as exc:
        if not from_file:
            raise
        raise InputError([document.doc.problem(("rubric",), str(exc))]) from None
    return score(loaded, check_answers_for(document, loaded))


PARALLEL_FROM = 64
"""Batches of at least this many files are spread over the CPUs (unless ``jobs`` says otherwise)."""

_CHUNK = 16
"""Files per task sent to a worker process."""


def worker_count(jobs: int, files: int) -> int:
    """How many processes assess ``files`` files: ``jobs`` if set (> 0), else one per CPU."""
    if jobs > 0:
        return max(1, min(jobs, files))
    if files < PARALLEL_FROM:
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, files // _CHUNK))


def assess_many(
    inputs: Inputs,
    *,
    rubric: str | None,
    rubric_dirs: Sequence[str],
    rubric_is_default: bool,
    jobs: int = 0,
) -> Iterator[Outcome]:
    """Assess every input, yielding outcomes in input order; a failure is an outcome too.

    Large batches are assessed by worker processes, a bounded number of chunks ahead of the
    consumer, so memory stays flat however many files there are.
    """
    for problem in inputs.missing:
        yield Outcome(problem.file, None, (problem,))
    settings = _Settings(rubric, tuple(rubric_dirs), rubric_is_default)
    workers = worker_count(jobs, len(inputs.files))
    if workers == 1:
        for path in inputs.files:
            yield _outcome(path, settings)
        return
    yield from _parallel(inputs.files, settings, workers)


@dataclass(frozen=True)
class _Settings:
    rubric: str | None
    rubric_dirs: tuple[str, ...]
    rubric_is_default: bool


def _outcome(path: Path, settings: _Settings) -> Outcome:
    try:
        a = assess_file(
            path,
            rubric=settings.rubric,
            rubric_dirs=settings.rubric_dirs,
            rubric_is_default=settings.rubric_is_default,
        )
    except InputError as exc:
        return Outcome(str(path), None, exc.problems)
    except SvclevelError as exc:
        return Outcome(str(path), None, (Problem(str(path), None, None, "", _strip(exc, path)),))
    return Outcome(str(path), a, ())


def _assess_chunk(paths: tuple[Path, ...], settings: _Settings) -> list[Outcome]:
    return [_outcome(path, settings) for path in paths]


def _ignore_interrupts() -> None:
    # Ctrl-C is handled once, by the parent; workers just stop when it shuts the pool down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _parallel(files: Sequence[Path], settings: _Settings, workers: int) -> Iterator[Outcome]:
    method = (
        "fork"
        if "fork" in mp.get_all_start_methods() and threading.active_count() == 1
        else "spawn"
    )
    chunks = iter([tuple(files[i : i + _CHUNK]) for i in range(0, len(files), _CHUNK)])
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=mp.get_context(method), initializer=_ignore_interrupts
    )
    try:
        window: deque[Future[list[Outcome]]] = deque(
            pool.submit(_assess_chunk, chunk, settings)
            for chunk in itertools.islice(chunks, 2 * workers)
        )
        while window:
            done = window.popleft().result()
            following = next(chunks, None)
            if following is not None:
                window.append(pool.submit(_assess_chunk, following, settings))
            yield from done
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _strip(exc: SvclevelError, path: Path) -> str:
    text = str(exc)
    prefix = f"{path}: "
    return text[len(prefix) :] if text.startswith(prefix) else text
