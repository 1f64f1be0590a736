"""The command line. Commands parse options, call the engine, hand results to a reporter and
map errors to exit codes; nothing else in the package prints or exits.

Exit codes: 0 success; 2 bad input or usage; 3 internal error; 130 interrupted; 128 + N
stopped by signal N (SIGTERM, SIGHUP).
"""

from __future__ import annotations

import contextlib
import datetime
import enum
import functools
import os
import shutil
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, assert_never

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from svclevel import __version__
from svclevel.errors import SvclevelError, UsageError, did_you_mean, printable
from svclevel.report import Format, Kind, ReportOptions, formats_for, reporter_class, reporter_for

if TYPE_CHECKING:
    from rich.console import Console

    from svclevel.config import Settings
    from svclevel.engine.baseline import Baselines
    from svclevel.engine.run import Input
    from svclevel.errors import Problem
    from svclevel.load.checks import Evaluation
    from svclevel.load.rubrics import LoadedRubric
    from svclevel.measure import Measurement
    from svclevel.report.base import Reporter, WhiteLabel


EXIT_OK = 0
EXIT_THRESHOLD = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130

HELP = (
    "Audit a company's customer-service level against published ladder models."
    "\n\n"
    "Exit codes: 0 assessed; 1 below --fail-below, dropped against --baseline, or dropped since "
    "the previous date with history --fail-on-drop (0 with --exit-zero); 2 bad input or usage "
    "(the message says which file, line and field); 3 internal error (set SVCLEVEL_DEBUG=1 for "
    "the traceback); 130 interrupted."
)


class _Argument(TyperArgument):
    """An argument as the help shows it: its name (``FILE...``, ``[ANSWERS]...``), no type."""

    def _shown(self) -> str:
        return self.display_name_raw + ("..." if self.nargs != 1 else "")

    def display_type_rich(self, ctx: Any) -> str | None:
        return None

    def _rich_display_name(self) -> str:
        return self._shown()

    def _usage_display_name(self) -> str:
        return self._shown() if self.required else f"[{self._shown()}]"


class _Option(TyperOption):
    """An option as the help shows it: its metavar (FILE, N, RUBRIC=LEVEL), nothing for a
    flag; the help text says the allowed range."""

    def display_type_rich(self, ctx: Any) -> str | None:
        if self.is_flag:
            return None
        return self.metavar or super().display_type_rich(ctx)

    def _get_number_range_help_str(self) -> str | None:
        return None


def _humane(params: list[Any]) -> list[Any]:
    """Typer's parameters, shown in the help by the names a person types (see _Argument and
    _Option), not by their Python types (``<list[str]>``, ``<bool>``)."""
    for param in params:
        if type(param) is TyperArgument:
            param.__class__ = _Argument
        elif type(param) is TyperOption:
            param.__class__ = _Option
    return params


class _Command(TyperCommand):
    """A command whose help shows the names a person types, and which refuses an option given
    twice when it takes one value: the parser would keep the last one without a word
    (``-r four-level -r three-tier``)."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _humane(super().get_params(ctx))

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            _, _, order = self.make_parser(ctx).parse_args(args=list(args))
        except Exception:  # a bad command line: the real parse below says why
            order = []
        seen: set[str] = set()
        for param in order:
            if param.param_type_name != "option" or param.multiple or param.name is None:
                continue
            if getattr(param, "is_flag", False) or getattr(param, "count", False):
                continue  # a flag given twice means what it means once
            if param.name in seen:
                hint = _REPEAT_HINTS.get((self.name or "", param.name), "")
                names = "/".join(param.opts)
                _err(
                    f"svclevel {self.name}: {names} given more than once; it takes one value{hint}"
                )
                raise typer.Exit(EXIT_INPUT)
            seen.add(param.name)
        return super().parse_args(ctx, args)


_REPEAT_HINTS = {
    ("assess", "rubric"): " (to see a company on several rubrics: svclevel compare FILE -r A -r B)",
}


class _Group(TyperGroup):
    def get_params(self, ctx: Any) -> list[Any]:
        return _humane(super().get_params(ctx))


app = typer.Typer(
    cls=_Group,
    name="svclevel",
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
rubrics_app = typer.Typer(
    cls=_Group,
    help="List the built-in rubrics (no sub-command), or show one with `rubrics show`.",
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(rubrics_app, name="rubrics")


def _fail(code: int, lines: list[str]) -> NoReturn:
    for line in lines:
        _err(f"svclevel: {line}" if code == EXIT_INTERNAL else line)
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
    """Write a message on stderr: one line, through :func:`printable`. Every message goes
    through here: a message can quote a file, and must carry no terminal escape, CI workflow
    command or line break from it (a line of its own could pass for another message)."""
    typer.echo(printable(line), err=True)


def _printable_lines(text: str) -> str:
    """``text`` through :func:`printable`, line by line."""
    return "\n".join(printable(part) for part in text.split("\n"))


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


MAX_WIDTH = 500
"""Widest output, in columns: wider than any terminal (a 4K screen at its smallest font shows
about 480); Rich pads tables and rules to the width, so ``COLUMNS=10000000`` would make
hundreds of MB of spaces."""


MAX_LINES = 1000
"""Tallest terminal believed, in lines (``LINES``)."""


def _sane_terminal_size() -> None:
    """``COLUMNS`` and ``LINES`` as every library reads them (Rich, Click, shutil): a plain
    number above 0 and no larger than :data:`MAX_WIDTH` / :data:`MAX_LINES`, or unset (the
    terminal's size is used). Rich takes ``²`` for a number and fails on it; Python refuses to
    read a number of more than 4,300 digits."""
    for name, most in (("COLUMNS", MAX_WIDTH), ("LINES", MAX_LINES)):
        value = os.environ.get(name)
        if value is None:
            continue
        if not (value.isascii() and value.isdigit()) or not value.strip("0"):
            del os.environ[name]  # 0 too: shutil and Rich take it as "not known"
        elif len(value) > len(str(most)) or int(value) > most:
            os.environ[name] = str(most)


def _width() -> int:
    """The width reports wrap at: ``COLUMNS`` (a plain number), else the terminal's, else 100;
    always between 40 and :data:`MAX_WIDTH`."""
    _sane_terminal_size()
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit():
        width = int(columns)
    elif _terminal():
        width = shutil.get_terminal_size().columns
    else:
        width = 100
    return min(MAX_WIDTH, max(40, width))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"svclevel {__version__}")
        raise typer.Exit(EXIT_OK)


VersionOption = Annotated[
    bool,
    typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
]
"""``--version``, on every command (and before any)."""


@app.callback()
def _main(version: VersionOption = False) -> None:
    """Audit a company's customer-service level against published ladder models."""
    _sane_terminal_size()


# ----------------------------------------------------------------- options, declared once
# Every command takes its options from these: an option means the same wherever it appears.

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        metavar="FILE",
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
        metavar="DIR",
        help="Folder where rubric ids are also looked up (repeatable).",
        show_default=False,
    ),
]
AllowPathOption = Annotated[
    list[str] | None,
    typer.Option(
        "--allow-path",
        metavar="DIR",
        help="Folder a path named inside a file (an answers file's `rubric:`, a rubric's "
        "`extends:`) may also lead into (repeatable). Always allowed: that file's folder, the "
        "working directory, the rubric folders, the built-in rubrics.",
        show_default=False,
    ),
]
RubricOption = Annotated[
    str | None,
    typer.Option(
        "--rubric",
        "-r",
        metavar="RUBRIC",
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
        metavar="RUBRIC",
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
        metavar="RUBRIC",
        help="Rubric(s) to compare on (repeatable); default: the later file's rubric, else the "
        "configured one, else every built-in rubric.",
        show_default=False,
    ),
]
HistoryRubricsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--rubric",
        "-r",
        metavar="RUBRIC",
        help="A rubric to follow the company on (repeatable; `all` for every built-in rubric "
        "and every rubric in the rubric folders); default: the rubrics the files name, else "
        "the configured one, else every built-in rubric.",
        show_default=False,
    ),
]
CheckRubricOption = Annotated[
    str | None,
    typer.Option(
        "--rubric",
        "-r",
        metavar="RUBRIC",
        help="Check answers files against this rubric instead of the one each names.",
        show_default=False,
    ),
]
SchemaRubricOption = Annotated[
    str | None,
    typer.Option(
        "--rubric",
        "-r",
        metavar="RUBRIC",
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
    str | None,
    typer.Option(
        "--rubric",
        "-r",
        metavar="RUBRIC",
        help="A rubric (a built-in id, an id in a rubric folder, or a path), or `all` for every "
        "built-in rubric and every rubric in the rubric folders. Default: the configured "
        "rubric, else all.",
        show_default=False,
    ),
]


def _format_option(*kinds: Kind) -> Any:
    """``--format``, accepting (and listing in the help) the formats that can show ``kinds``."""
    choices = formats_for(*kinds)
    names = ", ".join(f.value for f in choices)

    def parse(value: str) -> Format:
        # A format that exists but cannot show what the command reports is refused by
        # reporter_for, in the same words as in a configuration file or --report.
        chosen = next((f for f in Format if f.value == value.lower()), None)
        if chosen is None:
            raise typer.BadParameter(f"unknown format '{value}' (choose from {names})")
        return chosen

    return typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        parser=parse,
        help=f"Report format on stdout: {names}. Default: rich on a terminal, text otherwise or "
        "when NO_COLOR is set.",
        show_default=False,
    )


