"""Reading JSON text within limits: one function, one typed error, and each caller words it in its own Dutch.

Python's ``json.loads`` lets through what JSON (RFC 8259) is not, and fails in ways a caller cannot show as they are:

- NaN, Infinity and -Infinity are accepted (and a database refuses them later), and so is a number too large for a
  float (1e999 becomes infinity);
- an array nested deeper than Python's recursion limit raises RecursionError (a 500 in a view);
- a syntax error is ``json.JSONDecodeError`` with an English message;
- a number of thousands of digits raises a plain ValueError (Python refuses to turn it into an int).

``loads`` refuses the first (an over-large float is a bad value, unless a caller's parse_float keeps it as text) and
turns every one of these into ``JsonError`` with a ``kind`` (and the line and column of a syntax error), so the API and
the social-map import each say it in their own words. Decoding bytes is the caller's (``loads`` takes text only): each
caller has its own rule for a byte order mark and its own message for bad UTF-8. Anything a hook raises that is not a
ValueError (a caller's own limit, say) passes through unchanged.
"""

from __future__ import annotations

import enum
import json
import math
from collections.abc import Callable
from typing import Any


class Kind(enum.Enum):
    SYNTAX = "syntax"  # not JSON at all: see line and column
    TOO_DEEP = "too_deep"  # nested deeper than Python's recursion limit
    CONSTANT = "constant"  # NaN, Infinity or -Infinity: see constant
    VALUE = "value"  # a value Python cannot hold, such as a number of thousands of digits


class JsonError(ValueError):
    """Why a text is no JSON that Balie reads; ``str()`` is technical English, for logs only (callers word their own)."""

    def __init__(self, kind: Kind, *, line: int = 0, column: int = 0, constant: str = "") -> None:
        super().__init__(f"{kind.value} (line {line}, column {column}){' ' + constant if constant else ''}")
        self.kind = kind
        self.line = line
        self.column = column
        self.constant = constant


class _Constant(Exception):
    # Not a ValueError: json would otherwise let it through as any other ValueError, and a hook's ValueError is VALUE.
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _refuse_constant(name: str) -> Any:
    raise _Constant(name)


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"{text[:20]}... is too large for a float")
    return value


def loads(
    text: str,
    *,
    object_hook: Callable[[dict[str, Any]], Any] | None = None,
    object_pairs_hook: Callable[[list[tuple[str, Any]]], Any] | None = None,
    parse_int: Callable[[str], Any] | None = None,
    parse_float: Callable[[str], Any] | None = None,
) -> Any:
    """The value of a JSON text, or JsonError; NaN and Infinity are refused. The hooks are json.loads's own."""
    if not isinstance(text, str):
        raise TypeError("jsonload.loads takes text; decode the bytes first (the caller words bad UTF-8)")
    try:
        return json.loads(text, object_hook=object_hook, object_pairs_hook=object_pairs_hook, parse_int=parse_int,
                          parse_float=parse_float or _finite_float, parse_constant=_refuse_constant)
    except _Constant as exc:
        raise JsonError(Kind.CONSTANT, constant=exc.name) from exc
    except RecursionError as exc:
        raise JsonError(Kind.TOO_DEEP) from exc
    except json.JSONDecodeError as exc:
        raise JsonError(Kind.SYNTAX, line=exc.lineno, column=exc.colno) from exc
    except ValueError as exc:
        raise JsonError(Kind.VALUE) from exc
