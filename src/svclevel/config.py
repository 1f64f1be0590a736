"""Settings: command line > ``SVCLEVEL_*`` environment > configuration file > defaults.

The configuration file is the nearest ``.svclevel.yaml`` or ``pyproject.toml`` with a
``[tool.svclevel]`` table, looking from the working directory up to the filesystem root (in one
folder, ``.svclevel.yaml`` wins). ``--config PATH`` names one explicitly; ``--isolated`` ignores
every file and environment variable.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, NamedTuple

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

from svclevel.errors import InputError, Problem, SvclevelError, UsageError, did_you_mean
from svclevel.load.checks import pydantic_message, unknown_key, validate_model
from svclevel.load.yamlfile import load_yaml_file, read_text
from svclevel.report import Format

if TYPE_CHECKING:
    from svclevel.report.base import WhiteLabel

YAML_NAME = ".svclevel.yaml"
TOML_NAME = "pyproject.toml"
ENV_PREFIX = "SVCLEVEL_"
ENV_NAMES = (
    "SVCLEVEL_RUBRIC",
    "SVCLEVEL_FAIL_BELOW",
    "SVCLEVEL_RUBRIC_DIRS",
    "SVCLEVEL_FORMAT",
    "SVCLEVEL_EXCEPTIONS",
    "SVCLEVEL_MAX_EXCEPTION_DAYS",
)
"""The settings' environment variables (``SVCLEVEL_DEBUG`` is the CLI's own)."""


def _levels(value: object) -> object:
    """``fail_below``: one level or a list of them, as text (a number is a level number)."""

    def one(v: object) -> bool:
        return isinstance(v, str | int) and not isinstance(v, bool)

    if value is None:
        return None
    if one(value):
        return [str(value)]
    if isinstance(value, list) and value and all(one(v) for v in value):
        return [str(v) for v in value]
    raise ValueError("expected a level (an id, a name or a number), or a list of levels")


def _paper(value: object) -> object:
    """``paper``: A4 or Letter, in any case."""
    if isinstance(value, str):
        return {"a4": "A4", "letter": "Letter"}.get(value.strip().lower(), value)
    return value


def _one_line(value: object) -> object:
    """A line of the report: no line break or other control character."""
    if isinstance(value, str) and any(c < " " or c == "\x7f" for c in value):
        raise ValueError("must be one line of text, without line breaks or control characters")
    return value


def _colour(value: object) -> object:
    if isinstance(value, str) and re.fullmatch(r"#(?:[0-9a-fA-F]{3}){1,2}", value.strip()):
        return value.strip()
    raise ValueError(f"expected a colour as #rgb or #rrggbb, such as '#0a5c7d', got {value!r}")


def _date(value: object) -> object:
    """``issued``: a date as YAML writes it or as ISO 8601 text, never a number."""
    if isinstance(value, datetime.date) or (
        isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip())
    ):
        return value
    raise ValueError(f"expected a date such as 2026-12-01, got {value!r}")


Line = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    BeforeValidator(_one_line),
]
"""One line of text on the client's report (a name, a reference, a confidentiality line)."""


class ReportTable(BaseModel):
    """The ``report`` table: how the HTML and PDF reports are labelled for the client."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    consultancy: Line | None = None
    """The consultancy's name, on the cover and in the running header."""
    logo: Line | None = None
    """A local PNG or SVG file (relative to the configuration file), embedded in the report."""
    prepared_for: Line | None = None
    """Who the report is for (default: the company assessed)."""
    prepared_by: Line | None = None
    """Who wrote it (a consultant, a team)."""
    reference: Line | None = None
    """The engagement's reference, on the cover and in the footer."""
    confidentiality: Line | None = None
    """A confidentiality line for the cover and every page (e.g. "Confidential: client use")."""
    issued: Annotated[datetime.date, BeforeValidator(_date)] | None = None
    """The date of issue (default: the assessment's date)."""
    accent: Annotated[str, BeforeValidator(_colour)] | None = None
    """The accent colour, ``#rgb`` or ``#rrggbb``."""
    paper: Annotated[Literal["A4", "Letter"], BeforeValidator(_paper)] | None = None
    """The PDF's paper size (default A4)."""
    show_paths: bool | None = None
    """Show the answers files' paths as given (default: their names only, so that no folder of
    the consultant's machine reaches the client)."""


