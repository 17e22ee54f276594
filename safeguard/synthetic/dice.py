"""Random draws for the per-child simulation, from one seeded numpy generator.

Scalar calls into numpy cost about a microsecond each; the simulation makes millions, so
uniforms are drawn in blocks and handed out one by one. Everything derives from
`numpy.random.default_rng(seed)`, consumed in a fixed order, so a seed fixes the council.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import accumulate
from typing import TypeVar

import numpy as np

T = TypeVar("T")
_BLOCK = 1 << 16


class Dice:
    """Uniform, Bernoulli, integer, weighted-choice and exponential draws from one generator."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self._buf: list[float] = []
        self._i = 0

    def u(self) -> float:
        """A uniform draw in [0, 1)."""
        if self._i >= len(self._buf):
            self._buf = self.rng.random(_BLOCK).tolist()
            self._i = 0
        value = self._buf[self._i]
        self._i += 1
        return value

    def chance(self, p: float) -> bool:
        return self.u() < p

    def int(self, lo: int, hi: int) -> int:
        """An integer in [lo, hi] inclusive."""
        return lo + int(self.u() * (hi - lo + 1))

    def exp(self, mean: float) -> float:
        return -mean * math.log(1.0 - self.u())

    def lognormal(self, median: float, sigma: float) -> float:
        # Box-Muller from two uniforms keeps every draw in the one stream.
        z = math.sqrt(-2.0 * math.log(1.0 - self.u())) * math.cos(2 * math.pi * self.u())
        return median * math.exp(sigma * z)

    def pick(self, options: Sequence[T]) -> T:
        return options[int(self.u() * len(options))]


class Weighted:
    """A fixed weighted choice, drawn with a Dice: (value, weight) pairs."""

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        self.values = [v for v, _ in pairs]
        total = sum(w for _, w in pairs)
        self.cum = list(accumulate(w / total for _, w in pairs))

    def draw(self, dice: Dice):  # noqa: ANN201 - returns one of the values
        x = dice.u()
        for value, edge in zip(self.values, self.cum, strict=True):
            if x < edge:
                return value
        return self.values[-1]
