"""Safe, bounded reading of a YAML file into located nodes.

We compose (never construct) with libyaml when available: composition builds no Python
objects from tags, so ``!!python/object`` and friends are inert, and every node keeps the line
it came from. Walking the node tree ourselves lets us reject duplicate keys (PyYAML silently
keeps the last one), foreign tags, and alias expansions that would multiply the input.
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import yaml

from tracker.errors import PlanError
from tracker.i18n import _

try:  # libyaml is several times faster; pure Python is the fallback
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Node = yaml.Node
MappingNode = yaml.MappingNode
SequenceNode = yaml.SequenceNode
ScalarNode = yaml.ScalarNode

MAX_BYTES = int(os.environ.get("TRACKER_MAX_PLAN_BYTES", 40 * 1024 * 1024))
MAX_DEPTH = 64
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_BASE = "tag:yaml.org,2002:"
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
# Cheap signs that a document might nest deeply; only then are its events counted exactly.
_DEEP_SIGNS = re.compile(r"(?m)^[ \t]*(?:-[ \t]+){16,}|^ {64,}\S")
ALLOWED_TAGS = {
    _BASE + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}
STR_TAG, _INT, _BOOL, _NULL = (_BASE + t for t in ("str", "int", "bool", "null"))


def read_text(path: str) -> str:
    """The file's text: size-checked, UTF-8 (BOM accepted), or a located PlanError."""
    try:
        size = os.path.getsize(path)
    except OSError as err:
        raise PlanError(
            path, None, "", _("cannot read the file: {error}").format(error=err.strerror or err)
        ) from err
    if size > MAX_BYTES:
        raise PlanError(
            path,
            None,
            "",
            _("the file is too large ({size} MB; the limit is {limit} MB)").format(
                size=round(size / 1e6, 1), limit=round(MAX_BYTES / 1e6, 1)
            ),
        )
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as err:
        raise PlanError(
            path, None, "", _("cannot read the file: {error}").format(error=err.strerror or err)
        ) from err
    return decode(path, data)


def decode(path: str, data: bytes) -> str:
    """UTF-8 text of ``data`` without a BOM; a clear, located error for any other encoding."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise PlanError(
            path,
            line,
            "",
            _("the file is not UTF-8 text (byte 0x{byte:02x}); save it as UTF-8").format(
                byte=data[err.start]
            ),
        ) from err
    if text.startswith("\ufeff"):
        text = text[1:]
    bad = _FORBIDDEN.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        char = bad.group()
        if char == "\x00":
            raise PlanError(path, line, "", _("the file contains a NUL byte: not a text file"))
        # libyaml counts U+2028/U+2029/U+0085 as line breaks, which would shift every line
        # number after them: refuse them where they are, by name.
        raise PlanError(
            path,
            line,
            "",
            _(
                "control character U+{code:04X} is not allowed; replace it with a space or a "
                "line break"
            ).format(code=ord(char)),
        )
    return text


# Necessary for _DEEP_SIGNS and far quicker to rule out: its anchored pattern visits every line.
_DASH_RUN = re.compile(r"-[ \t]+" * 16)
_NOT_BRACKETS = bytes(b for b in range(256) if chr(b) not in "[]{}")
_AS_PARENS = bytes.maketrans(b"[{]}", b"(())")


def _may_nest_deeply(text: str) -> bool:
    if (_DASH_RUN.search(text) or " " * 64 in text) and _DEEP_SIGNS.search(text):
        return True
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return False
    # Brackets in comments or strings count too: this is only a suspicion. Brackets are
    # ASCII, so the UTF-8 bytes have the same ones in the same order.
    brackets = text.encode("utf-8", "replace").translate(_AS_PARENS, _NOT_BRACKETS)
    # Each pass deletes the innermost pairs, so a text nested at most MAX_DEPTH deep has no
    # opening bracket left after MAX_DEPTH passes; a big flow-style plan (one shallow mapping
    # per line) empties in a few passes, where counting bracket by bracket took a third of a
    # second.
    rest = brackets
    for _pass in range(MAX_DEPTH):
        shorter = rest.replace(b"()", b"")
        if len(shorter) == len(rest):
            break
        rest = shorter
    if b"(" not in rest:
        return False
    depth, opening = 0, ord("(")
    for char in brackets:
        if char == opening:
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif depth:
            depth -= 1
    return False


def _check_depth(path: str, text: str) -> None:
    """Refuse documents nested deeper than MAX_DEPTH before libyaml's recursive composer runs.

    The event parser is iterative, so counting its events is safe at any depth.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise PlanError(
                        path,
                        int(mark.line) + 1 if mark is not None else None,
                        "",
                        _("the document is nested more than {n} levels deep").format(n=MAX_DEPTH),
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return  # composition reports syntax errors with their context


_COLLECTION_TAGS: dict[type[Node], str] = {SequenceNode: _BASE + "seq", MappingNode: _BASE + "map"}
_EVERY_FIRST_CHAR: list[tuple[str, re.Pattern[str]]] = list(
    _Loader.yaml_implicit_resolvers.get(None, [])
)
# PyYAML's implicit resolvers, by the first character of the value they may match.
_RESOLVERS_BY_FIRST_CHAR: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    char: [*resolvers, *_EVERY_FIRST_CHAR]
    for char, resolvers in _Loader.yaml_implicit_resolvers.items()
    if char is not None
}
_PLAIN_TAGS: dict[str, str] = {}