REPORT_KEYS = tuple(ReportTable.model_fields)
"""The keys of the ``report`` table, in the order they are shown."""
REPORT_DEFAULTS: dict[str, Any] = {"accent": "#2f5bd3", "paper": "A4", "show_paths": False}
"""The values of the ``report`` keys that have one when they are not set (the others: none)."""


class ConfigFile(BaseModel):
    """The keys a configuration file may set."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    rubric: str | None = None
    """Default rubric (id or path) for answers files that name none."""
    fail_below: Annotated[list[str] | None, BeforeValidator(_levels)] = None
    """Exit 1 when a company's level is below this (level id, name or number, or
    ``RUBRIC=LEVEL``); a list for several, as ``--fail-below`` is repeatable."""
    rubric_dirs: list[str] = Field(default_factory=list)
    """Extra folders where rubric ids are looked up (relative to the configuration file)."""
    format: Format | None = None
    """Default output format on stdout."""
    exceptions: list[str] = Field(default_factory=list)
    """Exceptions files applied to every answers file (relative to the configuration file,
    inside its folder); an answers file's own ``exceptions:`` are read as well."""
    max_exception_days: int | None = Field(default=None, ge=1, le=3660)
    """The longest an exception may last, from granted to expires (default 365)."""
    report: ReportTable | None = None
    """The white label of the HTML and PDF reports."""


class Setting(NamedTuple):
    """One effective setting and where it came from."""

    value: Any
    source: str
    """``default``, a file (``pyproject.toml [tool.svclevel]``), an env var, or a flag."""


class Settings(NamedTuple):
    """The effective settings of a run."""

    rubric: Setting
    fail_below: Setting
    rubric_dirs: Setting
    format: Setting
    config_file: Path | None
    """The configuration file in use, if any."""
    exceptions: Setting = Setting((), "default")
    """Exceptions files for every answers file."""
    max_exception_days: Setting = Setting(365, "default")
    """The longest an exception may last, in days."""
    warnings: tuple[str, ...] = ()
    """What was found and not used: an ``SVCLEVEL_*`` variable svclevel does not read, a
    ``[tool.svclevel]`` table beside the ``.svclevel.yaml`` that wins."""
    report: tuple[tuple[str, Setting], ...] = ()
    """The ``report`` table's keys that are set (``--white-label`` or the file), in
    :data:`REPORT_KEYS` order."""

    def report_value(self, key: str) -> Any:
        """The value of the ``report`` key ``key``, None when it is not set."""
        return dict(self.report)[key].value if key in dict(self.report) else None

    def rows(self) -> list[tuple[str, str, str]]:
        """(name, value, source) for display."""
        out = []
        names = (
            "rubric",
            "fail_below",
            "rubric_dirs",
            "format",
            "exceptions",
            "max_exception_days",
        )
        settings: list[tuple[str, Setting]] = [(name, getattr(self, name)) for name in names]
        given = dict(self.report)
        report = [
            (f"report.{k}", given.get(k, Setting(REPORT_DEFAULTS.get(k), "default")))
            for k in REPORT_KEYS
        ]
        for name, setting in [*settings, *report]:
            value = setting.value
            if isinstance(value, bool):
                shown = "true" if value else "false"
            elif isinstance(value, tuple | list):
                sep = ", " if name == "fail_below" else os.pathsep
                shown = sep.join(str(v) for v in value) if value else "(none)"
            else:
                shown = "(none)" if value is None else str(value)
            out.append((name, shown, setting.source))
        return out


_TOOL_TABLE = re.compile(r"\[\s*tool\s*\.\s*svclevel\s*\]\s*(#.*)?")


def named_in_messages(settings: Settings, name: str) -> str:
    """Where a setting was given, as a message names it: the flag (``--fail-below``), the
    environment variable, or the configuration file's ``file:line: key``."""
    setting: Setting = getattr(settings, name)
    file = settings.config_file
    if file is None or not setting.source.startswith(str(file)):
        return setting.source
    line = _key_line(file, name)
    key = f"{name} =" if file.name.endswith(".toml") else f"{name}:"  # as it is written there
    return f"{file}:{line}: {key}" if line is not None else f"{file}: {key}"


