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
import itertools
import operator
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml
from yaml.constructor import SafeConstructor

from svclevel.errors import InputError, OutputIsInputError, Problem, UsageError

PathKey = tuple[str | int, ...]

MAX_BYTES = 5 * 1024 * 1024
"""Larger input files are refused before parsing (a rubric or answers file is a few KiB)."""

_TAG_CACHE_MAX = 256
"""Node tags remembered at most, least recently used first out."""
_TAG_CACHE_TEXT_MAX = 64 * 1024
"""After a longer document the tags are forgotten, so that the cache never keeps more than
_TAG_CACHE_MAX * 64 KiB of (possibly hostile) text alive."""


@functools.lru_cache(maxsize=_TAG_CACHE_MAX)
def _resolve(kind: type[yaml.Node], value: Any, implicit: Any) -> str:
    """The tag of a node with no explicit tag: plain scalars by the YAML 1.2 core schema
    (see :class:`_Rules`), everything else a string, a list or a mapping."""
    if kind is yaml.ScalarNode:
        if implicit[0]:
            for tag, pattern in _IMPLICIT:
                if pattern.match(value):
                    return tag
        return _STR
    if kind is yaml.SequenceNode:
        return _SEQ
    return _MAP


_IMPLICIT = (
    ("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$")),
    ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")),
    ("tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")),
    (
        "tag:yaml.org,2002:float",
        re.compile(
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
    ),
    (
        "tag:yaml.org,2002:timestamp",
        re.compile(
            r"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
            r"|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?"
            r"(?:[Tt]|[ \t]+)[0-9][0-9]?"
            r":[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?"
            r"(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$"
        ),
    ),
    ("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$")),
)
"""Plain-scalar resolution, first match wins: YAML 1.2's core schema, plus dates (PyYAML reads
them, answers files need them) and merge keys (so that ``<<`` is refused by name)."""