class _PlanLoader(_Loader):
    """The safe loader with PyYAML's tag resolution, minus its per-node overhead.

    libyaml's composer calls back into Python three times for every node; PyYAML's general
    versions of those hooks were a third of the compose time of a 100,000-item plan. Same tags
    as ``Resolver.resolve`` (no path resolvers are registered), in fewer steps.
    """

    def resolve(self, kind: type[Node], value: str | None, implicit: Any) -> str:
        """The tag of an untagged node; ``implicit`` is (plain, quoted) for a scalar."""
        if kind is not ScalarNode or value is None:
            return _COLLECTION_TAGS[kind]
        if not implicit[0]:
            return STR_TAG
        # Plain: the value decides (``12`` an int, ``~`` null, ``no`` false). Keys and small
        # numbers repeat on every item, so the first few thousand answers are kept.
        tag = _PLAIN_TAGS.get(value)
        if tag is None:
            tag = STR_TAG
            for candidate, regexp in _RESOLVERS_BY_FIRST_CHAR.get(value[:1], _EVERY_FIRST_CHAR):
                if regexp.match(value):
                    tag = candidate
                    break
            if len(_PLAIN_TAGS) < 4096:
                _PLAIN_TAGS[value] = tag
        return tag

    # The composer calls these around every node so that path resolvers can track where they
    # are; there are none. Any C callable of the same arity serves as a no-op at a fraction of
    # the cost of a Python method (a tenth of the compose time of a big plan).
    descend_resolver = staticmethod(slice)  # type: ignore[assignment]
    ascend_resolver = staticmethod(tuple)  # type: ignore[assignment]


def compose(path: str, text: str) -> Node | None:
    """The root node of a single-document YAML text, or None for an empty document."""
    if _may_nest_deeply(text):
        _check_depth(path, text)
    loader = _PlanLoader(text)
    # The composer allocates millions of small nodes for a big plan; the cyclic collector
    # would rescan them over and over for nothing (nodes hold no cycles until aliases).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as err:
        raise _syntax_error(path, text, err) from err
    except yaml.YAMLError as err:
        raise PlanError(path, None, "", _("invalid YAML: {problem}").format(problem=err)) from err
    finally:
        loader.dispose()
        if enabled:
            gc.enable()


def _syntax_error(path: str, text: str, err: yaml.MarkedYAMLError) -> PlanError:
    problem, context = err.problem or "", err.context or ""
    at, opened = err.problem_mark, err.context_mark
    line = int(at.line) + 1 if at is not None else None
    if at is not None and 0 <= at.index < len(text) and text[at.index] == "\t":
        return PlanError(
            path, line, "", _("a tab character where YAML expects spaces: indent with spaces")
        )
    if opened is not None and context:
        # An unclosed quote or bracket is reported at the end of the file; point at its start.
        if "end of stream" in problem:
            line = int(opened.line) + 1
        problem = _("{context} (line {line}): {problem}").format(
            context=context, line=int(opened.line) + 1, problem=problem
        )
    return PlanError(
        path, line, "", _("invalid YAML: {problem}").format(problem=problem or context or "error")
    )


def line_of(node: Node) -> int:
    line: int = node.start_mark.line  # libyaml counts from 0
    return line + 1


class BudgetExceeded(PlanError):
    """The document expands past its size (an alias bomb): stop at once, report only this."""


