"""core.memo.ProcessMemo: the one per-process store of values read from the database (labels, codes, models)."""

from __future__ import annotations

import threading

import pytest

from balie.core.memo import ProcessMemo


def test_it_reads_once_while_the_value_is_fresh_and_again_when_asked_or_forgotten():
    reads: list[str] = []
    memo: ProcessMemo[str] = ProcessMemo(60)

    def read(value: str):
        def inner() -> str:
            reads.append(value)
            return value
        return inner

    assert memo.get("a", read("one")) == "one"
    assert memo.get("a", read("two")) == "one"  # kept
    assert memo.get("b", read("three")) == "three"  # another key reads on its own
    assert memo.get("a", read("four"), fresh=True) == "four"
    memo.forget()
    assert memo.stale("a") is None
    assert memo.get("a", read("five")) == "five"
    assert reads == ["one", "three", "four", "five"]


def test_an_expired_value_is_read_again_and_stays_available_as_stale():
    memo: ProcessMemo[int] = ProcessMemo(0)  # expires at once
    assert memo.get("k", lambda: 1) == 1
    assert memo.stale("k") == 1
    assert memo.get("k", lambda: 2) == 2


def test_forget_all_reaches_every_memo_and_works_as_a_signal_receiver():
    first: ProcessMemo[int] = ProcessMemo(60)
    second: ProcessMemo[int] = ProcessMemo(60)
    first.get(1, lambda: 1)
    second.get(1, lambda: 1)
    second.forget(sender=object(), instance=None)  # post_save hands keyword arguments
    assert second.stale(1) is None and first.stale(1) == 1
    ProcessMemo.forget_all()
    assert first.stale(1) is None


def test_two_threads_that_miss_at_the_same_moment_read_once():
    memo: ProcessMemo[int] = ProcessMemo(60)
    started = threading.Event()
    calls: list[int] = []

    def slow() -> int:
        calls.append(1)
        started.wait(0.2)
        return len(calls)

    threads = [threading.Thread(target=memo.get, args=("k", slow)) for _ in range(4)]
    for t in threads:
        t.start()
    started.set()
    for t in threads:
        t.join()
    assert calls == [1] and memo.stale("k") == 1


@pytest.mark.django_db
def test_a_saved_municipality_is_seen_at_once_by_the_process_that_saved_it():
    from balie.network.models import Gemeente
    from balie.network.selectors import gemeente_codes

    before = gemeente_codes()
    Gemeente.objects.create(cbs_code="GM9998", naam="Proefgemeente")
    assert "GM9998" not in before and "GM9998" in gemeente_codes()