AssessFormatOption = Annotated[Format | None, _format_option(Kind.ASSESSMENT)]
CompareFormatOption = Annotated[Format | None, _format_option(Kind.COMPARISON, Kind.CROSSWALK)]
DiffFormatOption = Annotated[Format | None, _format_option(Kind.DIFF)]
HistoryFormatOption = Annotated[Format | None, _format_option(Kind.HISTORY)]
ReportsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--report",
        metavar="FORMAT=PATH",
        help="Also write a report to a file, in a FORMAT of --format, e.g. --report "
        "json=audit.json (repeatable). "
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
WhiteLabelOption = Annotated[
    list[str] | None,
    typer.Option(
        "--white-label",
        metavar="KEY=VALUE",
        help="Label the html and pdf reports for the client, over the configuration file's "
        "report table (repeatable): consultancy, logo (a PNG or SVG file), prepared_for, "
        "prepared_by, reference, confidentiality, issued (a date), accent (#rrggbb), paper "
        "(A4 or Letter), show_paths (true: answers files as paths, not only names).",
        show_default=False,
    ),
]
RequireEvidenceOption = Annotated[
    bool,
    typer.Option(
        "--require-evidence",
        help="Count a required criterion as met only when its answer gives evidence; "
        "without it the criterion is unevidenced and the verdict provisional (a rubric may "
        "require this itself).",
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Judge evidence and exceptions on DATE (YYYY-MM-DD, not before the answers "
        "file's date) instead of the file's date; the clock is never used.",
        show_default=False,
    ),
]
ExceptionsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--exceptions",
        metavar="FILE",
        help="An exceptions file for every answers file, instead of the configuration's "
        "(repeatable); each answers file's own exceptions: are read as well.",
        show_default=False,
    ),
]


class AggregationChoice(enum.StrEnum):
    """The values of ``--aggregation`` (:data:`svclevel.models.Aggregation`)."""

    MEDIAN = "median"
    MIN = "min"


AggregationOption = Annotated[
    AggregationChoice | None,
    typer.Option(
        "--aggregation",
        metavar="POLICY",
        help="How several respondents' answers make one (POLICY), over the rubric's "
        "aggregation: median (scales by the lower median, yes/no by majority with a tie to "
        "no, numbers by the median) or min (the weakest link: the worst answer given).",
        show_default=False,
    ),
]
FailOnDisagreementOption = Annotated[
    int | None,
    typer.Option(
        "--fail-on-disagreement",
        metavar="N",
        min=0,
        help="Exit 1 when respondents disagree on more than N of the rubric's questions "
        "(a range of 2 steps, a deviation above k/6, yes/no agreement under 80 %, or group "
        "medians 2 steps apart).",
        show_default=False,
    ),
]
NoExceptionsOption = Annotated[
    bool,
    typer.Option(
        "--no-exceptions",
        help="Evaluate the raw answers: every exception is reported, none applied.",
    ),
]
MaxExceptionDaysOption = Annotated[
    int | None,
    typer.Option(
        "--max-exception-days",
        metavar="DAYS",
        min=1,
        max=3660,
        help="The longest an exception may last, from granted to expires (default 365).",
        show_default=False,
    ),
]
FailOnProvisionalOption = Annotated[
    bool,
    typer.Option(
        "--fail-on-provisional",
        help="Exit 1 when a verdict is provisional: questions that decide the level or the "
        "next one are unanswered (or lack the evidence required).",
    ),
]
MeasurementsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--measurements",
        metavar="FILE",
        help="A measurement file (from svclevel measure) for the answers file, instead of "
        "those its measurements: names (repeatable; one answers file only).",
        show_default=False,
    ),
]
StrictMeasuredOption = Annotated[
    bool,
    typer.Option(
        "--strict-measured",
        help="Fail (exit 1) when a typed answer differs from its measurement beyond the "
        "tolerance; without it the difference is a warning.",
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
    "Exit codes: 0 assessed; 1 a company is below --fail-below, dropped against "
    "--baseline or provisional under --fail-on-provisional (0 with --exit-zero); 2 bad "
    "input or usage (the other inputs are still assessed); 3 internal error; 130 interrupted."
)


@app.command(cls=_Command, help=ASSESS_HELP)
def assess(
    answers: Annotated[
        list[str],
        typer.Argument(
            metavar="ANSWERS", help="Answers files, folders or globs.", show_default=False
        ),
    ],
    rubric: RubricOption = None,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain", help="Show every criterion and the arithmetic behind the verdict."
        ),
    ] = False,
    output_format: AssessFormatOption = None,
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
    fail_on_provisional: FailOnProvisionalOption = False,
    fail_on_disagreement: FailOnDisagreementOption = None,
    require_evidence: RequireEvidenceOption = False,
    measurements: MeasurementsOption = None,
    strict_measured: StrictMeasuredOption = False,
    as_of: AsOfOption = None,
    exceptions: ExceptionsOption = None,
    no_exceptions: NoExceptionsOption = False,
    aggregation: AggregationOption = None,
    max_exception_days: MaxExceptionDaysOption = None,
    white_label: WhiteLabelOption = None,
    exit_zero: ExitZeroOption = False,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            min=0,
            metavar="N",
            help="Processes for a batch (N ≥ 0): 0 = one per CPU for batches of 64 files or more.",
        ),
    ] = 0,
    validate_rubrics: Annotated[
        bool,
        typer.Option(
            "--validate-rubrics",
            help="Validate the rubrics and question banks among ANSWERS (errors, self-tests) "
            "instead of refusing them: a valid one is noted on stderr, an invalid one is bad "
            "input. For pre-commit hooks, which pass every changed YAML file.",
        ),
    ] = False,
    config: ConfigOption = None,
    isolated: IsolatedOption = False,
    rubric_dir: RubricDirOption = None,
    allow_path: AllowPathOption = None,
    version: VersionOption = False,
) -> None:
    from svclevel.engine.run import assess_inputs, expand_inputs
    from svclevel.report.files import atomic_files, sinks_for
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
            white_label=white_label,
            exceptions=exceptions,
            max_exception_days=max_exception_days,
        )
        evaluation = _evaluation(
            settings, as_of=as_of, no_exceptions=no_exceptions, aggregation=aggregation
        )
        if settings.rubric.value == "all":
            raise UsageError(
                "--rubric all: assess takes one rubric; to see a company on every rubric use "
                "svclevel compare FILE"
            )
        allowed = _allowed(allow_path)
        thresholds = list(settings.fail_below.value)
        _check_thresholds(thresholds, settings, allowed)
        if (
            exit_zero
            and not thresholds
            and not baseline
            and not fail_on_provisional
            and not strict_measured
            and fail_on_disagreement is None
        ):
            _err(
                "svclevel: warning: --exit-zero changes nothing: no --fail-below, --baseline, "
                "--fail-on-provisional, --fail-on-disagreement or --strict-measured"
            )
        fmt = _stdout_format(settings, Kind.ASSESSMENT)
        files = _report_files(
            reports,
            settings,
            reads=[
                *answers,
                *(baseline or []),
                *(measurements or []),
                *evaluation.exception_files,
                settings.rubric.value or "",
            ],
        )
        inputs = expand_inputs(answers)
        batch = inputs.batch
        if measurements and batch:
            raise UsageError(
                "--measurements applies to one answers file; for several, name each one's "
                "measurement files under measurements: in the file"
            )
        if jobs > 1 and not batch:
            _err(f"svclevel: warning: --jobs {jobs}: one input is assessed in this process")
        options = ReportOptions(
            explain=explain,
            width=_width(),
            color=not os.environ.get("NO_COLOR"),
            batch=batch,
            thresholds=tuple(thresholds),
            label=_label(settings, [fmt, *(f for f, _ in files)]),
        )
        file_options = options._replace(width=100, color=False)
        outputs = [(fmt, options), *((f, file_options) for f, _ in files)]
        if explain and not any(reporter_class(f).explains for f, _ in outputs):
            shown = ", ".join(sorted({f.value for f, _ in outputs}))
            explaining = ", ".join(f.value for f in Format if reporter_class(f).explains)
            raise UsageError(
                f"--explain: the {shown} output of this run shows no explanation; "
                f"the {explaining} reports do"
            )
        plan = Plan(
            formats=tuple(outputs),
            thresholds=tuple(thresholds),
            keep_assessments=bool(baseline),
            thresholds_named=_named(settings, "fail_below"),
            fail_on_provisional=fail_on_provisional,
            strict_measured=strict_measured,
            fail_on_disagreement=fail_on_disagreement,
        )
        with atomic_files([path for _, path in files]) as opened:
            sinks = sinks_for(
                [reporter_for(fmt, options), *(reporter_for(f, file_options) for f, _ in files)],
                opened,
            )
            items: Iterable[Input] = inputs
            if validate_rubrics:
                from svclevel.author.lint import rubrics_validated

                items = rubrics_validated(
                    inputs, rubric_dirs=settings.rubric_dirs.value, allow_paths=allowed, note=_err
                )
            code = stream_assessments(
                sinks,
                assess_inputs(
                    items,
                    rubric=settings.rubric.value,
                    rubric_dirs=settings.rubric_dirs.value,
                    rubric_is_default=settings.rubric.source != "--rubric",
                    allow_paths=allowed,
                    jobs=1 if validate_rubrics and "-" in answers else jobs,
                    post=functools.partial(process, plan=plan),
                    require_evidence=require_evidence,
                    measurements=measurements or (),
                    evaluation=evaluation,
                ),
                baseline=_baselines(baseline, settings, evaluation) if baseline else None,
                err=_err,
                progress=_progress,
                thresholds=thresholds,
                known_rubrics=functools.partial(_known_rubric_ids, settings.rubric_dirs.value),
                thresholds_named=_named(settings, "fail_below"),
                strict_measured=strict_measured,
                fail_on_disagreement=fail_on_disagreement,
                aggregation=None if aggregation is None else aggregation.value,
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
    white_label: list[str] | None = None,
    exceptions: list[str] | None = None,
    max_exception_days: int | None = None,
) -> Settings:
    """The effective settings: these flags over SVCLEVEL_* over the configuration file."""
    from svclevel.config import parse_white_label, refuse_paths_out_of_config, resolve_settings

    settings = resolve_settings(
        cwd=Path.cwd(),
        config_path=config,
        isolated=isolated,
        env=os.environ,
        flags={
            "rubric": rubric,
            "fail_below": fail_below or None,
            "rubric_dirs": rubric_dirs or None,
            "format": output_format,
            "exceptions": exceptions or None,
            "max_exception_days": max_exception_days,
            "report": parse_white_label(
                white_label or [], lambda line: _err(f"svclevel: warning: {line}")
            ),
        },
    )
    for warning in settings.warnings:
        _err(f"svclevel: warning: {warning}")
    for folder in settings.rubric_dirs.value:
        if not Path(folder).is_dir():
            raise UsageError(f"{_named(settings, 'rubric_dirs')} {folder} is not a folder")
    refuse_paths_out_of_config(settings)
    return settings