class _Rules:
    """What svclevel's loaders add to PyYAML's safe loaders (the C one and the Python one).

    YAML 1.1 (PyYAML's default) turns ``NO``, ``on`` and ``off`` into booleans, ``1:30`` into 90
    and ``010`` into 8: a company called NO would become False. Here only ``true``/``false``
    are booleans and numbers are plain decimal (or ``0x``/``0o``), as in YAML 1.2's core schema;
    yes/no answers are read from the words by the answers checker. A scalar that cannot be
    built (``!!int abc``) is an error at its position, never an exception of another kind.

    Tags are resolved through the resolver hooks PyYAML's composer calls for every node
    (``resolve``, ``descend_resolver``, ``ascend_resolver``). Keys and answers repeat, so tags
    are remembered (:func:`_resolve`, a C-level cache); with no path resolvers the other two
    hooks track nothing, and builtins that take the same arguments and do nothing stand in.
    A test fails if PyYAML stops calling ``resolve``.
    """

    resolve = staticmethod(_resolve)
    descend_resolver = staticmethod(operator.is_)
    ascend_resolver = staticmethod(tuple)

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        try:
            return SafeConstructor.construct_yaml_timestamp(self, node)  # type: ignore[arg-type]
        except (ValueError, TypeError, AttributeError, OverflowError):
            raise _Refused(
                node.start_mark, f"invalid date {node.value!r}: no such day (expected YYYY-MM-DD)"
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
            raise _Refused(node.start_mark, f"invalid integer {node.value!r}") from None

    def construct_yaml_bool(self, node: yaml.Node) -> Any:
        value = str(node.value).lower()
        if value in ("true", "false"):
            return value == "true"
        if value in ("yes", "on", "y"):  # an explicit !!bool tag on a YAML 1.1 word
            return True
        if value in ("no", "off", "n"):
            return False
        raise _Refused(node.start_mark, f"invalid boolean {node.value!r}")

    def construct_yaml_float(self, node: yaml.Node) -> Any:
        try:
            return SafeConstructor.construct_yaml_float(self, node)  # type: ignore[arg-type]
        except (ValueError, OverflowError):
            raise _Refused(node.start_mark, f"invalid number {node.value!r}") from None

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys = [(k.tag, k.value) for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
        if len(set(keys)) != len(keys):
            raise _DuplicateKeyError
        return SafeConstructor.construct_mapping(self, node, deep=deep)  # type: ignore[arg-type]


class _DuplicateKeyError(Exception):
    """A mapping repeats a key: re-read with positions to say where."""


class PythonLoader(_Rules, yaml.SafeLoader):  # type: ignore[misc]  # hooks: see _Rules
    """svclevel's rules on PyYAML's pure-Python safe loader."""

    def scan_to_next_token(self) -> None:
        """PyYAML's, skipping tabs between tokens where libyaml does (inside brackets, and
        after a key or a value has started on the line: ``key:<tab>value``), so that both
        loaders accept and refuse the same files. Tabs as indentation stay refused."""
        if self.index == 0 and self.peek() == "\ufeff":
            self.forward()
        while True:
            while self.peek() == " " or (
                self.peek() == "\t" and (self.flow_level or not self.allow_simple_key)
            ):
                self.forward()
            if self.peek() == "#":
                while self.peek() not in "\0\r\n\x85\u2028\u2029":
                    self.forward()
            if not self.scan_line_break():  # type: ignore[no-untyped-call]
                return
            if not self.flow_level:
                self.allow_simple_key = True


_CBase: type[Any] | None = getattr(yaml, "CSafeLoader", None)
"""libyaml's safe loader, when PyYAML was built with libyaml."""

LOADERS: dict[str, type[Any]] = {"python": PythonLoader}
"""Every loader svclevel can use, by name; their results are the same (tested)."""
if _CBase is not None:

    class CLoader(_Rules, _CBase):  # type: ignore[misc,valid-type]
        """svclevel's rules on libyaml's C parser (the faster one: see benchmarks/README.md)."""

    LOADERS["c"] = CLoader

LOADER: type[Any] = LOADERS.get("c", PythonLoader)
"""The loader used: libyaml's when PyYAML was built with it, else the pure-Python one."""

for _loader in LOADERS.values():
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _Rules.construct_yaml_timestamp)
    _loader.add_constructor("tag:yaml.org,2002:int", _Rules.construct_yaml_int)
    _loader.add_constructor("tag:yaml.org,2002:bool", _Rules.construct_yaml_bool)
    _loader.add_constructor("tag:yaml.org,2002:float", _Rules.construct_yaml_float)


class Location(NamedTuple):
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
    def positions(self) -> dict[PathKey, Location]:
        """Location of each value, keyed by its path from the root (computed on first use).

        Line numbers are only needed when something is wrong, so a valid file never pays for
        this walk.
        """
        positions: dict[PathKey, Location] = {}
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

    def locate(self, loc: Sequence[str | int]) -> tuple[PathKey, Location | None]:
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
    positions: dict[PathKey, Location],
    key_mark: yaml.Mark | None,
    seen: set[int],
    problems: list[Problem],
    name: str,
) -> None:
    mark = node.start_mark
    km = key_mark or mark
    positions[path] = Location(mark.line + 1, mark.column + 1, km.line + 1, km.column + 1)
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
_PLAIN_SCALARS: dict[str, Callable[[Any, yaml.ScalarNode], Any]] = {
    "tag:yaml.org,2002:null": SafeConstructor.construct_yaml_null,
    "tag:yaml.org,2002:bool": _Rules.construct_yaml_bool,
    "tag:yaml.org,2002:int": _Rules.construct_yaml_int,
    "tag:yaml.org,2002:float": _Rules.construct_yaml_float,
    _TIMESTAMP: _Rules.construct_yaml_timestamp,
}


class _NotPlainError(Exception):
    """The document uses something beyond plain mappings, lists and scalars."""


