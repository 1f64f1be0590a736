"""Where reports go: stdout, or files written atomically (temp file beside the target + rename).

An error, Ctrl-C, SIGTERM or a full disk part-way through a run never leaves a partial or
clobbered report: the previous file, if any, stays as it was until the new one is complete, and
the temporary file is removed. A new file gets the mode the umask gives; a replaced one keeps
its mode. A character device (``/dev/null``, a terminal) or a named pipe is written to as it is,
as the run goes, like standard output; other special files are refused.

Every file a run writes is named before anything is read (:func:`guard_outputs`): none may be
an input, whatever the spelling (``./x``, a symbolic or a hard link).
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from svclevel.errors import UsageError
from svclevel.report import Format, Reporter


class Sink:
    """A reporter and the place its output goes (stdout, or an :class:`AtomicFile`).

    The text of a :attr:`~svclevel.report.base.Reporter.whole` format is collected, and its
    document written by :meth:`finish`.
    """

    def __init__(
        self,
        reporter: Reporter,
        write: Callable[[str], object],
        write_bytes: Callable[[bytes], object] | None = None,
    ) -> None:
        self.reporter = reporter
        self._write = write
        self._write_bytes = write_bytes or (lambda data: write(data.decode("utf-8")))
        self._parts: list[str] = []

    def write(self, text: str) -> None:
        """Write the next text (nothing for an empty one)."""
        if not text:
            return
        if self.reporter.whole:
            self._parts.append(text)
        else:
            self._write(text)

    def finish(self) -> None:
        """Write the reporter's closing text; for a whole format, the document."""
        self.write(self.reporter.finish())
        if self.reporter.whole:
            body, self._parts = "".join(self._parts), []
            self._write_bytes(self.reporter.document(body))


def sinks_for(reporters: Sequence[Reporter], files: Sequence[AtomicFile]) -> list[Sink]:
    """The sinks of a run: standard output for the first reporter, then one per report file."""
    return [
        Sink(reporters[0], write_stdout, write_stdout_bytes),
        *(Sink(r, f.write, f.write_bytes) for r, f in zip(reporters[1:], files, strict=True)),
    ]


STDOUT = "standard output"
"""How standard output is named in messages."""


def write_stdout(text: str) -> None:
    """Write to standard output; a full disk or a size limit is a :class:`UsageError`."""
    try:
        sys.stdout.write(text)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise stdout_failed(exc) from None


def write_stdout_bytes(data: bytes) -> None:
    """Write a binary document (a PDF) to standard output."""
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise stdout_failed(exc) from None


def flush_stdout() -> None:
    """Flush standard output (before report files are committed: they follow it, not lead)."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise stdout_failed(exc) from None


def stdout_failed(exc: OSError) -> UsageError:
    """The error for standard output that cannot be written; what is still buffered is dropped
    (flushing it again at exit would only fail again)."""
    drop_stdout()
    return UsageError(f"{STDOUT}: cannot write the output ({exc.strerror})")


def drop_stdout() -> None:
    """Send what is still buffered for standard output, and anything after, nowhere."""
    with contextlib.suppress(OSError, ValueError):  # no descriptor (tests): nothing to drop
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


class Stopped(BaseException):
    """SIGTERM or SIGHUP arrived. Not an Exception: it unwinds like KeyboardInterrupt, so
    every report file in progress is discarded on the way out."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    def __str__(self) -> str:
        import signal

        return signal.Signals(self.signum).name


_STOP_SIGNALS = ("SIGTERM", "SIGHUP")


def stop_on_signals() -> None:
    """Make SIGTERM and SIGHUP raise :class:`Stopped` (in the main thread, where Python runs
    signal handlers); a second one, during the clean-up, is ignored."""
    import signal

    signums = [getattr(signal, name) for name in _STOP_SIGNALS if hasattr(signal, name)]

    def stop(signum: int, _frame: object) -> None:
        for each in signums:
            signal.signal(each, signal.SIG_IGN)
        _STOPPED.append(signum)
        raise Stopped(signum)

    for signum in signums:  # Windows has no SIGHUP
        signal.signal(signum, stop)


_STOPPED: list[int] = []
"""The stop signal received, if any. A signal handler's exception can be swallowed when the
signal lands inside a callback Python runs for itself ("Exception ignored in ..."): the run
then checks this before each result and before committing a file, so the stop is not lost."""


def raise_if_stopped() -> None:
    """Raise :class:`Stopped` when a stop signal arrived and its exception was swallowed."""
    if _STOPPED:
        raise Stopped(_STOPPED[0])


def _stdout_file() -> tuple[int, int] | None:
    """The device and inode of the regular file standard output is redirected to, if it is."""
    try:
        info = os.fstat(sys.stdout.fileno())
    except (OSError, ValueError):  # no descriptor (tests), or closed
        return None
    return (info.st_dev, info.st_ino) if stat.S_ISREG(info.st_mode) else None


