"""One publish in a child process, so its peak memory is the publisher's alone (the sandbox it
talks to lives in the parent, with every page it stores).

Used by ``publish.py --memory``. The child is the CLI (``python -m docs_confluence publish``),
as a user runs it; its peak resident set size comes from ``os.wait4``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


@dataclass(frozen=True, slots=True)
class ChildRun:
    """Wall seconds, peak RSS in MB, and the last line the CLI printed."""

    seconds: float
    peak_mb: float
    summary: str


def publish_in_child(
    bundle_root: Path, url: str, *, user: str, token: str, concurrency: int
) -> ChildRun:
    """Publish *bundle_root* to space DOC at *url* from a child process."""
    command = [
        sys.executable,
        "-m",
        "docs_confluence",
        "publish",
        str(bundle_root),
        "--url",
        url,
        "--space",
        "DOC",
        "--concurrency",
        str(concurrency),
    ]
    env = {**os.environ, "CONFLUENCE_USER": user, "CONFLUENCE_API_TOKEN": token}
    start = time.perf_counter()
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True
    )
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if child.returncode:
        sys.exit(f"publish failed ({child.returncode}):\n{output[-3000:]}")
    lines = [line for line in output.splitlines() if line.strip()]
    # ru_maxrss is in kilobytes on Linux.
    return ChildRun(seconds, usage.ru_maxrss / 1024, lines[-1] if lines else "")
