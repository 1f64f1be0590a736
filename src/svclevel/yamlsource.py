"""Safe YAML loading that remembers where every value came from.

Every YAML file is untrusted: only the safe constructors are used (libyaml's C parser when it
is available), anchors/aliases are refused (they are the root of "billion laughs" documents and
have no use in a rubric or an answers file), duplicate keys are errors instead of silently
keeping the last one, and every node's position is kept so that validation errors can name the
file, line and column.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import operator
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml
from yaml.constructor import SafeConstructor

from svclevel.errors import InputError, Problem

try:  # pragma: no cover - depends on how PyYAML was built
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

PathKey = tuple[str | int, ...]

MAX_BYTES = 5 * 1024 * 1024
"""Larger input files are refused before parsing (a rubric or answers file is a few KiB)."""


class _Loader(_BaseLoader):
    """The safe loader, reading plain scalars the YAML 1.2 way and reporting bad values.

    YAML 1.1 (PyYAML's default) turns ``NO``, ``on`` and ``off`` into booleans, ``1:30`` into 90
    and ``010`` into 8: a company called NO would become False. Here only ``true``/``false``
    are booleans and numbers are plain decimal (or ``0x``/``0o``), as in YAML 1.2's core schema;
    yes/no answers are read from the words by the answers checker. A scalar that cannot be
    built (``!!int abc``) is an error at its position, never an exception of another kind.
    """

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        try:
            return super().construct_yaml_timestamp(node)  # type: ignore[arg-type]
        except (ValueError, TypeError, AttributeError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"invalid date {node.value!r} ({exc})", node.start_mark
            ) from None

    def construct_yaml_int(self, node: yaml.Node) -> Any:
        text = str(node.value).replace("_", "")
        try:
            sign = -1 if text.startswith("-") else 1
            digits = text.lstrip("+-")
            if digits.startswith(("0x", "0X")):
                return sign * int(digits[2:], 16)
            if digits.startswith(("0o", "0O")):
                return sign * int(digits[2:], 8)
            return sign * int(digits, 10)
        except ValueError:
            raise yaml.constructor.ConstructorError(
                None, None, f"invalid integer {node.value!r}", node.start_mark
            ) from None

    def construct_yaml_bool(self, node: yaml.Node) -> Any:
        value = str(node.value).lower()
        if value in ("true", "false"):
            return value == "true"
        if value in ("yes", "on", "y"):  # an explicit !!bool tag on a YAML 1.1 word
            return True
        if value in ("no", "off", "n"):
            return False
        raise yaml.constructor.ConstructorError(
            None, None, f"invalid boolean {node.value!r}", node.start_mark
        )

    def construct_yaml_float(self, node: yaml.Node) -> Any:
        try:
            return super().construct_yaml_float(node)  # type: ignore[arg-type]
        except (ValueError, OverflowError):
            raise yaml.constructor.ConstructorError(
                None, None, f"invalid number {node.value!r}", node.start_mark
            ) from None

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys = [(k.tag, k.value) for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
        if len(set(keys)) != len(keys):
            raise _DuplicateKeyError
        return super().construct_mapping(node, deep=deep)

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        # libyaml calls these three for every node it reads. Resolving a plain scalar's tag
        # runs PyYAML's Python resolver (a few regular expressions); answers files repeat the
        # same keys and answers, so the tags are remembered (a C-level cache: a hit costs no
        # Python call) and composing a document takes half the time. The tag depends on
        # nothing else because this loader has no path resolvers, which also makes the
        # descend/ascend hooks no-ops: C callables that ignore their arguments stand in.
        self.__dict__.update(
            resolve=_resolve_tag, descend_resolver=operator.is_, ascend_resolver=int
        )


_RESOLVE_CACHE_MAX = 256
"""Tags remembered at most, least recently used first out (the cache is shared by every
document read; the keys and answers that every file repeats stay in it)."""
_RESOLVE_CACHE_TEXT_MAX = 64 * 1024
"""After a longer document the cache is emptied, so that it never keeps more than
_RESOLVE_CACHE_MAX * 64 KiB (16 MiB) of hostile text alive."""
_SCALAR_VALUES_MAX = 2048
"""Built scalars remembered at most (short ones only)."""


@functools.lru_cache(maxsize=_RESOLVE_CACHE_MAX)
def _resolve_tag(kind: type[yaml.Node], value: str | None, implicit: Any) -> str:
    tag: str = yaml.resolver.BaseResolver.resolve(_TAGS, kind, value, implicit)  # type: ignore[no-untyped-call]
    return tag


class _DuplicateKeyError(Exception):
    """A mapping repeats a key: re-read with positions to say where."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:bool", _Loader.construct_yaml_bool)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)