@functools.cache
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _refuse_special(target: Path, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise UsageError(f"{target}: is a directory")
    if not (stat.S_ISREG(mode) or stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        kind = "a block device" if stat.S_ISBLK(mode) else "a socket or other special file"
        raise UsageError(
            f"{target}: is {kind}; svclevel writes to regular files, character devices (such "
            "as /dev/null) and named pipes only"
        )


class AtomicFile:
    """A file written to a temporary file beside it and renamed into place on commit.

    A character device or a named pipe is opened and written directly instead (renaming a
    regular file over ``/dev/null`` would replace the device).
    """

    temp: Path | None
    """The temporary file; None when the target is written directly."""

    def __init__(self, target: Path) -> None:
        folder = target.parent if str(target.parent) else Path()
        try:
            info: os.stat_result | None = target.stat()
        except FileNotFoundError:
            info = None
        except OSError as exc:
            raise UsageError(f"{target}: cannot write there ({exc.strerror})") from None
        if info is not None:
            _refuse_special(target, info.st_mode)
        elif not folder.is_dir():
            raise UsageError(f"{target}: folder {folder} does not exist")
        self.target = target
        self.temp = None
        if info is not None and not stat.S_ISREG(info.st_mode):
            try:
                fd = os.open(target, os.O_WRONLY | getattr(os, "O_BINARY", 0))
            except OSError as exc:
                raise UsageError(f"{target}: cannot write there ({exc.strerror})") from None
        else:
            import tempfile  # here: writing reports is the only use, and --help should not pay

            try:
                fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
            except OSError as exc:
                raise UsageError(f"{target}: cannot write there ({exc.strerror})") from None
            self.temp = Path(temp)
            try:
                # mkstemp makes the file 0600: give it the mode of the file it replaces, or the
                # one the umask gives a new file.
                mode = stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask()
                self.temp.chmod(mode)
            except BaseException:
                os.close(fd)
                self.temp.unlink()
                raise
        self.handle: io.BufferedWriter = os.fdopen(fd, "wb")

    def write(self, text: str) -> None:
        """Write the next text (UTF-8, line ends as they are)."""
        self.write_bytes(text.encode("utf-8"))

    def write_bytes(self, data: bytes) -> None:
        """Write the next bytes."""
        try:
            self.handle.write(data)
        except OSError as exc:
            raise self._failed(exc) from None

    def commit(self) -> None:
        """The content is complete: put it in place."""
        try:
            self.handle.close()
            if self.temp is not None:
                self.temp.replace(self.target)
        except OSError as exc:
            raise self._failed(exc) from None

    def _failed(self, exc: OSError) -> UsageError:
        self.discard()
        what = "nothing was written" if self.temp is not None else "what it got is incomplete"
        return UsageError(f"{self.target}: cannot write ({exc.strerror}); {what}")

    def discard(self) -> None:
        """Something failed or was interrupted: leave the target as it was."""
        with contextlib.suppress(OSError):
            self.handle.close()
        if self.temp is not None:
            with contextlib.suppress(OSError):
                self.temp.unlink()


@contextlib.contextmanager
def atomic_files(targets: Sequence[Path]) -> Iterator[list[AtomicFile]]:
    """Open every target; commit them all if the block completes, else discard them all.

    Standard output is flushed before the files are committed, so that a failure to write it
    leaves the files as they were too.
    """
    files: list[AtomicFile] = []
    try:
        for target in targets:
            files.append(AtomicFile(target))
        yield files
        flush_stdout()
        raise_if_stopped()
    except BaseException:
        for file in files:
            file.discard()
        raise
    for index, file in enumerate(files):
        try:
            file.commit()
        except BaseException:
            for rest in files[index + 1 :]:
                rest.discard()
            raise


def write_atomically(target: Path, text: str) -> None:
    """Write a whole file at once: a temporary file beside it, renamed into place."""
    with atomic_files([target]) as (file,):
        file.write(text)


@contextlib.contextmanager
def guard_outputs(targets: Sequence[Path], *, reads: Iterable[str]) -> Iterator[None]:
    """Check the files a run will write, before anything is read; while the block runs, reading
    any of them is an :class:`~svclevel.errors.OutputIsInputError`.

    ``reads`` are the inputs named on the command line (files, folders, globs, rubric ids): each
    is checked now, so that a run that would write over one stops before it starts. Files found
    only later (a ``rubric:`` or ``extends:`` path) are checked as they are read. A target that
    is named twice, or that is a directory or a block device, is refused here too.
    """
    from svclevel.engine.run import expand_inputs
    from svclevel.errors import Problem
    from svclevel.load.yamlfile import STDIN, check_not_written, refuse_to_read, refused_to_read

    identities: dict[tuple[int, int], str] = {}
    names: dict[str, str] = {}
    for target in targets:
        try:
            info = target.stat()
        except OSError:
            key = os.path.normcase(os.path.realpath(target))
            if key in names:
                raise UsageError(f"{target}: named twice as an output ({names[key]})") from None
            names[key] = str(target)
            continue
        _refuse_special(target, info.st_mode)
        if not stat.S_ISREG(info.st_mode):
            continue  # a device or a pipe is never read as an input
        identity = (info.st_dev, info.st_ino)
        if identity in identities:
            raise UsageError(f"{target}: named twice as an output ({identities[identity]})")
        if identity == _stdout_file():
            raise UsageError(f"{target}: is also where {STDOUT} goes; one of the two would be lost")
        identities[identity] = str(target)
    before = refused_to_read()
    refuse_to_read({**before, **identities})
    try:
        if identities:
            for item in expand_inputs([r for r in reads if r != STDIN]):
                if isinstance(item, Problem):
                    continue
                try:
                    info = Path(str(item)).stat()
                except OSError:
                    continue  # not a file (a rubric id), or missing: reading it says so
                check_not_written(info, str(item))
        yield
    finally:
        refuse_to_read(before)


def parse_report_option(value: str) -> tuple[Format, Path]:
    """``json=out.json`` → (Format.JSON, Path('out.json'))."""
    name, sep, path = value.partition("=")
    choices = ", ".join(f.value for f in Format)
    if not sep or not path:
        raise UsageError(f"--report {value}: expected FORMAT=PATH, e.g. json=report.json")
    try:
        fmt = Format(name.strip().lower())
    except ValueError:
        raise UsageError(
            f"--report {value}: unknown format '{name}' (choose from {choices})"
        ) from None
    if path == "-":
        raise UsageError(
            f"--report {value}: - is standard output, which --format already writes; "
            "name a file (or use --format)"
        )
    return fmt, Path(path)
