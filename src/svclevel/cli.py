"""The command line. Commands parse options, call the engine, hand results to a reporter and
map errors to exit codes; nothing else in the package prints or exits.

Exit codes: 0 success; 2 bad input or usage; 3 internal error; 130 interrupted; 128 + N
stopped by signal N (SIGTERM, SIGHUP).
"""

from __future__ import annotations

import contextlib
import enum
import functools
import os
import shutil
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, assert_never

import typer

from svclevel import __version__
from svclevel.errors import SvclevelError, UsageError
from svclevel.report import Format, ReportOptions, reporter_for

if TYPE_CHECKING:
    from svclevel.config import Settings
    from svclevel.engine.baseline import Baselines
    from svclevel.errors import Problem
    from svclevel.load.rubrics import LoadedRubric
    from svclevel.report.base import Reporter


EXIT_OK = 0
EXIT_THRESHOLD = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130

HELP = (
    "Audit a company's customer-service level against published ladder models."
    "\n\n"
    "Exit codes: 0 assessed; 1 below --fail-below or dropped against --baseline (0 with "
    "--exit-zero); 2 bad input or usage (the message says which file, line and field); 3 "
    "internal error (set SVCLEVEL_DEBUG=1 for the traceback); 130 interrupted."
)

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
    except BrokenPipeError:
        _quiet_broken_pipe()
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
    finally:
        _OUTPUT_GUARDS.close()  # the outputs this command guarded (see _guard_outputs)


def _err(line: str) -> None:
    typer.echo(line, err=True)


def _emit(text: str) -> None:
    """Write a report to stdout as rendered: the reporter already decided about colour."""
    from svclevel.report.files import write_stdout

    write_stdout(text)


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


# ----------------------------------------------------------------- options, declared once
# Every command takes its options from these: an option means the same wherever it appears.

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="Use this configuration file (.svclevel.yaml or pyproject.toml) instead of the "
        "nearest one.",
        show_default=False,
    ),
]
IsolatedOption = Annotated[
    bool,
    typer.Option(
        "--isolated", help="Ignore configuration files and SVCLEVEL_* environment variables."
    ),
]
RubricDirOption = Annotated[
    list[str] | None,
    typer.Option(
        "--rubric-dir",
        help="Folder where rubric ids are also looked up (repeatable).",
        show_default=False,
    ),
]
RubricOption = Annotated[
    str | None,
    typer.Option(
        "--rubric",
        "-r",
        help="Rubric to use: a built-in id, an id in a rubric folder, or a path; overrides the "
        "answers files' `rubric:`.",
        show_default=False,
    ),
]
CompareRubricsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--rubric",
        "-r",
        help="A rubric to compare (repeatable; default: every built-in rubric). The first is "
        "the reference of a crosswalk.",
        show_default=False,
    ),
]
DiffRubricsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--rubric",
        "-r",
        help="Rubric(s) to compare on (repeatable); default: the later file's rubric, else the "
        "configured one, else every built-in rubric.",
        show_default=False,
    ),
]
CheckRubricOption = Annotated[
    str | None,
    typer.Option(
        "--rubric",
        "-r",
        help="Check answers files against this rubric instead of the one each names.",
        show_default=False,
    ),
]
SchemaRubricOption = Annotated[
    str | None,
    typer.Option(
        "--rubric",
        "-r",
        help="For `schema answers`: also allow this rubric's own questions.",
        show_default=False,
    ),
]
CompareFailBelowOption = Annotated[
    list[str] | None,
    typer.Option(
        "--fail-below",
        metavar="RUBRIC=LEVEL",
        help="Exit 1 when a company is below LEVEL on RUBRIC (repeatable); a plain LEVEL "
        "applies to every rubric that has it.",
        show_default=False,
    ),
]
RubricOrAllOption = Annotated[
    str,
    typer.Option(
        "--rubric",
        "-r",
        help="A rubric (a built-in id, an id in a rubric folder, or a path), or `all` for every "
        "built-in rubric and every rubric in the rubric folders.",
    ),
]
FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        help="Report format on stdout. Default: rich on a terminal, text otherwise or when "
        "NO_COLOR is set.",
        show_default=False,
        case_sensitive=False,
    ),
]
ReportsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--report",
        metavar="FORMAT=PATH",
        help="Also write a report to a file, e.g. --report json=audit.json (repeatable). "
        "Files are replaced atomically when the run completes.",
        show_default=False,
    ),
]
FailBelowOption = Annotated[
    list[str] | None,
    typer.Option(
        "--fail-below",
        metavar="LEVEL",
        help="Exit 1 when a company's level is below LEVEL: a level id, name or number "
        "(0 = below the ladder), or RUBRIC=LEVEL for one rubric (repeatable).",
        show_default=False,
    ),
]
ExitZeroOption = Annotated[
    bool,
    typer.Option(
        "--exit-zero", help="Exit 0 instead of 1 for thresholds and regressions (2 and 3 stay)."
    ),
]