def _evaluation(
    settings: Settings,
    *,
    as_of: str | None,
    no_exceptions: bool,
    aggregation: AggregationChoice | None = None,
) -> Evaluation:
    """How the run evaluates answers: on which day, with which exceptions files, combining
    several respondents' answers how."""
    from svclevel.load.checks import Evaluation

    day = None
    if as_of is not None:
        from svclevel.engine.facade import parse_day

        day = parse_day(as_of, "--as-of")
    files = tuple(settings.exceptions.value)
    if no_exceptions and settings.exceptions.source == "--exceptions":
        raise UsageError("--exceptions and --no-exceptions contradict each other: give one")
    from svclevel.load.yamlfile import check_given_file

    for name in files:
        check_given_file(name, _named(settings, "exceptions"), "an exceptions file")
    return Evaluation(
        as_of=day,
        exceptions=not no_exceptions,
        exception_files=files,
        max_exception_days=int(settings.max_exception_days.value),
        aggregation=None if aggregation is None else aggregation.value,
    )


def _allowed(allow_path: list[str] | None) -> tuple[str, ...]:
    """The ``--allow-path`` folders, each checked to be one."""
    for folder in allow_path or ():
        if not Path(folder).is_dir():
            raise UsageError(f"--allow-path {folder} is not a folder")
    return tuple(allow_path or ())


def _warn_twice(rubric_ids: list[str]) -> None:
    """A rubric named twice is shown twice (a crosswalk of a rubric with itself is the identity,
    a check worth running): said, not refused."""
    twice = sorted({i for i in rubric_ids if rubric_ids.count(i) > 1})
    if twice:
        _err(f"svclevel: warning: --rubric {', '.join(twice)} given more than once; shown as often")


def _label(settings: Settings, formats: Iterable[Format]) -> WhiteLabel:
    """The white label, read (the logo) only when an html or pdf report is made; flags that
    label no report are a warning."""
    from svclevel.config import white_label
    from svclevel.report.base import WhiteLabel

    if {Format.HTML, Format.PDF} & set(formats):
        return white_label(settings)
    flagged = [key for key, setting in settings.report if setting.source == "--white-label"]
    if flagged:
        verb = "changes" if len(flagged) == 1 else "change"
        _err(
            f"svclevel: warning: --white-label {', '.join(flagged)} {verb} nothing: this run "
            "makes no html or pdf report"
        )
    return WhiteLabel()


def _stdout_format(settings: Settings, kind: Kind) -> Format:
    """The format on stdout. A configured one (file or environment) this command cannot show
    gives way to the default, with a warning; ``--format`` is refused by the reporter."""
    from svclevel.report import formats_showing

    fmt: Format | None = settings.format.value
    if fmt is None:
        return _default_format()
    if fmt is Format.PDF and _terminal():
        if settings.format.source == "--format":
            raise UsageError(
                "--format pdf: a PDF is not for a terminal; redirect standard output to a file "
                "or use --report pdf=FILE"
            )
        fallback = _default_format()
        _err(
            f"svclevel: warning: format pdf ({settings.format.source}) is not for a terminal; "
            f"writing {fallback.value} (redirect standard output, or use --report pdf=FILE)"
        )
        return fallback
    if settings.format.source != "--format" and kind not in reporter_class(fmt).shows:
        fallback = _default_format()
        _err(
            f"svclevel: warning: format {fmt.value} ({settings.format.source}) cannot show "
            f"{kind.noun}; writing {fallback.value} (formats for {kind.command}: "
            f"{', '.join(f.value for f in formats_showing(kind))})"
        )
        return fallback
    return fmt