_TAGS = _Loader("")
"""Resolves tags with _Loader's resolvers (for :func:`_resolve_tag`)."""

# YAML 1.2 core-schema resolution of plain scalars (see _Loader's docstring).
_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
    ]
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    list("-+0123456789"),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+.0123456789"),
)


class Position(NamedTuple):
    """Where a value (and the key that introduced it) sits in its file; 1-based."""

    line: int
    column: int
    key_line: int
    key_column: int


@dataclass(frozen=True)
class YamlDocument:
    """A parsed YAML document that can tell the position of every value in it."""

    name: str
    """The file as the user named it; used as the prefix of every message."""
    data: Any
    """The plain Python data (dicts, lists, scalars) the document holds."""
    node: yaml.Node | None = field(repr=False, compare=False)
    """The composed node tree, kept to compute positions when a problem needs one."""

    @functools.cached_property
    def positions(self) -> dict[PathKey, Position]:
        """Position of each value, keyed by its path from the root (computed on first use).

        Line numbers are only needed when something is wrong, so a valid file never pays for
        this walk.
        """
        positions: dict[PathKey, Position] = {}
        if self.node is not None:
            _walk(
                self.node,
                (),
                positions=positions,
                key_mark=None,
                seen=set(),
                problems=[],
                name=self.name,
            )
        return positions

    def key_lines(self, path: Sequence[str]) -> dict[str, int]:
        """1-based line of each key of the mapping at ``path`` (a cheap walk of one level)."""
        node = self.node
        for part in path:
            if not isinstance(node, yaml.MappingNode):
                return {}
            node = next(
                (v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part),
                None,
            )
        if not isinstance(node, yaml.MappingNode):
            return {}
        return {
            k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)
        }

    def locate(self, loc: Sequence[str | int]) -> tuple[PathKey, Position | None]:
        """The longest prefix of ``loc`` that exists in the data, and its position."""
        resolved: list[str | int] = []
        node: Any = self.data
        for item in loc:
            if not has_child(node, item):
                break
            node = node[item]
            resolved.append(item)
        key = tuple(resolved)
        return key, self.positions.get(key)

    def problem(self, loc: Sequence[str | int], message: str, *, at_key: bool = False) -> Problem:
        """A :class:`Problem` for the value at ``loc`` (or its key)."""
        key, pos = self.locate(loc)
        # The path names the full location, even where it goes deeper than the data (a missing
        # key); the position is that of the deepest node that exists.
        path = format_path(loc)
        if pos is None:
            return Problem(self.name, None, None, path, message)
        if at_key and key == tuple(loc):
            return Problem(self.name, pos.key_line, pos.key_column, path, message)
        return Problem(self.name, pos.line, pos.column, path, message)


def has_child(node: Any, part: str | int) -> bool:
    """Whether ``node[part]`` exists in plain YAML data (a mapping key or a list index)."""
    if isinstance(node, dict):
        return part in node
    if isinstance(node, list):
        return isinstance(part, int) and 0 <= part < len(node)
    return False


