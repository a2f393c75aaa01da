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
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from ..readable import ReadableDiff, format_diff, readable_diff
from .logs import log
from .plan import ADOPT, RESTORE, Update

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..bundle import Bundle
    from ..client import ConfluenceClient
    from .plan import Plan

__all__ = ["log_diffs", "plan_diffs", "rewrites_body"]

#: Update reasons under which the body we send differs from the one there.
_BODY_REASONS = {"body", "overwrite edit", ADOPT, RESTORE}


def rewrites_body(action: object) -> bool:
    """Whether *action* writes a body that may differ from the page's current one."""
    return isinstance(action, Update) and bool(_BODY_REASONS.intersection(action.reasons))


def plan_diffs(
    plan: Plan, bundle: Bundle, client: ConfluenceClient, *, concurrency: int = 4
) -> dict[str, ReadableDiff]:
    """By bundle key, the readable diff of every page whose body *plan* rewrites; pages that
    would read the same (only markup differs) are left out."""
    updates = [a for a in plan.actions if isinstance(a, Update) and rewrites_body(a)]

    def diff(action: Update) -> tuple[str, ReadableDiff]:
        trashed = RESTORE in action.reasons
        current = client.get_page(action.page_id, body=True, trashed=trashed)
        wanted = bundle.read_body(bundle.page(action.key))
        return action.key, readable_diff(current.body or "", wanted)

    if len(updates) <= 1 or concurrency <= 1:
        found = [diff(action) for action in updates]
    else:
        with ThreadPoolExecutor(min(concurrency, len(updates)), thread_name_prefix="diff") as pool:
            found = list(pool.map(diff, updates))
    return {key: changes for key, changes in found if changes.changed or changes.macros}


def log_diffs(plan: Plan, diffs: Mapping[str, ReadableDiff]) -> None:
    """Log each page's diff at INFO, in plan order (front ends show them through their host's
    logger; the CLI colours them on a terminal from each record's ``diff_kind``)."""
    titles = {a.key: a.title for a in plan.actions if isinstance(a, Update)}
    for key, diff in diffs.items():
        log.info("Changes to %r:", titles.get(key, key))
        for line, kind in zip(format_diff(diff), _kinds(diff), strict=True):
            log.log(logging.INFO, "%s", line, extra={"diff_kind": kind})


def _kinds(diff: ReadableDiff) -> list[str]:
    return ["gap"] * len(diff.macros) + [line.kind for line in diff.lines]
