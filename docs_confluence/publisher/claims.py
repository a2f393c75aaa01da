"""Whose is the page that holds a title this project claimed: the rule for taking a page found
by title (a create answered "already exists" or lost, a pending claim a crashed run left).

Several projects often publish with one account under one parent page, so "this account made
it" says nothing about which project did. Before creating pages a run records, with each
pending title, a :class:`~.ownership.Claim`: the parent it creates the page under and the sha of
the body it sends. A page found later is compared by what readers see (:func:`reader_sha`:
markup Confluence rewrites on save reads the same) with that body, taken from the docs while
they still hold it (when they changed since, the claim counts as one without evidence). A
page found by a claimed title is this project's create only when

* no other docs-confluence project's index on the anchor lists it,
* this account made it,
* at version 1 (nobody has written it since its create), it sits under the claimed parent and
  its body reads as the claimed one (one read of its body: only for such pages), and no other
  project's pending claim on the title matches it as well (both projects creating the same page
  under the same parent: neither can tell, so neither takes it);
* later versions (a run of ours rewrote it, or a person edited it) are ours unless another
  project has a claim on the title.

A claim recorded before claims carried evidence (a plain pending title) is checked as before:
this account made it, and no other project lists it or claims its title.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from ..errors import StorageError
from ..readable.text import reader_lines
from .ownership import short_sha

if TYPE_CHECKING:
    from ..rest.models import RemotePage
    from .ownership import Claim, ForeignPages

__all__ = ["not_our_create", "reader_sha"]


def reader_sha(storage: str) -> str | None:
    """The 16-digit sha of what readers see in *storage* (None when it cannot be read)."""
    try:
        lines = reader_lines(storage)
    except StorageError:
        return None
    return short_sha(hashlib.sha256("\n".join(lines).encode()).hexdigest())


def not_our_create(
    page: RemotePage,
    claim: Claim,
    *,
    account_id: str | None,
    seen_sha: str | None,
    foreign: ForeignPages,
    expected_sha: str | None = None,
    expected_parent: str | None = None,
    just_created: bool = False,
) -> str | None:
    """Why *page* (found by the title of our *claim*) is not the page a run of this project
    created, or None when it is. *seen_sha*: :func:`reader_sha` of its body, read only when it
    is at version 1 and the claim carries evidence; *expected_sha*: :func:`reader_sha` of the
    body the claim names (None when the docs no longer have it: the claim then counts as one
    without evidence). *expected_parent*: for a claim without evidence, where this project
    would put the page (None: not known). *just_created*: looked up right after this run's
    create, so it must still be at version 1."""
    owner = foreign.ids.get(page.id)
    if owner is not None:
        return f"docs-confluence project {owner!r} lists it in its ownership index"
    if page.author_id is None or page.author_id != account_id:
        return "another account created it"
    if just_created and page.version != 1:
        return f"it is at version {page.version}; pages this run created are at version 1"
    rivals = foreign.claims.get(page.title.casefold(), ())
    parent = claim.parent or expected_parent
    if page.version == 1 and parent is not None and _misplaced(page, parent):
        return (
            f"it is under page {page.parent_id}, not under page {parent} where this project puts it"
        )
    if page.version != 1 or claim.sha is None or expected_sha is None:
        if rivals:
            return f"docs-confluence project {rivals[0][0]!r} claimed the title too"
        return None
    if seen_sha != expected_sha:
        return "its body is not the one this project created it with"
    for project, theirs in rivals:
        same_place = theirs.parent is None or not _misplaced(page, theirs.parent)
        if theirs.sha is None or (theirs.sha == claim.sha and same_place):
            return (
                f"docs-confluence project {project!r} claimed the title too, for a page that "
                "reads the same under the same parent"
            )
    return None


def _misplaced(page: RemotePage, parent: str) -> bool:
    """Whether *page* is under another page than *parent* (drafts, in no tree, never are)."""
    return page.status != "draft" and page.parent_id != parent
