"""The ownership index: which Confluence pages this project created, under which bundle key.

It is what makes page identity survive renames and moves, keeps us off pages we do not own, and
lets an unchanged republish finish in a handful of reads. It lives in Confluence, not in a local
file (CI starts clean): as content properties ``docs-confluence.<project>.<n>`` on the *anchor
page* (the configured parent page, or the space homepage). Properties create no page version and
send no notification. The index is split over several properties so each stays well under
Confluence's per-property size limit; one list call reads all of them.

Per page it records the page id, the sha256 (first 16 hex digits) of the body we last wrote,
the page version that write produced, the parent we placed it under (so a person's move is
seen), its rank among its siblings (so a person's reorder is seen), the labels we added and the
attachments we uploaded.
Every write we make carries a marker saying which content it holds: the version message of a
page update, the comment of an attachment upload (see :func:`marker`, :func:`upload_comment`).
Before creating pages, their titles are recorded as *pending*: if the run dies between a create
and the next index write, the next run recognises the page it created by that title. With each
pending title goes its *claim* (:class:`Claim`): the page it is created under and the sha of
the body the create sends, the evidence that a page found by that title is this project's create and
not another project's (:mod:`.claims`). Claims sit in a section of their own (``claims``), so
indexes written before them, whose pending entries are plain titles, read as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..rest.models import RemoteProperty

__all__ = [
    "FORMAT",
    "PROPERTY_PREFIX",
    "Claim",
    "ForeignPages",
    "IndexEntry",
    "OwnershipIndex",
    "marker",
    "property_prefix",
    "read_foreign",
    "read_index",
    "read_marker",
    "read_upload_comment",
    "shard_number",
    "short_sha",
    "upload_comment",
]

FORMAT = 1

#: What every project's index property keys start with.
PROPERTY_PREFIX = "docs-confluence."


_MARKER = re.compile(r"\[docs-confluence ([0-9a-f]{16})\]")
_UPLOAD_MARKER = re.compile(r"^docs-confluence ([0-9a-f]{16})$")


def short_sha(sha256: str) -> str:
    """The 16 hex digits we keep of a sha256."""
    return sha256[:16]


def marker(sha: str) -> str:
    """The version message of every update we make: it says which body the version holds."""
    return f"Published by docs-confluence [docs-confluence {short_sha(sha)}]"


def upload_comment(sha: str) -> str:
    """The comment of every attachment version we upload: it says which bytes it holds."""
    return f"docs-confluence {short_sha(sha)}"


def read_upload_comment(comment: str) -> str | None:
    """The sha of the bytes an attachment version we uploaded holds, or None (a person's)."""
    found = _UPLOAD_MARKER.match(comment.strip())
    return found.group(1) if found else None


def read_marker(message: str) -> str | None:
    """The body sha in a version message we wrote, or None."""
    found = _MARKER.search(message)
    return found.group(1) if found else None


def property_prefix(project: str) -> str:
    """The key prefix of this project's index properties."""
    return f"{PROPERTY_PREFIX}{project}."


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """What we know about one page we own."""

    page_id: str
    sha: str | None
    version: int
    labels: tuple[str, ...] = ()
    attachments: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    parent: str | None = None  # the page we last placed it under (None: not recorded yet)
    #: where Confluence moved it when its parent went to the trash (until we put it back)
    moved_up_to: str | None = None
    #: its rank among the docs' pages of its parent, once we put them in that order (None:
    #: not recorded; a person's reorder is seen against it, :mod:`.reorders`)
    order: int | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.page_id, "sha": self.sha, "v": self.version}
        if self.parent is not None:
            data["p"] = self.parent
        if self.moved_up_to is not None:
            data["up"] = self.moved_up_to
        if self.order is not None:
            data["o"] = self.order
        if self.labels:
            data["labels"] = list(self.labels)
        if self.attachments:
            data["att"] = {name: list(value) for name, value in self.attachments.items()}
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> IndexEntry:
        return cls(
            page_id=str(data["id"]),
            sha=data.get("sha"),
            version=int(data.get("v", 0)),
            labels=tuple(data.get("labels", ())),
            attachments={k: (str(v[0]), str(v[1])) for k, v in data.get("att", {}).items()},
            parent=None if data.get("p") is None else str(data["p"]),
            moved_up_to=None if data.get("up") is None else str(data["up"]),
            order=data["o"] if isinstance(data.get("o"), int) else None,
        )


