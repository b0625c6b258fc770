"""Killing a worker the hard way, as a power cut would: the worker process and the jobs it runs.

RQ runs each job in a forked "work horse" that puts itself in a process group of its own, so that
SIGKILL to the worker's group leaves the job running as an orphan. `kill_with_children` kills the
worker and every descendant (found through Linux's `/proc/<pid>/task/*/children`) at once.
"""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path


def descendants(pid: int) -> list[int]:
    """The process ids of every child of `pid`, their children, and so on (Linux)."""
    found: list[int] = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            for child in map(int, children.read_text().split()):
                found += [child, *descendants(child)]
    return found


def kill_with_children(pid: int) -> None:
    """SIGKILL `pid` and all its descendants; the ones already gone are passed over."""
    for victim in [*descendants(pid), pid]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(victim, signal.SIGKILL)
