"""Hub-side writes: nodes, their credentials and their status. Each writes its audit event."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from balie.core import audit
from balie.core.audit import Event

from .models import Node


class NodeInvalid(ValueError):
    pass


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token(code: str) -> str:
    # The code in front lets the hub find the node before comparing; the secret part is 256 bits.
    return f"{code}.{secrets.token_urlsafe(32)}"


def node_add(*, code: str, naam: str, oin: str = "") -> tuple[Node, str]:
    """Register a node; returns the token, which is shown once and stored only as a hash."""
    code = code.strip().upper()
    node = Node(code=code, naam=naam.strip(), oin=oin.strip(), token_rotated_at=timezone.now())
    token = _new_token(code)
    node.token_hash = _hash(token)
    try:
        node.full_clean()
    except Exception as exc:  # ValidationError: one readable line for the command
        raise NodeInvalid(f"Dit knooppunt kan niet worden toegevoegd: {exc}") from exc
    with transaction.atomic():
        node.save()
        audit.log(Event.FEDERATION_NODE_ADDED, obj=node, node=node.code)
    return node, token


def token_rotate(*, node: Node) -> str:
    token = _new_token(node.code)
    with transaction.atomic():
        Node.objects.filter(pk=node.pk).update(token_hash=_hash(token), token_rotated_at=timezone.now())
        audit.log(Event.FEDERATION_TOKEN_ROTATED, obj=node, node=node.code)
    return token


def node_set_suspended(*, node: Node, suspended: bool) -> None:
    status = Node.Status.SUSPENDED if suspended else Node.Status.ACTIVE
    with transaction.atomic():
        Node.objects.filter(pk=node.pk).update(status=status)
        audit.log(Event.FEDERATION_NODE_SUSPENDED, obj=node, node=node.code, status=str(status))


def authenticate(token: str) -> Node | None:
    """The node a token belongs to (active or suspended: the caller decides), or None. Constant-time comparison."""
    code, dot, _secret = token.partition(".")
    if not dot or len(token) > 200:
        return None
    node = Node.objects.filter(code=code).first()
    if node is None or not hmac.compare_digest(node.token_hash, _hash(token)):
        return None
    return node
