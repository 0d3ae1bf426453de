"""Count tests used by detection.py: the negative binomial upper tail and Benjamini-Hochberg (ADR 0007)."""

from __future__ import annotations

import numpy as np
from scipy import stats


def upper_tail(observed: np.ndarray, mean: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """P(X >= observed) for a count with this mean and variance phi × mean (negative binomial; Poisson at phi 1)."""
    observed = np.asarray(observed, dtype=float)
    mean = np.maximum(np.asarray(mean, dtype=float), 1e-9)
    poisson = stats.poisson.sf(observed - 1, mean)
    over = phi > 1.0001
    if not np.any(over):
        return poisson
    # Variance phi·mu with a fixed phi is a negative binomial with n = mu/(phi-1), p = 1/phi.
    n = mean / np.maximum(phi - 1, 1e-9)
    nb = stats.nbinom.sf(observed - 1, n, 1 / phi)
    return np.where(over, nb, poisson)


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Adjusted p-values (q-values) that control the false discovery rate over all tests."""
    p = np.asarray(p, dtype=float)
    m = p.size
    if m == 0:
        return p
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, m + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(q, 1.0)
    return out