def _key_line(file: Path, name: str, key: str | None = None) -> int | None:
    """The line of the key ``name`` (or of ``name.key``, in the ``report`` table) of a
    configuration file. tomllib keeps no positions: the ``[tool.svclevel]`` table (or
    ``[tool.svclevel.NAME]``) is scanned for it; a YAML file's loader knows every key's line."""
    if not file.name.endswith(".toml"):
        doc = load_yaml_file(file)
        return doc.key_lines(()).get(name) if key is None else doc.key_lines((name,)).get(key)
    header = _TOOL_TABLE if key is None else _tool_subtable(name)
    wanted = name if key is None else key
    table = False
    for number, text in enumerate(read_text(file).splitlines(), 1):
        stripped = text.strip()
        if stripped.startswith("["):
            table = header.fullmatch(stripped) is not None
        elif table and re.match(rf"""["']?{re.escape(wanted)}["']?\s*=""", stripped):
            return number
    if key is not None:  # a dotted key (report.paper = ...) or an inline table (report = {...})
        dotted = re.compile(rf"""\s*["']?{re.escape(name)}["']?\s*\.\s*["']?{re.escape(key)}\b""")
        table = False
        for number, text in enumerate(read_text(file).splitlines(), 1):
            if text.strip().startswith("["):
                table = _TOOL_TABLE.fullmatch(text.strip()) is not None
            elif table and dotted.match(text):
                return number
        return _key_line(file, name)
    return None


def _tool_subtable(name: str) -> re.Pattern[str]:
    return re.compile(rf"\[\s*tool\s*\.\s*svclevel\s*\.\s*{re.escape(name)}\s*\]\s*(#.*)?")


def report_named(settings: Settings, key: str) -> str:
    """Where the ``report`` key ``key`` was given, as a message names it: ``--white-label`` or
    the configuration file's ``file:line: report.key``."""
    setting = dict(settings.report)[key]
    file = settings.config_file
    if file is None or not setting.source.startswith(str(file)):
        return f"{setting.source} {key}"
    line = _key_line(file, "report", key)
    return f"{file}:{line}: report.{key}" if line is not None else f"{file}: report.{key}"


def find_config(start: Path) -> Path | None:
    """The nearest configuration file from ``start`` upwards."""
    for folder in (start, *start.parents):
        candidate = folder / YAML_NAME
        if candidate.is_file():
            return candidate
        toml = folder / TOML_NAME
        if toml.is_file() and _has_tool_table(toml):
            return toml
    return None


def _has_tool_table(path: Path) -> bool:
    """Whether ``path`` has a ``[tool.svclevel]`` table. A file that names svclevel but is not
    valid TOML is an error: skipping it would switch its settings (and gates) off."""
    try:
        raw = path.read_bytes()
    except OSError:
        return False
    if b"svclevel" not in raw:  # a [tool.svclevel] table names it (barring \u escapes)
        return False
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = read_text(path)  # raises: the first bad byte, and what the file looks like
    data = _parse_toml(path, text)
    tool = data.get("tool")
    return isinstance(tool, dict) and "svclevel" in tool


def _parse_toml(path: Path, text: str) -> dict[str, Any]:
    import tomllib  # here: most runs find no pyproject.toml, or one that never names svclevel

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib gives the position as attributes from Python 3.14, in the message before.
        message = str(getattr(exc, "msg", exc))
        line, column = getattr(exc, "lineno", None), getattr(exc, "colno", None)
        where = re.search(r"\s*\(at line (\d+), column (\d+)\)", message)
        if where:
            message = message[: where.start()] + message[where.end() :]
            line, column = line or int(where[1]), column or int(where[2])
        raise InputError(
            [
                Problem(
                    str(path),
                    line,
                    column,
                    "",
                    f"not valid TOML ({message[:1].lower() + message[1:]}); "
                    "its [tool.svclevel] settings cannot be read",
                )
            ]
        ) from None