@dataclass(frozen=True, slots=True)
class Claim:
    """What a run records of a create it is about to make, besides the title: the page it
    creates it under and the sha of the body it sends (the bundle's: known, nothing to
    compute). A claim written before these were recorded (a plain pending title) carries
    neither."""

    parent: str | None = None
    sha: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"p": self.parent, "body": self.sha}

    @classmethod
    def from_json(cls, data: object) -> Claim:
        if not isinstance(data, dict):
            return cls()
        parent, sha = data.get("p"), data.get("body")
        return cls(None if parent is None else str(parent), sha if isinstance(sha, str) else None)


@dataclass(frozen=True, slots=True)
class OwnershipIndex:
    """The index as read at the start of a run."""

    project: str
    entries: Mapping[str, IndexEntry] = field(default_factory=dict)
    pending: Mapping[str, str] = field(default_factory=dict)
    #: the evidence recorded with pending titles (by key; old pending titles have none)
    claims: Mapping[str, Claim] = field(default_factory=dict)


def read_index(project: str, properties: Mapping[str, RemoteProperty]) -> OwnershipIndex:
    """Assemble the index from the anchor page's properties (ours: by key prefix)."""
    prefix = property_prefix(project)
    entries: dict[str, IndexEntry] = {}
    pending: dict[str, str] = {}
    claims: dict[str, Claim] = {}
    ours = [key for key in properties if shard_number(key, prefix) >= 0]
    for key in sorted(ours, key=lambda k: shard_number(k, prefix)):
        value = properties[key].value
        if not isinstance(value, dict) or value.get("format") != FORMAT:
            continue
        for page_key, data in value.get("pages", {}).items():
            entries[page_key] = IndexEntry.from_json(data)
        pending.update(value.get("pending", {}))
        for page_key, data in (value.get("claims") or {}).items():
            claims[page_key] = Claim.from_json(data)
    claims = {key: claim for key, claim in claims.items() if key in pending}
    return OwnershipIndex(project, entries, pending, claims)


def shard_number(key: str, prefix: str) -> int:
    """The shard number of an index property of the project with this *prefix*, or -1.

    Only ``<prefix><digits>`` counts: project ``acme`` must not read ``acme.internal``'s index.
    """
    tail = key[len(prefix) :] if key.startswith(prefix) else ""
    return int(tail) if tail.isdigit() and tail.isascii() else -1


@dataclass(frozen=True, slots=True)
class ForeignPages:
    """The pages other docs-confluence projects' indexes on the same anchor page name: by page
    id, and by the case-folded title of a create they recorded as pending; each with the
    project. *claims*: by case-folded title, every pending claim of another project on it
    (the project, and the claim's evidence, empty for an old plain title)."""

    ids: Mapping[str, str] = field(default_factory=dict)
    pending_titles: Mapping[str, str] = field(default_factory=dict)
    claims: Mapping[str, tuple[tuple[str, Claim], ...]] = field(default_factory=dict)


def read_foreign(project: str, properties: Mapping[str, RemoteProperty]) -> ForeignPages:
    """The pages the indexes of projects other than *project* list (never to be adopted)."""
    ids: dict[str, str] = {}
    pending: dict[tuple[str, str], str] = {}  # (project, key) -> title
    evidence: dict[tuple[str, str], Claim] = {}  # a claim may sit in another shard
    for key, prop in sorted(properties.items()):
        other, _, number = key.removeprefix(PROPERTY_PREFIX).rpartition(".")
        if (
            not key.startswith(PROPERTY_PREFIX)
            or not other
            or other == project
            or not (number.isdigit() and number.isascii())
        ):
            continue
        value = prop.value
        if not isinstance(value, dict) or value.get("format") != FORMAT:
            continue
        for data in (value.get("pages") or {}).values():
            if isinstance(data, dict) and data.get("id") is not None:
                ids.setdefault(str(data["id"]), other)
        for page_key, title in (value.get("pending") or {}).items():
            if isinstance(title, str):
                pending[other, page_key] = title
        claims = value.get("claims")
        for page_key, data in (claims if isinstance(claims, dict) else {}).items():
            evidence[other, page_key] = Claim.from_json(data)
    titles: dict[str, str] = {}
    by_title: dict[str, list[tuple[str, Claim]]] = {}
    for (other, page_key), title in pending.items():
        titles.setdefault(title.casefold(), other)
        claim = evidence.get((other, page_key), Claim())
        by_title.setdefault(title.casefold(), []).append((other, claim))
    return ForeignPages(ids, titles, {title: tuple(c) for title, c in by_title.items()})
