"""The CI recipes of docs/ci.md, run: their shell steps (not the CI services) against sandboxes.

The blocks marked ``<!-- ci-recipe: NAME -->`` are read from the page; install steps are left
out (the package is installed here). A pull request's steps start their own sandbox; the main
branch's steps publish into a sandbox standing in for the real site, its address and credentials
given as the CI secrets and variables would be.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

DOC = Path(__file__).parents[2] / "docs" / "ci.md"
PAGES = {
    "index.md": "# Home\n\nSee [install](guide/install.md).\n",
    "guide/install.md": "# Install\n\nRun it.\n",
}


def recipe(name: str) -> str:
    found = re.search(
        rf"<!-- ci-recipe: {re.escape(name)} -->\n```\w*\n(.*?)\n```", DOC.read_text(), re.S
    )
    assert found, f"no ci-recipe {name!r} in {DOC}"
    return found.group(1)


@pytest.fixture
def project(tmp_path):
    """A docs project with the recipe's mkdocs.yml."""
    (tmp_path / "mkdocs.yml").write_text(recipe("mkdocs.yml"))
    for name, text in PAGES.items():
        path = tmp_path / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_steps(project: Path, steps: list[tuple[str, dict[str, str]]], extra_env: dict[str, str]):
    """Run each shell step as the runner would (bash -e, in the checkout); stops sandboxes
    the steps left running."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CONFLUENCE_", "GITHUB_"))}
    base["PATH"] = str(Path(sys.executable).parent) + os.pathsep + base.get("PATH", "")
    for script, env in steps:
        process = subprocess.Popen(
            ["bash", "-e", "-c", script],
            cwd=project,
            env={**base, **extra_env, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            out, err = process.communicate(timeout=120)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)  # a sandbox the step started
        assert process.returncode == 0, f"step failed:\n{script}\n{out}\n{err}"
        yield out, err


def github_steps(
    event: str, secrets: dict[str, str], port: int
) -> list[tuple[str, dict[str, str]]]:
    workflow = yaml.safe_load(recipe("github"))
    steps = []
    for step in workflow["jobs"]["confluence"]["steps"]:
        if "run" not in step or step.get("name") == "Install":
            continue
        condition = step.get("if", "")
        if condition and f"github.event_name == '{event}'" not in condition:
            continue
        env = {
            name: re.sub(
                r"\$\{\{ (?:vars|secrets)\.(\w+) \}\}", lambda m: secrets[m.group(1)], value
            ).replace("8090", str(port))
            for name, value in step.get("env", {}).items()
        }
        steps.append((step["run"].replace("8090", str(port)), env))
    return steps


def secrets_for(live_confluence) -> dict[str, str]:
    return {
        "CONFLUENCE_URL": live_confluence.base_url,
        "CONFLUENCE_SPACE": "DOC",
        "CONFLUENCE_USER": live_confluence.email,
        "CONFLUENCE_API_TOKEN": live_confluence.api_token,
    }


def test_github_pull_request_checks_the_docs_against_the_sandbox(project):
    summary = project / "summary.md"
    github = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    steps = github_steps("pull_request", {}, free_port())
    assert len(steps) == 2  # the build, the sandbox check; not the publish
    outputs = list(run_steps(project, steps, github))
    result = json.loads((project / "confluence-result.json").read_text())
    assert result["ok"] is True
    assert result["counts"] == {"created": 3}  # with the nav section Guide
    assert {p["source"] for p in result["pages"]} == {"index.md", "guide/install.md", None}
    assert "[3/3] Created" in outputs[1][1]
    assert "Plan for space DOC: 0 writes, 3 pages unchanged" in outputs[1][0]
    assert summary.read_text().startswith("### Confluence: published to space DOC")


def test_github_main_publishes_with_the_secrets(project, live_confluence):
    summary = project / "summary.md"
    github = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    steps = github_steps("push", secrets_for(live_confluence), free_port())
    assert len(steps) == 2  # the build, the publish; not the sandbox check
    outputs = list(run_steps(project, steps, github))
    assert live_confluence.page("DOC", "Install").body is not None
    result = json.loads((project / "confluence-result.json").read_text())
    assert [p["outcome"] for p in result["pages"]] == ["created"] * 3
    assert all(p["url"].startswith(live_confluence.base_url) for p in result["pages"])
    everything = "".join(o + e for o, e in outputs) + summary.read_text()
    assert live_confluence.api_token not in everything


def gitlab_job(name: str, variables: dict[str, str], port: int) -> list[tuple[str, dict[str, str]]]:
    pipeline = yaml.safe_load(recipe("gitlab"))
    job = {**pipeline[pipeline[name]["extends"]], **pipeline[name]}
    lines = [
        line
        for line in [*job["before_script"], *job["script"]]
        if not line.startswith("pip install")
    ]
    env = {k: str(v).replace("8090", str(port)) for k, v in job.get("variables", {}).items()}
    return [("\n".join(lines).replace("8090", str(port)), {**variables, **env})]


def test_gitlab_merge_request_checks_the_docs_against_the_sandbox(project):
    outputs = list(run_steps(project, gitlab_job("docs-check", {}, free_port()), {}))
    result = json.loads((project / "confluence-result.json").read_text())
    assert result["ok"] is True
    assert [p["outcome"] for p in result["pages"]] == ["created"] * 3
    assert "Published to space DOC: 3 created" in outputs[0][1]


def test_gitlab_main_publishes_with_the_variables(project, live_confluence):
    variables = secrets_for(live_confluence)
    list(run_steps(project, gitlab_job("docs-publish", variables, free_port()), {}))
    assert live_confluence.page("DOC", "Install").body is not None
    result = json.loads((project / "confluence-result.json").read_text())
    assert result["counts"] == {"created": 3}