def read_config(path: Path) -> ConfigFile:
    """Read and validate a configuration file (YAML, or TOML's ``[tool.svclevel]``)."""
    if path.name.endswith(".toml"):
        data = _parse_toml(path, read_text(path))
        table = (
            data.get("tool", {}).get("svclevel", {}) if isinstance(data.get("tool"), dict) else {}
        )
        if not isinstance(table, dict):
            raise InputError([Problem(str(path), None, None, "tool.svclevel", "must be a table")])
        try:
            return ConfigFile.model_validate(table)
        except ValidationError as exc:
            raise InputError(
                Problem(
                    str(path),
                    _key_line(path, *map(str, e["loc"][:2])) if e["loc"] else None,
                    None,
                    "tool.svclevel." + ".".join(str(x) for x in e["loc"]),
                    unknown_key(str(e["loc"][-1]), sorted(ConfigFile.model_fields))
                    if e["type"] == "extra_forbidden"
                    else pydantic_message(e),
                )
                for e in exc.errors(include_url=False)
            ) from None
    doc = load_yaml_file(path)
    if isinstance(doc.data, dict) and doc.data and not ConfigFile.model_fields.keys() & doc.data:
        # Said without quoting a key: the file found may be anything (a symbolic link that a
        # pull request added, to /etc/shadow).
        message = (
            "not a configuration file: none of its top-level keys is a setting "
            f"({', '.join(sorted(ConfigFile.model_fields))})"
        )
        raise InputError([Problem(str(path), None, None, "", message)])
    config, problems = validate_model(doc, ConfigFile)
    if config is None:
        raise InputError(problems)
    return config


def resolve_settings(
    *,
    cwd: Path,
    config_path: Path | None,
    isolated: bool,
    env: Mapping[str, str],
    flags: Mapping[str, Any],
) -> Settings:
    """Combine flags, environment, configuration file and defaults, remembering the source."""
    if isolated and config_path is not None:
        raise UsageError("--config and --isolated cannot be combined")
    file: Path | None = None
    config: ConfigFile | None = None  # none: every setting has its default
    if config_path is not None:
        file = config_path
        config = read_config(config_path)
    elif not isolated:
        file = find_config(cwd)
        if file is not None:
            config = read_config(file)
    file_label = (
        f"{file} [tool.svclevel]" if file is not None and file.name.endswith(".toml") else str(file)
    )

    def pick(name: str, flag: str) -> Setting:
        if flags.get(name) is not None:
            return Setting(flags[name], flag)
        env_name = ENV_PREFIX + name.upper()
        if not isolated and env.get(env_name):
            return Setting(env[env_name], env_name)
        value = getattr(config, name) if config is not None else None
        if value not in (None, []):
            return Setting(value, file_label)
        return Setting(None if name not in ("rubric_dirs", "exceptions") else [], "default")

    dirs = _paths(pick("rubric_dirs", "--rubric-dir"), "RUBRIC_DIRS", file, file_label)
    exceptions = _paths(pick("exceptions", "--exceptions"), "EXCEPTIONS", file, file_label)
    max_days = _days(pick("max_exception_days", "--max-exception-days"))
    fmt = pick("format", "--format")
    if fmt.value is not None and not isinstance(fmt.value, Format):
        try:
            fmt = Setting(Format(str(fmt.value).lower()), fmt.source)
        except ValueError:
            choices = ", ".join(f.value for f in Format)
            raise UsageError(
                f"{fmt.source}: unknown format '{fmt.value}' (choose from {choices})"
            ) from None
    fail_below = pick("fail_below", "--fail-below")
    if isinstance(fail_below.value, list):  # the flag (repeatable), or a list in the file
        fail_below = Setting(tuple(str(v) for v in fail_below.value), fail_below.source)
    else:
        values = () if fail_below.value is None else (str(fail_below.value),)
        fail_below = Setting(values, fail_below.source)
    report: list[tuple[str, Setting]] = []
    table = config.report if config is not None else None
    flagged: Mapping[str, Any] = flags.get("report") or {}
    for key in REPORT_KEYS:
        if key in flagged:
            report.append((key, Setting(flagged[key], "--white-label")))
        elif table is not None and getattr(table, key) is not None:
            value = getattr(table, key)
            if key == "logo" and file is not None:
                value = str(file.parent / value)
            report.append((key, Setting(value, file_label)))
    return Settings(
        rubric=pick("rubric", "--rubric"),
        fail_below=fail_below,
        rubric_dirs=Setting(tuple(dirs.value), dirs.source),
        format=fmt,
        config_file=file,
        exceptions=Setting(tuple(exceptions.value), exceptions.source),
        max_exception_days=max_days,
        warnings=tuple(_unused(file, env) if not isolated else ()),
        report=tuple(report),
    )


