"""What a page carries besides its body: its attachments and the labels we manage."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from .ownership import read_upload_comment, short_sha
from .plan import Action, Conflict, Relabel, RemoveAttachment, Upload

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..bundle import Bundle, BundlePage
    from ..config import ConflictPolicy
    from ..rest.models import RemoteAttachment
    from .matching import Owned, RemoteState

__all__ = ["plan_attachments", "plan_labels"]


def plan_attachments(
    bundle: Bundle,
    remote: RemoteState,
    owned: Mapping[str, Owned],
    skipped: set[str],
    on_conflict: ConflictPolicy,
    errors: list[str],
) -> list[Action]:
    """Uploads and removals that give each page the bundle's files.

    What an attachment holds is told by the marker in the comment of its current version
    (every upload of ours carries one), as a page's body is told by its version message. A
    version without it was uploaded by a person: a conflict, like a body edit. A file of ours a
    person deleted is uploaded again. Pages whose attachments were not listed are planned from
    the index alone.
    """
    actions: list[Action] = []
    for page in bundle.pages:
        if page.key in skipped:
            continue
        item = owned.get(page.key)
        recorded = dict(item.entry.attachments) if item and item.entry else {}
        listed = remote.attachments.get(item.page.id) if item else None
        for attachment in page.attachments:
            sha = short_sha(attachment.sha256)
            known = recorded.get(attachment.filename)
            there = listed.get(attachment.filename) if listed is not None else None
            upload = Upload(page.key, page.title, attachment.filename)
            if listed is None or (there is None and known is None):
                if known is None or known[1] != sha:
                    actions.append(upload)
                continue
            if there is None:
                actions.append(replace(upload, restore=True))  # a person deleted it
                continue
            holds = read_upload_comment(there.comment)
            if holds is None and on_conflict != "overwrite":
                assert item is not None
                actions.append(_attachment_conflict(page, item, there, on_conflict, errors))
            elif holds != sha:
                actions.append(upload)
        wanted = {a.filename for a in page.attachments}
        for filename, (attachment_id, _) in sorted(recorded.items()):
            if filename in wanted:
                continue
            there = listed.get(filename) if listed is not None else None
            if listed is not None and there is None:
                continue  # already gone
            if there is not None and read_upload_comment(there.comment) is None:
                continue  # a person's version now: theirs to remove
            actions.append(RemoveAttachment(page.key, page.title, filename, attachment_id))
    return actions


def _attachment_conflict(
    page: BundlePage,
    item: Owned,
    there: RemoteAttachment,
    on_conflict: ConflictPolicy,
    errors: list[str],
) -> Conflict:
    version = f" (version {there.version})" if there.version is not None else ""
    reason = f"attachment {there.filename!r} replaced in Confluence{version}"
    if on_conflict == "fail":
        errors.append(
            f"Page {page.title!r} ({page.source or page.key}, id {item.page.id}): {reason}; "
            "re-run with on_conflict=overwrite to replace it, or keep to leave it"
        )
    return Conflict(page.key, page.title, item.page.id, reason)


def plan_labels(bundle: Bundle, owned: Mapping[str, Owned], skipped: set[str]) -> list[Action]:
    actions: list[Action] = []
    for page in bundle.pages:
        if page.key in skipped:
            continue
        item = owned.get(page.key)
        entry = item.entry if item else None
        had = set(entry.labels) if entry else set()
        add = tuple(label for label in page.labels if label not in had)
        remove = tuple(sorted(had - set(page.labels)))
        if add or remove:
            actions.append(Relabel(page.key, page.title, add, remove))
    return actions
