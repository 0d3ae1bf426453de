"""Dutch full-text search over guides: PostgreSQL's 'dutch' configuration, or a stemmer on SQLite.

On PostgreSQL, title and keywords weigh most (A), then the summary (B), then the body (C), ranked
by ts_rank; the query is websearch syntax, so "digid -app" or "toeslag wijzigen" work as people
expect. SQLite has no Dutch full-text search, so there we stem with Snowball's "dutch_porter",
the same Porter-style Dutch stemmer PostgreSQL uses, and score in Python: "machtigingen" finds
"Iemand machtigen" on both. The fallback reads every visible guide; that is fine for the
dozens of guides a knowledge base holds, not for thousands.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from django.db import connection
from django.db.models import QuerySet

from balie.core.text import normalise

from .markup import plain
from .models import Guide

MAX_QUERY = 200
FIELD_WEIGHTS = (("title", 1.0), ("keywords", 1.0), ("summary", 0.4), ("body", 0.1))  # PostgreSQL's A, A, B, C
# PostgreSQL's 'dutch' configuration drops these words; the fallback must too, or "hoe de app" finds nothing.
STOPWORDS = frozenset(
    ["aan", "al", "alles", "als", "altijd", "andere", "ben", "bij", "daar", "dan", "dat", "de", "der", "deze", "die", "dit", "doch", "doen", "door", "dus", "een", "eens", "en", "er", "ge", "geen", "geweest", "haar", "had", "heb", "hebben", "heeft", "hem", "het", "hier", "hij", "hoe", "hun", "iemand", "iets", "ik", "in", "is", "ja", "je", "kan", "kon", "kunnen", "maar", "me", "meer", "men", "met", "mij", "mijn", "moet", "na", "naar", "niet", "niets", "nog", "nu", "of", "om", "omdat", "onder", "ons", "ook", "op", "over", "reeds", "te", "tegen", "toch", "toen", "tot", "u", "uit", "uw", "van", "veel", "voor", "want", "waren", "was", "wat", "werd", "wezen", "wie", "wil", "worden", "wordt", "zal", "ze", "zelf", "zich", "zij", "zijn", "zo", "zonder", "zou"]
)
_WORD = re.compile(r"-?[a-z0-9]+")


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("dutch_porter")


def stems(text: str) -> list[str]:
    words = [w for w in re.findall(r"[a-z0-9]+", normalise(text)) if w not in STOPWORDS]
    return _stemmer().stemWords(words)


def _query_terms(query: str) -> tuple[list[list[str]], list[str]]:
    """(groups of required stems, excluded stems) of a websearch-style query.

    Like websearch_to_tsquery: words are ANDed, "or" separates alternatives, "-word" excludes;
    quotes only group words here (no phrase order), which errs on the side of finding more.
    """
    groups: list[list[str]] = [[]]
    excluded: list[str] = []
    for token in _WORD.findall(normalise(query).replace('"', " ")):
        word = token.lstrip("-")
        if word == "or" and not token.startswith("-"):
            groups.append([])
            continue
        if not word or word in STOPWORDS:
            continue
        (excluded if token.startswith("-") else groups[-1]).append(_stemmer().stemWord(word))
    return [group for group in groups if group], excluded


@lru_cache(maxsize=512)
def _guide_stems(pk: int, updated_at: object, title: str, keywords: str, summary: str, body: str) -> tuple[Counter, ...]:
    # Keyed on updated_at: an edited guide is stemmed again, an unchanged one never.
    return tuple(Counter(stems(text)) for text in (title, keywords, summary, plain(body)))


def _fallback(queryset: QuerySet[Guide], query: str) -> list[Guide]:
    groups, excluded = _query_terms(query)
    if not groups:
        return []
    scored = []
    for guide in queryset:
        fields = _guide_stems(guide.pk, guide.updated_at, guide.title, guide.keywords, guide.summary, guide.body)
        if any(term in counts for term in excluded for counts in fields):
            continue
        # Every word of at least one alternative must be there.
        matched = [group for group in groups if all(any(term in counts for counts in fields) for term in group)]
        if not matched:
            continue
        terms = {term for group in matched for term in group}
        score = sum(weight * counts[term] for term in terms for (_name, weight), counts in zip(FIELD_WEIGHTS, fields))
        scored.append((score, guide))
    scored.sort(key=lambda item: (-item[0], item[1].title))
    return [guide for _score, guide in scored]


def _postgres(queryset: QuerySet[Guide], query: str) -> list[Guide]:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    vector = (
        SearchVector("title", weight="A", config="dutch")
        + SearchVector("keywords", weight="A", config="dutch")
        + SearchVector("summary", weight="B", config="dutch")
        + SearchVector("body", weight="C", config="dutch")
    )
    search_query = SearchQuery(query, config="dutch", search_type="websearch")
    return list(
        queryset.annotate(document=vector, rank=SearchRank(vector, search_query))
        .filter(document=search_query)
        .order_by("-rank", "title")
    )


def search(queryset: QuerySet[Guide], query: str) -> list[Guide]:
    """Guides matching every word of the query, best first."""
    query = query.strip()[:MAX_QUERY]
    if not query:
        return list(queryset)
    if connection.vendor == "postgresql":
        return _postgres(queryset, query)
    return _fallback(queryset, query)