def _paths(setting: Setting, env: str, file: Path | None, file_label: str) -> Setting:
    """A list of paths: split from its environment variable, relative to its file."""
    if setting.source == ENV_PREFIX + env:
        return Setting([d for d in str(setting.value).split(os.pathsep) if d], setting.source)
    if file is not None and setting.source == file_label:
        return Setting([str(file.parent / d) for d in setting.value], setting.source)
    return setting


def _days(setting: Setting) -> Setting:
    """``max_exception_days``: a whole number of days from 1 to 3660 (default 365)."""
    if setting.value is None:
        return Setting(365, "default")
    try:
        days = int(str(setting.value))
    except ValueError:
        days = 0
    if not 1 <= days <= 3660:
        raise UsageError(
            f"{setting.source}: max_exception_days must be a whole number of days from 1 to "
            f"3660, got {setting.value!r}"
        )
    return Setting(days, setting.source)


def parse_white_label(
    values: list[str], warn: Callable[[str], None] = lambda _: None
) -> dict[str, Any]:
    """``--white-label KEY=VALUE`` flags as ``report`` table values, checked as the file's are;
    a key given twice is said to ``warn`` (the last one counts)."""
    out: dict[str, Any] = {}
    for value in values:
        key, sep, text = value.partition("=")
        key = key.strip().replace("-", "_")
        if not sep:
            raise UsageError(
                f"--white-label {value}: expected KEY=VALUE, e.g. consultancy='Northwind Advisory'"
            )
        if key not in REPORT_KEYS:
            raise UsageError(f"--white-label {value}: {unknown_key(key, list(REPORT_KEYS))}")
        try:
            checked = ReportTable.model_validate({key: text})
        except ValidationError as exc:
            error = exc.errors(include_url=False)[0]
            raise UsageError(f"--white-label {value}: {pydantic_message(error)}") from None
        if key in out:
            warn(f"--white-label {key} given more than once; the last one counts ({value})")
        out[key] = getattr(checked, key)
    return out


def refuse_paths_out_of_config(settings: Settings) -> None:
    """A configuration file may come with the files it checks (a pull request can add one), so
    the rubric folders and the rubric it names must lie inside its own folder (a rubric path may
    also lead into the working directory, the rubric folders or the built-in rubrics), or it
    could widen what svclevel reads: :class:`UsageError`. Flags and environment variables are
    the user's own and are not checked."""
    from svclevel.load.rubrics import check_reference

    file = settings.config_file
    if file is None:
        return
    if settings.rubric_dirs.source.startswith(str(file)):
        folder = file.parent.resolve()
        for name in settings.rubric_dirs.value:
            if not Path(name).resolve().is_relative_to(folder):
                raise UsageError(
                    f"{named_in_messages(settings, 'rubric_dirs')} {name} is outside the "
                    "configuration file's folder, and a configuration file may come with the "
                    "files it checks: give this folder with --rubric-dir or SVCLEVEL_RUBRIC_DIRS"
                )
    if settings.exceptions.source.startswith(str(file)):
        folder = file.parent.resolve()
        for name in settings.exceptions.value:
            if not Path(name).resolve().is_relative_to(folder):
                raise UsageError(
                    f"{named_in_messages(settings, 'exceptions')} {name} is outside the "
                    "configuration file's folder, and a configuration file may come with the "
                    "files it checks: give this file with --exceptions or SVCLEVEL_EXCEPTIONS"
                )
    refuse_logo_out_of_config(settings)
    if settings.rubric.source.startswith(str(file)) and settings.rubric.value is not None:
        try:
            check_reference(
                str(settings.rubric.value),
                folder=file.parent,
                rubric_dirs=settings.rubric_dirs.value,
                by="configuration file",
            )
        except UsageError as exc:
            raise UsageError(f"{named_in_messages(settings, 'rubric')} {exc}") from None


