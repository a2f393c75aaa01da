"""One publish in a child process, so its peak memory is the publisher's alone (the sandbox it
talks to lives in the parent, with every page it stores).

Used by ``publish.py --memory``. The child runs the CLI's ``main`` (``docs-confluence publish``)
as a user would, then prints its peak resident set size (``VmHWM``, which starts afresh at
exec; ``ru_maxrss`` would carry over the parent's peak from before the fork).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
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
        __file__,
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
    output, _ = child.communicate()
    seconds = time.perf_counter() - start
    if child.returncode:
        sys.exit(f"publish failed ({child.returncode}):\n{output[-3000:]}")
    lines = [line for line in output.splitlines() if line.strip()]
    peaks = [line for line in lines if line.startswith(_PEAK)]
    summary = [line for line in lines if not line.startswith(_PEAK)]
    peak_kb = int(peaks[-1].removeprefix(_PEAK)) if peaks else 0
    return ChildRun(seconds, peak_kb / 1024, summary[-1] if summary else "")


_PEAK = "peak-rss-kb "


def _peak_kb() -> int:
    """This process's peak resident set size in kB (Linux: VmHWM)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    from docs_confluence.cli import main

    code = main(sys.argv[1:])
    print(f"{_PEAK}{_peak_kb()}", flush=True)
    sys.exit(code)
