"""Turning a short Dutch desk note into features, shared by the lexicon, training and prediction.

Training (scikit-learn) and prediction (plain numpy at the desk) must see exactly the same
features, so both call ``features()``; a change here must bump ``FEATURES_VERSION`` so stored
models trained with the old features are retrained instead of silently mispredicting.
"""

from __future__ import annotations

import re
from itertools import pairwise

from balie.core.text import normalise

FEATURES_VERSION = 1

_WORD = re.compile(r"[a-z]+")
# Very common words carry no topic; keeping the list short keeps "niet" (lukte niet) and "app".
STOPWORDS = frozenset(
    ["de", "het", "een", "en", "van", "in", "op", "te", "met", "voor", "aan", "bij", "is", "was", "om", "er", "ze", "zij", "hij", "die", "dat", "dit", "deze", "als", "ook", "of", "naar", "nog", "wel", "niet", "maar", "dan", "door", "over", "tot", "uit", "u", "haar", "zijn", "hun", "we", "wij", "ik"]
) - {"niet"}


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


def features(text: str) -> list[str]:
    """Word unigrams and bigrams plus character 3-5-grams inside words.

    Character n-grams carry Dutch compounds: "huurtoeslag" shares "toesl" with "zorgtoeslag",
    "machtigingscode" shares "machti" with "machtigen"; typos still share most n-grams.
    """
    tokens = words(text)
    content = [t for t in tokens if t not in STOPWORDS]
    out = [f"w:{t}" for t in content]
    out += [f"b:{a}_{b}" for a, b in pairwise(content)]
    for token in content:
        padded = f"<{token}>"
        n_chars = len(padded)
        for n in (3, 4, 5):
            out += [padded[i:i + n] for i in range(n_chars - n + 1)]
    return out