ASSESS_HELP = (
    "Assess answers files against a rubric and report the level reached."
    "\n\n"
    "ANSWERS are files, directories (searched recursively for *.yaml and *.yml), glob "
    "patterns, or - for standard input. Several inputs are assessed one after the other; "
    "json output then becomes JSON Lines (one record per input) and the rich, text and "
    "markdown reports end with a portfolio summary."
    "\n\n"
    "Exit codes: 0 assessed; 1 a company is below --fail-below or dropped against "
    "--baseline (0 with --exit-zero); 2 bad input or usage (the other inputs are still "
    "assessed); 3 internal error; 130 interrupted."
)


@app.command(help=ASSESS_HELP)
def assess(
    answers: Annotated[
        list[str],
        typer.Argument(
            metavar="ANSWERS...", help="Answers files, folders or globs.", show_default=False
        ),
    ],
    rubric: RubricOption = None,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain", help="Show every criterion and the arithmetic behind the verdict."
        ),
    ] = False,
    output_format: FormatOption = None,
    reports: ReportsOption = None,
    fail_below: FailBelowOption = None,
    baseline: Annotated[
        list[str] | None,
        typer.Option(
            "--baseline",
            metavar="PREVIOUS",
            help="Earlier answers files (files, folders or globs; repeatable), matched to the "
            "current ones by company: exit 1 when a company's level dropped, listing what "
            "regressed.",
            show_default=False,
        ),
    ] = None,
    exit_zero: ExitZeroOption = False,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            min=0,
            help="Processes for a batch: 0 = one per CPU for batches of 64 files or more.",
        ),
    ] = 0,
    config: ConfigOption = None,
    isolated: IsolatedOption = False,
    rubric_dir: RubricDirOption = None,
) -> None:
    from svclevel.engine.run import assess_inputs, expand_inputs
    from svclevel.report.files import Sink, atomic_files
    from svclevel.report.plan import Plan, process
    from svclevel.report.stream import stream_assessments

    with _errors_to_exit_codes():
        settings = _settings(
            config=config,
            isolated=isolated,
            rubric=rubric,
            rubric_dirs=rubric_dir,
            output_format=output_format,
            fail_below=fail_below,
        )
        thresholds = list(settings.fail_below.value)
        fmt: Format = settings.format.value or _default_format()
        files = _report_files(
            reports, settings, reads=[*answers, *(baseline or []), settings.rubric.value or ""]
        )
        inputs = expand_inputs(answers)
        batch = inputs.batch
        options = ReportOptions(
            explain=explain, width=_width(), color=not os.environ.get("NO_COLOR"), batch=batch
        )
        file_options = ReportOptions(explain=explain, width=100, color=False, batch=batch)
        outputs = [(fmt, options), *((f, file_options) for f, _ in files)]
        plan = Plan(
            formats=tuple(outputs),
            thresholds=tuple(thresholds),
            keep_assessments=bool(baseline),
        )
        with atomic_files([path for _, path in files]) as opened:
            sinks = [
                Sink(reporter_for(fmt, options), _emit),
                *(
                    Sink(reporter_for(f, file_options), file.write)
                    for (f, _), file in zip(files, opened, strict=True)
                ),
            ]
            code = stream_assessments(
                sinks,
                assess_inputs(
                    inputs,
                    rubric=settings.rubric.value,
                    rubric_dirs=settings.rubric_dirs.value,
                    rubric_is_default=settings.rubric.source != "--rubric",
                    jobs=jobs,
                    post=functools.partial(process, plan=plan),
                ),
                baseline=_baselines(baseline, settings) if baseline else None,
                err=_err,
                progress=_progress,
            )
    if code == EXIT_THRESHOLD and exit_zero:
        code = EXIT_OK
    raise typer.Exit(code)


