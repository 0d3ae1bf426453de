"""CPU time for the few tests that bound how long something takes (bench/ measures speed; these only catch a runaway).
CPU time of this process and the programs it ran (pdftoppm, Tesseract), not the wall clock: on a loaded CI machine the
wall clock measures the machine (a refused zip bomb took 11.8 s of wall time there, well under a second of CPU)."""

from __future__ import annotations

import os


def cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system
