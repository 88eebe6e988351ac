"""Shapley values of a game over a few causes, from its value on every coalition.

`value[S]` is what setting the causes in S back to normal saves; each cause's
Shapley value is its marginal saving averaged over every order in which the
causes could be fixed, so the values add up to `value[all]` exactly, whatever
the interactions (a surge hurts more when agents are short, and neither cause
alone gets the interaction).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations
from math import factorial


def coalitions(names: Sequence[str]) -> list[frozenset[str]]:
    return [frozenset(c) for size in range(len(names) + 1) for c in combinations(names, size)]


def shapley(names: Sequence[str], value: Mapping[frozenset[str], float]) -> dict[str, float]:
    n = len(names)
    result = {}
    for name in names:
        others = [other for other in names if other != name]
        total = 0.0
        for size in range(n):
            weight = factorial(size) * factorial(n - size - 1) / factorial(n)
            for chosen in combinations(others, size):
                before = frozenset(chosen)
                total += weight * (value[before | {name}] - value[before])
        result[name] = total
    return result