def _check_thresholds(
    thresholds: list[str], settings: Settings, allowed: tuple[str, ...] = ()
) -> None:
    """``--fail-below`` checked before anything is read: a level that does not exist stops the
    run before any output, not half-way through it."""
    from svclevel.engine.gates import check_thresholds_now
    from svclevel.load.rubrics import load_rubric

    if not thresholds:
        return
    from svclevel.engine.gates import split_threshold

    for spec in thresholds:
        if split_threshold(spec)[1].strip() == "0":
            _err(
                f"svclevel: warning: {_named(settings, 'fail_below')} {spec}: no company is "
                "below level 0, so this gate never fails"
            )
    dirs = settings.rubric_dirs.value
    chosen = (
        load_rubric(settings.rubric.value, rubric_dirs=dirs, allow_paths=allowed)
        if settings.rubric.source == "--rubric"
        else None
    )
    check_thresholds_now(
        thresholds,
        rubric_dirs=dirs,
        rubric=chosen,
        named=_named(settings, "fail_below"),
        allow_paths=allowed,
    )


def _known_rubric_ids(dirs: tuple[str, ...]) -> set[str]:
    from svclevel.load.rubrics import builtin_rubric_ids, rubric_ids_in

    return {*builtin_rubric_ids(), *rubric_ids_in(dirs)}


def _named(settings: Settings, name: str) -> str:
    from svclevel.config import named_in_messages

    return named_in_messages(settings, name)


def _rubric_dirs(
    *, config: Path | None, isolated: bool, rubric_dir: list[str] | None
) -> tuple[str, ...]:
    """The rubric folders in effect (flags over environment over configuration file)."""
    settings = _settings(
        config=config, isolated=isolated, rubric_dirs=rubric_dir, output_format=None
    )
    return tuple(settings.rubric_dirs.value)


def _rubrics_or_all(
    rubric: str, dirs: tuple[str, ...], allowed: tuple[str, ...] = ()
) -> list[LoadedRubric]:
    """``--rubric``, or for ``all`` every built-in rubric and every rubric in the folders."""
    from svclevel.load.rubrics import load_all_builtin, load_rubric, rubric_ids_in

    if rubric != "all":
        return [load_rubric(rubric, rubric_dirs=dirs, allow_paths=allowed)]
    return [
        *load_all_builtin(),
        *(load_rubric(i, rubric_dirs=dirs, allow_paths=allowed) for i in rubric_ids_in(dirs)),
    ]


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
    named on the command line), the rubric folders, the configuration file, the logo, nor any
    file found on the way."""
    from svclevel.report.files import guard_outputs

    config = [str(settings.config_file)] if settings.config_file else []
    logo = settings.report_value("logo")
    named = [r for r in [*reads, *([str(logo)] if logo else [])] if r]
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
    from svclevel.report.files import atomic_files, sinks_for

    with atomic_files([path for _, path in files]) as opened:
        for sink in sinks_for(reporters, opened):
            sink.write(sink.reporter.start())
            sink.write(render(sink.reporter))
            sink.finish()


def _baselines(args: list[str], settings: Settings, evaluation: Evaluation) -> Baselines:
    from svclevel.engine.baseline import find_baselines

    # Read before anything is assessed: a broken baseline stops the run, as no comparison could
    # be trusted.
    return find_baselines(
        args,
        rubric_dirs=settings.rubric_dirs.value,
        warn=lambda message: _err(f"svclevel: warning: {message}"),
        evaluation=evaluation,
    )


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
        console=Console(stderr=True, width=_width()),
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


@app.command(cls=_Command, help=COMPARE_HELP)
def compare(
    answers: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="ANSWERS", help="Answers files, folders or globs.", show_default=False
        ),
    ] = None,
    rubrics: CompareRubricsOption = None,
    output_format: CompareFormatOption = None,
    reports: ReportsOption = None,
    fail_below: CompareFailBelowOption = None,
    require_evidence: RequireEvidenceOption = False,
    as_of: AsOfOption = None,
    exceptions: ExceptionsOption = None,
    no_exceptions: NoExceptionsOption = False,
    aggregation: AggregationOption = None,
    max_exception_days: MaxExceptionDaysOption = None,
    white_label: WhiteLabelOption = None,
    exit_zero: ExitZeroOption = False,
    config: ConfigOption = None,
    isolated: IsolatedOption = False,
    rubric_dir: RubricDirOption = None,
    allow_path: AllowPathOption = None,
    version: VersionOption = False,
) -> None:
    from svclevel.engine.run import expand_inputs
    from svclevel.report.files import atomic_files, sinks_for
    from svclevel.report.stream import stream_comparisons

    with _errors_to_exit_codes():
        settings = _settings(
            config=config,
            isolated=isolated,
            rubric_dirs=rubric_dir,
            output_format=output_format,
            fail_below=fail_below,
            white_label=white_label,
            exceptions=exceptions,
            max_exception_days=max_exception_days,
        )
        evaluation = _evaluation(
            settings, as_of=as_of, no_exceptions=no_exceptions, aggregation=aggregation
        )
        kind = Kind.COMPARISON if answers else Kind.CROSSWALK
        fmt = _stdout_format(settings, kind)
        files = _report_files(
            reports,
            settings,
            reads=[*(answers or []), *(rubrics or []), *evaluation.exception_files],
        )
        inputs = expand_inputs(answers or [])
        label = _label(settings, [fmt, *(f for f, _ in files)])
        options = ReportOptions(
            width=_width(), color=not os.environ.get("NO_COLOR"), batch=inputs.batch, label=label
        )
        file_options = ReportOptions(color=False, batch=inputs.batch, label=label)
        # Made before anything is read: a format that cannot show the result is refused here.
        reporters = [
            reporter_for(fmt, options, kind),
            *(reporter_for(f, file_options, kind) for f, _ in files),
        ]
        from svclevel.engine.gates import check_compare_thresholds
        from svclevel.load.rubrics import builtin_rubric_ids

        dirs, allowed = settings.rubric_dirs.value, _allowed(allow_path)
        loaded = [
            r
            for ref in rubrics or builtin_rubric_ids()
            for r in _rubrics_or_all(ref, dirs, allowed)
        ]
        _warn_twice([r.id for r in loaded])
        thresholds = list(settings.fail_below.value) if answers else []
        if fail_below and not answers:
            raise UsageError(
                f"--fail-below {' '.join(fail_below)}: a crosswalk (compare without answers "
                "files) has no company to hold to a level; give ANSWERS"
            )
        check_compare_thresholds(thresholds, loaded, _named(settings, "fail_below"))
        for flag, given in (
            ("--require-evidence", require_evidence),
            ("--as-of", as_of is not None),
            ("--exceptions", bool(exceptions)),
            ("--no-exceptions", no_exceptions),
            ("--max-exception-days", max_exception_days is not None),
            ("--aggregation", aggregation is not None),
        ):
            if given and not answers:
                raise UsageError(
                    f"{flag}: a crosswalk (compare without answers files) scores no answers; "
                    "give ANSWERS"
                )
        if exit_zero and not thresholds:
            _err("svclevel: warning: --exit-zero changes nothing: no --fail-below")
        with atomic_files([path for _, path in files]) as opened:
            sinks = sinks_for(reporters, opened)
            code = stream_comparisons(
                sinks,
                inputs if answers else None,
                loaded,
                thresholds=thresholds,
                err=_err,
                thresholds_named=_named(settings, "fail_below"),
                require_evidence=require_evidence,
                evaluation=evaluation,
            )
    if code == EXIT_THRESHOLD and exit_zero:
        code = EXIT_OK
    raise typer.Exit(code)


@app.command(
    "init",
    cls=_Command,
    short_help="Write an answers template with every question the rubric(s) need.",
    help="Write an answers template with every question the rubric(s) need, each preceded by "
    "comments with the question, its allowed values and guidance, and a first line that points "
    "editors at the answers schema (written beside the file with -o). Assessing the untouched "
    "template reports every question unanswered.",
)
def init(
    rubric: RubricOrAllOption = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the template here (and its answers schema beside it, RUBRIC.answers."
            "schema.json, or answers.schema.json for all) instead of stdout.",
            show_default=False,
        ),
    ] = None,
    company: Annotated[
        str,
        typer.Option("--company", metavar="NAME", help="The company's name for the template."),
    ] = "Company name",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    config: ConfigOption = None,
    isolated: IsolatedOption = False,
    rubric_dir: RubricDirOption = None,
    allow_path: AllowPathOption = None,
    version: VersionOption = False,
) -> None:
    """Write an answers template with every question the rubric(s) need, commented."""
    from svclevel.author.template import render_for, schema_file, write_template

    with _errors_to_exit_codes():
        if force and output is None:
            raise UsageError("--force applies with --output: standard output is never a file")
        settings = _settings(
            config=config,
            isolated=isolated,
            rubric_dirs=rubric_dir,
            output_format=None,
            rubric=rubric,
        )
        rubric = settings.rubric.value or "all"
        rubric_files = [] if rubric == "all" else [rubric]
        if output is not None:
            if output.exists() and not output.is_file() and not output.is_dir():
                raise UsageError(
                    f"{output}: not a regular file, and the schema goes beside it; without -o "
                    "the template goes to standard output"
                )
            _guard_outputs([output], settings, reads=rubric_files)
        rubrics = _rubrics_or_all(rubric, settings.rubric_dirs.value, _allowed(allow_path))
        # Folders named by --rubric-dir alone would not find the rubric again when assessing.
        kept = () if settings.rubric_dirs.source == "--rubric-dir" else settings.rubric_dirs.value
        every = rubric == "all"
        if output is not None:  # its name depends on the rubric, known only now
            schema = output.parent / schema_file(rubrics, every=every)
            _guard_outputs([schema], settings, reads=rubric_files)
        if output is None:
            _emit(render_for(rubrics, Path(), every=every, company=company, rubric_dirs=kept))
            return
        said = write_template(
            rubrics, output, every=every, company=company, rubric_dirs=kept, force=force
        )
        _err(said)


@app.command(
    "diff",
    cls=_Command,
    short_help="Progress between two assessments of a company.",
    help="Progress between two assessments of the same company: the level change per rubric, "
    "criteria newly met, criteria regressed, and every answer that changed.",
)
def diff_command(
    before: Annotated[
        str,
        typer.Argument(metavar="BEFORE", help="The earlier answers file (- for standard input)."),
    ],
    after: Annotated[str, typer.Argument(metavar="AFTER", help="The later answers file.")],
    rubrics: DiffRubricsOption = None,
    output_format: DiffFormatOption = None,
    reports: ReportsOption = None,
    require_evidence: RequireEvidenceOption = False,
    exceptions: ExceptionsOption = None,
    no_exceptions: NoExceptionsOption = False,
    aggregation: AggregationOption = None,
    max_exception_days: MaxExceptionDaysOption = None,
    white_label: WhiteLabelOption = None,
    config: ConfigOption = None,
    isolated: IsolatedOption = False,
    rubric_dir: RubricDirOption = None,
    allow_path: AllowPathOption = None,
    version: VersionOption = False,
) -> None:
    """Progress between two assessments of a company: levels, criteria, answers and exceptions
    changed (each file evaluated on its own date)."""
    from svclevel.engine.facade import diff

    with _errors_to_exit_codes():
        settings = _settings(
            config=config,
            isolated=isolated,
            rubric_dirs=rubric_dir,
            output_format=output_format,
            white_label=white_label,
            exceptions=exceptions,
            max_exception_days=max_exception_days,
        )
        evaluation = _evaluation(
            settings, as_of=None, no_exceptions=no_exceptions, aggregation=aggregation
        )
        fmt = _stdout_format(settings, Kind.DIFF)
        files = _report_files(
            reports, settings, reads=[before, after, *(rubrics or []), *evaluation.exception_files]
        )
        label = _label(settings, [fmt, *(f for f, _ in files)])
        options = ReportOptions(width=_width(), color=not os.environ.get("NO_COLOR"), label=label)
        file_options = ReportOptions(color=False, label=label)
        reporters = [
            reporter_for(fmt, options, Kind.DIFF),
            *(reporter_for(f, file_options, Kind.DIFF) for f, _ in files),
        ]
        result = diff(
            before,
            after,
            rubrics,
            default_rubric=settings.rubric.value,
            rubric_dirs=settings.rubric_dirs.value,
            allow_paths=_allowed(allow_path),
            require_evidence=require_evidence,
            exceptions=evaluation.exceptions,
            exception_files=evaluation.exception_files,
            max_exception_days=evaluation.max_exception_days,
        )
        _warn_twice([r.rubric_id for r in result.rubrics])
        for warning in result.warnings:
            _err(f"svclevel: warning: {warning}")
        _write_all(reporters, files, lambda reporter: reporter.diff(result))


HISTORY_HELP = (
    "One company's level over time, from its dated answers files."
    "\n\n"
    "ANSWERS are at least two answers files of the same company (files, folders, glob "
    "patterns, or - for standard input), each of its own date, in any order: the level on each "
    "rubric at each date, the criteria gained and lost between consecutive dates, and the "
    "trend from the first date to the last."
    "\n\n"
    "Exit codes: 0 ok; 1 the latest level is below the previous one under --fail-on-drop (0 "
    "with --exit-zero); 2 bad input or usage (files of two companies, two files of one date); "
    "3 internal error; 130 interrupted."
)

FailOnDropOption = Annotated[
    bool,
    typer.Option(
        "--fail-on-drop",
        help="Exit 1 when the latest level on a rubric is below the level of the date before "
        "it, listing the criteria lost.",
    ),
]


@app.command(
    "history",
    cls=_Command,
    short_help="One company's level over time, from its dated answers files.",
    help=HISTORY_HELP,
)
def history_command(
    answers: Annotated[
        list[str],
        typer.Argument(
            metavar="ANSWERS",
            help="Answers files of one company, folders or globs.",
            show_default=False,
        ),
    ],
    rubrics: HistoryRubricsOption = None,
    output_format: HistoryFormatOption = None,
    reports: ReportsOption = None,
    fail_on_drop: FailOnDropOption = False,
    require_evidence: RequireEvidenceOption = False,
    exceptions: ExceptionsOption = None,
    no_exceptions: NoExceptionsOption = False,
    aggregation: AggregationOption = None,
    max_exception_days: MaxExceptionDaysOption = None,
    white_label: WhiteLabelOption = None,
    exit_zero: ExitZeroOption = False,
    config: ConfigOption = None,
    isolated: IsolatedOption = False,
    rubric_dir: RubricDirOption = None,
    allow_path: AllowPathOption = None,
    version: VersionOption = False,
) -> None:
    """One company's level over time: per rubric, per date, the criteria gained and lost."""
    from svclevel.engine.facade import history_of
    from svclevel.engine.gates import regression
    from svclevel.engine.run import expand_inputs, read_all
    from svclevel.report.stream import skipped_warning

    with _errors_to_exit_codes():
        settings = _settings(
            config=config,
            isolated=isolated,
            rubric_dirs=rubric_dir,
            output_format=output_format,
            white_label=white_label,
            exceptions=exceptions,
            max_exception_days=max_exception_days,
        )
        evaluation = _evaluation(
            settings, as_of=None, no_exceptions=no_exceptions, aggregation=aggregation
        )
        fmt = _stdout_format(settings, Kind.HISTORY)
        files = _report_files(
            reports, settings, reads=[*answers, *(rubrics or []), *evaluation.exception_files]
        )
        label = _label(settings, [fmt, *(f for f, _ in files)])
        options = ReportOptions(width=_width(), color=not os.environ.get("NO_COLOR"), label=label)
        file_options = ReportOptions(color=False, label=label)
        reporters = [
            reporter_for(fmt, options, Kind.HISTORY),
            *(reporter_for(f, file_options, Kind.HISTORY) for f, _ in files),
        ]
        if exit_zero and not fail_on_drop:
            _err("svclevel: warning: --exit-zero changes nothing: no --fail-on-drop")
        dirs, allowed = settings.rubric_dirs.value, _allowed(allow_path)
        loaded = [r for ref in rubrics or () for r in _rubrics_or_all(ref, dirs, allowed)]
        _warn_twice([r.id for r in loaded])
        documents = read_all(expand_inputs(answers), lambda problem: _err(skipped_warning(problem)))
        result = history_of(
            documents,
            loaded or None,
            default_rubric=settings.rubric.value,
            rubric_dirs=dirs,
            allow_paths=allowed,
            require_evidence=require_evidence,
            evaluation=evaluation,
        )
        drops = [
            found.messages()
            for r in (result.dropped if fail_on_drop else ())
            if (found := regression(r.steps[-1].before.assessment, r.latest.assessment))
        ]
        if not reporters[0].says_problems:  # else stdout's format says them
            for line in (line for lines in drops for line in lines):
                _err(f"svclevel: {line}")

        def render(reporter: Reporter) -> str:
            gates = (
                reporter.failed(result.files[-1], "dropped since the previous date", lines)
                for lines in drops
            )
            return reporter.history(result) + "".join(gates)

        _write_all(reporters, files, render)
    code = EXIT_THRESHOLD if drops and not exit_zero else EXIT_OK
    raise typer.Exit(code)