class _KeyNotTextError(Exception):
    """A mapping key is not text: :func:`_key_problems` says where."""


_KEY_KINDS = {
    "tag:yaml.org,2002:int": "the number {}",
    "tag:yaml.org,2002:float": "the number {}",
    "tag:yaml.org,2002:bool": "the yes/no value {}",
    "tag:yaml.org,2002:null": "null (no key at all)",
    _TIMESTAMP: "the date {}",
}


def _key_problems(root: yaml.Node, name: str) -> list[Problem]:
    """Every mapping key that is not text, at its position (iterative: any depth).

    Every key in an answers file, a rubric or a configuration file is text (a question id, a
    field name); YAML reads ``1``, ``true`` or ``2026-01-01`` unquoted as other values, which
    Python would then compare equal (``1 == True``) or show differently than written.
    """
    problems: list[Problem] = []
    stack: list[tuple[yaml.Node, PathKey]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*path, i)) for i, item in reversed(list(enumerate(node.value))))
            continue
        if not isinstance(node, yaml.MappingNode):
            continue
        children = []
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag == _STR:
                children.append((value_node, (*path, key_node.value)))
                continue
            if isinstance(key_node, yaml.ScalarNode):
                text = str(key_node.value)[:40]
                tag = key_node.tag.replace("tag:yaml.org,2002:", "!!")
                kind = _KEY_KINDS.get(key_node.tag, f"a value tagged {tag}").format(text)
                fix = f"; put it in quotes: '{text}'" if text else ""
            else:
                kind = "a list" if isinstance(key_node, yaml.SequenceNode) else "a mapping"
                fix = ""
            mark = key_node.start_mark
            problems.append(
                Problem(
                    name,
                    mark.line + 1,
                    mark.column + 1,
                    format_path(path),
                    f"keys must be text, not {kind}{fix}",
                )
            )
        stack.extend(reversed(children))
    return problems


def _construct_scalar(node: yaml.ScalarNode, loader: Any) -> Any:
    tag = node.tag
    if tag == _STR:
        return node.value
    build = _PLAIN_SCALARS.get(tag)
    if build is None:
        raise _NotPlainError
    return build(loader, node)


def _construct_plain(node: yaml.Node, loader: Any) -> Any:
    """Build the data of a document made of plain mappings, lists and scalars.

    Answers files and rubrics are nothing more (why svclevel builds them itself rather than with
    PyYAML's general constructor: benchmarks/README.md; a test holds the two to the same data).
    Anything else (explicit tags, merge keys, sets) raises :class:`_NotPlainError` so the caller
    falls back to the full safe constructor.
    """
    if type(node) is yaml.ScalarNode:
        return _construct_scalar(node, loader)
    if type(node) is yaml.MappingNode:
        if node.tag != _MAP:
            raise _NotPlainError
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            # Keys and most values are strings, taken as they are.
            if key_node.tag == _STR and type(key_node) is yaml.ScalarNode:
                key = key_node.value
            elif type(key_node) is not yaml.ScalarNode or key_node.tag == "tag:yaml.org,2002:merge":
                raise _NotPlainError
            else:
                raise _KeyNotTextError  # 1, true, null, a date: svclevel's keys are all text
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
    for event in yaml.parse(text, Loader=LOADER):
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
"""The same after a line break."""


def _depth_could_exceed(text: str, limit: int) -> bool:
    """A cheap upper bound on the nesting depth: False means it certainly stays within."""
    if text.count("[") + text.count("{") > limit // 2:
        return True
    # Block nesting needs more indentation (or another "- " / "? " / ": ") at each level: with
    # every line's prefix shorter than 12 characters the depth stays below 2 * 12 + 2 = 26.
    return _DEEP_PREFIX.match(text) is not None or _DEEP_LINE.search(text) is not None


