"""Erlang C: how many staff a walk-in desk needs so that most visitors wait only briefly.

Pure functions, no Django: visitors arrive at random (Poisson) at ``rate`` per hour, each takes on average
``service_minutes``, and ``agents`` staff help them in order of arrival. The textbook formulas (Erlang 1917,
as used for call centres) then give the chance a visitor has to wait at all, and the share that waits at most
``target_minutes``. Real desks are not quite that tidy (visitors come in groups, staff also do other work),
so the outcome is a suggestion, shown next to the measured numbers it rests on.
"""

from __future__ import annotations

import math

MAX_AGENTS = 200


def erlang_b(traffic: float, agents: int) -> float:
    """Blocking probability, by the stable recurrence B(A, n) = A·B(A, n-1) / (n + A·B(A, n-1))."""
    if agents < 0 or traffic < 0:
        raise ValueError("traffic and agents must be non-negative")
    b = 1.0
    for n in range(1, agents + 1):
        b = traffic * b / (n + traffic * b)
    return b


def erlang_c(traffic: float, agents: int) -> float:
    """Probability that an arriving visitor has to wait. 1.0 when the staff cannot keep up (traffic ≥ agents)."""
    if traffic <= 0:
        return 0.0
    if agents <= traffic:
        return 1.0
    b = erlang_b(traffic, agents)
    return agents * b / (agents - traffic * (1 - b))


def service_level(rate_per_hour: float, service_minutes: float, agents: int, target_minutes: float) -> float:
    """Share of visitors who wait at most ``target_minutes`` (0.0 when the queue grows without end)."""
    if rate_per_hour <= 0:
        return 1.0
    if agents <= 0 or service_minutes <= 0:
        return 0.0 if service_minutes > 0 else 1.0
    traffic = rate_per_hour * service_minutes / 60
    if agents <= traffic:
        return 0.0
    waiting = erlang_c(traffic, agents)
    return 1 - waiting * math.exp(-(agents - traffic) * target_minutes / service_minutes)


def agents_needed(
    rate_per_hour: float, service_minutes: float, *, target_minutes: float = 10, target_share: float = 0.8
) -> int:
    """The smallest number of staff for which at least ``target_share`` waits ≤ ``target_minutes``. 0 without visitors."""
    if rate_per_hour <= 0 or service_minutes <= 0:
        return 0
    traffic = rate_per_hour * service_minutes / 60
    agents = max(1, math.floor(traffic) + 1)  # fewer than the traffic can never keep up
    while agents < MAX_AGENTS and service_level(rate_per_hour, service_minutes, agents, target_minutes) < target_share:
        agents += 1
    return agents
