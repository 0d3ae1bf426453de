"""One way to make a create idempotent on a client-chosen key (a form's hidden key, the API's Idempotency-Key).

    claim = idempotency.Claim(Visit, key=submission_key, owner={"organisation_id": user.organisation_id}, body=...)
    if (first := claim.existing()) is not None:
        return first, False                      # a repeat: the first object, unchanged
    ... validate, build `visit` ...
    visit, created = claim.insert(visit)         # a savepoint; a racing twin that won is returned instead

The rules, the same in every app:
- a repeated key returns the first object, never a second one;
- two requests with the same key that race: the database's unique key decides, the loser re-reads the winner;
- a key used by another organisation (or location) is a conflict: its object is never returned or revealed;
- the same key with a different body is a conflict too: a keyed request is a promise to send the same thing again.
  The body is stored as a keyed hash (HMAC with SECRET_KEY), so no note or contact data ends up readable in it;
  the key itself is stored as a keyed hash too (stored_key), so nothing a client puts in a key is kept readable.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from django.db import IntegrityError, models, transaction
from django.utils.crypto import salted_hmac
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _l

M = TypeVar("M", bound=models.Model)

# Visible ASCII, short enough that "api:<user pk>:<key>" fits the 80-character key columns.
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,64}$")
KEY_RULE = _l("Gebruik 1 tot 64 zichtbare ASCII-tekens, bijvoorbeeld een UUID.")
# Two wordings: staff see a form (and get a fresh one), an API client sees the header it sent.
OTHER_OWNER = (_l("Dit formulier is al gebruikt. Er is niets opgeslagen; controleer de gegevens en sla opnieuw op."),
               _l("Deze Idempotency-Key is al in gebruik. Kies een andere sleutel, bijvoorbeeld een nieuwe UUID."))
OTHER_BODY = (_l("Dit formulier is al eerder verstuurd, met andere gegevens. Er is niets opgeslagen; controleer de gegevens "
                 "en sla opnieuw op."),
              _l("Deze Idempotency-Key is al gebruikt voor een verzoek met andere gegevens. Gebruik een nieuwe sleutel voor een "
                 "nieuw verzoek."))
FINGERPRINT_FIELD = "request_fingerprint"


class IdempotencyConflict(Exception):
    """The key was used before by someone else, or for other input. The first object stays hidden.

    ``message`` is for a form (the view then hands out a fresh form key), ``api_message`` for an API client.
    """

    def __init__(self, wording: tuple[str | Promise, str | Promise]):
        # Read in the language of the request that raised it (the texts are lazy), so both can go into JSON as they are.
        self.message, self.api_message = (str(text) for text in wording)
        super().__init__(self.message)


def fingerprint_field() -> models.CharField:
    """The column that remembers which input a key was first used for (one definition for every keyed model)."""
    return models.CharField(
        "vingerafdruk van het verzoek", max_length=64, blank=True, default="", editable=False,
        help_text="Versleutelde samenvatting van de invoer bij de inzendsleutel: dezelfde sleutel met andere invoer wordt geweigerd.",
    )


def fingerprint(body: Any) -> str:
    """A keyed hash of the normalised input: stable for equal input, unreadable without SECRET_KEY."""
    canonical = json.dumps(body, sort_keys=True, default=str, ensure_ascii=False, separators=(",", ":"))
    return salted_hmac("balie.core.idempotency", canonical, algorithm="sha256").hexdigest()


def valid_key(key: str) -> bool:
    return bool(KEY_PATTERN.fullmatch(key))  # fullmatch: "$" alone would let a trailing newline through


def stored_key(key: str) -> str:
    """What the database keeps of a client's key: a keyed hash (HMAC with SECRET_KEY), never the key as sent.

    A key is only ever matched, never shown, so nobody needs it back; stored as sent, a key that happens to hold a
    BSN or a phone number ("desk:111222333") would sit in the database as typed (review M4). 66 characters, so it
    fits every key column.
    """
    return "h:" + salted_hmac("balie.core.idempotency.key", key, algorithm="sha256").hexdigest()


def hash_existing_keys(model: type[models.Model], field: str) -> int:
    """For the data migrations: keys stored as sent before stored_key existed become their hash. Returns how many."""
    rows = model._default_manager.exclude(**{f"{field}__isnull": True}).exclude(**{field: ""}).exclude(**{f"{field}__startswith": "h:"})
    batch: list[models.Model] = []
    count = 0
    for row in rows.only("pk", field).iterator(chunk_size=1000):
        setattr(row, field, stored_key(getattr(row, field)))
        batch.append(row)
        if len(batch) == 1000:
            count += model._default_manager.bulk_update(batch, [field])
            batch = []
    return count + (model._default_manager.bulk_update(batch, [field]) if batch else 0)


class Claim(Generic[M]):
    """A create guarded by a key. Without a key it is a plain insert (existing() is None, insert() saves)."""

    def __init__(
        self, model: type[M], *, key: str | None, owner: Mapping[str, Any], body: Any, key_field: str = "submission_key",
    ):
        self.model, self.owner, self.key_field = model, dict(owner), key_field
        self.key = stored_key(key) if key else None
        self.fingerprint = fingerprint(body) if self.key else ""

    def existing(self) -> M | None:
        """The object made earlier with this key, after the owner and body checks; None on a first use."""
        if not self.key:
            return None
        found = self.model._default_manager.filter(**{self.key_field: self.key}).first()
        if found is not None:
            self._check(found)
        return found

    def stamp(self, obj: M) -> M:
        setattr(obj, self.key_field, self.key)
        setattr(obj, FINGERPRINT_FIELD, self.fingerprint)
        return obj

    def fields(self) -> dict[str, Any]:
        """The key and fingerprint as keyword arguments for objects.create()."""
        return {self.key_field: self.key, FINGERPRINT_FIELD: self.fingerprint}

    def insert(self, obj: M | Callable[[], M]) -> tuple[M, bool]:
        """Save a new object (or run a create callable) in a savepoint. Returns (object, created).

        An IntegrityError on our key means a twin request won the race: return its object (checked like a hit).
        Any other IntegrityError is the caller's (for example a taken ticket number) and is raised again.
        """
        try:
            with transaction.atomic():
                if isinstance(obj, models.Model):
                    self.stamp(obj).save()
                    saved = obj
                else:
                    saved = obj()
        except IntegrityError:
            winner = self.existing()
            if winner is None:
                raise
            return winner, False
        return saved, True

    def _check(self, found: M) -> None:
        if any(getattr(found, name) != value for name, value in self.owner.items()):
            raise IdempotencyConflict(OTHER_OWNER)
        stored = getattr(found, FINGERPRINT_FIELD, "")
        # Rows from before fingerprints existed have none: they can only be compared on the owner.
        if stored and stored != self.fingerprint:
            raise IdempotencyConflict(OTHER_BODY)