MAX_NODES = 50_000
"""Most values (keys, values, lists, mappings) one document may hold. The largest shipped
file, a rubric, holds under 600; a file under the size limit can hold a million, and each costs
svclevel about a kilobyte to check and report on (370,000 unknown answers took 808 MB)."""


def _nodes_could_exceed(text: str, limit: int) -> bool:
    """A cheap upper bound on the number of nodes: False means there are certainly no more than
    ``limit``. A node after the first takes a ``,`` or a line break to start (a ``-``, ``:`` or
    ``?`` for a block item or entry), and a key and its value make two."""
    marks = sum(text.count(c) for c in ",\n-:?") + text.count("[") + text.count("{")
    return 2 * marks + 2 > limit


def _check_size(text: str, name: str) -> None:
    """Refuse documents of more than MAX_NODES values, from the event stream (constant memory),
    before anything is built."""
    if not _nodes_could_exceed(text, MAX_NODES):
        return
    count = 0
    try:
        for event in yaml.parse(text, Loader=LOADER):
            if isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent | yaml.AliasEvent):
                count += 1
                if count > MAX_NODES:
                    message = (
                        f"more than {MAX_NODES:,} values; svclevel files need far fewer (a rubric "
                        "holds a few hundred)"
                    )
                    mark: Any = event.start_mark  # libyaml's marks or PyYAML's
                    raise InputError([_problem_at(name, mark, message)])
    except yaml.YAMLError:
        return  # not YAML at all: parsing says where


def _check_depth(text: str, name: str) -> None:
    """Refuse documents nested deeper than MAX_DEPTH, from the event stream (iterative)."""
    if not _depth_could_exceed(text, MAX_DEPTH):
        return
    try:
        mark = _too_deep(text, LOADER)
    except yaml.YAMLError:
        # libyaml reads ahead and may stop at its own nesting limit before the events reach
        # ours: the pure-Python parser reads the same events without one.
        try:
            mark = _too_deep(text, PythonLoader)
        except yaml.YAMLError:
            return  # not YAML at all: parsing says where
    if mark is not None:
        message = f"nested deeper than {MAX_DEPTH} levels; svclevel files need far fewer"
        raise InputError([_problem_at(name, mark, message)])


def _too_deep(text: str, loader: type[Any]) -> Any:
    """Where the first collection deeper than MAX_DEPTH starts, or None."""
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return event.start_mark
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a document is built.

    Parsing and validating make thousands of small objects that all survive until the result
    is built: the collector would scan them again and again for nothing (measured in
    benchmarks/README.md). It runs again as soon as the block ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_NO_ALIASES = "YAML anchors and aliases (&name, *name) are not supported; write the value out"
_SYNTAX_HINT = " (check the indentation, and the quotes, brackets and ':' before it)"


