"""Random durations for the simulator: service, wrap-up, patience and redial delays.

Each distribution is frozen plain data (what a scenario file says); `sampler`
turns it into a fast source of draws from an explicit numpy Generator.
Drawing one value at a time from numpy costs about a microsecond, so draws
come in batches of `_BATCH` and are handed out from a Python list.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain

import numpy as np

_BATCH = 4096


@dataclass(frozen=True, slots=True)
class Exponential:
    mean_s: float

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.exponential(self.mean_s, size)

    @property
    def mean(self) -> float:
        return self.mean_s


@dataclass(frozen=True, slots=True)
class Lognormal:
    """Parameterised by its own mean and standard deviation in seconds, as people quote AHT."""

    mean_s: float
    sd_s: float

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        sigma2 = math.log1p((self.sd_s / self.mean_s) ** 2)
        mu = math.log(self.mean_s) - sigma2 / 2.0
        return rng.lognormal(mu, math.sqrt(sigma2), size)

    @property
    def mean(self) -> float:
        return self.mean_s


@dataclass(frozen=True, slots=True)
class Fixed:
    value_s: float

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return np.full(size, self.value_s)

    @property
    def mean(self) -> float:
        return self.value_s


@dataclass(frozen=True, slots=True)
class Empirical:
    """A step distribution: `values` with `weights` (equal when empty).

    Kaplan–Meier patience from records comes in this form: the observed
    abandonment times with the estimate's jumps as weights, and the mass the
    estimate leaves beyond the last one put on `tail_s` (a caller that
    patient is effectively never abandoning within the horizon).
    """

    values: tuple[float, ...]
    weights: tuple[float, ...] = ()

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        values = np.asarray(self.values, dtype=np.float64)
        if not self.weights:
            return rng.choice(values, size)
        p = np.asarray(self.weights, dtype=np.float64)
        return rng.choice(values, size, p=p / p.sum())

    @property
    def mean(self) -> float:
        if not self.weights:
            return float(np.mean(self.values))
        return float(np.average(self.values, weights=self.weights))


@dataclass(frozen=True, slots=True)
class Uniform:
    """Uniform on [0, 1): the coin the simulated callers toss for their choices."""

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.random(size)

    @property
    def mean(self) -> float:
        return 0.5


Distribution = Exponential | Lognormal | Fixed | Empirical


class Sampler:
    """Draws of one distribution, batched; `next()` is the hot-path call.

    `next` is the C-level `__next__` of a chain over the batches, so a draw
    costs no Python frame at all; the generator of batches resumes once per
    batch. A batch is drawn only when the previous one is used up, so samplers
    that share one numpy Generator take their batches in the order the run
    needs them.
    """

    __slots__ = ("next",)

    def __init__(self, distribution: Distribution | Uniform, rng: np.random.Generator) -> None:
        self.next: Callable[[], float] = chain.from_iterable(_batches(distribution, rng)).__next__


def _batches(
    distribution: Distribution | Uniform, rng: np.random.Generator
) -> Iterator[list[float]]:
    while True:
        yield distribution.draw(rng, _BATCH).tolist()