def _settings(
    *,
    config: Path | None,
    isolated: bool,
    rubric_dirs: list[str] | None,
    output_format: Format | None,
    rubric: str | None = None,
    fail_below: list[str] | None = None,
) -> Settings:
    """The effective settings: these flags over SVCLEVEL_* over the configuration file."""
    from svclevel.config import resolve_settings

    return resolve_settings(
        cwd=Path.cwd(),
        config_path=config,
        isolated=isolated,
        env=os.environ,
        flags={
            "rubric": rubric,
            "fail_below": fail_below or None,
            "rubric_dirs": rubric_dirs or None,
            "format": output_format,
        },
    )


def _rubric_dirs(
    *, config: Path | None, isolated: bool, rubric_dir: list[str] | None
) -> tuple[str, ...]:
    """The rubric folders in effect (flags over environment over configuration file)."""
    settings = _settings(
        config=config, isolated=isolated, rubric_dirs=rubric_dir, output_format=None
    )
    return tuple(settings.rubric_dirs.value)


def _rubrics_or_all(rubric: str, dirs: tuple[str, ...]) -> list[LoadedRubric]:
    """``--rubric``, or for ``all`` every built-in rubric and every rubric in the folders."""
    from svclevel.load.rubrics import load_all_builtin, load_rubric, rubric_ids_in

    if rubric != "all":
        return [load_rubric(rubric, rubric_dirs=dirs)]
    return [*load_all_builtin(), *(load_rubric(i, rubric_dirs=dirs) for i in rubric_ids_in(dirs))]


def _report_files(
    reports: list[str] | None, settings: Settings, *, reads: list[str]
) -> list[tuple[Format, Path]]:
    """The --report FORMAT=PATH values, checked before anything is read: see _guard_outputs."""
    from svclevel.report.files import parse_report_option

    files = [parse_report_option(value) for value in reports or []]
    _guard_outputs([path for _, path in files], settings, reads=reads)
    return files


def _guard_outputs(targets: list[Path], settings: Settings, *, reads: list[str]) -> None:
    """Until the command ends, none of ``targets`` may be read: neither ``reads`` (the inputs
    named on the command line), the rubric folders, the configuration file, nor any file found
    on the way."""
    from svclevel.report.files import guard_outputs

    config = [str(settings.config_file)] if settings.config_file else []
    named = [r for r in reads if r]
    _OUTPUT_GUARDS.enter_context(
        guard_outputs(targets, reads=[*named, *settings.rubric_dirs.value, *config])
    )


_OUTPUT_GUARDS = contextlib.ExitStack()
"""The outputs guarded until the command ends (when :func:`_errors_to_exit_codes` exits)."""


def _write_all(
    reporters: list[Reporter],
    files: list[tuple[Format, Path]],
    render: Callable[[Reporter], str],
) -> None:
    """One result to stdout (the first reporter) and to each report file, atomically."""
    from svclevel.report.files import Sink, atomic_files

    with atomic_files([path for _, path in files]) as opened:
        sinks = [
            Sink(reporters[0], _emit),
            *(Sink(r, f.write) for r, f in zip(reporters[1:], opened, strict=True)),
        ]
        for sink in sinks:
            sink.write(sink.reporter.start())
            sink.write(render(sink.reporter))
            sink.write(sink.reporter.finish())


def _baselines(args: list[str], settings: Settings) -> Baselines:
    from svclevel.engine.baseline import find_baselines

    # Read before anything is assessed: a broken baseline stops the run, as no comparison could
    # be trusted.
    return find_baselines(args, rubric_dirs=settings.rubric_dirs.value)


