"""Reads the messages a user may see out of the source, with ``ast``: the machinery behind
tests/test_docs_troubleshooting.py, whose docstring states the rule and whose tables configure it.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["MIN_FRAGMENT", "Message", "Rule", "normal", "scan"]

MIN_FRAGMENT = 12


@dataclass(frozen=True)
class Rule:
    """Where to look and what counts as a message (see the test's docstring)."""

    packages: tuple[str, ...]
    skipped: str
    kept: frozenset[str]
    errors: frozenset[str]
    loggers: frozenset[str]
    levels: frozenset[str]
    sinks: dict[str, int]
    parts: frozenset[str]
    lists: frozenset[str]
    builders: dict[str, set[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Message:
    """A message found in the code: where, its shape (for a person) and its fragments."""

    where: str
    shape: str
    fragments: tuple[str, ...]


def _is_text(node: ast.expr) -> bool:
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def _texts(node: ast.AST) -> list[ast.expr]:
    """Every text in *node* (an f-string whole), docstrings left out."""
    if _is_text(node):  # type: ignore[arg-type]
        return [node]  # type: ignore[list-item]
    body = getattr(node, "body", None)
    docstring = (
        body[0]
        if isinstance(body, list)
        and body
        and isinstance(body[0], ast.Expr)
        and _is_text(body[0].value)
        else None
    )
    return [
        text
        for child in ast.iter_child_nodes(node)
        if child is not docstring
        for text in _texts(child)
    ]


def _placeholder(part: ast.expr) -> str:
    value = part.value if isinstance(part, ast.FormattedValue) else part
    return f"<{ast.unparse(value)}>"


_FIELD = re.compile(r"\{[^{}]*\}")  # a str.format field in a template constant
_SPECIFIER = re.compile(r"%[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[sdrfgixXoec]")


def normal(text: str) -> str:
    return " ".join(text.split())


def _fragments(pieces: list[str | None], *, percent: bool) -> tuple[str, ...]:
    runs: list[str] = []
    for piece in pieces:
        if piece is None:
            runs.append("\0")
        else:
            piece = _FIELD.sub("\0", piece)
            runs.append(_SPECIFIER.sub("\0", piece) if percent else piece)
    parts = re.split(r"[\0\n]", "".join(runs))
    return tuple(fragment for part in parts if len(fragment := normal(part)) >= MIN_FRAGMENT)


def _name_of(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


class _Scanner(ast.NodeVisitor):
    """Collects the messages of one module, and the arguments it cannot read."""

    def __init__(self, module: str, tree: ast.Module, rule: Rule) -> None:
        self.module = module
        self.tree = tree
        self.rule = rule
        self.builders = rule.builders.get(module, set())
        self.all_builders = set().union(*rule.builders.values())
        self.functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
        self.messages: list[Message] = []
        self.unread: list[tuple[str, str, int]] = []
        self.constants: dict[str, ast.expr] = {}
        for statement in tree.body:
            if isinstance(statement, ast.Assign):
                for target in statement.targets:
                    if isinstance(target, ast.Name):
                        self.constants[target.id] = statement.value

    # -- where messages are -----------------------------------------------------------------

    def visit_Module(self, node: ast.Module) -> None:
        for name in self.builders & set(self.constants):
            self._take_all(self.constants[name])
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if node.name in self.builders:
            self._take_all(node)
        else:
            self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if node.name in self.builders:
            self._take_all(node)
            return
        self.functions.append(node)
        self.generic_visit(node)
        self.functions.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Assign(self, node: ast.Assign) -> None:
        if any(_name_of(target) in self.rule.parts for target in node.targets):
            values = (
                [node.value.body, node.value.orelse]
                if isinstance(node.value, ast.IfExp)
                else [node.value]
            )
            for value in values:
                if self._pieces(value) is not None:
                    self._take_all(value)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        found = self._message_argument(node)
        if found is not None:
            argument, percent = found
            self._take(argument, node.lineno, percent=percent)
        self.generic_visit(node)

    def _message_argument(self, call: ast.Call) -> tuple[ast.expr, bool] | None:
        name = _name_of(call.func)
        receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
        receiver_name = None if receiver is None else _name_of(receiver)
        if not call.args:
            return None
        if name in self.rule.errors:
            return call.args[0], False
        if name in self.rule.levels and receiver_name in self.rule.loggers:
            return call.args[0], receiver_name != "parser"
        if name == "print" and any(
            k.arg == "file" and ast.unparse(k.value) == "sys.stderr" for k in call.keywords
        ):
            return call.args[0], False
        if name == "append" and receiver_name in self.rule.lists:
            return call.args[0], False
        if name == "Check" and any(  # a failed check of docs-confluence status
            k.arg == "ok" and ast.unparse(k.value) == "False" for k in call.keywords
        ):
            return call.args[1], False
        sinks = self.rule.sinks
        if name in sinks and sinks[name] < len(call.args):
            return call.args[sinks[name]], False
        return None

    # -- reading a message ------------------------------------------------------------------

    def _take_all(self, node: ast.AST) -> None:
        for text in _texts(node):
            if " " not in ast.unparse(text):
                continue  # a name (a header, an identifier), not words
            pieces = self._pieces(text)
            fragments = () if pieces is None else _fragments(pieces, percent=False)
            if fragments:
                where = f"{self.module}:{text.lineno}"
                self.messages.append(Message(where, self._shape(text), fragments))

    def _take(self, node: ast.expr, line: int, *, percent: bool) -> None:
        if isinstance(node, ast.Constant) and node.value is None:
            return
        if isinstance(node, ast.IfExp):
            self._take(node.body, line, percent=percent)
            self._take(node.orelse, line, percent=percent)
            return
        if isinstance(node, ast.Tuple):  # (option, message): the texts; errors are read apart
            for element in node.elts:
                if _is_text(element) or isinstance(element, ast.BinOp):
                    self._take(element, line, percent=percent)
            return
        if isinstance(node, ast.Call) and _name_of(node.func) in self.all_builders:
            return  # read in the builder
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"strip", "rstrip", "lstrip", "format"}
        ):
            self._take(node.func.value, line, percent=percent)
            return
        if isinstance(node, ast.Name):
            values = [value for value in self._assignments(node.id) if self._is_texty(value)]
            if values:
                for value in values:
                    self._take(value, line, percent=percent)
                return
        pieces = self._pieces(node)
        fragments = () if pieces is None else _fragments(pieces, percent=percent)
        if fragments:
            self.messages.append(Message(f"{self.module}:{line}", self._shape(node), fragments))
            return
        # no fixed text of its own: its parts may be named texts ("{head}: {detail}")
        parts = [
            part
            for part in ast.walk(node)
            if isinstance(part, ast.Name)
            and any(self._is_texty(value) for value in self._assignments(part.id))
        ]
        for part in parts:
            self._take(part, line, percent=percent)
        if not parts:
            self.unread.append((self.module, ast.unparse(node), line))

    def _is_texty(self, node: ast.expr) -> bool:
        if isinstance(node, ast.IfExp):
            return self._is_texty(node.body) or self._is_texty(node.orelse)
        return self._pieces(node) is not None

    def _pieces(self, node: ast.expr, depth: int = 0) -> list[str | None] | None:
        """The text of *node* as constant pieces, None for each placeholder (a module-level
        text constant is read in); None when it is no text at all."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, ast.JoinedStr):
            pieces: list[str | None] = []
            for part in node.values:
                if isinstance(part, ast.Constant):
                    pieces.append(str(part.value))
                elif isinstance(part, ast.FormattedValue):
                    pieces += self._constant(part.value, depth) or [None]
            return pieces
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left = self._pieces(node.left, depth) or self._constant(node.left, depth)
            right = self._pieces(node.right, depth) or self._constant(node.right, depth)
            if left is None and right is None:
                return None
            return (left or [None]) + (right or [None])
        return None

    def _constant(self, node: ast.expr, depth: int) -> list[str | None] | None:
        if isinstance(node, ast.Name) and node.id in self.constants and depth < 3:
            return self._pieces(self.constants[node.id], depth + 1)
        return None

    def _shape(self, node: ast.expr) -> str:
        """The message as a person would write it in the page: placeholders as ``<…>``."""
        if isinstance(node, ast.JoinedStr):
            return "".join(
                str(part.value) if isinstance(part, ast.Constant) else _placeholder(part)
                for part in node.values
            )
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self._shape(node.left) + self._shape(node.right)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        return f"<{ast.unparse(node)}>"

    def _assignments(self, name: str) -> list[ast.expr]:
        """What *name* is assigned in the enclosing function, else at module level."""
        if self.functions:
            values = [
                inner.value
                for inner in ast.walk(self.functions[-1])
                if isinstance(inner, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == name for t in inner.targets)
            ]
            if values:
                return values
        return [self.constants[name]] if name in self.constants else []


def scan(root: Path, rule: Rule) -> tuple[list[Message], list[tuple[str, str, int]]]:
    """The messages of the modules *rule* covers under *root*, and the (module, source, line)
    of each message argument it cannot read."""
    messages: list[Message] = []
    unread: list[tuple[str, str, int]] = []
    for package in rule.packages:
        for path in sorted((root / package).rglob("*.py")):
            module = path.relative_to(root).as_posix()
            if module.startswith(rule.skipped) and module not in rule.kept:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=module)
            scanner = _Scanner(module, tree, rule)
            scanner.visit(tree)
            messages += scanner.messages
            unread += scanner.unread
    return messages, unread