class Reader:
    """Typed access to composed nodes; every failure is a PlanError naming file, line, field."""

    def __init__(self, path: str, budget: int) -> None:
        self.path = path
        self.budget = budget

    def error(self, node: Node | None, field: str, message: str) -> PlanError:
        return PlanError(self.path, line_of(node) if node is not None else None, field, message)

    def _visit(self, node: Node, field: str) -> None:
        """Count ``node`` against the budget and check its tag."""
        self.budget -= 1
        if self.budget < 0 or node.tag not in ALLOWED_TAGS:
            self._refuse(node, field)

    def _refuse(self, node: Node, field: str) -> None:
        if self.budget < 0:
            raise BudgetExceeded(
                self.path,
                line_of(node),
                field,
                _("the document expands to far more nodes than its size allows (an alias bomb?)"),
            )
        if node.tag not in ALLOWED_TAGS:
            raise self.error(
                node,
                field,
                _("tag {tag} is not allowed in a plan").format(tag=node.tag.replace(_BASE, "!!")),
            )

    def mapping(
        self,
        node: Node,
        field: str,
        allowed: frozenset[str] | set[str],
        required: tuple[str, ...] = (),
    ) -> dict[str, Node]:
        """The keys of a mapping node; unknown, duplicate or missing keys are errors."""
        self._visit(node, field)
        if not isinstance(node, MappingNode):
            raise self.error(
                node,
                field,
                _("expected a mapping (key: value), found {found}").format(found=_describe(node)),
            )
        result: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode):
                key = key_node.value
                # The usual case first; no allowed set holds "<<", so merge keys fall through.
                if key in allowed and key not in result:
                    result[key] = value_node
                    continue
            else:
                raise self.error(key_node, field, _("a key must be plain text"))
            key = str(key)
            sub = f"{field}.{key}" if field else key
            if key == "<<":
                raise self.error(key_node, sub, _("merge keys (<<) are not supported"))
            if key in result:
                raise self.error(
                    key_node,
                    sub,
                    _("duplicate key (first on line {line})").format(line=line_of(result[key])),
                )
            if key not in allowed:
                raise self.error(
                    key_node,
                    sub,
                    _("unknown key; expected one of: {keys}").format(
                        keys=", ".join(sorted(allowed))
                    ),
                )
            result[key] = value_node
        for key in required:
            if key not in result:
                raise self.error(
                    node, f"{field}.{key}" if field else key, _("missing required field")
                )
        return result

    def sequence(self, node: Node, field: str) -> list[Node]:
        self._visit(node, field)
        if isinstance(node, ScalarNode) and node.tag == _NULL:
            return []
        if not isinstance(node, SequenceNode):
            raise self.error(
                node, field, _("expected a list, found {found}").format(found=_describe(node))
            )
        return list(node.value)

    def items(self, node: Node, field: str) -> Iterator[tuple[str, Node]]:
        for index, child in enumerate(self.sequence(node, field)):
            yield f"{field}[{index}]", child

    def text(self, node: Node, field: str, *, required: bool = True) -> str:
        """A scalar as written (``1.10`` stays ``1.10``): plan text is kept verbatim."""
        self._visit(node, field)
        if not isinstance(node, ScalarNode):
            raise self.error(
                node, field, _("expected text, found {found}").format(found=_describe(node))
            )
        if node.tag == _NULL:
            if required:
                raise self.error(node, field, _("must not be empty"))
            return ""
        value = str(node.value)
        if required and not value.strip():
            raise self.error(node, field, _("must not be empty"))
        return value

    def texts(self, node: Node, field: str) -> list[str]:
        return [self.text(child, sub) for sub, child in self.items(node, field)]

    def integer(
        self, node: Node, field: str, *, minimum: int | None = None, maximum: int | None = None
    ) -> int:
        self._visit(node, field)
        if not isinstance(node, ScalarNode) or node.tag != _INT:
            raise self.error(
                node,
                field,
                _("expected a whole number, found {found}").format(found=_describe(node)),
            )
        try:
            value = int(str(node.value).replace("_", ""), 0)
        except ValueError as err:
            raise self.error(
                node,
                field,
                _("expected a whole number, found {found}").format(found=_describe(node)),
            ) from err
        if minimum is not None and value < minimum:
            raise self.error(
                node, field, _("must be at least {n}, not {value}").format(n=minimum, value=value)
            )
        if maximum is not None and value > maximum:
            raise self.error(
                node, field, _("must be at most {n}, not {value}").format(n=maximum, value=value)
            )
        return value

    def boolean(self, node: Node, field: str) -> bool:
        self._visit(node, field)
        if not isinstance(node, ScalarNode) or node.tag != _BOOL:
            raise self.error(
                node,
                field,
                _("expected true or false, found {found}").format(found=_describe(node)),
            )
        return str(node.value).lower() in ("true", "yes", "on", "y")

    def date(self, node: Node, field: str) -> date:
        self._visit(node, field)
        raw = str(node.value) if isinstance(node, ScalarNode) else ""
        try:
            return date.fromisoformat(raw) if _ISO_DATE.match(raw) else _bad_date()
        except ValueError as err:
            raise self.error(
                node,
                field,
                _("invalid date {value!r} (expected YYYY-MM-DD)").format(
                    value=raw or _describe(node)
                ),
            ) from err


def _bad_date() -> date:
    raise ValueError("not YYYY-MM-DD")


def _describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return _("a mapping")
    if isinstance(node, SequenceNode):
        return _("a list")
    value = str(node.value)
    if node.tag == _NULL:
        return _("nothing")
    return repr(value if len(value) <= 40 else value[:37] + "...")
