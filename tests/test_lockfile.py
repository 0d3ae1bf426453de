"""The locked requirements install on a clean machine (pip in --require-hashes mode).

pip refuses a requirement with extras that the lock does not pin as such: WeasyPrint asks for ``fonttools[woff]``, and a
lock line ``fonttools==4.68.0`` (pip-compile --strip-extras) made pip look for the newest fonttools for the extras and
stop with "all requirements must have their versions pinned with ==" as soon as PyPI had a newer one. A clean
``make run`` failed although nothing in the repository had changed. Every extra that a locked package asks of another
locked package must therefore be on that package's lock line.
"""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LINE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[([^\]]*)\])?==([^\s\\]+)")


def locked(path: Path) -> dict[str, tuple[set[str], str]]:
    """Name -> (extras on the lock line, version)."""
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if match := LINE.match(line):
            extras = {e.strip() for e in (match.group(2) or "").split(",") if e.strip()}
            pins[canonicalize_name(match.group(1))] = (extras, match.group(3))
    return pins


@pytest.mark.parametrize("lock", ["requirements.txt", "requirements-dev.txt"])
def test_every_extra_asked_for_between_locked_packages_is_on_the_lock_line(lock):
    pins = locked(ROOT / lock)
    assert pins, f"no pinned lines read from {lock}"
    missing = []
    for name in pins:
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue  # a package for another platform or Python (its marker excludes this machine)
        for text in requires:
            req = Requirement(text)
            # Only what is installed here: a requirement for another platform or for an extra nobody asks for is not.
            if req.marker is not None and not req.marker.evaluate({"extra": ""}):
                continue
            target = canonicalize_name(req.name)
            if req.extras and target in pins and not req.extras <= pins[target][0]:
                missing.append(f"{name} asks {req.name}[{','.join(sorted(req.extras))}], {lock} pins {req.name} "
                               f"with [{','.join(sorted(pins[target][0]))}]")
    assert missing == []


def test_the_lock_commands_keep_the_extras():
    for lock in ("requirements.txt", "requirements-dev.txt"):
        assert "--strip-extras" not in (ROOT / lock).read_text(encoding="utf-8")[:600], lock