@contextlib.contextmanager
def _progress() -> Iterator[Callable[[], None]]:
    """A progress counter on stderr for batches when stderr is a terminal and stdout is not.

    The inputs are found lazily, so the total is not known: it counts, it does not estimate.
    """
    if not sys.stderr.isatty() or sys.stdout.isatty():
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("assessed {task.completed} file(s)"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task("assess", total=None)
        yield lambda: progress.advance(task)


COMPARE_HELP = (
    "Compare the ladder models side by side, from data."
    "\n\n"
    "With ANSWERS: per company, the level each rubric gives, its position (k of n and on the "
    "common 0-100 scale), the next level and the gaps before it; where the models disagree, "
    "the answers that explain it; for several companies, which model is strictest. Without "
    "ANSWERS: a crosswalk of the rubrics' levels, from their own criteria."
    "\n\n"
    "Exit codes as for assess: 0 ok; 1 below --fail-below; 2 bad input or usage; 3 internal "
    "error; 130 interrupted."
)


@app.command(help=COMPARE_HELP)
def compare(
    answers: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[ANSWERS]...", help="Answers files, folders or globs.", show_default=False
        ),
    ] = None,
    rubrics: CompareRubricsOption = None,
    output_format: FormatOption = None,
    reports: ReportsOption = None,
    fail_below: CompareFailBelowOption = None,
    exit_zero: ExitZeroOption = False,
    config: ConfigOption = None,
    isolated: IsolatedOption = False,
    rubric_dir: RubricDirOption = None,
) -> None:
    from svclevel.engine.run import expand_inputs
    from svclevel.report import Kind
    from svclevel.report.files import Sink, atomic_files
    from svclevel.report.stream import stream_comparisons

    with _errors_to_exit_codes():
        settings = _settings(
            config=config,
            isolated=isolated,
            rubric_dirs=rubric_dir,
            output_format=output_format,
            fail_below=fail_below,
        )
        fmt: Format = settings.format.value or _default_format()
        files = _report_files(reports, settings, reads=[*(answers or []), *(rubrics or [])])
        inputs = expand_inputs(answers or [])
        kind = Kind.COMPARISON if answers else Kind.CROSSWALK
        options = ReportOptions(
            width=_width(), color=not os.environ.get("NO_COLOR"), batch=inputs.batch
        )
        file_options = ReportOptions(color=False, batch=inputs.batch)
        # Made before anything is read: a format that cannot show the result is refused here.
        reporters = [
            reporter_for(fmt, options, kind),
            *(reporter_for(f, file_options, kind) for f, _ in files),
        ]
        from svclevel.load.rubrics import builtin_rubric_ids, load_rubric

        refs = rubrics or list(builtin_rubric_ids())
        loaded = [load_rubric(ref, rubric_dirs=settings.rubric_dirs.value) for ref in refs]
        with atomic_files([path for _, path in files]) as opened:
            sinks = [
                Sink(reporters[0], _emit),
                *(Sink(r, f.write) for r, f in zip(reporters[1:], opened, strict=True)),
            ]
            code = stream_comparisons(
                sinks,
                inputs if answers else None,
                loaded,
                thresholds=list(settings.fail_below.value),
                err=_err,
            )
    if code == EXIT_THRESHOLD and exit_zero:
        code = EXIT_OK
    raise typer.Exit(code)


