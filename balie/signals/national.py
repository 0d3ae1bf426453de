"""National signals: within one installation and across federation nodes (docs/federatie.md, ADR 0017).

Within an installation, open count signals about one instantie from two or more libraries become one national signal.
On a hub, the summaries that nodes sent ("ook landelijk melden") count as reporters too: one per node. A node sends
only the summary (``summary``): instantie, weeks, the published count, the expectation and the scrubbed description;
never notes, examples, a phrase taken from notes, the library or a person.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from balie.core import codelists, pii, privacy
from balie.core.models import CodeListVersion

from . import report
from .models import OPEN_STATUSES, Kind, NodeSignal, ScopeKind, Signal, Status
from .workflow import record_creation, transition

DESCRIPTION_MAX = 1000
MAX_COUNT = 10_000_000
SENT_STATUSES = (Status.BEVESTIGD, Status.GEMELD, Status.REACTIE, Status.OPGELOST, Status.NIET_OPGEPAKT)
FIELDS = {"instantie", "eerste_week", "laatste_week", "aantal", "verwacht", "omschrijving", "open"}


class SummaryInvalid(ValueError):
    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("; ".join(e["reason"] for e in errors))
        self.errors = errors


# --- merging ------------------------------------------------------------------------------------
def _figures(children: list[Signal], reports: list[NodeSignal]) -> dict[str, Any]:
    observed = sum(c.observed for c in children) + sum(r.observed or 0 for r in reports)
    expected = sum(c.expected for c in children) + sum(r.expected or 0 for r in reports)
    weeks = [(c.start_week, c.end_week) for c in children] + [(r.start_week, r.end_week) for r in reports]
    return dict(start_week=min(w[0] for w in weeks), end_week=max(w[1] for w in weeks), observed=observed,
                expected=round(expected, 2), effect=round(observed / expected - 1, 3) if expected else 0.0,
                q_value=max([c.q_value for c in children] or [0.0]),
                evidence={"merged_from": sorted({c.scope_key for c in children} | {f"knooppunt:{r.source}" for r in reports}),
                          "weekly": [], "examples": []})


def merge_national(only: set[str] | None = None) -> list[Signal]:
    """Open count signals about one instantie from two or more reporters (libraries here, nodes) become one national signal.

    ``only``: just these instanties (a node's summary touches one; merging all of them on every summary grows with the
    number of nodes).
    """
    merged = []
    open_local = Signal.objects.filter(kind=Kind.AANTAL, scope_kind=ScopeKind.ORGANISATIE, status__in=OPEN_STATUSES, partner="")
    open_nodes = NodeSignal.objects.filter(open=True)
    if only is not None:
        open_local, open_nodes = open_local.filter(instantie__in=only), open_nodes.filter(instantie__in=only)
    instanties = set(open_local.values_list("instantie", flat=True)) | set(open_nodes.values_list("instantie", flat=True))
    for instantie in sorted(instanties):
        children = list(open_local.filter(instantie=instantie))
        reports = list(open_nodes.filter(instantie=instantie))
        if len({c.organisation_id for c in children}) + len({r.source for r in reports}) < 2:
            continue
        national = (Signal.objects.filter(scope_kind=ScopeKind.LANDELIJK, kind=Kind.AANTAL, instantie=instantie, onderwerp="",
                                          status__in=OPEN_STATUSES).first())
        figures = _figures(children, reports)
        if national is None:
            national = Signal.objects.create(kind=Kind.AANTAL, scope_kind=ScopeKind.LANDELIJK, scope_key="landelijk",
                                             instantie=instantie, **figures)
            record_creation(national)
        else:
            Signal.objects.filter(pk=national.pk).update(**figures)
        Signal.objects.filter(pk__in=[c.pk for c in children]).update(parent=national)
        NodeSignal.objects.filter(pk__in=[r.pk for r in reports]).update(national=national)
        merged.append(national)
    return merged


def _recount(national: Signal) -> None:
    """A national signal after a node took its reports back: the rest counts; with nothing left it is closed."""
    children = list(national.children.filter(status__in=OPEN_STATUSES))
    reports = list(national.node_reports.filter(open=True))
    if children or reports:
        Signal.objects.filter(pk=national.pk).update(**_figures(children, reports))
    elif national.status in OPEN_STATUSES:
        transition(national, Status.NIET_OPGEPAKT, note="Alle meldingen van knooppunten zijn ingetrokken.")


# --- the node side ------------------------------------------------------------------------------
def to_send() -> list[Signal]:
    """The library signals a coordinator confirmed with "ook landelijk melden" (about a national instantie)."""
    return list(Signal.objects.filter(report_national=True, kind=Kind.AANTAL, scope_kind=ScopeKind.ORGANISATIE, partner="",
                                      status__in=SENT_STATUSES).order_by("start_week", "pk"))


def summary(signal: Signal) -> dict[str, Any]:
    """What crosses for one signal. The count is the published one (ADR 0015); the description is scrubbed again."""
    shown = report.observed(signal)
    expected = privacy.estimate(signal.expected)
    return {
        "instantie": signal.instantie, "eerste_week": signal.start_week.isoformat(), "laatste_week": signal.end_week.isoformat(),
        "aantal": None if shown == privacy.SMALL else int(shown.replace(".", "")),
        "verwacht": None if expected == privacy.SMALL else int(expected),
        "omschrijving": pii.scrub_for_storage(signal.description, max_length=DESCRIPTION_MAX).redacted,
        "open": signal.status in OPEN_STATUSES,
    }


# --- the hub side -------------------------------------------------------------------------------
def _week(value: object, name: str, errors: list[dict[str, str]]) -> dt.date | None:
    try:
        if isinstance(value, str) and len(value) == 10:
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    errors.append({"name": name, "reason": "Geef een datum als JJJJ-MM-DD."})
    return None


def _count(value: object, name: str, errors: list[dict[str, str]], *, minimum: int) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= MAX_COUNT):
        errors.append({"name": name, "reason": f"Geef null (minder dan {privacy.THRESHOLD}) of een aantal vanaf {minimum}."})


def _validate(data: object) -> dict[str, Any]:
    if not isinstance(data, dict) or set(data) != FIELDS:
        raise SummaryInvalid([{"name": "signaal", "reason": "Een samenvatting heeft precies: " + ", ".join(sorted(FIELDS)) + "."}])
    errors: list[dict[str, str]] = []
    allowed: set[str] = set()
    for version in CodeListVersion.objects.filter(published_at__isnull=False):
        allowed |= set(codelists.codes(version, "instantie", include_inactive=True))
    if data["instantie"] not in allowed:
        errors.append({"name": "instantie", "reason": "Geen landelijke instantie van de hub."})
    first, last = _week(data["eerste_week"], "eerste_week", errors), _week(data["laatste_week"], "laatste_week", errors)
    if first and last and not (first <= last <= first + dt.timedelta(days=366)):
        errors.append({"name": "laatste_week", "reason": "De laatste week ligt na de eerste, hoogstens een jaar later."})
    _count(data["aantal"], "aantal", errors, minimum=privacy.THRESHOLD)
    _count(data["verwacht"], "verwacht", errors, minimum=0)
    if not isinstance(data["omschrijving"], str) or len(data["omschrijving"]) > DESCRIPTION_MAX:
        errors.append({"name": "omschrijving", "reason": f"Geef een tekst van hoogstens {DESCRIPTION_MAX} tekens."})
    if not isinstance(data["open"], bool):
        errors.append({"name": "open", "reason": "Geef true of false."})
    if errors:
        raise SummaryInvalid(errors)
    # The node scrubbed it; the hub does it again with its own rules (a node may run an older Balie).
    return dict(instantie=data["instantie"], start_week=first, end_week=last, observed=data["aantal"], expected=data["verwacht"],
                description=pii.scrub_for_storage(data["omschrijving"], max_length=DESCRIPTION_MAX).redacted, open=data["open"])


@transaction.atomic
def store_summary(*, source: str, source_name: str, remote_id: Any, data: object, transaction_id: str) -> tuple[NodeSignal, bool]:
    """Keep (or replace) one node's summary and merge; the same summary again changes nothing."""
    clean = _validate(data)
    existing = NodeSignal.objects.select_for_update().filter(source=source, remote_id=remote_id).first()
    if existing is not None and all(getattr(existing, k) == v for k, v in clean.items()):
        return existing, False
    before = existing.national if existing is not None else None
    row, _created = NodeSignal.objects.update_or_create(
        source=source, remote_id=remote_id,
        defaults={**clean, "source_name": source_name, "transaction_id": transaction_id, "received_at": timezone.now()})
    merge_national(only={clean["instantie"]})
    if before is not None:
        _recount(before)  # closed on the node, or moved to another instantie
    row.refresh_from_db()
    return row, True


@transaction.atomic
def withdraw_summaries(*, source: str, first: dt.date | None = None, last: dt.date | None = None,
                       remote_id: Any = None) -> int:
    """Delete a node's summaries (all, those with weeks in a period, or one) and count the national signals again."""
    rows = NodeSignal.objects.filter(source=source)
    if remote_id is not None:
        rows = rows.filter(remote_id=remote_id)
    if first is not None and last is not None:
        rows = rows.filter(start_week__lte=last, end_week__gte=first)
    nationals = list(Signal.objects.filter(pk__in=rows.exclude(national=None).values("national")))
    count, _ = rows.delete()
    for national in nationals:
        _recount(national)
    return count