def format_path(path: Sequence[str | int]) -> str:
    """``('levels', 2, 'criteria', 0)`` → ``levels[2].criteria[0]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _walk(
    node: yaml.Node,
    path: PathKey,
    *,
    positions: dict[PathKey, Position],
    key_mark: yaml.Mark | None,
    seen: set[int],
    problems: list[Problem],
    name: str,
) -> None:
    mark = node.start_mark
    km = key_mark or mark
    positions[path] = Position(mark.line + 1, mark.column + 1, km.line + 1, km.column + 1)
    if id(node) in seen:  # pragma: no cover - aliases are rejected before the walk
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        keys: dict[Any, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(
                    Problem(
                        name,
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                        format_path(path),
                        "mapping keys must be plain values, not lists or mappings",
                    )
                )
                continue
            key: str | int = key_node.value
            if key_node.tag == "tag:yaml.org,2002:int":
                try:
                    key = int(key_node.value)
                except ValueError:
                    key = key_node.value
            if key in keys:
                first = keys[key].start_mark
                problems.append(
                    Problem(
                        name,
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                        format_path((*path, key)),
                        f"duplicate key '{key}' (first defined on line {first.line + 1})",
                    )
                )
                continue
            keys[key] = key_node
            _walk(
                value_node,
                (*path, key),
                positions=positions,
                key_mark=key_node.start_mark,
                seen=seen,
                problems=problems,
                name=name,
            )
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(
                item,
                (*path, index),
                positions=positions,
                key_mark=None,
                seen=seen,
                problems=problems,
                name=name,
            )


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_PLAIN_SCALARS = {
    "tag:yaml.org,2002:null": SafeConstructor.construct_yaml_null,
    "tag:yaml.org,2002:bool": _Loader.construct_yaml_bool,
    "tag:yaml.org,2002:int": _Loader.construct_yaml_int,
    "tag:yaml.org,2002:float": _Loader.construct_yaml_float,
}


class _NotPlainError(Exception):
    """The document uses something beyond plain mappings, lists and scalars."""


_SCALAR_VALUES: dict[tuple[str, str], Any] = {}
"""Built non-string scalars by (tag, text): booleans, numbers, nulls and dates repeat a lot,
and their values are immutable (at most _SCALAR_VALUES_MAX, of 64 characters or fewer)."""
_MISSING = object()


def _construct_scalar(node: yaml.ScalarNode, loader: _Loader) -> Any:
    tag = node.tag
    if tag == _STR:
        return node.value
    key = (tag, node.value)
    value = _SCALAR_VALUES.get(key, _MISSING)
    if value is not _MISSING:
        return value
    if tag == _TIMESTAMP:
        value = loader.construct_yaml_timestamp(node)
    else:
        build = _PLAIN_SCALARS.get(tag)
        if build is None:
            raise _NotPlainError
        value = build(loader, node)
    if len(node.value) <= 64 and len(_SCALAR_VALUES) < _SCALAR_VALUES_MAX:
        _SCALAR_VALUES[key] = value
    return value


def _construct_plain(node: yaml.Node, loader: _Loader) -> Any:
    """Build the data of a document made of plain mappings, lists and scalars.

    Answers files and rubrics are nothing more, and this direct walk is about twice as fast as
    PyYAML's general constructor; anything else (explicit tags, merge keys, sets) raises
    :class:`_NotPlainError` so the caller falls back to the full safe constructor.
    """
    if type(node) is yaml.ScalarNode:
        return _construct_scalar(node, loader)
    if type(node) is yaml.MappingNode:
        if node.tag != _MAP:
            raise _NotPlainError
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            # Keys and most values are strings: taken here without a call (the hot path).
            if key_node.tag == _STR and type(key_node) is yaml.ScalarNode:
                key = key_node.value
            elif type(key_node) is not yaml.ScalarNode or key_node.tag == "tag:yaml.org,2002:merge":
                raise _NotPlainError
            else:
                key = _construct_scalar(key_node, loader)
            if key in result:
                raise _DuplicateKeyError
            if type(value_node) is yaml.ScalarNode:
                if value_node.tag == _STR:
                    result[key] = value_node.value
                else:
                    result[key] = _construct_scalar(value_node, loader)
            else:
                result[key] = _construct_plain(value_node, loader)
        return result
    if type(node) is yaml.SequenceNode and node.tag == _SEQ:
        return [_construct_plain(item, loader) for item in node.value]
    raise _NotPlainError


def _shares_nodes(root: yaml.Node) -> bool:
    """Whether the composed tree uses a node twice: what an alias (``*name``) produces.

    Cheap (one pass over the nodes, no re-parse); only then is the text scanned again to say
    where the anchor or alias is.
    """
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return False


def _events_have_alias(text: str) -> Any:
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent) or (
            isinstance(event, yaml.NodeEvent) and event.anchor is not None
        ):
            return event.start_mark
    return None


MAX_DEPTH = 50
"""Deepest nesting of mappings and lists accepted (answers files need 3, rubrics 6).

