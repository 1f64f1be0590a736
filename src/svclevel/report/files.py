"""Where reports go: stdout, or files written atomically (temp file beside the target + rename).

An error or Ctrl-C part-way through a run never leaves a partial or clobbered report: the
previous file, if any, stays as it was until the new one is complete.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from svclevel.errors import UsageError
from svclevel.report import Format, Reporter


class Sink:
    """A reporter and the place its text goes (stdout, or an :class:`AtomicFile`)."""

    def __init__(self, reporter: Reporter, write: Callable[[str], object]) -> None:
        self.reporter = reporter
        self._write = write

    def write(self, text: str) -> None:
        """Write the next text (nothing for an empty one)."""
        if text:
            self._write(text)


class AtomicFile:
    """A file written to a temporary file beside it and renamed into place on commit."""

    def __init__(self, target: Path) -> None:
        folder = target.parent if str(target.parent) else Path()
        if not folder.is_dir():
            raise UsageError(f"{target}: folder {folder} does not exist")
        if target.is_dir():
            raise UsageError(f"{target}: is a directory")
        import tempfile  # here: writing reports is the only use, and --help should not pay

        try:
            fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        except OSError as exc:
            raise UsageError(f"{target}: cannot write there ({exc.strerror})") from None
        self.target = target
        self.temp = Path(temp)
        self.handle: io.TextIOWrapper = os.fdopen(fd, "w", encoding="utf-8", newline="")

    def write(self, text: str) -> None:
        """Write the next text."""
        self.handle.write(text)

    def commit(self) -> None:
        """The content is complete: put it in place."""
        try:
            self.handle.close()
            self.temp.chmod(0o644)
            self.temp.replace(self.target)
        except OSError as exc:
            self.discard()
            raise UsageError(f"{self.target}: cannot write it ({exc.strerror})") from None

    def discard(self) -> None:
        """Something failed or was interrupted: leave the target as it was."""
        with contextlib.suppress(OSError):
            self.handle.close()
        with contextlib.suppress(OSError):
            self.temp.unlink()


@contextlib.contextmanager
def atomic_files(targets: Sequence[Path]) -> Iterator[list[AtomicFile]]:
    """Open every target; commit them all if the block completes, else discard them all."""
    files: list[AtomicFile] = []
    try:
        for target in targets:
            files.append(AtomicFile(target))
        yield files
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
    return fmt, Path(path)