class _Refused(Exception):
    """A value svclevel refuses, in its own words, at a position."""

    def __init__(self, mark: yaml.Mark | None, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


def _problem_at(name: str, mark: yaml.Mark | None, message: str) -> Problem:
    if mark is None:
        return Problem(name, None, None, "", message)
    return Problem(name, mark.line + 1, mark.column + 1, "", message)


_TAB = (
    "invalid YAML: a tab was found where indentation is expected; YAML indents with spaces, "
    "not tabs"
)
_LINE_UP = (
    "expected <block end>",
    "did not find expected key",
    "did not find expected '-'",
    "could not find expected ':'",
)
"""Parser errors (PyYAML's words, libyaml's words) that a line not lining up causes."""
_MAPPING_VALUES = "mapping values are not allowed"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _spaces(count: int) -> str:
    return f"{count} space{'s' if count != 1 else ''}"


def _syntax_problem(name: str, text: str, exc: yaml.MarkedYAMLError) -> Problem:
    """A syntax error in a person's words, at the line that is wrong where that can be told.

    Tabs are named as such. For indentation, PyYAML and libyaml stop at the first token that
    does not fit, often a line after the one indented wrongly: the lines above are looked at to
    point at the line (and its first character) whose indentation does not line up.
    """
    mark = exc.problem_mark or exc.context_mark
    problem = str(exc.problem or "")
    lines = text.splitlines()
    if mark is not None and mark.line < len(lines):
        line = lines[mark.line]
        leading = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in leading or _describe_char(text, mark) == "a tab":
            column = leading.index("\t") + 1 if "\t" in leading else mark.column + 1
            return Problem(name, mark.line + 1, column, "", _TAB)
    if problem.startswith("could not find expected ':'") and exc.context_mark is not None:
        key = exc.context_mark  # the key that has no ':' (the problem is at the next line)
        n = key.line + 1
        return Problem(
            name,
            n,
            key.column + 1,
            "",
            f"invalid YAML: line {n} has no ':' after its key (check line {n}, and the "
            "indentation of the line above)",
        )
    located = None
    if mark is not None and (problem.startswith(_LINE_UP) or _MAPPING_VALUES in problem):
        located = _indentation_problem(lines, mark.line, mapping_values=_MAPPING_VALUES in problem)
    if located is not None:
        index, message = located
        return Problem(name, index + 1, _indent(lines[index]) + 1, "", "invalid YAML: " + message)
    line_no = mark.line + 1 if mark is not None else None
    if line_no is None:
        hint = _SYNTAX_HINT
    elif _MAPPING_VALUES in problem:
        hint = (
            " (a value that contains ': ' needs quotes around it; else check the indentation of "
            f"line {line_no} and the line above)"
        )
    else:
        hint = (
            f" (check the indentation of line {line_no} and the line above, and the quotes, "
            "brackets and ':' before it)"
        )
    return _problem_at(name, mark, f"invalid YAML syntax at {_describe_char(text, mark)}{hint}")


def _indentation_problem(
    lines: list[str], index: int, *, mapping_values: bool
) -> tuple[int, str] | None:
    """(line index, message) for an indentation error found at line ``index``, or None."""

    def content(i: int) -> bool:
        stripped = lines[i].strip()
        return bool(stripped) and not stripped.startswith("#")

    above = next((i for i in range(index - 1, -1, -1) if content(i)), None)
    if above is None or index >= len(lines):
        return None
    n, p = index + 1, above + 1
    k, kp = _indent(lines[index]), _indent(lines[above])
    if mapping_values:
        if k > kp:
            return index, (
                f"line {n} is indented more than line {p} above it, whose value is already "
                f"given (check the indentation of line {n}, or the ':' on line {p})"
            )
        if not re.search(r":(\s|$)", lines[above]):
            return above, f"line {p} has no ':' after its key (check line {p})"
        return None
    if k >= kp:
        return None
    # Line n is less indented than the line above: it should line up with an enclosing line.
    enclosing = [_indent(lines[i]) for i in range(above) if content(i)]
    parent = next(
        (i for i in range(above - 1, -1, -1) if content(i) and _indent(lines[i]) < kp), None
    )
    if parent is not None and _indent(lines[parent]) < k and parent == above - 1:
        # Lines p and n both belong under the parent, indented differently: the one whose
        # indentation steps in as the rest of the file does is taken to be right.
        steps = [b - a for a, b in itertools.pairwise(enclosing) if b > a]
        step = min(steps, default=2)
        base = _indent(lines[parent])
        if kp - base != step and k - base == step:
            return above, (
                f"line {p} is indented {_spaces(kp)}, but line {n} below it, in the same block, "
                f"{k} (check the indentation of line {p}, and of the line below)"
            )
    if k not in enclosing:
        return index, (
            f"line {n} is indented {_spaces(k)}, which lines up with none of the lines above it "
            f"(check the indentation of line {n}, and of the line above)"
        )
    return None


def _describe_char(text: str, mark: yaml.Mark | None) -> str:
    """The character a syntax error points at, named for a person."""
    index = getattr(mark, "index", None)
    if not isinstance(index, int) or index >= len(text):
        return "the end of the file"
    char = text[index]
    names = {"\t": "a tab", "\n": "the end of the line", " ": "a space"}
    return names.get(char, f"'{char}'")


def _refuse_unknown_tags(root: yaml.Node, loader: Any) -> None:
    """Refuse a node whose tag the safe constructor does not build (``!!python/...``)."""
    known = loader.yaml_constructors
    stack = [root]
    while stack:
        node = stack.pop()
        if node.tag not in known:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise _Refused(
                node.start_mark,
                f"the tag '{tag}' is not allowed: only plain YAML values are accepted",
            )
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((value, key))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))


