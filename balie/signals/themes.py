"""Emerging themes in the (already anonymised) notes within one instantie: pure functions.

A phrase (1-3 words) is a theme when the share of recent notes containing it is far above its
share in the baseline. Notes are not independent draws: staff reuse wordings, and the mix of
questions moves from week to week, so a plain binomial test raised a few false themes every week
on ordinary data. The baseline is therefore a series of two-week windows over the past year; their
spread gives an over-dispersion (intra-class correlation) for a beta-binomial test, and the window of
the same weeks last year guards against seasonal wordings ("aangifte inkomstenbelasting" in March).
Similar phrases ("upload lukt", "upload lukt niet") are grouped so staff see one theme, not five.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from balie.core.text import STOPWORDS

from .detection import benjamini_hochberg

# "niet" is a stopword for single words but kept inside phrases: "upload lukt niet" is the signal.
MIN_DOCS = 5
MIN_RATIO = 3.0
FDR = 0.05
# A window with fewer notes says little about a phrase's usual share; it still counts in the pooled rate.
MIN_WINDOW_DOCS = 20
# Phrases this common in the baseline estimate the over-dispersion; rarer ones are mostly zeros.
DISPERSION_MIN_RATE = 0.02
_WORD = re.compile(r"[a-zà-ÿ][a-zà-ÿ'-]+")


@dataclass
class Theme:
    phrase: str
    recent_docs: int
    expected_docs: float
    q_value: float
    related: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)


def phrases(note: str) -> set[str]:
    words = _WORD.findall(note.lower())
    found: set[str] = set()
    for n in (1, 2, 3):
        for i in range(len(words) - n + 1):
            gram = words[i:i + n]
            if gram[0] in STOPWORDS or gram[-1] in STOPWORDS and gram[-1] != "niet":
                continue
            found.add(" ".join(gram))
    return found


def _doc_freq(notes: Sequence[str]) -> dict[str, int]:
    df: dict[str, int] = {}
    for n in notes:
        for p in phrases(n):
            df[p] = df.get(p, 0) + 1
    return df


def intra_class_correlation(window_sizes: np.ndarray, window_counts: np.ndarray) -> float:
    """Over-dispersion rho of phrase shares between windows (0 = binomial), pooled over common phrases.

    ``window_counts`` is phrases × windows. Per phrase, the between-window variance of the share is
    p(1-p)/n · (1 + (n-1)·rho) for windows of n notes; solving for rho and taking the median over
    the common phrases gives a robust estimate that does not chase a single odd phrase.
    """
    keep = window_sizes >= MIN_WINDOW_DOCS
    if keep.sum() < 3 or window_counts.size == 0:
        return 0.0
    sizes, counts = window_sizes[keep].astype(float), window_counts[:, keep].astype(float)
    rate = counts.sum(axis=1) / sizes.sum()
    common = rate >= DISPERSION_MIN_RATE
    if not common.any():
        return 0.0
    rate, counts = rate[common], counts[common]
    shares = counts / sizes
    n_bar = sizes.mean()
    observed = shares.var(axis=1, ddof=1)
    binomial = rate * (1 - rate) * np.mean(1 / sizes)
    inflation = observed / binomial
    rho = (inflation - 1) / max(n_bar - 1, 1.0)
    return float(np.clip(np.median(rho), 0.0, 0.5))


def upper_tail(k: np.ndarray, n: int, rate: np.ndarray, rho: float) -> np.ndarray:
    """P(X >= k) for X ~ beta-binomial(n) with mean share ``rate`` and intra-class correlation ``rho``."""
    rate = np.clip(rate, 1e-9, 1 - 1e-9)
    if rho <= 1e-6:
        return stats.binom.sf(k - 1, n, rate)
    a = rate * (1 - rho) / rho
    b = (1 - rate) * (1 - rho) / rho
    return stats.betabinom.sf(k - 1, n, a, b)


@dataclass
class Scored:
    """All candidate phrases of one set of recent notes with their p-values, before the selection."""

    recent: list[str]
    sets: list[set[str]]
    phrases: list[str]
    counts: np.ndarray
    expected: np.ndarray
    p_values: np.ndarray


def score(recent: list[str], baseline: list[str] | list[list[str]], *, same_weeks_last_year: list[str] | None = None) -> Scored | None:
    """Every phrase in at least MIN_DOCS recent notes, with how unusual its count is.

    ``baseline`` is a list of windows (each a list of notes, e.g. two-week windows over the past
    year), or one flat list of notes for a single window. ``same_weeks_last_year`` are the notes of
    the recent period's weeks one year earlier: a phrase must also stand out against those.
    """
    if len(recent) < MIN_DOCS:
        return None
    windows: list[list[str]] = [baseline] if baseline and isinstance(baseline[0], str) else list(baseline)  # type: ignore[list-item]
    rec_sets = [phrases(n) for n in recent]
    rec_df: dict[str, int] = {}
    for s in rec_sets:
        for p in s:
            rec_df[p] = rec_df.get(p, 0) + 1
    cand = [p for p, k in rec_df.items() if k >= MIN_DOCS]
    if not cand:
        return None
    window_df = [_doc_freq(w) for w in windows]
    sizes = np.array([len(w) for w in windows], dtype=float)
    base = np.array([sum(df.get(p, 0) for df in window_df) for p in cand], dtype=float)
    # Half a pseudo-document keeps a never-seen phrase from having a zero baseline rate.
    rate = (base + 0.5) / (float(sizes.sum()) + 1)
    common = sorted({p for df in window_df for p, c in df.items() if c >= 2})
    matrix = np.array([[df.get(p, 0) for df in window_df] for p in common], dtype=float).reshape(len(common), len(windows))
    rho = intra_class_correlation(sizes, matrix)
    # The usual share is the higher of the year's average and the same weeks last year (seasonal wordings).
    reference = rate
    if same_weeks_last_year and len(same_weeks_last_year) >= MIN_WINDOW_DOCS:
        season_df = _doc_freq(same_weeks_last_year)
        season = np.array([(season_df.get(p, 0) + 0.5) / (len(same_weeks_last_year) + 1) for p in cand])
        reference = np.maximum(rate, season)
    k = np.array([rec_df[p] for p in cand])
    p_values = upper_tail(k, len(recent), np.minimum(reference, 1.0), rho)
    return Scored(recent, rec_sets, cand, k, reference * len(recent), p_values)


def select(scored: list[Scored], *, fdr: float = FDR) -> list[list[Theme]]:
    """The themes of each scored set, with Benjamini-Hochberg over ALL phrases of all sets together.

    One organisation has dozens of instanties every week; correcting within each one separately
    let a few chance phrases through every week, so the correction spans the whole nightly run.
    """
    if not scored:
        return []
    q_all = benjamini_hochberg(np.concatenate([s.p_values for s in scored]))
    out: list[list[Theme]] = []
    offset = 0
    for s in scored:
        q = q_all[offset:offset + len(s.phrases)]
        offset += len(s.phrases)
        hits = [
            Theme(s.phrases[i], int(s.counts[i]), round(float(s.expected[i]), 2), float(q[i]))
            for i in range(len(s.phrases)) if q[i] < fdr and s.counts[i] >= MIN_RATIO * s.expected[i]
        ]
        out.append(_group(hits, s.recent, s.sets))
    return out


def emerging(recent: list[str], baseline: list[str] | list[list[str]], *, same_weeks_last_year: list[str] | None = None) -> list[Theme]:
    """Themes that rose in ``recent`` notes compared with the baseline notes of the same instantie."""
    scored = score(recent, baseline, same_weeks_last_year=same_weeks_last_year)
    return select([scored])[0] if scored else []


def _similar(a: str, b: str) -> bool:
    ta, tb = set(a.split()), set(b.split())
    return bool(ta & tb) and (len(ta & tb) / min(len(ta), len(tb)) >= 0.5 or difflib.SequenceMatcher(None, a, b).ratio() >= 0.6)


SAME_NOTES = 0.8  # phrases found in (nearly) the same notes are one theme, even without a shared word


def _same_notes(a: set[int], b: set[int]) -> bool:
    return bool(a) and bool(b) and len(a & b) / len(a | b) >= SAME_NOTES


def _group(hits: list[Theme], recent: list[str], rec_sets: list[set[str]]) -> list[Theme]:
    # Longest, most frequent phrase first: it names the group best ("upload lukt niet" over "upload").
    hits.sort(key=lambda t: (-t.recent_docs, -len(t.phrase.split()), t.phrase))
    docs = {t.phrase: {i for i, s in enumerate(rec_sets) if t.phrase in s} for t in hits}
    groups: list[Theme] = []
    for t in hits:
        for g in groups:
            # "upload" and "documenten" from one recurring note are one problem, not two themes.
            if _similar(g.phrase, t.phrase) or _same_notes(docs[g.phrase], docs[t.phrase]):
                g.related.append(t.phrase)
                break
        else:
            groups.append(t)
    for g in groups:
        g.examples = [recent[i] for i, s in enumerate(rec_sets) if g.phrase in s][:3]
    return groups