@app.command(
    "init",
    short_help="Write an answers template with every question the rubric(s) need.",
    help="Write an answers template with every question the rubric(s) need, each preceded by "
    "comments with the question, its allowed values and guidance, and a first line that points "
    "editors at the answers schema (written beside the file with -o). Assessing the untouched "
    "template reports every question unanswered.",
)
def init(
    rubric: RubricOrAllOption = "all",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the template here (and answers.schema.json beside it) instead of stdout.",
            show_default=False,
        ),
    ] = None,
    company: Annotated[
        str, typer.Option("--company", help="The company's name for the template.")
    ] = "Company name",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    config: ConfigOption = None,
    isolated: IsolatedOption = False,
    rubric_dir: RubricDirOption = None,
) -> None:
    """Write an answers template with every question the rubric(s) need, commented."""
    import json

    from svclevel.author.editor_schemas import answers_schema
    from svclevel.author.template import SCHEMA_FILE, render_template
    from svclevel.report.files import write_atomically

    with _errors_to_exit_codes():
        settings = _settings(
            config=config, isolated=isolated, rubric_dirs=rubric_dir, output_format=None
        )
        dirs = tuple(settings.rubric_dirs.value)
        if output is not None:
            rubric_files = [] if rubric == "all" else [rubric]
            _guard_outputs([output, output.parent / SCHEMA_FILE], settings, reads=rubric_files)
        rubrics = _rubrics_or_all(rubric, dirs)
        text = render_template(rubrics, company=company)
        if output is None:
            _emit(text)
            return
        if output.exists() and not output.is_file() and not output.is_dir():
            raise UsageError(
                f"{output}: not a regular file, and the schema goes beside it; without -o the "
                "template goes to standard output"
            )
        if output.exists() and not force:
            raise UsageError(f"{output}: already exists (use --force to overwrite)")
        questions = {q: v for r in rubrics for q, v in r.questions.items()}
        write_atomically(output, text)
        schema_path = output.parent / SCHEMA_FILE
        write_atomically(
            schema_path, json.dumps(answers_schema(questions), indent=2, ensure_ascii=False) + "\n"
        )
        typer.echo(f"wrote {output} and {schema_path}", err=True)


@app.command(
    "diff",
    short_help="Progress between two assessments of a company.",
    help="Progress between two assessments of the same company: the level change per rubric, "
    "criteria newly met, criteria regressed, and every answer that changed.",
)
def diff_command(
    before: Annotated[str, typer.Argument(help="The earlier answers file (- for standard input).")],
    after: Annotated[str, typer.Argument(help="The later answers file.")],
    rubrics: DiffRubricsOption = None,
    output_format: FormatOption = None,
    reports: ReportsOption = None,
    config: ConfigOption = None,
    isolated: IsolatedOption = False,
    rubric_dir: RubricDirOption = None,
) -> None:
    """Progress between two assessments of a company: levels, criteria and answers changed."""
    from svclevel.engine.facade import diff
    from svclevel.report import Kind

    with _errors_to_exit_codes():
        settings = _settings(
            config=config, isolated=isolated, rubric_dirs=rubric_dir, output_format=output_format
        )
        fmt: Format = settings.format.value or _default_format()
        files = _report_files(reports, settings, reads=[before, after, *(rubrics or [])])
        options = ReportOptions(width=_width(), color=not os.environ.get("NO_COLOR"))
        reporters = [
            reporter_for(fmt, options, Kind.DIFF),
            *(reporter_for(f, ReportOptions(color=False), Kind.DIFF) for f, _ in files),
        ]
        result = diff(
            before,
            after,
            rubrics,
            default_rubric=settings.rubric.value,
            rubric_dirs=settings.rubric_dirs.value,
        )
        _write_all(reporters, files, lambda reporter: reporter.diff(result))


@app.command(
    "interview",
    short_help="Fill in an answers file question by question, saved after each answer.",
    help="Ask each question in the terminal and check each answer as it is typed; add evidence "
    "after ' -- ', Enter skips, n/a, back, ? for guidance, quit. The file is saved atomically "
    "after every answer: Ctrl-C loses nothing, and running the command again resumes.",
)
def interview(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="The answers file to fill in; an existing file is resumed.",
            show_default=False,
        ),
    ],
    rubric: RubricOrAllOption = "all",
    config: ConfigOption = None,
    isolated: IsolatedOption = False,
    rubric_dir: RubricDirOption = None,
) -> None:
    """Fill in an answers file question by question, saved after every answer."""
    from rich.console import Console

    from svclevel.author.interview import open_session, questions_of, run

    console = Console(highlight=False, markup=False)

    def ask(label: str) -> str:
        try:
            return console.input(f"{label}> ")
        except EOFError:
            return "quit"

    def ask_header(label: str) -> str:
        # Before the file exists, the end of the input is not an answer ("quit" as a company).
        try:
            return console.input(f"{label}> ")
        except EOFError:
            raise UsageError(
                f"{output}: the input ended before the company was given; nothing was written"
            ) from None

    def say(text: str) -> None:
        console.print(text)

    with _errors_to_exit_codes():
        dirs = _rubric_dirs(config=config, isolated=isolated, rubric_dir=rubric_dir)
        rubrics = _rubrics_or_all(rubric, dirs)
        session = open_session(output, rubric=None if rubric == "all" else rubric, ask=ask_header)
        try:
            given = run(session, questions_of(rubrics), ask=ask, say=say)
        except KeyboardInterrupt:
            typer.echo(
                f"\nsvclevel: interrupted; every answer given so far is saved in {output}",
                err=True,
            )
            raise typer.Exit(EXIT_INTERRUPTED) from None
        done = sum(1 for q in questions_of(rubrics) if session.answered(q.id))
        typer.echo(
            f"saved {output}: {given} answer(s) this session, {done} of "
            f"{len(questions_of(rubrics))} questions answered",
            err=True,
        )