def raise_if_keys_not_text(node: yaml.Node, name: str) -> None:
    """Raise an :class:`InputError` for every mapping key below ``node`` that is not text."""
    problems = _key_problems(node, name)
    if problems:
        raise InputError(problems)


def _construct_full(node: yaml.Node, loader: Any, name: str) -> Any:
    """The data of a document beyond plain values, by PyYAML's safe constructor; only the
    tags it builds, and keys that are text (a set's items are its keys)."""
    _refuse_unknown_tags(node, loader)
    if node.tag != "tag:yaml.org,2002:set":
        raise_if_keys_not_text(node, name)
    try:
        return loader.construct_document(node)
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
        raise _Refused(node.start_mark, "a value cannot be read") from None


def parse_yaml(text: str, name: str) -> YamlDocument:
    """Parse one YAML document from ``text``; raise :class:`InputError` naming ``name``."""
    with gc_paused():
        return _parse_yaml(text, name)


def _parse_yaml(text: str, name: str) -> YamlDocument:
    _check_depth(text, name)
    _check_size(text, name)
    loader = None
    try:
        loader = LOADER(text)
        node = loader.get_node() if loader.check_node() else None
        if node is not None and loader.check_node():
            raise _Refused(
                loader.peek_event().start_mark,
                "expected a single document, found another one (---): one file is one "
                "answers file or rubric",
            )
        if node is None:
            raise InputError([Problem(name, None, None, "", "the file is empty")])
        if ("&" in text or "*" in text) and _shares_nodes(node):
            alias_mark = _events_have_alias(text)
            if alias_mark is not None:
                raise InputError([_problem_at(name, alias_mark, _NO_ALIASES)])
        try:
            try:
                data = _construct_plain(node, loader)
            except _NotPlainError:  # tags, merge keys, sets: the full safe constructor
                data = _construct_full(node, loader, name)
        except _KeyNotTextError:
            raise_if_keys_not_text(node, name)
            raise  # pragma: no cover - the walk finds what construction found
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
    except _Refused as exc:
        raise InputError([_problem_at(name, exc.mark, f"invalid YAML: {exc.message}")]) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        what = f"the character U+{exc.character:04X} is not allowed in a YAML file"
        raise InputError([Problem(name, line, column, "", f"invalid YAML: {what}")]) from None
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = "a value cannot be read as its tag says"
        raise InputError([_problem_at(name, mark, f"invalid YAML: {what}")]) from None
    except yaml.MarkedYAMLError as exc:
        raise InputError([_syntax_problem(name, text, exc)]) from None
    except yaml.YAMLError:
        raise InputError([Problem(name, None, None, "", "invalid YAML")]) from None
    finally:
        if loader is not None:
            loader.dispose()
        if len(text) > _TAG_CACHE_TEXT_MAX:
            _resolve.cache_clear()
    return YamlDocument(name=name, data=data, node=node)


STDIN = "-"
"""The input name that means standard input, as in most command-line tools."""

STDIN_NAME = "<stdin>"
"""How standard input is named in messages and reports."""


