"""The README's quick start, run as a newcomer would: start ``docs-confluence sandbox``, export
the variables it prints, add the plugin (or call the builder) and build. The commands are read
from the README (install lines left out: the package is installed here), so the quick start
cannot drift from what the tool does."""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

README = Path(__file__).parents[1] / "README.md"


def section(heading: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"### {heading}\n")
    end = text.find("\n#", start + 4)
    return text[start:end]


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)\n```", text, re.S)


def commands(block: str) -> list[str]:
    """The block's commands: comments dropped, continuation lines joined, installs skipped."""
    joined = block.replace("\\\n", " ")
    lines = [line.split("#", 1)[0].strip() for line in joined.splitlines()]
    return [line for line in lines if line and not line.startswith("pip install")]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def clean_environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CONFLUENCE_", "GITHUB_"))}
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


@pytest.fixture
def sandbox(tmp_path):
    """``docs-confluence sandbox`` as the quick start starts it, on a free port; yields the port
    and the ``export`` line it printed."""
    [start] = commands(blocks(section("Your MkDocs site"), "sh")[0])
    port = free_port()
    argv = [*shlex.split(start), "--port", str(port)]
    log = (tmp_path / "sandbox.log").open("w")
    process = subprocess.Popen(
        argv,
        env=clean_environment(),
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        printed = []
        for line in process.stdout:
            printed.append(line)
            if line.strip().startswith("export "):
                break
        else:
            pytest.fail("the sandbox printed no export line:\n" + "".join(printed))
        yield port, line.strip()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.communicate(timeout=30)
        log.close()


def exported(line: str) -> dict[str, str]:
    words = shlex.split(line)
    assert words[0] == "export"
    return dict(word.split("=", 1) for word in words[1:])


def run(command: str, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        command, shell=True, cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def readme_environment(port: int, printed_export: str) -> dict[str, str]:
    """The README's export line, which must be the one the sandbox printed (ports aside)."""
    [line] = commands(blocks(section("Your MkDocs site"), "sh")[1])
    assert exported(line) == exported(printed_export.replace(str(port), "8090"))
    variables = exported(line.replace("8090", str(port)))
    return {**clean_environment(), **variables}


def viewer_titles(port: int) -> str:
    return httpx.get(f"http://127.0.0.1:{port}/", timeout=10).text


def test_the_mkdocs_quick_start(tmp_path, sandbox):
    port, printed_export = sandbox
    env = readme_environment(port, printed_export)
    mkdocs = section("Your MkDocs site")
    [plugins] = blocks(mkdocs, "yaml")
    (tmp_path / "mkdocs.yml").write_text("site_name: Quick start\n" + plugins + "\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Welcome\n\nHello from MkDocs.\n")
    (tmp_path / "docs" / "setup.md").write_text("# Set up\n\nInstall it.\n")

    [build] = commands(blocks(mkdocs, "sh")[2])
    first = run(build, tmp_path, env)
    assert "2 created" in first
    assert "Welcome" in viewer_titles(port)
    assert "Set up" in viewer_titles(port)
    again = run(build, tmp_path, env)
    assert "2 unchanged" in again  # run it again: writes nothing


def test_the_sphinx_quick_start(tmp_path, sandbox):
    port, printed_export = sandbox
    env = readme_environment(port, printed_export)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "conf.py").write_text("project = 'Quick start'\n")
    (tmp_path / "docs" / "index.rst").write_text(
        "Handbook\n========\n\nHello from Sphinx.\n\n.. toctree::\n\n   usage\n"
    )
    (tmp_path / "docs" / "usage.rst").write_text("Usage\n=====\n\nRun it.\n")

    [build] = commands(blocks(section("Your Sphinx project"), "sh")[0])
    assert "2 created" in run(build, tmp_path, env)
    assert "Handbook" in viewer_titles(port)
    assert "Usage" in viewer_titles(port)