@app.command(
    "measure",
    cls=_Command,
    short_help="Measure first reply, resolution, CSAT, NPS and retention from exports.",
    help="Read help-desk, survey and order exports (Zendesk tickets and ticket metrics, Intercom "
    "conversations, HubSpot tickets and Help Scout conversations as their APIs return them; a "
    "Freshdesk ticket CSV; svclevel's tickets, survey and orders CSVs; each recognised from its "
    "content) and write a measurement file: the question bank's figures, each with its "
    "definition, sample size and interval. Aggregates only: no ticket text, name or address "
    "is copied. An answers file uses it with `measurements: [FILE]`.",
)
def measure_command(
    exports: Annotated[
        list[str],
        typer.Argument(metavar="EXPORT...", help="The export files.", show_default=False),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the measurement file here (atomically) instead of standard output.",
            show_default=False,
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            metavar="FROM..TO",
            help="The days to measure, inclusive (2026-07-01..2026-09-30). Default: the span of "
            "the ticket and survey records.",
            show_default=False,
        ),
    ] = None,
    tz: Annotated[
        str | None,
        typer.Option(
            "--tz",
            metavar="ZONE",
            help="The time zone of the period's days and of timestamps written without an "
            "offset (Europe/Berlin). Default: UTC, and such timestamps are refused.",
            show_default=False,
        ),
    ] = None,
    system: Annotated[
        str | None,
        typer.Option(
            "--system",
            metavar="SYSTEM",
            help="The help-desk system the ticket exports must come from: zendesk, freshdesk, "
            "helpscout, intercom, hubspot or tickets (svclevel's generic CSV). Default: "
            "recognised from each file.",
            show_default=False,
        ),
    ] = None,
    channel: Annotated[
        list[str] | None,
        typer.Option(
            "--channel",
            metavar="NAME",
            help="Count only tickets of this channel (repeatable).",
            show_default=False,
        ),
    ] = None,
    columns: Annotated[
        list[str] | None,
        typer.Option(
            "--columns",
            metavar="KEY=HEADER",
            help="Read KEY from the CSV column HEADER (repeatable). Keys: id, created, "
            "first_reply, resolved, reopens, channel, status; submitted, survey, scale, score; "
            "customer, ordered.",
            show_default=False,
        ),
    ] = None,
    skip_bad_rows: Annotated[
        bool,
        typer.Option(
            "--skip-bad-rows",
            help="Measure without the records that cannot be read; they are counted in the "
            "file and reported.",
        ),
    ] = False,
    version: VersionOption = False,
) -> None:
    """Measure the question bank's figures from a company's exports."""
    with _errors_to_exit_codes():
        from svclevel.measure import measure
        from svclevel.measure.file import dump
        from svclevel.measure.sources import SYSTEMS, parse_columns
        from svclevel.report.files import atomic_files, guard_outputs

        if system is not None and system not in SYSTEMS:
            raise UsageError(
                f"--system {system}: unknown system{did_you_mean(system, SYSTEMS)} "
                f"(systems: {', '.join(SYSTEMS)})"
            )
        days = _period_option(period)
        mapping = parse_columns(columns or [])
        if output is not None:
            _OUTPUT_GUARDS.enter_context(guard_outputs([output], reads=exports))
        result = measure(
            exports,
            period=days,
            timezone=tz,
            system=system,
            channels=channel or (),
            columns=mapping,
            skip_bad_rows=skip_bad_rows,
        )
        text = dump(result)
        for line in _measure_summary(result):
            _err(line)
        if output is None:
            _emit(text)
            return
        with atomic_files([output]) as (file,):
            file.write(text)
        _err(f"wrote {output}")


def _period_option(value: str | None) -> tuple[datetime.date, datetime.date] | None:
    if value is None:
        return None
    first, sep, last = value.partition("..")
    try:
        if not sep:
            raise ValueError
        start, end = datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)
    except ValueError:
        raise UsageError(
            f"--period {value}: expected FROM..TO as two dates, 2026-07-01..2026-09-30"
        ) from None
    if end < start:
        raise UsageError(f"--period {value}: it ends before it starts")
    return start, end


def _measure_summary(result: Measurement) -> list[str]:
    """What measure says on stderr: the period, every figure with its definition, warnings."""
    how = "as given" if result.period_stated else "the span of the records"
    lines = [
        f"measured {result.period[0]} to {result.period[1]} ({result.timezone}, {how}) from "
        f"{len(result.sources)} export(s):"
    ]
    for source in result.sources:
        skipped = f", {source.skipped} bad skipped" if source.skipped else ""
        what = {"survey": "survey", "orders": "orders", "tickets": "svclevel tickets CSV"}.get(
            source.system, f"{source.system} {source.kind.replace('_', ' ')}"
        )
        lines.append(f"  {source.file}: {what}, {source.records:,} records{skipped}")
    for fig in result.figures:
        unit = fig.details.get("unit", "")
        shown = "not used" if fig.value is None else f"{fig.value:g} {unit}".rstrip()
        extra = ""
        interval = fig.details.get("interval")
        if interval:
            extra = f", 95 % interval {interval[0]:g} to {interval[1]:g}"
        if fig.question_id == "first_response_hours" and fig.value is not None:
            p90 = fig.details["p90"]
            shown_p90 = "among the unreplied" if p90 is None else f"{p90:g}"
            extra += f", p90 {shown_p90}, {fig.details['unreplied']} unreplied"
        lines.append(f"  {fig.question_id}: {shown} (n = {fig.n:,}{extra})")
        if fig.reason:
            lines.append(f"    not used: {fig.reason}")
        lines.append(f"    {fig.definition}")
    lines.extend(f"svclevel: warning: {w}" for w in result.warnings)
    return lines


