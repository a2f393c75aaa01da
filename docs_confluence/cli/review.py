"""Reviewing before a publish: ``plan --diff`` output and ``docs-confluence edits``.

Both print what a reader sees change (:mod:`docs_confluence.readable`), in colour on a terminal
and plain elsewhere (CI logs, files, pipes, ``NO_COLOR``).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from ..bundle import read_bundle
from ..publisher import open_client
from ..publisher.edits import find_edits
from ..readable import format_diff
from .output import colour_wanted, print_json, redact

if TYPE_CHECKING:
    import argparse
    from collections.abc import Mapping

    from ..bundle import Bundle
    from ..config import PublisherConfig
    from ..readable import ReadableDiff

__all__ = ["print_diffs", "run_edits"]


def run_edits(args: argparse.Namespace, config: PublisherConfig) -> int:
    """``docs-confluence edits BUNDLE``: 0 whether or not people changed pages (it only reads).
    *config*: from the target options, which plan and publish share."""
    bundle = read_bundle(args.bundle_dir)
    with open_client(config) as client:
        report = find_edits(bundle, config, client)
    if args.json:
        print_json(report.to_json())
        return 0
    for line in report.lines(colour=colour_wanted(sys.stdout)):
        print(redact(line))
    return 0


def print_diffs(bundle: Bundle, diffs: Mapping[str, ReadableDiff]) -> None:
    """Each page's diff under its title (as the docs have it), after the plan table."""
    colour = colour_wanted(sys.stdout)
    for key, diff in diffs.items():
        print(f"\nChanges to {bundle.page(key).title!r}:")
        for line in format_diff(diff, colour=colour):
            print(line)
