"""The command line. Commands parse options, call the engine, hand results to a reporter and
map errors to exit codes; nothing else in the package prints or exits.

Exit codes: 0 success; 2 bad input or usage; 3 internal error; 130 interrupted.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from svclevel import __version__
from svclevel.errors import InputError, SvclevelError, UsageError
from svclevel.report import Format, ReportOptions, reporter_for

EXIT_OK = 0
EXIT_INPUT = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130

HELP = """\
Audit a company's customer-service level against published ladder models.

Exit codes: 0 assessed; 2 bad input or usage (the message says which file, line and
field); 3 internal error (set SVCLEVEL_DEBUG=1 for the traceback); 130 interrupted.
"""

app = typer.Typer(
    name="svclevel",
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
rubrics_app = typer.Typer(
    help="List the built-in rubrics (no sub-command), or show one with `rubrics show`.",
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(rubrics_app, name="rubrics")


def _fail(code: int, lines: list[str]) -> NoReturn:
    for line in lines:
        typer.echo(f"svclevel: {line}" if code == EXIT_INTERNAL else line, err=True)
    raise typer.Exit(code)


@contextlib.contextmanager
def _errors_to_exit_codes() -> Iterator[None]:
    """Convert the exception family (and anything unexpected) into a message and an exit code."""
    try:
        yield
    except SvclevelError as exc:
        _fail(EXIT_INPUT, exc.messages())
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as exc:
        if os.environ.get("SVCLEVEL_DEBUG") == "1":
            traceback.print_exc()
        _fail(
            EXIT_INTERNAL,
            [
                f"internal error: {type(exc).__name__}: {exc} "
                "(this is a bug; set SVCLEVEL_DEBUG=1 for the traceback)"
            ],
        )


def _emit(text: str) -> None:
    """Write a report to stdout as rendered: the reporter already decided about colour."""
    typer.echo(text, nl=False, color=True)


def _terminal() -> bool:
    return sys.stdout.isatty()


def _default_format() -> Format:
    if _terminal() and not os.environ.get("NO_COLOR"):
        return Format.RICH
    return Format.TEXT


def _width() -> int:
    columns = os.environ.get("COLUMNS")
    if columns and columns.isdigit():
        return max(40, int(columns))
    if _terminal():
        return max(40, shutil.get_terminal_size().columns)
    return 100


def _version(value: bool) -> None:
    if value:
        typer.echo(f"svclevel {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Audit a company's customer-service level against published ladder models."""


@app.command()
def assess(
    answers: Annotated[
        Path, typer.Argument(help="The company's answers file (YAML).", show_default=False)
    ],
    rubric: Annotated[
        str | None,
        typer.Option(
            "--rubric",
            "-r",
            help="Built-in rubric id or path to a rubric file; overrides the answers file's "
            "`rubric:`.",
            show_default=False,
        ),
    ] = None,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain", help="Show every criterion and the arithmetic behind the verdict."
        ),
    ] = False,
    output_format: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            help="Report format. Default: rich on a terminal, text otherwise or when NO_COLOR "
            "is set.",
            show_default=False,
            case_sensitive=False,
        ),
    ] = None,
) -> None:
    """Assess one company's answers against a rubric and report the level reached."""
    from svclevel.loading import check_answers_for, load_rubric, read_answers
    from svclevel.scoring import score

    with _errors_to_exit_codes():
        document = read_answers(answers)
        ref = rubric or document.default_rubric
        if ref is None:
            from svclevel.loading import builtin_rubric_ids

            raise UsageError(
                f"{answers}: no rubric chosen: pass --rubric ID|PATH or add 'rubric: ID' to the "
                f"file (built-in: {', '.join(builtin_rubric_ids())})"
            )
        try:
            loaded = load_rubric(ref, base=None if rubric else answers.parent)
        except UsageError as exc:
            if rubric:
                raise
            raise InputError([document.doc.problem(("rubric",), str(exc))]) from None
        assessment = score(loaded, check_answers_for(document, loaded))
        fmt = output_format or _default_format()
        options = ReportOptions(
            explain=explain, width=_width(), color=not os.environ.get("NO_COLOR")
        )
        _emit(reporter_for(fmt)(assessment, options))


@rubrics_app.callback()
def rubrics(ctx: typer.Context) -> None:
    """List the built-in rubrics."""
    if ctx.invoked_subcommand is not None:
        return
    from svclevel.loading import load_all_builtin
    from svclevel.report.rubric_view import render_rubric_list

    with _errors_to_exit_codes():
        text = render_rubric_list(load_all_builtin(), width=_width(), color=_color())
        _emit(text)


@rubrics_app.command("show")
def rubrics_show(
    ref: Annotated[str, typer.Argument(metavar="ID|PATH", help="A built-in rubric id or a path.")],
) -> None:
    """Show a rubric's ladder, criteria, thresholds, tips and sources."""
    from svclevel.loading import load_rubric
    from svclevel.report.rubric_view import render_rubric

    with _errors_to_exit_codes():
        _emit(render_rubric(load_rubric(ref), width=_width(), color=_color()))


def _color() -> bool:
    return _terminal() and not os.environ.get("NO_COLOR")


def main() -> None:
    """Console-script entry point. Typer maps Ctrl-C to exit code 130 and usage errors to 2."""
    app(prog_name="svclevel")