@app.command(
    "interview",
    cls=_Command,
    short_help="Fill in an answers file question by question, saved after each answer.",
    help="Ask each question in the terminal and check each answer as it is typed; add evidence "
    "after ' -- ', Enter skips, n/a -- WHY (where the rubric accepts n/a), back, ? for "
    "guidance, quit. The file is saved atomically "
    "after every answer: Ctrl-C loses nothing, and running the command again resumes.",
)
def interview(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="The answers file to fill in; an existing file is resumed.",
            show_default=False,
        ),
    ],
    rubric: Annotated[
        str | None,
        typer.Option(
            "--rubric",
            "-r",
            metavar="RUBRIC",
            help="A rubric (a built-in id, an id in a rubric folder, or a path), or `all` for "
            "every rubric. Default: the rubric the file names, else all.",
            show_default=False,
        ),
    ] = None,
    respondent: Annotated[
        str | None,
        typer.Option(
            "--respondent",
            metavar="ID",
            help="Record one respondent's answers: each goes under the question's responses, "
            "keyed by ID, instead of value. ID must be one of the file's respondents, unless "
            "--role or --group declare a new one.",
            show_default=False,
        ),
    ] = None,
    role: Annotated[
        str | None,
        typer.Option(
            "--role",
            metavar="TEXT",
            help="The new respondent's role (COO, Frontline agent), added with them to the "
            "file's respondents.",
            show_default=False,
        ),
    ] = None,
    group: Annotated[
        str | None,
        typer.Option(
            "--group",
            metavar="GROUP",
            help="The new respondent's group (management, frontline, customer), added with "
            "them to the file's respondents.",
            show_default=False,
        ),
    ] = None,
    config: ConfigOption = None,
    isolated: IsolatedOption = False,
    rubric_dir: RubricDirOption = None,
    allow_path: AllowPathOption = None,
    version: VersionOption = False,
) -> None:
    """Fill in an answers file question by question, saved after every answer."""
    from rich.console import Console

    from svclevel.author.interview import Stopped, open_session, questions_of, rubrics_for, run
    from svclevel.author.template import na_conditions, rubric_reference

    console = Console(highlight=False, markup=False, emoji=False, width=_width())

    def ask(label: str) -> str:
        try:
            return _read_answer(console, label)
        except EOFError:  # Ctrl-D: the end of the line the prompt left open, then quit
            console.print()
            return "quit"

    def ask_header(label: str) -> str:
        # Before the file exists, the end of the input is not an answer ("quit" as a company).
        try:
            return _read_answer(console, label)
        except EOFError:
            console.print()
            raise UsageError(
                f"{output}: the input ended before the header was complete; nothing was written"
            ) from None

    def say(text: str) -> None:
        console.print(_printable_lines(text))  # question texts come from (custom) rubrics

    def interrupted(what: str) -> NoReturn:
        _err("")  # end the line the prompt left open
        _err(f"svclevel: interrupted; {what}")
        raise typer.Exit(EXIT_INTERRUPTED)

    with _errors_to_exit_codes():
        if sys.stdin is None:  # `<&-`: there is nowhere to read the answers from
            raise UsageError("standard input is closed: interview reads the answers from it")
        settings = _settings(
            config=config, isolated=isolated, rubric_dirs=rubric_dir, output_format=None
        )
        dirs, allowed = settings.rubric_dirs.value, _allowed(allow_path)
        configured = settings.rubric.value if settings.rubric.source != "default" else None
        rubrics, note = rubrics_for(
            output,
            rubric,
            rubric_dirs=dirs,
            load=lambda ref: _rubrics_or_all(ref, dirs, allowed),
            default=configured or "all",
            allow_paths=allowed,
        )
        if note:
            _err(note)
        questions = questions_of(rubrics)
        # As `init` writes it: found again from the file's folder.
        kept = () if settings.rubric_dirs.source == "--rubric-dir" else dirs
        chosen = (
            rubric_reference(rubrics[0], output.parent, kept)
            if rubric not in (None, "all")
            else None
        )
        try:
            session = open_session(
                output,
                rubric=chosen,
                ask=ask_header,
                say=say,
                respondent=respondent,
                role=role,
                group=group,
            )
        except KeyboardInterrupt:
            interrupted("nothing was written")
        except Stopped:
            _err(f"svclevel: stopped; nothing was written to {output}")
            return
        try:
            given = run(session, questions, ask=ask, say=say, na_when=na_conditions(rubrics))
        except KeyboardInterrupt:
            interrupted(f"every answer given so far is saved in {output}")
        done = sum(1 for q in questions if session.answered(q.id))
        skipped = sum(1 for q in questions if session.blocked(q.id) is not None)
        by = "" if session.respondent is None else f" by {session.respondent}"
        _err(
            f"saved {output}: {given} answer(s) this session, {done} of "
            f"{len(questions) - skipped} questions answered{by}"
            + (f" ({skipped} skipped, said above)" if skipped else "")
        )


@app.command(
    "merge",
    cls=_Command,
    short_help="Merge one answers file per respondent into one several-respondent file.",
    help="Merge answers files that each record one respondent (a respondent: with an id, a "
    "role and a group) into one answers file with every respondent's responses, evidence and "
    "notes kept per respondent. The files must record the same company, date, rubric and "
    "period. Paths they name (measurements, exceptions, evidence sources) are rewritten to "
    "resolve from the output's folder (the working directory without -o). A consensus and an "
    "n/a answer are added to the merged file, not to a respondent's.",
)
def merge_command(
    files: Annotated[
        list[str],
        typer.Argument(
            metavar="FILE",
            help="One answers file per respondent, two or more.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the merged file here (atomically) instead of standard output; never "
            "one of the inputs.",
            show_default=False,
        ),
    ] = None,
    version: VersionOption = False,
) -> None:
    """Merge one answers file per respondent into one several-respondent answers file."""
    with _errors_to_exit_codes():
        from svclevel.author.merge import merge
        from svclevel.report.files import atomic_files, guard_outputs

        if output is not None:
            _OUTPUT_GUARDS.enter_context(guard_outputs([output], reads=files))
        merged = merge(files, output=output)
        for problem in merged.warnings:
            _err(_as_warning(problem))
        if output is None:
            _emit(merged.text)
            return
        with atomic_files([output]) as (file,):
            file.write(merged.text)
        _err(
            f"wrote {output}: {len(merged.respondents)} respondents "
            f"({', '.join(merged.respondents)}), {merged.questions} "
            f"question{'' if merged.questions == 1 else 's'}"
        )


def _read_answer(console: Console, label: str) -> str:
    """One interview answer: typed on a terminal (with line editing), or read from a pipe or a
    file, at most a line of ANSWER_MAX characters (``< /dev/zero`` never ends a line)."""
    prompt = f"{_printable_lines(label)}> "
    try:
        if sys.stdin.isatty():
            return console.input(prompt)
        console.print(prompt, end="")
        line = sys.stdin.readline(ANSWER_MAX + 1)
    except OSError as exc:  # `0>/dev/null`: open, but not for reading
        raise UsageError(f"cannot read standard input: {exc.strerror}") from None
    if not line:
        raise EOFError
    if len(line) > ANSWER_MAX and not line.endswith("\n"):
        raise UsageError(
            f"standard input: a line longer than {ANSWER_MAX} characters; an answer is one "
            "short line"
        )
    return line.removesuffix("\n")


ANSWER_MAX = 64 * 1024
"""The longest line the interview reads (an answer, with its evidence, is a line; the longest
text an answers file takes is far shorter)."""


@app.command(
    "validate",
    cls=_Command,
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
            metavar="FILE",
            help="Rubrics and answers files, folders or globs.",
            show_default=False,
        ),
    ],
    rubric: CheckRubricOption = None,
    config: ConfigOption = None,
    isolated: IsolatedOption = False,
    rubric_dir: RubricDirOption = None,
    allow_path: AllowPathOption = None,
    version: VersionOption = False,
) -> None:
    """Check rubrics and answers files (told apart by content), every problem at once."""
    from svclevel.author.lint import validate_file
    from svclevel.engine.run import Repeated, expand_inputs
    from svclevel.errors import Problem

    with _errors_to_exit_codes():
        settings = _settings(
            config=config, isolated=isolated, rubric_dirs=rubric_dir, output_format=None
        )
        dirs, allowed = settings.rubric_dirs.value, _allowed(allow_path)
        errors = warnings = checked = 0
        lines: list[str] = []
        for item in expand_inputs(files):
            if isinstance(item, Problem):
                lines.append(str(item))
                errors += 1
                continue
            if isinstance(item, Repeated):
                _err(f"svclevel: warning: {item.problem()}")
                continue
            path = item if isinstance(item, Path) else Path(item.path)
            report = validate_file(
                path,
                rubric=rubric,
                rubric_dirs=dirs,
                default_rubric=settings.rubric.value,
                allow_paths=allowed,
                max_exception_days=int(settings.max_exception_days.value),
            )
            checked += 1
            lines += [str(p) for p in report.errors]
            lines += [_as_warning(p) for p in report.warnings]
            errors += len(report.errors)
            warnings += len(report.warnings)
        _emit("".join(line + "\n" for line in lines))
        _err(
            f"{checked} file{'s' if checked != 1 else ''} checked: {errors} error"
            f"{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"
        )
    raise typer.Exit(EXIT_INPUT if errors else EXIT_THRESHOLD if warnings else EXIT_OK)