@app.command(
    "validate",
    short_help="Check rubrics and answers files, lint rubrics, run their self-tests.",
    help="Check rubrics, answers files and question banks (told apart by their content), every "
    "problem at once as file:line:col: path: message. Rubrics are also linted (unused "
    "questions, criteria that can never fail, levels without advice, levels no answers can "
    "reach) and their self-tests are run. Exit codes: 0 clean; 1 lint warnings only; 2 errors.",
)
def validate(
    files: Annotated[
        list[str],
        typer.Argument(
            metavar="FILE...",
            help="Rubrics and answers files, folders or globs.",
            show_default=False,
        ),
    ],
    rubric: CheckRubricOption = None,
    config: ConfigOption = None,
    isolated: IsolatedOption = False,
    rubric_dir: RubricDirOption = None,
) -> None:
    """Check rubrics and answers files (told apart by content), every problem at once."""
    from svclevel.author.lint import validate_file
    from svclevel.engine.run import expand_inputs
    from svclevel.errors import Problem

    with _errors_to_exit_codes():
        settings = _settings(
            config=config, isolated=isolated, rubric_dirs=rubric_dir, output_format=None
        )
        dirs = settings.rubric_dirs.value
        errors = warnings = checked = 0
        lines: list[str] = []
        for item in expand_inputs(files):
            if isinstance(item, Problem):
                lines.append(str(item))
                errors += 1
                continue
            path = item if isinstance(item, Path) else Path(item.path)
            report = validate_file(
                path, rubric=rubric, rubric_dirs=dirs, default_rubric=settings.rubric.value
            )
            checked += 1
            lines += [str(p) for p in report.errors]
            lines += [_as_warning(p) for p in report.warnings]
            errors += len(report.errors)
            warnings += len(report.warnings)
        _emit("".join(line + "\n" for line in lines))
        typer.echo(
            f"{checked} file{'s' if checked != 1 else ''} checked: {errors} error"
            f"{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}",
            err=True,
        )
    raise typer.Exit(EXIT_INPUT if errors else EXIT_THRESHOLD if warnings else EXIT_OK)


def _as_warning(problem: Problem) -> str:

    return str(problem._replace(message=f"warning: {problem.message}"))


@app.command("config")
def show_config(
    config: ConfigOption = None,
    isolated: IsolatedOption = False,
) -> None:
    """Show the effective settings and where each comes from."""
    from svclevel.config import resolve_settings

    with _errors_to_exit_codes():
        settings = resolve_settings(
            cwd=Path.cwd(), config_path=config, isolated=isolated, env=os.environ, flags={}
        )
        lines = [f"configuration file: {settings.config_file or '(none)'}"]
        rows = settings.rows()
        width = max(len(name) for name, _, _ in rows)
        value_width = max(len(value) for _, value, _ in rows)
        lines += [
            f"{name:<{width}}  {value:<{value_width}}  ({source})" for name, value, source in rows
        ]
        _emit("\n".join(lines) + "\n")


class SchemaName(enum.StrEnum):
    """The JSON Schemas svclevel can print."""

    ANSWERS = "answers"
    RUBRIC = "rubric"
    RESULT = "result"
    COMPARE = "compare"
    DIFF = "diff"


