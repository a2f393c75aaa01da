"""plan_diffs(): for each page a plan rewrites, what a reader will see change.

The plan knows a body changed from the sha our last write recorded, without reading any body.
Asked for diffs (``plan --diff``, ``publish --dry-run --diff``, the front ends' ``diff``
option), it reads the current body of each page whose body the plan rewrites (one read per
such page, concurrently) and compares it with the bundle's through
:func:`docs_confluence.readable.readable_diff`: what Confluence holds now, as it rewrote it,
against what we would send, so Confluence's own rewriting never shows as a change.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ..readable import ReadableDiff, format_diff, readable_diff
from .concurrently import map_concurrently
from .logs import log
from .ownership import short_sha
from .plan import ADOPT, RESTORE, Retitle, Update

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..bundle import Bundle
    from ..rest.client import ConfluenceClient
    from .plan import Plan

__all__ = ["log_diffs", "plan_diffs", "rewrites_body"]

#: Update reasons under which the body we send differs from the one there.
_BODY_REASONS = {"body", "overwrite edit", ADOPT, RESTORE}


def rewrites_body(action: object, bundle: Bundle) -> bool:
    """Whether *action* writes a body that may differ from the page's current one: an update
    of the body, or a rename made early (so titles can move between pages) that carries the
    docs' new body with it."""
    if isinstance(action, Update):
        return bool(_BODY_REASONS.intersection(action.reasons))
    if isinstance(action, Retitle) and not action.orphan and action.key in bundle:
        return action.sha != short_sha(bundle.page(action.key).sha256)
    return False


def plan_diffs(
    plan: Plan, bundle: Bundle, client: ConfluenceClient, *, concurrency: int = 4
) -> dict[str, ReadableDiff]:
    """By bundle key, the readable diff of every page whose body *plan* rewrites; pages that
    would read the same (only markup differs) are left out."""
    pages: dict[str, tuple[str, bool]] = {}  # key -> (page id, in the trash)
    for action in plan.actions:
        if isinstance(action, Update | Retitle) and rewrites_body(action, bundle):
            trashed = action.trashed if isinstance(action, Retitle) else RESTORE in action.reasons
            pages.setdefault(action.key, (action.page_id, trashed))
    updates = list(pages.items())

    def diff(item: tuple[str, tuple[str, bool]]) -> tuple[str, ReadableDiff]:
        key, (page_id, trashed) = item
        current = client.get_page(page_id, body=True, trashed=trashed)
        wanted = bundle.read_body(bundle.page(key))
        return key, readable_diff(current.body or "", wanted)

    found = map_concurrently(diff, updates, concurrency, name="diff")
    return {key: changes for key, changes in found if changes.changed or changes.macros}


def log_diffs(bundle: Bundle, diffs: Mapping[str, ReadableDiff]) -> None:
    """Log each page's diff at INFO, in plan order (front ends show them through their host's
    logger; the CLI colours them on a terminal from each record's ``diff_kind``)."""
    for key, diff in diffs.items():
        log.info("Changes to %r:", bundle.page(key).title)
        for line, kind in zip(format_diff(diff), _kinds(diff), strict=True):
            log.log(logging.INFO, "%s", line, extra={"diff_kind": kind})


def _kinds(diff: ReadableDiff) -> list[str]:
    return ["gap"] * len(diff.macros) + [line.kind for line in diff.lines]