def _as_warning(problem: Problem) -> str:

    return str(problem._replace(message=f"warning: {problem.message}"))


@app.command("config", cls=_Command)
def show_config(
    config: ConfigOption = None,
    isolated: IsolatedOption = False,
    version: VersionOption = False,
) -> None:
    """Show the effective settings and where each comes from, and check them: exit 2 when a
    rubric folder is missing, the rubric does not resolve or fail_below names no level."""
    from svclevel.config import resolve_settings, settings_problems

    with _errors_to_exit_codes():
        settings = resolve_settings(
            cwd=Path.cwd(), config_path=config, isolated=isolated, env=os.environ, flags={}
        )
        lines = [f"configuration file: {printable(str(settings.config_file or '(none)'))}"]
        # values as a (possibly hostile) configuration file wrote them, made printable
        rows = [tuple(map(printable, row)) for row in settings.rows()]
        width = max(len(name) for name, _, _ in rows)
        value_width = max(len(value) for _, value, _ in rows)
        lines += [
            f"{name:<{width}}  {value:<{value_width}}  ({source})" for name, value, source in rows
        ]
        _emit("\n".join(lines) + "\n")
        for warning in settings.warnings:
            _err(f"svclevel: warning: {warning}")
        problems = settings_problems(settings)
        for problem in problems:
            _err(problem)
    raise typer.Exit(EXIT_INPUT if problems else EXIT_OK)


class SchemaName(enum.StrEnum):
    """The JSON Schemas svclevel can print."""

    ANSWERS = "answers"
    RUBRIC = "rubric"
    RESULT = "result"
    COMPARE = "compare"
    DIFF = "diff"
    EXCEPTIONS = "exceptions"
    HISTORY = "history"


SCHEMA_NAMES = tuple(n.value for n in SchemaName)


def _schema_name(value: str) -> SchemaName:
    try:
        return SchemaName(value.lower())
    except ValueError:
        raise typer.BadParameter(
            f"unknown schema '{value}' (choose from {', '.join(SCHEMA_NAMES)})"
        ) from None


@app.command("schema", cls=_Command)
def schema(
    name: Annotated[
        SchemaName,
        typer.Argument(
            metavar="NAME",
            parser=_schema_name,
            help=f"Which schema: {', '.join(SCHEMA_NAMES)}.",
        ),
    ],
    rubric: SchemaRubricOption = None,
    config: ConfigOption = None,
    isolated: IsolatedOption = False,
    rubric_dir: RubricDirOption = None,
    allow_path: AllowPathOption = None,
    version: VersionOption = False,
) -> None:
    """Print a JSON Schema: `answers`, `rubric` and `exceptions` files, `result`, `compare`,
    `diff` and `history` JSON output."""
    from svclevel.author.editor_schemas import answers_schema, exceptions_schema, rubric_schema
    from svclevel.load.rubrics import load_bank, load_rubric
    from svclevel.report.json_records import json_text
    from svclevel.report.json_schema import (
        compare_schema,
        diff_schema,
        history_schema,
        result_schema,
    )

    with _errors_to_exit_codes():
        if name is not SchemaName.ANSWERS and (
            rubric or rubric_dir or allow_path or config or isolated
        ):
            raise UsageError(
                f"schema {name.value}: --rubric, --rubric-dir, --allow-path, --config and "
                "--isolated apply to `schema answers` only"
            )
        match name:
            case SchemaName.ANSWERS:
                dirs = _rubric_dirs(config=config, isolated=isolated, rubric_dir=rubric_dir)
                allowed = _allowed(allow_path)
                if rubric:
                    from svclevel.author.template import na_conditions

                    loaded = load_rubric(rubric, rubric_dirs=dirs, allow_paths=allowed)
                    document = answers_schema(loaded.questions, na_conditions([loaded]))
                else:
                    document = answers_schema(load_bank())
            case SchemaName.RUBRIC:
                document = rubric_schema()
            case SchemaName.RESULT:
                document = result_schema()
            case SchemaName.COMPARE:
                document = compare_schema()
            case SchemaName.DIFF:
                document = diff_schema()
            case SchemaName.EXCEPTIONS:
                document = exceptions_schema()
            case SchemaName.HISTORY:
                document = history_schema()
            case _:
                assert_never(name)
        _emit(json_text(document, pretty=True))


@rubrics_app.callback()
def rubrics(ctx: typer.Context, version: VersionOption = False) -> None:
    """List the built-in rubrics and those in the configured rubric folders."""
    if ctx.invoked_subcommand is not None:
        return
    from svclevel.report.rubric_view import render_rubric_list

    with _errors_to_exit_codes():
        settings = _settings(config=None, isolated=False, rubric_dirs=None, output_format=None)
        rubrics = _rubrics_or_all("all", settings.rubric_dirs.value)
        _emit(render_rubric_list(rubrics, width=_width(), color=_color()))


@rubrics_app.command("show", cls=_Command)
def rubrics_show(
    ref: Annotated[
        str,
        typer.Argument(
            metavar="RUBRIC", help="A built-in rubric id, an id in a rubric folder, or a path."
        ),
    ],
    config: ConfigOption = None,
    isolated: IsolatedOption = False,
    rubric_dir: RubricDirOption = None,
    allow_path: AllowPathOption = None,
    version: VersionOption = False,
) -> None:
    """Show a rubric's ladder, criteria, thresholds, tips and sources."""
    from svclevel.load.rubrics import load_rubric
    from svclevel.report.rubric_view import render_rubric

    with _errors_to_exit_codes():
        dirs = _rubric_dirs(config=config, isolated=isolated, rubric_dir=rubric_dir)
        loaded = load_rubric(ref, rubric_dirs=dirs, allow_paths=_allowed(allow_path))
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
    _sane_terminal_size()  # before Typer prints any help
    try:
        app(prog_name="svclevel")
    except BrokenPipeError:
        _quiet_broken_pipe()
    except Stopped as stopped:
        drop_stdout()  # its reader may be gone (SIGHUP) or stalled
        with contextlib.suppress(OSError):  # the terminal may be gone too
            _err(f"svclevel: stopped by {stopped}; no report file was written")
        _end_workers(128 + stopped.signum)
        sys.exit(128 + stopped.signum)
    except SystemExit as exiting:
        if exiting.code == EXIT_INTERRUPTED:  # Ctrl-C during a batch
            _end_workers(EXIT_INTERRUPTED)
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _quiet_broken_pipe()
        except OSError as exc:
            from svclevel.report.files import stdout_failed

            _err(str(stdout_failed(exc)))
            sys.exit(EXIT_INPUT)
        raise


def _end_workers(code: int) -> None:
    """After a stopped batch, end the process at once with ``code``. The workers are killed
    (the pool kills them when the stop unwinds through it; a stop that lands between two
    results does not), and Python's own exit would wait for the pool's manager thread, which
    can wait forever for a result a killed worker was writing."""
    mp = sys.modules.get("multiprocessing")
    if mp is None:  # no batch ran
        return
    killed = False
    for child in mp.active_children():  # svclevel's only child processes are its workers
        child.kill()
        killed = True
    run = sys.modules.get("svclevel.engine.run")
    if killed or (run is not None and run.workers_abandoned()):
        with contextlib.suppress(OSError, ValueError):
            sys.stdout.flush()
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.flush()
        os._exit(code)


def _quiet_broken_pipe() -> NoReturn:
    # Python would complain again when it flushes stdout at exit: point it at /dev/null.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(EXIT_OK)
