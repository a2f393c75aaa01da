"""sphinxcontrib-confluencebuilder as a benchmark peer: its own venv, never a project dependency.

Shared by ``adopt_confluencebuilder.py`` and ``compare_confluencebuilder.py``. The venv is
``bench/.venvs/confluencebuilder`` (or ``$CONFLUENCEBUILDER_VENV``); :func:`ensure_venv` makes
it with pip from PyPI when it is missing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PEER = Path(os.environ.get("CONFLUENCEBUILDER_VENV", HERE / ".venvs" / "confluencebuilder"))
PEER_PYTHON = PEER / "bin" / "python"


def ensure_venv(*requirements: Path) -> Path:
    """The peer venv's python, made (``python3 -m venv`` + pip) when it lacks the peer;
    *requirements* files (a corpus's pins) are installed with it, so both tools build with the
    same Sphinx."""
    if not PEER_PYTHON.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEER)], check=True)
    wanted = [arg for path in requirements for arg in ("-r", str(path))]
    check = subprocess.run(
        [str(PEER_PYTHON), "-c", "import sphinxcontrib.confluencebuilder"],
        capture_output=True,
        check=False,
    )
    if check.returncode:
        packages = [*wanted, "sphinxcontrib-confluencebuilder"]
        subprocess.run([str(PEER_PYTHON), "-m", "pip", "install", "-q", *packages], check=True)
    return PEER_PYTHON


def peer_version() -> str:
    """The installed sphinxcontrib-confluencebuilder version."""
    run = subprocess.run(
        [str(PEER_PYTHON), "-m", "pip", "show", "sphinxcontrib-confluencebuilder"],
        capture_output=True,
        text=True,
        check=False,
    )
    for line in run.stdout.splitlines():
        if line.startswith("Version:"):
            return line.split(":", 1)[1].strip()
    return "?"


def sphinx(
    python: Path,
    source: Path,
    out: Path,
    env: dict[str, str],
    *,
    quiet: bool = True,
    fresh: bool = True,
) -> subprocess.CompletedProcess[str]:
    """``python -m sphinx -b confluence source out`` (``-E``: a fresh environment)."""
    command = [str(python), "-m", "sphinx", "-b", "confluence", str(source), str(out)]
    if fresh:
        command.insert(3, "-E")
    if quiet:
        command.append("-q")
    return subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, **env}, check=False
    )