def display_name(path: str | os.PathLike[str]) -> str:
    """How an input is named in messages and reports: as given, or ``<stdin>`` for ``-``.

    A name that is not UTF-8 (``caf\\xe9.yaml``, from a Latin-1 system) is shown with its bad
    bytes as ``\\xe9``: Python keeps them as lone surrogates, which no report (JSON, a
    terminal) can write.
    """
    name = os.fspath(path)
    if name == STDIN:
        return STDIN_NAME
    try:
        name.encode()
    except UnicodeEncodeError:
        raw = name.encode(errors="surrogateescape" if _escaped_only(name) else "backslashreplace")
        return raw.decode(errors="backslashreplace")
    return name


def _escaped_only(name: str) -> bool:
    """Whether every surrogate in ``name`` stands for a byte (as the OS's names decode)."""
    return all(not 0xD800 <= ord(c) <= 0xDFFF or 0xDC80 <= ord(c) <= 0xDCFF for c in name)


_DESCRIPTORS = ("/dev/stdin", "/dev/fd/", "/proc/self/fd/")
"""Paths that name a descriptor the shell already opened (``<(command)``, ``/dev/stdin``): a
pipe there has its writer, so it is read like standard input."""

_WRITING: dict[tuple[int, int], str] = {}
"""The files this run writes (device and inode → the name given), which it must never read."""


def refuse_to_read(identities: dict[tuple[int, int], str]) -> None:
    """Make reading any of ``identities`` (device, inode) an :class:`OutputIsInputError`; an
    empty mapping lifts the refusal."""
    _WRITING.clear()
    _WRITING.update(identities)


def refused_to_read() -> dict[tuple[int, int], str]:
    """The files reading refuses (a worker process is given them)."""
    return dict(_WRITING)


def check_given_file(name: str, named: str, what: str) -> None:
    """A file the user named (``named``: the flag or setting, ``what``: the kind of file): it
    must exist and be a regular file (:class:`UsageError`)."""
    if os.path.isdir(name):  # noqa: PTH112 - this module works on os paths
        raise UsageError(f"{named} {name}: is a directory, not {what}")
    if not os.path.exists(name):  # noqa: PTH110
        raise UsageError(f"{named} {name}: no such file")
    if not os.path.isfile(name):  # noqa: PTH113
        raise UsageError(f"{named} {name}: not a regular file")


