"""Figures that leave a library: the one publication rule (ADR 0015, which replaces ADR 0010's suppression; DESIGN.md).

Who must get protected figures is decided in one place as well: ``core.access.Scope.suppressed``. A library's own
staff see exact counts; everybody else sees every count through ``published()`` and nothing else.

The rule (the cell-key method, as CBS, ONS and the ABS use it):
1. Every record that is counted has a fixed, secret, random-looking **record key** (``question_key``, ``record_key``):
   a keyed hash of its id (a question's: its visit and position), so nothing has to be stored per record and every
   write path gets it for free.
2. A count carries the sum of the keys of the records it counts (``Count``; the dashboards' rollups keep the sums
   next to the counts). The **cell key** is that sum modulo ``KEY_SPACE``: the same set of records always has the
   same cell key, whichever table, filter, export or report it comes from.
3. ``published(count)``: 0 to 4 is "<5" (``None``; "fewer than 5" is true of 0 too, and if 0 were shown as 0 a
   "<5" would promise at least 1, which lets a total with its lowest noise pin a row of ones down); a count of 5 or
   more gets a small noise taken from the cell key through the fixed table ``NOISE`` (-3 to +3, mostly 0), and a
   result under 5 is "<5" too.
   So the same cell always shows the same number (repeating a query or averaging gives nothing), and a total is the
   noisy count of its own records, not the sum of the noisy rows: "total minus the other rows" gives a number
   that is off by several, never the hidden count for certain.
4. Shares and averages are computed from published numbers only (``share``), and are not shown when the part or the
   rest is below 5 (the "80% of 10 questions" of review finding L13).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from collections.abc import Iterable

from django.utils.translation import gettext_lazy

THRESHOLD = 5
SMALL = "<5"
# How the rule is explained next to protected figures (exports, reports, open data); the templates say the same.
LEGEND = gettext_lazy("Aantallen onder de 5 staan als <5. Om kleine aantallen te beschermen wijken alle aantallen een klein beetje af "
                      "(hoogstens 3); een totaal is daarom niet altijd precies de som van de rijen.")
KEY_SPACE = 2_147_483_647  # the prime 2**31 - 1: keys, their sums and products stay far inside 64-bit integers
# The perturbation table: noise and its probability (in millionths), the same for every count of 5 or more. Symmetric,
# so the numbers stay unbiased; bounded, so a published number is never far off; with tails, so that the bounds only
# rarely line up to pin a difference down (tests/test_suppression_attack.py measures that it never did).
NOISE: tuple[tuple[int, int], ...] = ((-3, 20_000), (-2, 80_000), (-1, 200_000), (0, 400_000), (1, 200_000), (2, 80_000), (3, 20_000))
MAX_NOISE = max(abs(d) for d, _ in NOISE)
POSITION_SPAN = 4096  # a question's record key is derived from (visit id, position); positions stay far below this


class Count(int):
    """A count that knows the sum of its records' keys. Adding two counts adds both (the union of two disjoint sets).

    Anything else (multiplying, adding a plain number other than 0) gives a plain int, which ``published``
    refuses: a number without its records' keys cannot be protected.
    """

    key: int

    def __new__(cls, n: int = 0, key: int = 0) -> Count:
        obj = super().__new__(cls, n)
        obj.key = key % KEY_SPACE
        return obj

    def __add__(self, other: int) -> int:
        if isinstance(other, Count):
            return Count(int(self) + int(other), self.key + other.key)
        if not isinstance(other, bool) and other == 0:
            return self
        return int(self) + other

    __radd__ = __add__  # sum() starts with 0; Counter() += starts with 0

    def __sub__(self, other: int) -> int:
        """The records of ``self`` that are not in ``other`` (``other`` must be a subset)."""
        if isinstance(other, Count):
            return Count(int(self) - int(other), self.key - other.key)
        if not isinstance(other, bool) and other == 0:
            return self
        return int(self) - other

    def __repr__(self) -> str:
        return f"Count({int(self)}, key={self.key})"

    def __reduce__(self) -> tuple[type[Count], tuple[int, int]]:  # pickling (caches) keeps the key
        return Count, (int(self), self.key)


def total(counts: Iterable[int]) -> int:
    """The sum of disjoint counts, with their keys (a ``Count`` when every part is one, or 0)."""
    return sum(counts, Count(0))


# ------------------------------------------------------------------ record keys
@functools.lru_cache(maxsize=16)
def _coefficients(secret: str, kind: str) -> tuple[int, int, int, int, int]:
    digest = hmac.new(secret.encode(), f"balie-record-key:{kind}".encode(), hashlib.sha256).digest()
    a, b, c, d, e = (int.from_bytes(digest[i:i + 6], "big") % KEY_SPACE for i in range(0, 30, 6))
    return a or 1, b, c or 1, d, e


def _secret() -> str:
    from django.conf import settings

    return settings.BALIE_CELL_KEY


def _mix(x: int, kind: str) -> int:
    """A keyed quadratic permutation-like hash of x; the same arithmetic as ``_mix_sql``."""
    a, b, c, d, e = _coefficients(_secret(), kind)
    k1 = ((x % KEY_SPACE) * a + b) % KEY_SPACE
    return ((k1 * k1) % KEY_SPACE * c + k1 * d + e) % KEY_SPACE


def _mix_sql(x: str, kind: str) -> str:
    """``_mix`` in SQL. The modulo is written %% because Django runs it with parameters (also an empty list)."""
    a, b, c, d, e = _coefficients(_secret(), kind)
    p = KEY_SPACE
    k1 = f"((({x}) %% {p}) * {a} + {b}) %% {p}"
    return f"((({k1}) * ({k1})) %% {p} * {c} + ({k1}) * {d} + {e}) %% {p}"


def question_key(visit_id: int, position: int) -> int:
    """The record key of a question. From (visit, position) rather than its id: the CSV import knows these before
    the rows exist, and neither ever changes."""
    return _mix(visit_id * POSITION_SPAN + position, "question")


def question_key_sql(visit_column: str = "visit_id", position_column: str = "position") -> str:
    """``question_key`` as an SQL expression (SQLite and PostgreSQL), for the rollup rebuild and raw counts.

    Run it with a parameter list (``cursor.execute(sql, [])``, ``RawSQL(sql, [])``): the modulo is escaped as %%."""
    return _mix_sql(f"{visit_column} * {POSITION_SPAN} + {position_column}", "question")


def record_key(kind: str, pk: int) -> int:
    """The record key of another kind of record (a referral, an enrolment, a survey answer, a visit)."""
    return _mix(int(pk), kind)


def records(kind: str, pks: Iterable[int]) -> Count:
    """A count of these records (ids of one kind), with their keys."""
    ids = list(pks)
    return Count(len(ids), sum(record_key(kind, pk) for pk in ids))


def described(n: int, *parts: object) -> Count:
    """A count whose records are not at hand (a stored signal's weekly numbers): keyed by what the cell is.

    The same description always gives the same key, so the number is stable; the same records described
    differently would get another noise, which is why counts of records use their record keys instead.
    """
    text = "\x1f".join(str(p) for p in parts)
    digest = hmac.new(_secret().encode(), f"balie-cell:{text}".encode(), hashlib.sha256).digest()
    return Count(n, int.from_bytes(digest[:8], "big"))


def subset(parent: Count, n: int, purpose: str) -> Count:
    """A part of ``parent`` whose own records' keys are not kept (the questions with a duration): keyed by the parent
    (the same records give the same key) and what the part is."""
    return described(n, "subset", purpose, parent.key)


# ------------------------------------------------------------------ the publication rule
def noise(key: int) -> int:
    """The noise for a cell key: the cell key as a fraction of the key space, looked up in ``NOISE``."""
    u = (key % KEY_SPACE) * 1_000_000 // KEY_SPACE
    cumulative = 0
    for d, weight in NOISE:
        cumulative += weight
        if u < cumulative:
            return d
    return NOISE[-1][0]


def published(count: int, *, suppressed: bool) -> int | None:
    """THE function every count passes on its way to a page, export, report or API answer.

    Exact for the library's own staff (``suppressed=False``). Otherwise 0-4 gives None ("<5") and a larger count
    is perturbed by its cell key (ADR 0015). A plain int (no record keys) is refused: it could not be protected
    consistently.
    """
    n = int(count)
    if not suppressed:
        return n
    if n < 0:
        raise ValueError("Een aantal is nooit negatief.")
    if n == 0:
        return None
    if not isinstance(count, Count):
        raise TypeError("Een aantal voor buiten de bibliotheek heeft de sleutels van zijn records nodig (privacy.Count).")
    if n < THRESHOLD:
        return None
    shown = n + noise(count.key)
    return shown if shown >= THRESHOLD else None


def possible(shown: int | str | None) -> tuple[int, int]:
    """What a published value says about the true count (the rule is public; this is what an attacker knows)."""
    if shown is None or shown == SMALL:
        return 0, THRESHOLD - 1 + MAX_NOISE
    value = int(shown)
    return max(THRESHOLD, value - MAX_NOISE), value + MAX_NOISE


def share(part: int | None, whole: int | None, *, suppressed: bool, digits: int = 1) -> float | None:
    """A percentage of two *published* numbers. Outside the library only when the part and the rest both come to 5
    or more: otherwise "80% of 10" would tell that 2 questions are missing (review finding L13), and 0% or 100%
    would say "none" of something that may be a few."""
    if part is None or whole is None or whole <= 0:
        return None
    if suppressed and not (part >= THRESHOLD and whole - part >= THRESHOLD):
        return None
    return round(100 * part / whole, digits)


def change(now: int | None, before: int | None, *, digits: int = 1) -> float | None:
    """The change in percent between two published numbers; none if either is hidden or the base is 0."""
    if now is None or before is None or before <= 0:
        return None
    return round(100 * (now - before) / before, digits)


def text(shown: int | None) -> str:
    """A published count as text: "<5" for a hidden one, a thousands dot otherwise."""
    return SMALL if shown is None else f"{shown:,}".replace(",", ".")


def estimate(value: float) -> str:
    """A model's expected count (not a count of people) for outside viewers: whole, and "<5" when it rounds to 1-4."""
    n = int(round(value))
    return SMALL if 0 < n < THRESHOLD else str(n)
