"""Weighted random choices driven by one uniform number each, so a seed fixes every choice."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Any


class Dist:
    """A categorical distribution picked with one uniform number (bisect over normalised cumulative weights)."""

    __slots__ = ("cum", "items")

    def __init__(self, weights: dict[Any, float] | Sequence[tuple[Any, float]]):
        pairs = [(k, float(w)) for k, w in (weights.items() if isinstance(weights, dict) else weights) if w > 0]
        if not pairs:
            raise ValueError("empty distribution")
        total = sum(w for _, w in pairs)
        self.items = [k for k, _ in pairs]
        acc, cum = 0.0, []
        for _, w in pairs:
            acc += w / total
            cum.append(acc)
        cum[-1] = 1.0  # random() < 1.0, so bisect never runs off the end
        self.cum = cum

    def pick(self, r: float) -> Any:
        return self.items[bisect_right(self.cum, r)]


def restricted(weights: dict[str, float], allowed: set[str] | dict[str, str]) -> dict[str, float]:
    """Only the codes that exist (and are active) in the current code list version."""
    return {k: w for k, w in weights.items() if k in allowed}