def not_regular(mode: int) -> str | None:
    """Why a file of this mode is not read as an input (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a directory, not a YAML file"
    kinds = (
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    kind = next((name for test, name in kinds if test(mode)), "a special file")
    return f"is {kind}, not a regular file; give a file, or - for standard input"


def check_not_written(info: os.stat_result, shown: str) -> None:
    """Refuse to read a file this run writes (compared by device and inode: any spelling of the
    path, a symbolic or a hard link)."""
    target = _WRITING.get((info.st_dev, info.st_ino)) if _WRITING else None
    if target is not None:
        raise OutputIsInputError(
            f"{shown}: is also an output of this run ({target}); svclevel never writes over "
            "its inputs: choose another output file"
        )


def read_text(path: str | os.PathLike[str], name: str | None = None) -> str:
    """Read a UTF-8 input file (``-``: standard input), turning every OS-level failure into an
    :class:`InputError`.

    Only regular files are read (and descriptors the shell opened, such as ``<(command)``): a
    named pipe would wait for a writer forever, a device may never end. The file is opened
    without waiting, then checked.
    """
    shown = name or display_name(path)

    def refuse(what: str) -> InputError:
        return InputError([Problem(shown, None, None, "", what)])

    if os.fspath(path) == STDIN:
        return _decode(_read_stdin(shown), shown)
    descriptor = os.path.abspath(path).startswith(_DESCRIPTORS)  # noqa: PTH100
    # Looked at before it is opened: opening a named pipe would release a writer waiting on it.
    # Opened without waiting all the same, should it be replaced in between.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        why = None if descriptor else not_regular(os.stat(path).st_mode)  # noqa: PTH116
        if why is not None:
            raise refuse(why)
        fd = os.open(path, flags)
        with open(fd, "rb") as handle:  # noqa: PTH123 - one open and one fstat, no Path
            info = os.fstat(fd)
            why = not_regular(info.st_mode)
            if why is not None:
                if not descriptor or stat.S_ISDIR(info.st_mode):
                    raise refuse(why)
                os.set_blocking(fd, True)
            check_not_written(info, shown)
            size = info.st_size
            if size <= MAX_BYTES:
                # The size the file says it has (reading a 5 MB buffer for a 2 KiB file costs
                # more than parsing it), then what a pipe or a growing file holds beyond it,
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


STDIN_CLOSED = "standard input is closed; pipe the file in (svclevel assess - < FILE), or name it"


def _read_stdin(shown: str) -> bytes:
    """Standard input, whole and bounded; closed (``<&-``) or unreadable is an
    :class:`InputError`."""

    def refuse(what: str) -> InputError:
        return InputError([Problem(shown, None, None, "", what)])

    stream = getattr(sys.stdin, "buffer", None)  # None: Python found no descriptor 0
    if stream is None or stream.closed:
        raise refuse(STDIN_CLOSED)
    with contextlib.suppress(OSError, ValueError):  # no descriptor: not a file either
        fd = stream.fileno()
        info = os.fstat(fd)
        check_not_written(info, shown)  # `- < answers.yaml`
        if not stat.S_ISREG(info.st_mode):
            os.set_blocking(fd, True)  # a pipe left non-blocking by another program
    try:
        raw = stream.read(MAX_BYTES + 1)
    except OSError as exc:
        raise refuse(f"cannot read standard input: {exc.strerror or exc}") from None
    except ValueError:  # closed under us
        raise refuse(STDIN_CLOSED) from None
    if raw is None:  # pragma: no cover - non-blocking after all: nothing written yet
        raise refuse("standard input has nothing to read yet (it is non-blocking)")
    if len(raw) > MAX_BYTES:
        raise refuse(f"input is too large (more than {MAX_BYTES} bytes)")
    return bytes(raw)


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _looks_utf16(raw: bytes) -> bool:
    """A UTF-16 BOM, or the NUL in every other byte that UTF-16 gives mostly-ASCII text."""
    if raw.startswith(_UTF16_BOMS):
        return True
    head = raw[:200]
    return len(head) >= 2 and any(
        head[i::2].count(0) == len(head[i::2]) and head[1 - i :: 2].count(0) == 0 for i in (0, 1)
    )


def _utf16(shown: str) -> InputError:
    return InputError(
        [Problem(shown, None, None, "", "this file is UTF-16, not UTF-8; save it as UTF-8")]
    )


def _decode(raw: bytes, shown: str) -> str:
    """UTF-8 text (a UTF-8 BOM is dropped); anything else is refused at its first bad byte,
    saying what the file probably is (UTF-16, Windows-1252 / Latin-1)."""
    if b"\0" in raw[:200] and _looks_utf16(raw):  # ASCII in UTF-16 is valid UTF-8 too
        raise _utf16(shown)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if _looks_utf16(raw):
            raise _utf16(shown) from None
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        column = len(raw[line_start : exc.start].decode("utf-8-sig", "replace")) + 1
        what = f"not valid UTF-8 at byte 0x{raw[exc.start]:02X}"
        try:
            char = raw[exc.start : exc.start + 1].decode("cp1252")
            raw.decode("cp1252")
        except UnicodeDecodeError:
            what += "; save the file as UTF-8"
        else:
            what += (
                f" ({char!r} in Windows-1252): the file looks like Windows-1252 / Latin-1; "
                "save it as UTF-8"
            )
        raise InputError([Problem(shown, line, column, "", what)]) from None


def load_yaml_file(path: str | os.PathLike[str], name: str | None = None) -> YamlDocument:
    """Read and parse one YAML file (``-``: standard input)."""
    shown = name or display_name(path)
    return parse_yaml(read_text(path, shown), shown)