def white_label(settings: Settings) -> WhiteLabel:
    """The :class:`~svclevel.report.base.WhiteLabel` of ``settings``; a logo that cannot be
    read, is too large or is neither PNG nor SVG is a :class:`UsageError` naming where it was
    set."""
    from svclevel.report.base import WhiteLabel
    from svclevel.report.white_label import logo_uri

    values = {key: settings.report_value(key) for key in REPORT_KEYS}
    logo = values.pop("logo")
    if logo is not None:
        named = report_named(settings, "logo")
        values["logo"] = logo_uri(Path(logo), named)
        values["logo_named"] = f"{named} {logo}"
    if values["issued"] is not None:
        values["issued"] = str(values["issued"])
    return WhiteLabel(**{k: v for k, v in values.items() if v is not None})


def refuse_logo_out_of_config(settings: Settings) -> None:
    """A ``report.logo`` from the configuration file must lie inside its folder (a pull request
    could otherwise embed a file of the machine in the client's report): :class:`UsageError`."""
    file = settings.config_file
    logo = dict(settings.report).get("logo")
    if file is None or logo is None or not logo.source.startswith(str(file)):
        return
    if not Path(logo.value).resolve().is_relative_to(file.parent.resolve()):
        raise UsageError(
            f"{report_named(settings, 'logo')} {logo.value} is outside the configuration "
            "file's folder, and a configuration file may come with the files it checks: "
            "give this logo with --white-label logo=PATH"
        )


def _unused(file: Path | None, env: Mapping[str, str]) -> list[str]:
    """Warnings for configuration that is there and not read."""
    out = []
    known = (*ENV_NAMES, "SVCLEVEL_DEBUG")
    for name in sorted(env):
        if name.startswith(ENV_PREFIX) and name not in known:
            out.append(
                f"{name} is not a setting svclevel reads{did_you_mean(name, known)} "
                f"(known: {', '.join(known)})"
            )
    if file is not None and file.name == YAML_NAME:
        toml = file.parent / TOML_NAME
        if toml.is_file() and _has_tool_table(toml):
            out.append(f"{toml} [tool.svclevel] is not read: {file} beside it takes precedence")
    return out


def settings_problems(settings: Settings) -> list[str]:
    """What is wrong with settings that read well: a rubric folder that is not there, a rubric
    that does not resolve, a ``fail_below`` that names no level of its rubric, or a rubric
    nobody knows."""
    from svclevel.engine.gates import check_thresholds_now, has_level, split_threshold
    from svclevel.load.rubrics import builtin_rubric_ids, load_rubric, rubric_ids_in

    problems = [
        f"{named_in_messages(settings, 'rubric_dirs')} {folder} is not a folder"
        for folder in settings.rubric_dirs.value
        if not Path(folder).is_dir()
    ]
    dirs = tuple(d for d in settings.rubric_dirs.value if Path(d).is_dir())
    rubric = None
    if settings.rubric.value is not None:
        try:
            rubric = load_rubric(settings.rubric.value, rubric_dirs=dirs)
        except SvclevelError as exc:
            where = named_in_messages(settings, "rubric")
            problems += [f"{where} {m}" for m in exc.messages()]
    specs = list(settings.fail_below.value)
    named = named_in_messages(settings, "fail_below")
    try:
        check_thresholds_now(specs, rubric_dirs=dirs, rubric=rubric, named=named)
    except SvclevelError as exc:
        problems += exc.messages()
    known = {*builtin_rubric_ids(), *rubric_ids_in(dirs), *([rubric.id] if rubric else [])}
    if rubric is None:  # a plain level applies to each file's rubric: one of them must have it
        candidates = [load_rubric(i, rubric_dirs=dirs) for i in sorted(known)]
        for spec in specs:
            rubric_id, level = split_threshold(spec)
            if rubric_id is not None:
                continue
            if not any(has_level(r, level) for r in candidates):
                problems.append(f"{named} {spec}: no known rubric has that level")
    problems += [
        f"{named} {spec}: no rubric {r}{did_you_mean(r, sorted(known))}"
        for spec in specs
        if (r := split_threshold(spec)[0]) is not None and r not in known
    ]
    if settings.report_value("logo") is not None:
        try:
            refuse_logo_out_of_config(settings)
            white_label(settings)  # reads and checks the logo
        except UsageError as exc:
            problems.append(str(exc))
    return problems