It is checked before the document is built: libyaml builds nodes recursively and a very deep
document (100,000 levels) crashes the whole process, which no ``except`` can catch.
"""

_DEEP_PREFIX = re.compile(r"[ \t?:-]{12}")
"""12 characters of indentation or block indicators starting a line (depth ≥ 6 or so)."""
_DEEP_LINE = re.compile(r"\n[ \t?:-]{12}")
"""The same after a line break (searched with a literal start: ten times faster than ``^``)."""


def _depth_could_exceed(text: str, limit: int) -> bool:
    """A cheap upper bound on the nesting depth: False means it certainly stays within."""
    if text.count("[") + text.count("{") > limit // 2:
        return True
    # Block nesting needs more indentation (or another "- " / "? " / ": ") at each level: with
    # every line's prefix shorter than 12 characters the depth stays below 2 * 12 + 2 = 26.
    return _DEEP_PREFIX.match(text) is not None or _DEEP_LINE.search(text) is not None


def _check_depth(text: str, name: str) -> None:
    """Refuse documents nested deeper than MAX_DEPTH, from libyaml's event stream (iterative)."""
    if not _depth_could_exceed(text, MAX_DEPTH):
        return
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise InputError(
                    [
                        Problem(
                            name,
                            mark.line + 1 if mark else None,
                            mark.column + 1 if mark else None,
                            "",
                            f"nested deeper than {MAX_DEPTH} levels; svclevel files need far fewer",
                        )
                    ]
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a document is built.

    Parsing and validating make thousands of small objects that all survive until the result
    is built: the collector would scan them again and again for nothing (a 500-question
    rubric took four times as long). It runs again as soon as the block ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse_yaml(text: str, name: str) -> YamlDocument:
    """Parse one YAML document from ``text``; raise :class:`InputError` naming ``name``."""
    with gc_paused():
        return _parse_yaml(text, name)


def _parse_yaml(text: str, name: str) -> YamlDocument:
    loader = _Loader(text)
    try:
        _check_depth(text, name)
        node = loader.get_single_node()
        if node is None:
            raise InputError([Problem(name, None, None, "", "the file is empty")])
        if ("&" in text or "*" in text) and _shares_nodes(node):
            alias_mark = _events_have_alias(text)
            if alias_mark is not None:
                raise InputError(
                    [
                        Problem(
                            name,
                            alias_mark.line + 1,
                            alias_mark.column + 1,
                            "",
                            "YAML anchors and aliases (&name, *name) are not supported; "
                            "write the value out",
                        )
                    ]
                )
        try:
            try:
                data = _construct_plain(node, loader)
            except _NotPlainError:  # tags, merge keys, sets: the full safe constructor
                try:
                    data = loader.construct_document(node)
                except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
                    mark = node.start_mark
                    raise yaml.constructor.ConstructorError(
                        None, None, f"a value cannot be read ({exc})", mark
                    ) from None
        except _DuplicateKeyError:
            problems: list[Problem] = []
            _walk(
                node,
                (),
                positions={},
                key_mark=None,
                seen=set(),
                problems=problems,
                name=name,
            )
            raise InputError(problems) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            what = f"{exc.context}, {exc.problem}"
        if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in str(exc.problem):
            tag = str(exc.problem).rsplit("tag ", 1)[-1].replace("tag:yaml.org,2002:", "!!")
            what = f"the tag {tag} is not allowed: only plain YAML values are accepted"
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise InputError([Problem(name, line, column, "", f"invalid YAML: {what}")]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(name, None, None, "", f"invalid YAML: {exc}")]) from None
    finally:
        loader.dispose()
        if len(text) > _RESOLVE_CACHE_TEXT_MAX:
            _resolve_tag.cache_clear()
    return YamlDocument(name=name, data=data, node=node)


STDIN = "-"
"""The input name that means standard input, as in most command-line tools."""

STDIN_NAME = "<stdin>"
"""How standard input is named in messages and reports."""


def display_name(path: str | os.PathLike[str]) -> str:
    """How an input is named in messages and reports: as given, or ``<stdin>`` for ``-``."""
    name = os.fspath(path)
    return STDIN_NAME if name == STDIN else name


def read_text(path: str | os.PathLike[str], name: str | None = None) -> str:
    """Read a UTF-8 input file (``-``: standard input), turning every OS-level failure into an
    :class:`InputError`."""
    shown = name or display_name(path)

    def refuse(what: str) -> InputError:
        return InputError([Problem(shown, None, None, "", what)])

    if os.fspath(path) == STDIN:
        raw = sys.stdin.buffer.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise refuse(f"input is too large (more than {MAX_BYTES} bytes)")
        return _decode(raw, shown)
    try:
        with open(path, "rb") as handle:  # noqa: PTH123 - one open and one fstat, no Path
            size = os.fstat(handle.fileno()).st_size
            if size <= MAX_BYTES:
                # The size the file says it has (reading a 5 MB buffer for a 2 KiB file costs
                # more than parsing it), then what a device or a growing file holds beyond it,
                # bounded either way.
                raw = handle.read(size + 1)
                if len(raw) > size:
                    raw += handle.read(MAX_BYTES + 1 - len(raw))
                if len(raw) > MAX_BYTES:
                    raise refuse(f"file is too large (more than {MAX_BYTES} bytes)")
    except FileNotFoundError:
        raise refuse("no such file") from None
    except IsADirectoryError:
        raise refuse("is a directory, not a YAML file") from None
    except PermissionError:
        if os.path.isdir(path):  # noqa: PTH112 - Windows refuses to open a folder this way
            raise refuse("is a directory, not a YAML file") from None
        raise refuse("permission denied") from None
    except OSError as exc:
        raise refuse(f"cannot read: {exc.strerror}") from None
    if size > MAX_BYTES:
        raise refuse(f"file is too large ({size} bytes; limit {MAX_BYTES})")
    return _decode(raw, shown)


def _decode(raw: bytes, shown: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            [Problem(shown, line, None, "", f"not valid UTF-8 (byte {exc.start})")]
        ) from None


def load_yaml_file(path: str | os.PathLike[str], name: str | None = None) -> YamlDocument:
    """Read and parse one YAML file (``-``: standard input)."""
    shown = name or display_name(path)
    return parse_yaml(read_text(path, shown), shown)
