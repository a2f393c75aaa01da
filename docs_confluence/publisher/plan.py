"""The plan: what a publish will do, action by action, before anything is written.

Actions are values; :func:`docs_confluence.publisher.compare.plan` makes them and
:mod:`docs_confluence.publisher.apply` carries them out in the order they are listed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .ownership import IndexEntry

__all__ = [
    "Action",
    "Conflict",
    "Create",
    "Held",
    "Keep",
    "Move",
    "Orphan",
    "Plan",
    "Relabel",
    "RemoveAttachment",
    "Reorder",
    "Retitle",
    "Trash",
    "Update",
    "Upload",
    "format_plan",
    "label_changes",
    "named",
    "page_name",
    "page_titles",
]


#: The reason of an update that brings a page of ours back from the trash.
RESTORE = "restore from the trash"
#: The reason of an update that takes over a page someone else created (the adopt option).
ADOPT = "adopt"
#: The reason of an update that publishes a draft of ours (a run without the draft option).
PUBLISH = "publish draft"


@dataclass(frozen=True, slots=True)
class Create:
    """Create page *key* as the last child of *parent* (a bundle key; None = the anchor);
    as a draft readers do not see when *draft* (the draft option)."""

    key: str
    title: str
    parent: str | None
    draft: bool = False
    kind: Literal["create"] = "create"
    writes: int = 1


@dataclass(frozen=True, slots=True)
class Update:
    """Write a new version of an existing page (body, title and/or parent). *draft*: the page
    is a draft of ours and stays one (the draft option); a draft updated without it is
    published (reason :data:`PUBLISH`)."""

    key: str
    title: str
    page_id: str
    version: int
    parent: str | None
    reasons: tuple[str, ...]
    draft: bool = False
    kind: Literal["update"] = "update"
    writes: int = 1

    @property
    def places(self) -> bool:
        """Whether it puts the page somewhere (a new parent, or back from the trash): such
        updates run one by one in tree order, parents first."""
        return "parent" in self.reasons or RESTORE in self.reasons

    @property
    def publishes(self) -> bool:
        """Whether it publishes a draft of ours where it is: such updates run level by level
        of the tree (parents first), the pages of one level concurrently."""
        return PUBLISH in self.reasons and not self.places


@dataclass(frozen=True, slots=True)
class Retitle:
    """Give a page of ours *title* before pages are created or updated, so titles can move
    between our pages (swaps, chains, a new page taking an old page's title) without two pages
    ever holding one title. *temporary* titles are replaced later in the same publish. A page
    that left the docs (*orphan*) keeps its body and gets a title saying it was retired."""

    key: str
    title: str
    page_id: str
    version: int
    parent_id: str | None
    previous: str
    temporary: bool = False
    orphan: bool = False
    sha: str | None = None  # the body it holds (for the version marker), when known
    trashed: bool = False  # an orphan in the trash: renamed (which restores it), then trashed
    draft: bool = False  # a draft of ours that stays one (the draft option)
    kind: Literal["retitle"] = "retitle"
    writes: int = 1


@dataclass(frozen=True, slots=True)
class Move:
    """Re-parent an unchanged page (no new version): last child of *parent*."""

    key: str
    title: str
    page_id: str
    parent: str | None
    kind: Literal["move"] = "move"
    writes: int = 1


@dataclass(frozen=True, slots=True)
class Reorder:
    """Put a page right *where* (``before``/``after``) its sibling *sibling*."""

    key: str
    title: str
    where: Literal["before", "after"]
    sibling: str
    kind: Literal["reorder"] = "reorder"
    writes: int = 1


@dataclass(frozen=True, slots=True)
class Upload:
    """Upload (or add a version to) an attachment whose content changed, or that a person
    deleted in Confluence (*restore*)."""

    key: str
    title: str
    filename: str
    restore: bool = False
    kind: Literal["upload"] = "upload"
    writes: int = 1


@dataclass(frozen=True, slots=True)
class RemoveAttachment:
    """Delete an attachment we uploaded that the page no longer has."""

    key: str
    title: str
    filename: str
    attachment_id: str
    kind: Literal["remove-attachment"] = "remove-attachment"
    writes: int = 1


@dataclass(frozen=True, slots=True)
class Relabel:
    """Add and remove labels we manage (labels added by people are left alone)."""

    key: str
    title: str
    add: tuple[str, ...]
    remove: tuple[str, ...]
    kind: Literal["relabel"] = "relabel"
    writes: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "writes", (1 if self.add else 0) + len(self.remove))


@dataclass(frozen=True, slots=True)
class Trash:
    """Move a page we own that left the bundle to the trash (cleanup on)."""

    key: str
    title: str
    page_id: str
    first: bool = False  # before anything else: a page of this publish wants its title
    draft: bool = False  # a draft of ours: deleted (drafts are never trashed)
    kind: Literal["trash"] = "trash"
    writes: int = 1


@dataclass(frozen=True, slots=True)
class Keep:
    """Nothing to do for this page."""

    key: str
    title: str
    page_id: str
    kind: Literal["keep"] = "keep"
    writes: int = 0


@dataclass(frozen=True, slots=True)
class Conflict:
    """A person changed this page (its body, place or title) or one of its attachments in
    Confluence since our last publish; we leave it alone. *reason* says what they did."""

    key: str
    title: str
    page_id: str
    reason: str
    kind: Literal["conflict"] = "conflict"
    writes: int = 0
    #: Whether on_conflict=overwrite replaces it (False: a person's decision it respects, such
    #: as archiving the page; messages then never advise it).
    overwrite: bool = True


@dataclass(frozen=True, slots=True)
class Held:
    """Changes to a published page of ours held back because this run creates drafts (the
    draft option): readers would see them at once. A run without the option writes them.
    *reasons* says what is waiting (``body``, ``title``, ``parent``, ``order``, ``files``…)."""

    key: str
    title: str
    page_id: str
    reasons: tuple[str, ...]
    kind: Literal["held"] = "held"
    writes: int = 0


@dataclass(frozen=True, slots=True)
class Orphan:
    """A page we own that left the bundle; kept because cleanup is off (or *reason*)."""

    key: str
    title: str
    page_id: str
    reason: str = ""
    kind: Literal["orphan"] = "orphan"
    writes: int = 0


Action = (
    Create
    | Update
    | Move
    | Retitle
    | Reorder
    | Upload
    | RemoveAttachment
    | Relabel
    | Trash
    | Keep
    | (Conflict | Held | Orphan)
)


@dataclass(frozen=True, slots=True)
class Plan:
    """Actions in the order they will run, plus problems that forbid running any of them."""

    actions: tuple[Action, ...] = ()
    errors: tuple[str, ...] = ()
    anchor_id: str = ""
    space_key: str = ""
    #: Index keys whose page passes to another bundle key (a moved or renamed source file).
    rekeys: tuple[tuple[str, str], ...] = ()
    #: Index keys whose page is gone from Confluence (purged or deleted by someone).
    forgotten: tuple[str, ...] = ()
    #: Pages a crashed run created but never recorded, found by their pending titles: ours;
    #: and pages someone else created that the adopt option takes over (their ``adopt`` update
    #: records them once it is written).
    adopted: tuple[tuple[str, IndexEntry], ...] = ()
    #: Pages Confluence moved up when their parent went to the trash, and where to: recorded
    #: before the parent is restored, so a run that cannot finish still knows it next time.
    moved_up: tuple[tuple[str, str], ...] = ()
    #: Pages found as a write of ours left them (their version carries our marker, they sit
    #: where the docs want them) while the index says otherwise: a run that stopped between a
    #: write and its index save, or another publish of the same docs, wrote them. The index
    #: records them (no page is written), so later runs compare with that write.
    recorded: tuple[tuple[str, IndexEntry], ...] = ()
    #: Each page's rank among the docs' pages of its parent, recorded once the run has put
    #: them in that order (pages a person reordered and that are left where they put them
    #: keep the rank they had, so the next run reports them again).
    order: tuple[tuple[str, int], ...] = ()

    @property
    def writes(self) -> int:
        """How many write requests the actions need (index bookkeeping not counted)."""
        return sum(action.writes for action in self.actions)

    @property
    def conflicts(self) -> tuple[Conflict, ...]:
        """Pages left alone because people edited them."""
        return tuple(a for a in self.actions if isinstance(a, Conflict))

    def count(self, kind: str) -> int:
        """How many actions of *kind* (``create``, ``update``…)."""
        return sum(1 for action in self.actions if action.kind == kind)

    def to_json(self) -> dict[str, Any]:
        """The plan as JSON-ready data (for ``docs-confluence plan --json``)."""
        return {
            "space": self.space_key,
            "anchor_id": self.anchor_id,
            "errors": list(self.errors),
            "writes": self.writes,
            "rekeys": [list(pair) for pair in self.rekeys],
            "forgotten": list(self.forgotten),
            "adopted": {key: entry.to_json() for key, entry in self.adopted},
            "moved_up": [list(pair) for pair in self.moved_up],
            "recorded": {key: entry.to_json() for key, entry in self.recorded},
            "actions": [asdict(action) for action in self.actions],
        }


def format_plan(plan: Plan) -> str:
    """The plan as a table people can read before anything is written: pages are named by
    their titles (parents and siblings too), never by internal keys."""
    titles = page_titles(plan)
    rows = [
        (_kind(action), action.title, _detail(action, titles))
        for action in plan.actions
        if action.kind != "keep"
    ]
    kept = plan.count("keep")
    writes = f"{plan.writes} write{'' if plan.writes == 1 else 's'}"
    pages = f"{kept} page{'' if kept == 1 else 's'} unchanged"
    lines = [f"Plan for space {plan.space_key}: {writes}, {pages}"]
    if rows:
        width_kind = max(len(r[0]) for r in rows)
        width_title = min(max(len(r[1]) for r in rows), 50)
        for kind, title, detail in rows:
            lines.append(f"  {kind:<{width_kind}}  {title[:50]:<{width_title}}  {detail}".rstrip())
    lines.extend(f"  error: {error}" for error in plan.errors)
    return "\n".join(lines)


def _kind(action: Action) -> str:
    if isinstance(action, Update) and ADOPT in action.reasons:
        return ADOPT
    if isinstance(action, Update) and PUBLISH in action.reasons:
        return "publish"
    if isinstance(action, Create | Update) and action.draft:
        return f"{action.kind} draft"
    if isinstance(action, Retitle) or (isinstance(action, Update) and action.reasons == ("title",)):
        return "rename"
    return action.kind


def page_titles(plan: Plan) -> dict[str, str]:
    """Each page's title after the publish, by key (temporary titles left out)."""
    return {
        action.key: action.title
        for action in plan.actions
        if isinstance(action, Create | Update | Move | Keep | Conflict | Held)
    }


def named(key: str | None, titles: Mapping[str, str]) -> str:
    """How a plan line names the page *key* (None: the configured parent page)."""
    if key is None:
        return "the parent page"
    return repr(titles[key]) if key in titles else repr(key)


def _detail(action: Action, titles: Mapping[str, str]) -> str:
    if isinstance(action, Create | Move):
        return f"under {named(action.parent, titles)}"
    if isinstance(action, Held):
        return "held back (draft mode): " + ", ".join(action.reasons)
    if isinstance(action, Update) and ADOPT in action.reasons:
        also = [reason for reason in action.reasons if reason != ADOPT]
        return ", ".join([f"page {action.page_id} taken over (keeps its history), body", *also])
    if isinstance(action, Update):
        return ", ".join(action.reasons)
    if isinstance(action, Reorder):
        return f"{action.where} {named(action.sibling, titles)}"
    if isinstance(action, Upload) and action.restore:
        return f"{action.filename} (deleted in Confluence; restored)"
    if isinstance(action, Upload | RemoveAttachment):
        return action.filename
    if isinstance(action, Retitle):
        note = (
            " (for now)"
            if action.temporary
            else " (no longer in the docs)"
            if action.orphan
            else ""
        )
        return f"from {action.previous!r}{note}"
    if isinstance(action, Relabel):
        return label_changes(action)
    if isinstance(action, Conflict | Orphan) and action.reason:
        return action.reason
    if isinstance(action, Trash | Orphan):
        return "no longer in the docs"
    return ""


def label_changes(action: Relabel) -> str:
    """``labels +a +b, -c``: the labels added, then those removed, as words."""
    added = " ".join(f"+{label}" for label in action.add)
    removed = " ".join(f"-{label}" for label in action.remove)
    return "labels " + ", ".join(part for part in (added, removed) if part)


def page_name(action: Action) -> str:
    """How messages name the page an action is for."""
    return f"Page {action.title!r} ({action.key})"
