"""The volume a series is measured against: its scope's *steady* instanties, not every other question (ADR 0007).

A series' expected level is its ratio to a reference volume times that volume now. The first reference was the rest
of the scope. When one large instantie has a yearly peak (the tax season: the Belastingdienst triples), the rest grows
by a quarter and every other instantie's share of it dips: the season gate then marked them "in season" (a rise in
those weeks needed peers, two weeks and 20 questions: lost recall), and where it did not, a rise in the peak's wake
could look like an ordinary rise.

So the reference is the *core*: the instanties whose share of the network holds steady through the year. Which ones
those are is read from the network's history (whole-network counts, before the tested weeks), against a robust
network level: per week the weighted median over instanties of their level against their own average, which one
instantie's season cannot move. An instantie whose 3-week level against that median strays SEASON_GATE or more from
its usual (median) level in any year of its history has a season of its own (or is too small to tell) and is left
out of the core. Everything else in detection.py is unchanged: it receives the core as the "totals".
"""

from __future__ import annotations

import numpy as np

# A core that holds less than this share of a scope's volume is too thin to measure against: use the whole rest.
MIN_CORE_SHARE = 0.3
YEAR = 52


def weighted_median(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Per column, the weighted median of ``values`` (rows × weeks) with one weight per row."""
    order = np.argsort(values, axis=0)
    v = np.take_along_axis(values, order, axis=0)
    cum = np.cumsum(weights[order], axis=0)
    half = cum[-1] / 2
    pick = (cum >= half[None, :]).argmax(axis=0)
    return v[pick, np.arange(values.shape[1])]


def steady(rows: np.ndarray, history_end: int, gate: float) -> np.ndarray:
    """Per row (an instantie's whole-network weekly counts): True when its level follows the network's all year."""
    hist = rows[:, :history_end].astype(float)
    k, width = hist.shape
    flags = np.ones(k, dtype=bool)
    if width < YEAR // 2 + 3 or k < 3:
        return flags
    three = hist[:, 2:] + hist[:, 1:-1] + hist[:, :-2]  # 3-week sums: one odd week is no season
    mean = three.mean(axis=1)
    alive = mean > 0
    flags[~alive] = False
    if alive.sum() < 3:
        return np.ones(k, dtype=bool)
    index = three[alive] / mean[alive, None]
    level = np.maximum(weighted_median(index, mean[alive]), 1e-9)
    rel = index / level[None, :]
    ok = np.ones(int(alive.sum()), dtype=bool)
    # A small instantie's 3-week count swings by chance: only a step beyond two Poisson standard deviations (on the log
    # scale) counts, or every small instantie would look seasonal and the core would thin out to a few big ones.
    margin = np.exp(2 / np.sqrt(np.maximum(three[alive], 1.0)))
    # Year by year from the end of the history back: growth moves the level slowly, a season within a year.
    for hi in range(rel.shape[1], YEAR // 2 - 1, -YEAR):
        lo = max(0, hi - YEAR)
        block, m = rel[:, lo:hi], margin[:, lo:hi]
        usual = np.maximum(np.median(block, axis=1), 1e-9)[:, None]
        ok &= ~((block >= gate * usual * m) | (block <= usual / (gate * m))).any(axis=1)
    flags[alive] = ok
    return flags


Instanties = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def instanties(network: np.ndarray, family: np.ndarray, history_end: int, gate: float) -> Instanties:
    """(instantie rows, the distinct instanties' whole-network rows, each instantie row's index among them, steady).

    Read once per run (SeriesSet.core): steady_series and core_totals both take it."""
    primary = np.nonzero(family == np.arange(network.shape[0]))[0]
    # The distinct instanties, by their whole-network row (one per instantie whatever the scope).
    national, inverse = np.unique(network[primary], axis=0, return_inverse=True)
    inverse = np.asarray(inverse).reshape(-1)
    return primary, national, inverse, steady(national, history_end, gate)


def _per_series(keep: np.ndarray, primary: np.ndarray, inverse: np.ndarray, family: np.ndarray) -> np.ndarray:
    instantie = np.full(family.shape[0], -1)
    instantie[primary] = inverse
    return keep[instantie[family]]


def steady_series(core: Instanties, family: np.ndarray) -> np.ndarray:
    """Per series: True when its instantie follows the network all year (a core instantie; its onderwerpen alike).

    season.py uses it to tell a chance high in last year's shifted windows from a season (ADR 0007).
    """
    if family.shape[0] == 0:
        return np.zeros(0, dtype=bool)
    primary, _, inverse, keep = core
    return _per_series(keep, primary, inverse, family)


def core_totals(counts: np.ndarray, totals: np.ndarray, network: np.ndarray, network_totals: np.ndarray,
                family: np.ndarray | None, scope: np.ndarray | None, history_end: int,
                core_of: Instanties | None) -> tuple[np.ndarray, np.ndarray]:
    """Totals and network totals to use instead of the raw ones: the core volume plus the series itself.

    detection.py measures every series against ``totals - counts``; returning ``core - own part + counts`` makes that
    the core without its own contribution. Without ``family`` and ``scope`` the raw totals come back unchanged.
    """
    if family is None or scope is None or core_of is None or counts.shape[0] == 0:
        return totals, network_totals
    n, width = counts.shape
    primary, national, inverse, keep = core_of
    in_core = _per_series(keep, primary, inverse, family)  # per series: its instantie belongs to the core
    scopes, scope_of = np.unique(scope, return_inverse=True)
    core = np.zeros((len(scopes), width))
    rows = primary[keep[inverse]]
    np.add.at(core, scope_of[rows], counts[rows])
    net_core = national[keep].sum(axis=0).astype(float)
    # A thin core (a library that mostly asks seasonal questions) is noise: keep the whole rest there.
    base = slice(max(0, history_end - YEAR), history_end)
    scope_total = np.zeros((len(scopes), width))
    np.add.at(scope_total, scope_of[primary], counts[primary])
    thick = core[:, base].sum(axis=1) >= MIN_CORE_SHARE * np.maximum(scope_total[:, base].sum(axis=1), 1)
    own = np.where(in_core[:, None], counts, 0)
    eff = np.where(thick[scope_of][:, None], core[scope_of] - own + counts, totals)
    net_own = np.where(in_core[:, None], network, 0)
    net_thick = net_core[base].sum() >= MIN_CORE_SHARE * max(float(national[:, base].sum()), 1.0)
    net_eff = net_core[None, :] - net_own + network if net_thick else network_totals
    return eff, net_eff


def peer_expected(counts: np.ndarray, totals: np.ndarray, network: np.ndarray, network_totals: np.ndarray,
                  length: int, baseline: slice, peer_min: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The series' level over its last ``length`` weeks as the rest of the network predicts it.

    The rest of the network asks the same question po times in these weeks; in the baseline the scope asked
    it o_B times for every po_B there (the ``baseline`` weeks), corrected for how busy the scope is against the rest
    of the network (the odds of a 2×2 table). A season that moves the question everywhere moves po too, whatever its
    shape; a problem in one scope does not. Returns (expected, peers this window, usable: at least ``peer_min`` peer
    questions in the baseline) per series (used by detection.py in season weeks).
    """
    width = counts.shape[1]
    b0, b1 = baseline.start, baseline.stop
    w0 = width - length

    def parts(lo: int, hi: int) -> tuple[np.ndarray, ...]:
        o = counts[:, lo:hi].sum(axis=1).astype(float)
        t = totals[:, lo:hi].sum(axis=1).astype(float)
        no = network[:, lo:hi].sum(axis=1).astype(float)
        nt = network_totals[:, lo:hi].sum(axis=1).astype(float)
        po = np.maximum(no - o, 0)
        return o, np.maximum(t - o, 0), po, np.maximum(nt - t - po, 0)

    o_b, r_b, po_b, pr_b = parts(b0, b1)
    _, r_w, po_w, pr_w = parts(w0, width)
    usable = (po_b >= peer_min) & (pr_b > 0) & (pr_w > 0) & (r_b > 0) & (o_b > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        busy = np.where(usable, (r_w / np.maximum(pr_w, 1e-9)) / np.maximum(r_b / np.maximum(pr_b, 1e-9), 1e-9), 1.0)
        expected = np.where(usable, po_w * o_b / np.maximum(po_b, 1e-9) * busy, 0.0)
    return expected, po_w, usable
