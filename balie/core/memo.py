"""Values read from the database and kept in memory per process for a short while.

A few reads are asked for on almost every request and change rarely: code labels, the municipality codes a delivery
is checked against, the coordinates of the public locations, a suggestion model. Each keeps its answer for a number of
seconds in the process that read it. Another process (gunicorn worker) sees a change when its own copy expires; the
process that makes a change forgets at once (the owners connect ``forget`` to post_save/post_delete or call it).

One mechanism, so that expiry, thread safety and "forget everything" (tests, reference-data updates) are written once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import ClassVar, Generic, TypeVar

V = TypeVar("V")


class ProcessMemo(Generic[V]):
    """Key -> value, each value kept for ``seconds`` after it was read."""

    _every: ClassVar[list[ProcessMemo]] = []

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._values: dict[Hashable, tuple[float, V]] = {}
        # One lock per memo: two requests that miss at the same moment read once (a suggestion model takes ~0.3 s).
        self._lock = threading.Lock()
        ProcessMemo._every.append(self)

    def get(self, key: Hashable, read: Callable[[], V], *, fresh: bool = False) -> V:
        """The kept value, or ``read()`` when there is none, it has expired or ``fresh`` asks for a new read."""
        if not fresh:
            kept = self._kept(key)
            if kept is not None:
                return kept[1]
        with self._lock:
            kept = None if fresh else self._kept(key)
            if kept is not None:
                return kept[1]
            value = read()
            self._values[key] = (time.monotonic(), value)
            return value

    def stale(self, key: Hashable) -> V | None:
        """The last value read for ``key``, expired or not (a reader may reuse parts of it)."""
        kept = self._values.get(key)
        return kept[1] if kept is not None else None

    def forget(self, *_args: object, **_kwargs: object) -> None:
        """Drop every kept value. Its signature lets it be a signal receiver."""
        with self._lock:
            self._values.clear()

    @classmethod
    def forget_all(cls) -> None:
        for memo in cls._every:
            memo.forget()

    def _kept(self, key: Hashable) -> tuple[float, V] | None:
        kept = self._values.get(key)
        if kept is not None and time.monotonic() - kept[0] < self.seconds:
            return kept
        return None
