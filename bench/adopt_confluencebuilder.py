"""Adopting what sphinxcontrib-confluencebuilder published (issue 12, item 3), against the sandbox.

Usage::

    .venv/bin/python bench/adopt_confluencebuilder.py [--flavor datacenter|cloud] [--work DIR]

A small Sphinx project is published into a fresh sandbox by confluencebuilder (from its
benchmark venv, ``bench/.venvs/confluencebuilder`` or ``$CONFLUENCEBUILDER_VENV``, set up as in
``bench/fidelity.py``; never a project dependency), signed in as alice, under the space
homepage. Then our Sphinx builder publishes the same project: without ``confluence_adopt`` it
must stop before any write and name the option; with it, every page confluencebuilder made
is taken over (same ids, no duplicates, our bodies), and a republish writes nothing. Exits 1
when any of that does not hold.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import textwrap
from pathlib import Path

from confluencebuilder_peer import PEER, PEER_PYTHON, sphinx

from docs_confluence.testing import SandboxHarness

PAGES = {
    "index": "Adoption demo\n=============\n\nThe start.\n\n.. toctree::\n\n   install\n   usage\n",
    "install": (
        "Installing\n==========\n\nRun ``pip install demo``.\n\nUpgrading\n---------\n\nAgain.\n"
    ),
    "usage": "Using it\n========\n\nCall ``demo()``.\n",
}


def write_project(source: Path, extra: str) -> None:
    source.mkdir(parents=True, exist_ok=True)
    for name, text in PAGES.items():
        (source / f"{name}.rst").write_text(text, encoding="utf-8")
    conf = 'project = "Adoption demo"\nextensions: list[str] = []\n' + textwrap.dedent(extra)
    (source / "conf.py").write_text(conf, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flavor", choices=("datacenter", "cloud"), default="datacenter")
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args(argv)
    peer_python = PEER_PYTHON
    if not peer_python.exists():
        sys.exit(f"no confluencebuilder venv at {PEER} (see bench/fidelity.py for its setup)")
    work = args.work or Path(tempfile.mkdtemp(prefix="adopt-ccb-"))
    problems: list[str] = []
    with SandboxHarness.create(flavor=args.flavor).served() as server:
        home = server.space("DOC")
        home_title = server.page_by_id(str(home.homepage_id)).title
        theirs = work / "confluencebuilder"
        write_project(
            theirs,
            f"""
            extensions = ["sphinxcontrib.confluencebuilder"]
            confluence_publish = True
            confluence_server_url = {server.base_url + "/"!r}
            confluence_space_key = "DOC"
            confluence_parent_page = {home_title!r}
            confluence_server_user = {server.human_email!r}
            confluence_server_pass = {server.human_token!r}
            confluence_page_hierarchy = True
            confluence_watch = True  # the sandbox has no watch API
            """,
        )
        run = sphinx(peer_python, theirs, work / "ccb-out", {})
        print(f"confluencebuilder: exit {run.returncode}")
        if run.returncode:
            print(run.stdout[-3000:], run.stderr[-3000:])
            return 1
        before = {p.title: p.id for p in server.store.pages.all(space_id=home.id)}
        print("pages after confluencebuilder:", sorted(before))

        ours = work / "ours"
        write_project(
            ours,
            """
            extensions = ["sphinx_confluence"]
            confluence_project = "adoption-demo"
            """,
        )
        env = {
            "CONFLUENCE_URL": server.base_url,
            "CONFLUENCE_SPACE": "DOC",
            "CONFLUENCE_USER": server.email,
            "CONFLUENCE_API_TOKEN": server.api_token,
        }
        server.stats.reset()
        refused = sphinx(Path(sys.executable), ours, work / "ours-out", env)
        said = refused.stdout + refused.stderr
        print(f"ours, without adopt: exit {refused.returncode}, writes {server.stats.writes}")
        print("\n".join(line for line in said.splitlines() if "does not own" in line))
        if refused.returncode == 0 or "confluence_adopt = True" not in said:
            problems.append("without adopt the publish did not stop naming confluence_adopt")
        if server.stats.writes:
            problems.append("without adopt something was written")
        (ours / "conf.py").write_text(
            (ours / "conf.py").read_text(encoding="utf-8") + "confluence_adopt = True\n",
            encoding="utf-8",
        )
        adopted = sphinx(Path(sys.executable), ours, work / "ours-out", env, quiet=False)
        print(f"ours, with adopt: exit {adopted.returncode}")
        told = (adopted.stdout + adopted.stderr).splitlines()
        print("\n".join(line for line in told if "adopt" in line or "Plan for" in line))
        if adopted.returncode:
            problems.append("the publish with adopt failed:\n" + adopted.stderr[-3000:])
        after = server.store.pages.all(space_id=home.id)
        titles = [p.title for p in after if p.status == "current"]
        if len(titles) != len(set(titles)) or len(after) != len(before):
            problems.append(f"duplicates or new pages: {sorted(titles)} (before: {sorted(before)})")
        for page in after:
            if page.title in before and page.id != before[page.title]:
                problems.append(f"{page.title!r} changed id")
            message = server.store.pages.head(page.id).message
            if page.id != str(home.homepage_id) and "docs-confluence" not in message:
                problems.append(f"{page.title!r} not written by us")
        server.stats.reset()
        again = sphinx(Path(sys.executable), ours, work / "ours-out", env)
        print(f"ours, republish: exit {again.returncode}, writes {server.stats.writes}")
        if again.returncode or server.stats.writes:
            problems.append(f"the republish wrote {server.stats.writes} times")
    for problem in problems:
        print("PROBLEM:", problem)
    print("work:", work)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
