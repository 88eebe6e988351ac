"""Trigger expressions: a small safe parser (no `eval`) for conditions over live metrics.

    trigger    := condition ["for" DURATION]
    condition  := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | comparison
    comparison := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?
    sum        := product (("+" | "-") product)*
    product    := unary (("*" | "/") unary)*
    unary      := "-" unary | NUMBER | DURATION | NAME | "(" condition ")"

Numbers may carry a duration unit (`60s`, `2m`, `1h30m`), read by the one
system parser `domain.durations.seconds`, and stand for seconds. Each node is
typed as a number or a truth value when parsed, so `waiting and 3` is refused
at load time rather than misread at 3 a.m.

Evaluation uses three-valued logic: a metric without a value yet (an SL over
an empty window) makes its comparison unknown, and only a true condition
holds, so missing data never fires a tier.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Literal, NoReturn

from callboard.domain import seconds
from callboard.errors import BadInput

Value = float | bool | None
Figures = Mapping[str, float | None]
Kind = Literal["number", "truth"]

_TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+(?:\.\d+)?(?:[a-z]+(?:\d+(?:\.\d+)?[a-z]+)*)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op><=|>=|==|!=|[<>()*/+-]))"
)
_KEYWORDS = frozenset(("and", "or", "not", "for"))
_COMPARISONS = frozenset(("<", "<=", ">", ">=", "==", "!="))
_OPERATORS: dict[str, Callable[[float, float], Value]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b if b != 0.0 else None,  # no figure to compare against
}


class Node(ABC):
    """A typed expression node; `evaluate` never raises on missing or zero data."""

    kind: Kind

    @abstractmethod
    def evaluate(self, figures: Figures) -> Value: ...


@dataclass(frozen=True)
class Number(Node):
    value: float
    kind: Kind = "number"

    def evaluate(self, figures: Figures) -> Value:
        return self.value


@dataclass(frozen=True)
class Metric(Node):
    name: str
    kind: Kind = "number"

    def evaluate(self, figures: Figures) -> Value:
        return figures.get(self.name)


@dataclass(frozen=True)
class Binary(Node):
    """Arithmetic (a number) or a comparison (a truth value); unknown in, unknown out."""

    op: str
    left: Node
    right: Node
    kind: Kind

    def evaluate(self, figures: Figures) -> Value:
        a, b = self.left.evaluate(figures), self.right.evaluate(figures)
        if a is None or b is None:
            return None
        return _OPERATORS[self.op](float(a), float(b))


@dataclass(frozen=True)
class Logic(Node):
    """`and`/`or` under Kleene's three-valued logic; `not` has one operand."""

    op: str
    operands: tuple[Node, ...]
    kind: Kind = "truth"

    def evaluate(self, figures: Figures) -> Value:
        values = [node.evaluate(figures) for node in self.operands]
        if self.op == "not":
            return None if values[0] is None else not values[0]
        decisive = self.op == "or"  # the value that settles the result
        if any(v is decisive for v in values):
            return decisive
        return None if any(v is None for v in values) else not decisive


@dataclass(frozen=True)
class Trigger:
    """A condition that must hold for `hold_s` seconds; `text` is as written."""

    text: str
    condition: Node
    hold_s: float
    names: frozenset[str]

    def holds(self, figures: Figures) -> bool:
        return self.condition.evaluate(figures) is True


def parse_trigger(text: str, known: Collection[str] | None = None) -> Trigger:
    """Parse `text`; with `known`, any other metric name is an error. Raises `BadInput`."""
    condition_text, hold_s = _split_hold(text)
    parser = _Parser(condition_text, known)
    condition = parser.condition()
    parser.expect_end()
    if condition.kind != "truth":
        raise BadInput(f"{text!r}: a trigger must be a condition, such as `waiting > 10`")
    return Trigger(text, condition, hold_s, frozenset(parser.names))


def _split_hold(text: str) -> tuple[str, float]:
    parts = re.split(r"\bfor\b", text)
    if len(parts) == 1:
        return text, 0.0
    if len(parts) > 2 or not parts[1].strip():
        raise BadInput(f"{text!r}: write one `for <duration>` at the end, such as `for 2m`")
    return parts[0], seconds(parts[1].strip(), what="trigger hold")


class _Parser:
    def __init__(self, text: str, known: Collection[str] | None) -> None:
        self.text = text
        self.known = known
        self.names: set[str] = set()
        self.tokens = _tokenize(text)
        self.position = 0

    def condition(self) -> Node:
        return self._logic("or", self._and)

    def expect_end(self) -> None:
        if self.position < len(self.tokens):
            self._fail(f"unexpected {self.tokens[self.position][1]!r}")

    def _and(self) -> Node:
        return self._logic("and", self._not)

    def _logic(self, op: str, operand: Callable[[], Node]) -> Node:
        nodes = [operand()]
        while self._accept(op):
            nodes.append(operand())
        if len(nodes) == 1:
            return nodes[0]
        for node in nodes:
            self._require(node, "truth", op)
        return Logic(op, tuple(nodes))

    def _not(self) -> Node:
        if self._accept("not"):
            return Logic("not", (self._require(self._not(), "truth", "not"),))
        return self._comparison()

    def _comparison(self) -> Node:
        left = self._sum()
        op = self._peek()
        if op in _COMPARISONS:
            self.position += 1
            return self._binary(op, left, self._sum(), "truth")
        return left

    def _sum(self) -> Node:
        node = self._product()
        while (op := self._peek()) in ("+", "-"):
            self.position += 1
            node = self._binary(op, node, self._product(), "number")
        return node

    def _product(self) -> Node:
        node = self._unary()
        while (op := self._peek()) in ("*", "/"):
            self.position += 1
            node = self._binary(op, node, self._unary(), "number")
        return node

    def _binary(self, op: str, left: Node, right: Node, kind: Kind) -> Node:
        left, right = self._require(left, "number", op), self._require(right, "number", op)
        return Binary(op, left, right, kind)

    def _unary(self) -> Node:
        if self.position >= len(self.tokens):
            self._fail("the expression ends too early")
        kind, text = self.tokens[self.position]
        self.position += 1
        if text == "-":
            return self._binary("-", Number(0.0), self._unary(), "number")
        if text == "(":
            node = self.condition()
            if not self._accept(")"):
                self._fail("missing `)`")
            return node
        if kind == "number":
            return Number(_number(text))
        if kind == "name" and text not in _KEYWORDS:
            if self.known is not None and text not in self.known:
                self._fail(f"unknown metric {text!r}; known: {', '.join(sorted(self.known))}")
            self.names.add(text)
            return Metric(text)
        self._fail(f"expected a number, a metric or `(`, got {text!r}")

    def _require(self, node: Node, kind: Kind, op: str) -> Node:
        if node.kind != kind:
            wanted = "a number" if kind == "number" else "a condition"
            self._fail(f"`{op}` needs {wanted} on each side")
        return node

    def _peek(self) -> str | None:
        return self.tokens[self.position][1] if self.position < len(self.tokens) else None

    def _accept(self, text: str) -> bool:
        if self._peek() == text:
            self.position += 1
            return True
        return False

    def _fail(self, problem: str) -> NoReturn:
        raise BadInput(f"{self.text.strip()!r}: {problem}")


def _number(text: str) -> float:
    """A bare number as written, or a number with a unit in seconds."""
    try:
        return float(text)
    except ValueError:
        return seconds(text, what="duration")


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    stripped_end = len(text.rstrip())
    while position < stripped_end:
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise BadInput(f"{text.strip()!r}: cannot read {text[position:].strip()!r}")
        kind = match.lastgroup
        assert kind is not None
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens
