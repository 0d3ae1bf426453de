"""Emerging themes in the (already anonymised) notes within one instantie: pure functions.

A phrase (1-3 words) is a theme when the share of recent notes containing it is far above its
share in the baseline notes (binomial test, Benjamini-Hochberg over all phrases). Similar
phrases ("upload lukt", "upload lukt niet") are grouped so staff see one theme, not five.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from .detection import benjamini_hochberg

STOPWORDS = frozenset(
    "de het een en van in op met voor aan bij om te is was er die dat of als naar na ook nog niet wel al door uit "
    "zijn haar hij zij ze we je u ik".split()
)
# "niet" is a stopword for single words but kept inside phrases: "upload lukt niet" is the signal.
MIN_DOCS = 5
MIN_RATIO = 3.0
FDR = 0.05
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


def emerging(recent: list[str], baseline: list[str]) -> list[Theme]:
    """Themes that rose in ``recent`` notes compared with ``baseline`` notes of the same instantie."""
    if len(recent) < MIN_DOCS:
        return []
    rec_sets = [phrases(n) for n in recent]
    base_df: dict[str, int] = {}
    for n in baseline:
        for p in phrases(n):
            base_df[p] = base_df.get(p, 0) + 1
    rec_df: dict[str, int] = {}
    for s in rec_sets:
        for p in s:
            rec_df[p] = rec_df.get(p, 0) + 1
    cand = [p for p, k in rec_df.items() if k >= MIN_DOCS]
    if not cand:
        return []
    # Half a pseudo-document keeps a never-seen phrase from having a zero baseline rate.
    rate = np.array([(base_df.get(p, 0) + 0.5) / (len(baseline) + 1) for p in cand])
    k = np.array([rec_df[p] for p in cand])
    p_values = stats.binom.sf(k - 1, len(recent), np.minimum(rate, 1.0))
    q = benjamini_hochberg(p_values)
    expected = rate * len(recent)
    hits = [
        Theme(cand[i], int(k[i]), round(float(expected[i]), 2), float(q[i]))
        for i in range(len(cand)) if q[i] < FDR and k[i] >= MIN_RATIO * expected[i]
    ]
    return _group(hits, recent, rec_sets)


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
