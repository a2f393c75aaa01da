"""Drafts for review (the draft option), applied to a plan made as if there were no drafts.

With the option, new pages are created as Confluence drafts, which readers do not see, and
drafts of ours get the docs' changes as drafts. Changes to pages readers already see (body,
title, parent, order, files, labels, a restore or an adoption) are *held back* and reported:
writing them as drafts of published pages is not safe with what is known of the API (see
docs/drafts.md), and writing them as published versions would show readers unreviewed changes.

Without the option, every draft of ours is published (one write each, parents first), with
the docs' current body, and is then an ordinary page.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from .plan import (
    PUBLISH,
    Action,
    Create,
    Held,
    Keep,
    Move,
    Relabel,
    RemoveAttachment,
    Reorder,
    Retitle,
    Trash,
    Update,
    Upload,
)

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ..bundle import Bundle
    from ..rest.models import RemotePage

__all__ = ["publish_levels", "settle_drafts"]

#: What a held-back action changes, as the plan line says it.
_HELD_REASON = {
    "move": "parent",
    "retitle": "title",
    "reorder": "order",
    "upload": "files",
    "remove-attachment": "files",
    "relabel": "labels",
}


def settle_drafts(
    actions: Sequence[Action],
    pages: Mapping[str, RemotePage],
    bundle: Bundle,
    *,
    draft: bool,
) -> list[Action]:
    """*actions* adjusted for drafts: *pages* are our pages by key (those of the docs and those
    that left them), as Confluence has them now; *draft* is the option."""
    drafts = {key for key, page in pages.items() if page.status == "draft"}
    actions = [
        replace(a, draft=True) if isinstance(a, Trash) and a.key in drafts else a for a in actions
    ]
    if not draft:
        return [_publish(a, pages, bundle) if a.key in drafts else a for a in actions]
    held: dict[str, list[str]] = {}
    kept: list[Action] = []
    unplaced = drafts | {a.key for a in actions if isinstance(a, Create)}
    for action in actions:
        if isinstance(action, Create):
            kept.append(replace(action, draft=True))
        elif isinstance(action, Reorder) and (action.key in unplaced or action.sibling in unplaced):
            continue  # drafts have no place among siblings yet: ordered once published
        elif action.key in drafts:
            if isinstance(action, Update | Retitle):
                kept.append(replace(action, draft=True))
            elif isinstance(action, Move):
                page = pages[action.key]
                kept.append(
                    Update(
                        action.key,
                        action.title,
                        action.page_id,
                        page.version + 1,
                        action.parent,
                        ("parent",),
                        draft=True,
                    )
                )
            else:
                kept.append(action)
        elif (
            action.key in pages
            and action.key in bundle
            and isinstance(
                action, Update | Move | Retitle | Reorder | Upload | RemoveAttachment | Relabel
            )
        ):
            reasons = action.reasons if isinstance(action, Update) else (_HELD_REASON[action.kind],)
            waiting = held.setdefault(action.key, [])
            for reason in reasons:
                if reason not in waiting:
                    waiting.append(reason)
        else:
            kept.append(action)
    result: list[Action] = []
    for action in kept:
        if isinstance(action, Keep) and action.key in held:
            continue  # replaced by its Held line below
        result.append(action)
    for key, waiting in held.items():
        page = pages[key]
        title = bundle.page(key).title if key in bundle else page.title
        result.append(Held(key, title, page.id, tuple(waiting)))
    return result


def _publish(action: Action, pages: Mapping[str, RemotePage], bundle: Bundle) -> Action:
    """The action for a draft of ours in a run without the option: it is published."""
    page = pages[action.key]
    if isinstance(action, Update):
        return replace(action, reasons=(*action.reasons, PUBLISH))
    if isinstance(action, Keep | Move) and action.key in bundle:
        wanted = bundle.page(action.key)
        reasons = ("parent", PUBLISH) if isinstance(action, Move) else (PUBLISH,)
        return Update(action.key, wanted.title, page.id, page.version + 1, wanted.parent, reasons)
    return action


def publish_levels(actions: Sequence[Action], bundle: Bundle) -> list[list[Update]]:
    """The updates that publish drafts where they are, by depth in the docs' tree: a draft is
    published after its parent (whether Confluence needs that is unconfirmed; it costs nothing)."""
    levels: dict[int, list[Update]] = {}
    for action in actions:
        if isinstance(action, Update) and action.publishes:
            depth, key = 0, bundle.page(action.key).parent
            while key is not None:
                depth, key = depth + 1, bundle.page(key).parent
            levels.setdefault(depth, []).append(action)
    return [levels[depth] for depth in sorted(levels)]