@app.command("schema")
def schema(
    name: Annotated[SchemaName, typer.Argument(help="Which schema.", case_sensitive=False)],
    rubric: SchemaRubricOption = None,
    config: ConfigOption = None,
    isolated: IsolatedOption = False,
    rubric_dir: RubricDirOption = None,
) -> None:
    """Print a JSON Schema: `answers` and `rubric` files, `result`, `compare` and `diff` JSON
    output."""
    import json

    from svclevel.author.editor_schemas import answers_schema, rubric_schema
    from svclevel.load.rubrics import load_bank, load_rubric
    from svclevel.report.json_schema import compare_schema, diff_schema, result_schema

    with _errors_to_exit_codes():
        if name is not SchemaName.ANSWERS and (rubric or rubric_dir or config or isolated):
            raise UsageError(
                f"schema {name.value}: --rubric, --rubric-dir, --config and --isolated apply to "
                "`schema answers` only"
            )
        match name:
            case SchemaName.ANSWERS:
                dirs = _rubric_dirs(config=config, isolated=isolated, rubric_dir=rubric_dir)
                questions = (
                    load_rubric(rubric, rubric_dirs=dirs).questions if rubric else load_bank()
                )
                document = answers_schema(questions)
            case SchemaName.RUBRIC:
                document = rubric_schema()
            case SchemaName.RESULT:
                document = result_schema()
            case SchemaName.COMPARE:
                document = compare_schema()
            case SchemaName.DIFF:
                document = diff_schema()
            case _:
                assert_never(name)
        _emit(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


@rubrics_app.callback()
def rubrics(ctx: typer.Context) -> None:
    """List the built-in rubrics."""
    if ctx.invoked_subcommand is not None:
        return
    from svclevel.load.rubrics import load_all_builtin
    from svclevel.report.rubric_view import render_rubric_list

    with _errors_to_exit_codes():
        text = render_rubric_list(load_all_builtin(), width=_width(), color=_color())
        _emit(text)


@rubrics_app.command("show")
def rubrics_show(
    ref: Annotated[
        str,
        typer.Argument(
            metavar="ID|PATH", help="A built-in rubric id, an id in a rubric folder, or a path."
        ),
    ],
    config: ConfigOption = None,
    isolated: IsolatedOption = False,
    rubric_dir: RubricDirOption = None,
) -> None:
    """Show a rubric's ladder, criteria, thresholds, tips and sources."""
    from svclevel.load.rubrics import load_rubric
    from svclevel.report.rubric_view import render_rubric

    with _errors_to_exit_codes():
        dirs = _rubric_dirs(config=config, isolated=isolated, rubric_dir=rubric_dir)
        loaded = load_rubric(ref, rubric_dirs=dirs)
        _emit(render_rubric(loaded, width=_width(), color=_color()))


def _color() -> bool:
    return _terminal() and not os.environ.get("NO_COLOR")


def main() -> None:
    """Console-script entry point. Typer maps Ctrl-C to exit code 130 and usage errors to 2.

    When the reader of stdout goes away (``svclevel assess ... | head -1``), svclevel stops
    quietly: no BrokenPipeError, exit code 0. SIGTERM and SIGHUP stop it as Ctrl-C does (no
    report file is replaced, no temporary file is left), with the exit code 128 + the signal's
    number.
    """
    from svclevel.report.files import Stopped, drop_stdout, stop_on_signals

    stop_on_signals()
    try:
        app(prog_name="svclevel")
    except BrokenPipeError:
        _quiet_broken_pipe()
    except Stopped as stopped:
        drop_stdout()  # its reader may be gone (SIGHUP) or stalled
        with contextlib.suppress(OSError):  # the terminal may be gone too
            typer.echo(f"svclevel: stopped by {stopped}; no report file was written", err=True)
        sys.exit(128 + stopped.signum)
    except SystemExit:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _quiet_broken_pipe()
        except OSError as exc:
            from svclevel.report.files import stdout_failed

            typer.echo(stdout_failed(exc), err=True)
            sys.exit(EXIT_INPUT)
        raise


def _quiet_broken_pipe() -> NoReturn:
    # Python would complain again when it flushes stdout at exit: point it at /dev/null.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(EXIT_OK)
