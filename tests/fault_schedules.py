"""Seeded fault schedules: a docs site, a few publishes through the real client into a sandbox over
HTTP with random faults armed, docs changes and people's edits between runs, then a clean run and
the checks.

Used by ``tests/engine/test_fault_schedules.py`` (``pytest -m faults``) and ``bench/fault_soak.py``.
One seed reproduces one schedule exactly: ``run_schedule(seed)`` returns the broken invariants.

The faults, kills and concurrent publishes are drawn from ``random.Random(seed)``; the read
timeouts and the people come from streams of their own (``Random(f"{seed}:stalls")`` and
``Random(f"{seed}:people")``), so adding them left every older schedule as it was (run one
without them with ``run_schedule(seed, stalls=False, people=False)``).

People act between runs, as alice over the sandbox's HTTP API, only after a run that succeeded
(so they act on a space that matches the docs): they edit a body, move a page under another
parent, archive a page (through the store: the sandbox has no archive endpoint), trash a leaf,
rename a page, replace or delete an attachment. The checks then expect each person's change to
stay (and be reported as a conflict), the trashed page to be brought back, a deleted attachment
to be restored, and everything else to equal a fault-free publish of the same docs.

Classes of step added later live in ``tests/fault_classes.py`` (other projects on the same
parent, interrupted moves, people acting inside a run, mangled answers, homepage changes,
listing drift), each drawn from ``Random(f"{seed}:{class}")``. A schedule draws those of its
*classes* argument, by default `ON`: the classes whose fixes have merged, so CI stays green while
the others wait (the soak runs them all). With no class drawn a schedule is exactly as before.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from docs_confluence.auth.credentials import Credentials
from docs_confluence.bundle_writer import BundleBuilder
from docs_confluence.config import PublisherConfig
from docs_confluence.errors import ConfluencePublisherError
from docs_confluence.publisher import PublishReport, format_plan, publish_bundle
from docs_confluence.rest.sender import RetryPolicy
from docs_confluence.sandbox import Fault, Faults
from docs_confluence.sandbox.store.records import VISIBLE
from docs_confluence.testing import HOMEPAGE_TITLE, SandboxHarness

if TYPE_CHECKING:
    from collections.abc import Callable, Collection

    from docs_confluence.bundle import Bundle
    from docs_confluence.sandbox.store.records import Page

    from .fault_classes import Project

RETRY = RetryPolicy(attempts=4, network_attempts=3, initial_backoff=0.005, max_backoff=0.02)
BOT = Credentials("token", "bot@example.com", "sandbox-api-token")
STATUSES = (500, 502, 503, 504)
PATHS = (None, r"/pages", r"/properties", r"/label", r"/attachment", r"/move/")
WRITES = ("POST", "PUT", "DELETE")
#: The client's read timeout in a run with stalls armed, and how long a stall holds the answer.
TIMEOUT = 0.3
STALL = 0.7
#: How likely a schedule has people in it, and a gap between two runs has them act.
PEOPLE_SCHEDULES = 0.5
PEOPLE_ACT = 0.7
#: The classes of step (tests/fault_classes.py) the schedules draw unless told otherwise: CI's
#: schedules, and the soak's with ``--classes on``. A class goes in here once the branch that
#: makes it pass has merged (fault_classes.WAITS_FOR); the soak runs all of them by default.
ON: frozenset[str] = frozenset({"projects", "moves", "racing", "mangled", "homepage", "drift"})

PersonKind = Literal[
    "body",
    "move",
    "archive",
    "trash",
    "title",
    "replace-file",
    "delete-file",
    "rename-file",
    "reorder",  # only from inside a run (tests/fault_classes.py, racing)
]
PERSON_KINDS: tuple[PersonKind, ...] = (
    "body",
    "move",
    "archive",
    "trash",
    "title",
    "replace-file",
    "delete-file",
    "rename-file",
)

DocsPage = tuple[str, str, str, str | None, tuple[str, ...], tuple[tuple[str, bytes], ...]]


@dataclass
class Docs:
    """The docs as a writer edits them: (key, title, body, parent, labels, files)."""

    pages: list[DocsPage]
    generation: int = 0
    project: str = "soak"

    def bundle(self, root: Path) -> Bundle:
        self.generation += 1
        builder = BundleBuilder(self.project, generator="fault-schedules")
        for key, title, body, parent, labels, files in self.pages:
            builder.add_page(key, title, body, parent=parent, labels=labels)
            for name, data in files:
                builder.attach(key, name, data)
        folder = "bundle" if self.project == "soak" else self.project
        return builder.write(root / f"{folder}-{self.generation}")

    def rename(self, titles: set[str], suffix: str) -> None:
        """The writer renames the pages with these titles (titles another project holds)."""
        self.pages = [(p[0], p[1] + suffix, *p[2:]) if p[1] in titles else p for p in self.pages]


@dataclass
class Outcome:
    """What one schedule found: the broken invariants (empty when it held), and what it did."""

    seed: int
    problems: list[str] = field(default_factory=list)
    runs: int = 0
    failed_runs: int = 0
    people: int = 0
    stalled_runs: int = 0
    trace: list[str] = field(default_factory=list)
    #: The classes of step this schedule drew (tests/fault_classes.py).
    classes: list[str] = field(default_factory=list)

    @property
    def held(self) -> bool:
        return not self.problems

    def add(self, found: list[str]) -> None:
        """Note problems, each once (a broken invariant is seen again after each later run)."""
        self.problems.extend(p for p in dict.fromkeys(found) if p not in self.problems)


# -- what readers see ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Seen:
    """One visible page as readers see it."""

    id: str
    parent: str | None  # the parent's title
    parent_id: str | None
    status: str
    body: str
    labels: tuple[str, ...]
    files: dict[str, bytes]


@dataclass(frozen=True, slots=True)
class Picture:
    """What readers see: each visible page by title, and each parent's children in order."""

    pages: dict[str, Seen]
    children: dict[str | None, list[str]]
    outline: str

    def by_id(self, page_id: str) -> tuple[str, Seen] | None:
        return next(((t, s) for t, s in self.pages.items() if s.id == page_id), None)


def picture(live: SandboxHarness, keep: Callable[[Page, str], bool] | None = None) -> Picture:
    """What readers see: the tree, and each page's status, body, labels and attachments; only
    the pages *keep* (given the page and its body) keeps, when given."""
    store = live.store
    space = live.space()
    titles = {p.id: p.title for p in store.pages.all(space_id=space.id)}
    pages: dict[str, Seen] = {}
    children: dict[str | None, list[str]] = {}
    for page in store.pages.all(space_id=space.id):
        if page.status not in VISIBLE or page.title == HOMEPAGE_TITLE:
            continue
        if page.id == space.homepage_id:  # a homepage a person made
            continue
        snapshot = live.page_by_id(page.id)
        if keep is not None and not keep(page, snapshot.body):
            continue
        files = {a.title: store.attachments.data(a.id).data for a in store.attachments.of(page.id)}
        parent = titles.get(page.parent_id) if page.parent_id else None
        pages[page.title] = Seen(
            page.id, parent, page.parent_id, page.status, snapshot.body, snapshot.labels, files
        )
    for title in [HOMEPAGE_TITLE, *pages]:
        found = store.pages.titled(space.id, title)
        live_ones = [p for p in found if p.status in VISIBLE]
        if live_ones:
            kids = store.pages.children(live_ones[0].id, statuses=VISIBLE)
            children[title] = [k.title for k in kids if keep is None or k.title in pages]
    return Picture(pages, children, live.outline())


def index_picture(live: SandboxHarness, project: str = "soak") -> dict[str, object]:
    """The project's ownership index as readers of it would compare it: page ids, parents and
    attachment ids by title (ids differ between two sandboxes), the rest as written."""
    store = live.store
    space = live.space()
    titles = {p.id: p.title for p in store.pages.all(space_id=space.id)}
    assert space.homepage_id is not None
    entries: dict[str, object] = {}
    pending: dict[str, str] = {}
    prefix = f"docs-confluence.{project}."
    for prop in store.properties.of(space.homepage_id):
        if not prop.key.startswith(prefix):
            continue
        pending.update(prop.value.get("pending", {}))
        for key, data in prop.value.get("pages", {}).items():
            files = {name: sha for name, (_, sha) in data.get("att", {}).items()}
            entries[key] = {
                "page": titles.get(data["id"], data["id"]),
                "sha": data.get("sha"),
                "version": data.get("v"),
                "parent": titles.get(data.get("p"), data.get("p")),
                "moved_up_to": data.get("up"),
                "labels": data.get("labels", []),
                "attachments": files,
            }
    return {"pages": entries, "pending": pending}


def reference(docs_bundle: Bundle, keep: Callable[[Page, str], bool] | None = None) -> Picture:
    """A fault-free publish of the same bundle into a fresh sandbox, plus the foreign page."""
    with SandboxHarness.create().served() as live:
        _seed_foreign(live)
        _publish(live, docs_bundle)
        return picture(live, keep)


def _short(value: object, limit: int = 70) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# -- people -------------------------------------------------------------------------------------


@dataclass
class Touch:
    """One person's change, and what the space must show of it from then on."""

    kind: PersonKind
    key: str
    page_id: str
    docs_title: str  # the title the docs give the page (frozen: the writer leaves it alone)
    title: str = ""  # the page's title after the change (title, body, move, archive)
    body: str = ""
    parent_id: str | None = None
    filename: str = ""
    data: bytes = b""
    docs_parent: str | None = None  # the docs key of the page's parent
    was_under: str | None = None  # a moved page's parent before the person moved it
    before: str | None = None  # the sibling a reordered page was put before
    inside: bool = False  # made from inside a run (tests/fault_classes.py, racing)

    @property
    def kept(self) -> bool:
        """A change the publish leaves as the person made it, and reports."""
        return self.kind in ("body", "move", "archive", "title", "reorder")

    def describe(self) -> str:
        detail = f" {self.filename}" if self.filename else ""
        who = "alice inside a run" if self.inside else "alice"
        return f"{who}: {self.kind}{detail} on {self.docs_title!r} ({self.key}, id {self.page_id})"


@dataclass
class People:
    touches: list[Touch] = field(default_factory=list)

    @property
    def frozen(self) -> set[str]:
        """Docs keys a person touched: the writer does not rename, swap or remove them."""
        return {t.key for t in self.touches if t.kind != "trash"}

    @property
    def kept(self) -> list[Touch]:
        return [t for t in self.touches if t.kept]

    def renamed(self) -> dict[str, str]:
        return {t.docs_title: t.title for t in self.kept if t.title != t.docs_title}


def people_act(
    live: SandboxHarness,
    docs: Docs,
    people: People,
    rng: random.Random,
    trace: list[str],
    theirs: Callable[[str], bool] | None = None,
    avoid: Collection[str] = (),
) -> int:
    """One to two people's changes to pages of the docs, which the space matches. Returns how
    many were made. Pages *theirs* names (by id) are another project's: not touched, not
    moved under; nor are pages titled as in *avoid* (titles two projects want)."""
    made = 0
    for _ in range(rng.randint(1, 2)):
        kind = rng.choice(PERSON_KINDS)
        touched = {t.key for t in people.touches}
        candidates = [p for p in docs.pages if p[0] not in touched]
        if theirs is not None:
            candidates = [
                p
                for p in candidates
                if p[1] not in avoid and not _held_by_others(live, p[1], theirs)
            ]
        pick = rng.random()
        if kind in ("replace-file", "delete-file", "rename-file"):
            candidates = [p for p in candidates if p[5]]
        elif kind == "move":
            candidates = [p for p in candidates if p[3] is not None]
        if not candidates:
            continue
        key, title, _, docs_parent, _, files = candidates[int(pick * len(candidates))]
        page = live.page("DOC", title)
        touch = Touch(kind, key, page.id, title, title=title, parent_id=page.parent_id)
        touch.docs_parent = docs_parent
        with live.client(auth="human") as alice:
            if kind == "body":
                current = alice.get(f"/api/v2/pages/{page.id}").json()
                alice.put(
                    f"/api/v2/pages/{page.id}",
                    json={
                        "id": page.id,
                        "status": "current",
                        "title": title,
                        "body": {"representation": "storage", "value": f"<p>Alice on {key}</p>"},
                        "version": {"number": current["version"]["number"] + 1},
                    },
                ).raise_for_status()
            elif kind == "title":
                touch.title = f"{title} (Alice)"
                alice.put(
                    f"/api/v2/pages/{page.id}/title", json={"title": touch.title}
                ).raise_for_status()
            elif kind == "move":
                below = {page.id, *(p.id for p, _ in live.store.pages.descendants(page.id))}
                space = live.space()
                targets = [
                    p.id
                    for p in live.store.pages.all(space_id=space.id)
                    if p.status in VISIBLE
                    and p.author_id == live.bot.account_id
                    and p.id not in below
                    and p.id != page.parent_id
                    and (theirs is None or not theirs(p.id))
                ]
                if not targets:
                    continue
                target = targets[int(rng.random() * len(targets))]
                alice.put(f"/rest/api/content/{page.id}/move/append/{target}").raise_for_status()
                touch.was_under = page.parent_id
                touch.parent_id = target
            elif kind == "archive":
                live.store.pages.set_status(page.id, "archived")
            elif kind == "trash":
                alice.delete(f"/api/v2/pages/{page.id}").raise_for_status()
                # Confluence moves the children of a trashed page up to its parent; a page the
                # person had moved under it goes with them, and stays there when ours is restored.
                for moved in list(people.touches):
                    if moved.kind == "move" and moved.parent_id == page.id:
                        moved.parent_id = page.parent_id
                        if moved.parent_id == moved.was_under:  # back where it was: undone
                            people.touches.remove(moved)
                            trace.append(f"  ({moved.describe()} undone by the trash)")
            else:
                filename, _ = files[int(rng.random() * len(files))]
                touch.filename = filename
                attachment = live.store.attachments.named(page.id, filename)
                assert attachment is not None, f"{filename} is not on {title!r}"
                if kind == "replace-file":
                    touch.data = f"Alice's {filename}".encode()
                    alice.put(
                        f"/rest/api/content/{page.id}/child/attachment",
                        files={"file": (filename, touch.data, "text/plain")},
                        headers={"X-Atlassian-Token": "no-check"},
                    ).raise_for_status()
                elif kind == "rename-file":
                    touch.data = live.store.attachments.data(attachment.id).data
                    touch.filename = f"alice-{filename}"
                    alice.put(
                        f"/rest/api/content/{page.id}/child/attachment/{attachment.id}",
                        json={"id": attachment.id, "type": "attachment", "title": touch.filename},
                    ).raise_for_status()
                else:
                    alice.delete(f"/api/v2/attachments/{attachment.id}").raise_for_status()
        touch.body = live.page_by_id(page.id).body
        people.touches.append(touch)
        trace.append("  " + touch.describe())
        made += 1
    return made


def _held_by_others(live: SandboxHarness, title: str, theirs: Callable[[str], bool]) -> bool:
    held = [p for p in live.store.pages.titled(live.space().id, title) if p.status in VISIBLE]
    return not held or theirs(held[0].id)


# -- the comparison -----------------------------------------------------------------------------


def differences(got: Picture, want: Picture, people: People | None = None) -> list[str]:
    """What differs between the space and a fault-free publish of the same docs, allowing for
    what people changed (which must still be there); empty when they match."""
    people = people or People()
    renamed = people.renamed()

    def name(title: str | None) -> str | None:
        return renamed.get(title, title) if title is not None else None

    found: list[str] = []
    # Pages people changed: their change stays, whatever the docs say.
    skip_fields: set[str] = set()
    moved: set[str] = set()
    skip_files: set[tuple[str, str]] = set()
    reordered: set[str | None] = set()  # parents whose children a person put in their order
    for touch in people.touches:
        if touch.kind == "trash":
            continue  # brought back: compared with the docs like any page
        here = got.by_id(touch.page_id)
        what = touch.describe()
        if here is None:
            found.append(f"{what}: the page is gone")
            continue
        now_title, seen = here
        if touch.kind == "replace-file":
            skip_files.add((now_title, touch.filename))
            if seen.files.get(touch.filename) != touch.data:
                got_data = _short(seen.files.get(touch.filename))
                found.append(f"{what}: overwritten, now {got_data}")
            continue
        if touch.kind == "delete-file":
            continue  # restored: compared with the docs
        if touch.kind == "rename-file":  # theirs now; ours restored, compared with the docs
            skip_files.add((now_title, touch.filename))
            if seen.files.get(touch.filename) != touch.data:
                found.append(
                    f"{what}: the renamed file is {_short(seen.files.get(touch.filename))}"
                )
            continue
        skip_fields.add(now_title)
        expected = want.pages.get(touch.docs_title)
        if (
            touch.inside
            and touch.kind in ("body", "title")
            and expected is not None
            and seen.parent != name(expected.parent)
            and seen.parent_id == touch.parent_id
        ):
            # Edited before the run's move of it reached it: a page a person edited is left
            # alone, where it is (docs/reliability.md, "What people do in Confluence").
            moved.add(now_title)
        if now_title != touch.title:
            found.append(f"{what}: title is {now_title!r}, the person left {touch.title!r}")
        if touch.kind == "body" and seen.body != touch.body:
            found.append(f"{what}: body {_short(seen.body)}, the person wrote {_short(touch.body)}")
        if touch.kind == "archive" and seen.status != "archived":
            found.append(f"{what}: status {seen.status}, the person archived it")
        if touch.kind == "reorder":
            reordered.add(seen.parent)
            sibling = got.by_id(touch.before or "")
            kids = got.children.get(seen.parent or "", [])
            if (
                sibling
                and sibling[0] in kids
                and now_title in kids
                and kids.index(now_title) > kids.index(sibling[0])
            ):
                found.append(f"{what}: put back after {sibling[0]!r} ({kids})")
        if touch.kind == "move":
            moved.add(now_title)
            if seen.parent_id != touch.parent_id:
                found.append(
                    f"{what}: under {seen.parent!r}, the person put it under page {touch.parent_id}"
                )
    wanted = {renamed.get(title, title): page for title, page in want.pages.items()}
    for title in sorted(set(wanted) - set(got.pages)):
        found.append(f"page {title!r} is missing")
    # A page that left the docs but holds a page a person moved under it is kept (trashing it
    # would move their page).
    holders = {t.parent_id for t in people.kept if t.kind == "move"}
    for title in sorted(set(got.pages) - set(wanted)):
        if got.pages[title].id in holders:
            moved.add(title)
            continue
        found.append(f"page {title!r} should not be there (id {got.pages[title].id})")
    for title, expected in sorted(wanted.items()):
        seen_page = got.pages.get(title)
        if seen_page is None:
            continue
        where = f"page {title!r} (id {seen_page.id})"
        if title not in moved and seen_page.parent != name(expected.parent):
            found.append(f"{where}: parent {seen_page.parent!r}, want {name(expected.parent)!r}")
        if title in skip_fields:
            continue
        for label, a, b in (
            ("status", seen_page.status, expected.status),
            ("body", seen_page.body, expected.body),
            ("labels", seen_page.labels, expected.labels),
        ):
            if a != b:
                found.append(f"{where}: {label} {_short(a)}, want {_short(b)}")
        for filename in sorted(set(seen_page.files) | set(expected.files)):
            if (title, filename) in skip_files:
                continue
            a_data, b_data = seen_page.files.get(filename), expected.files.get(filename)
            if a_data != b_data:
                found.append(
                    f"{where}: attachment {filename!r} {_short(a_data)}, want {_short(b_data)}"
                )
    for parent, kids in sorted(want.children.items(), key=lambda item: str(item[0])):
        here_kids = [k for k in got.children.get(name(parent) or "", []) if k not in moved]
        there: list[str | None] = [name(k) for k in kids if name(k) not in moved]
        if name(parent) in reordered:  # the person's order stays (checked above)
            here_kids, there = sorted(here_kids), sorted(there, key=str)
        if here_kids != there:
            found.append(f"children of {name(parent)!r}: {here_kids}, want {there}")
    return found


def reported(report: PublishReport, people: People, docs: Docs, got: Picture) -> list[str]:
    """The people's kept changes a successful run did not report (*got*: the space after it)."""
    keys = {p[0] for p in docs.pages}
    conflicts = {c.page_id for c in report.conflicts}
    missing = [
        f"{t.describe()}: not reported as a conflict"
        for t in people.kept
        if t.key in keys and t.page_id not in conflicts and _shows(t, got, docs)
    ]
    shown = format_plan(report.plan)
    missing.extend(
        f"{t.describe()}: not reported"
        for t in people.touches
        if t.kind == "replace-file" and t.filename not in shown
    )
    return missing


def _shows(touch: Touch, got: Picture, docs: Docs) -> bool:
    """Whether a kept change is still one: a reorder is none once the page no longer sits before
    a sibling the docs put before it (that sibling left the docs and was trashed, say), since
    the order of our pages then is the docs' own."""
    if touch.kind != "reorder":
        return True
    here, sibling = got.by_id(touch.page_id), got.by_id(touch.before or "")
    if here is None or sibling is None or here[1].parent_id != sibling[1].parent_id:
        return False
    kids = got.children.get(here[1].parent or "", [])
    titles = [p[1] for p in docs.pages]
    if here[0] not in kids or sibling[0] not in kids or sibling[0] not in titles:
        return False
    docs_title = touch.docs_title if touch.docs_title in titles else here[0]
    if docs_title not in titles:
        return False
    now_before = kids.index(here[0]) < kids.index(sibling[0])
    return now_before and titles.index(sibling[0]) < titles.index(docs_title)


# -- the schedule -------------------------------------------------------------------------------


def starting_docs(rng: random.Random) -> Docs:
    pages: list[DocsPage] = [("index", "Home", "<p>Home</p>", None, ("docs",), ())]
    for n in range(rng.randint(2, 4)):
        pages.append((f"s{n}", f"Section {n}", f"<p>Section {n}</p>", "index", (), ()))
        for m in range(rng.randint(0, 2)):
            files = ((f"f{n}{m}.txt", f"file {n}{m}".encode()),) if rng.random() < 0.4 else ()
            labels = ("leaf",) if rng.random() < 0.3 else ()
            pages.append((f"s{n}/{m}", f"Page {n}.{m}", f"<p>{n}.{m}</p>", f"s{n}", labels, files))
    return Docs(pages)


def change_docs(
    docs: Docs,
    rng: random.Random,
    step: int,
    frozen: set[str] | frozenset[str] = frozenset(),
) -> None:
    """One edit a writer might make: a body, a rename, a title swap, a new or removed page.
    Pages in *frozen* (a person changed them) are not renamed, swapped or removed."""
    pages = docs.pages
    leaves = [i for i, p in enumerate(pages) if p[3] is not None and "/" in p[0]]
    free = [i for i in leaves if pages[i][0] not in frozen]
    kind = rng.choice(["body", "rename", "swap", "add", "remove", "none"])
    if kind == "body":
        i = rng.randrange(len(pages))
        key, title, _, parent, labels, files = pages[i]
        pages[i] = (key, title, f"<p>{key} edited in step {step}</p>", parent, labels, files)
    elif kind == "rename" and leaves:
        i = rng.choice(leaves)
        if i in free:
            key, title, body, parent, labels, files = pages[i]
            pages[i] = (key, f"{title} v{step}", body, parent, labels, files)
    elif kind == "swap" and len(leaves) >= 2:
        i, j = rng.sample(leaves, 2)
        if i in free and j in free:
            a, b = pages[i], pages[j]
            pages[i] = (a[0], b[1], a[2], a[3], a[4], a[5])
            pages[j] = (b[0], a[1], b[2], b[3], b[4], b[5])
    elif kind == "add":
        parent = rng.choice([p[0] for p in pages if "/" not in p[0]])
        pages.append((f"new{step}", f"Added {step}", f"<p>new {step}</p>", parent, (), ()))
    elif kind == "remove" and leaves:
        i = rng.choice(leaves)
        if i in free:
            del pages[i]


def arm_faults(faults: Faults, rng: random.Random) -> list[str]:
    armed: list[str] = []
    for _ in range(rng.randint(1, 4)):
        path = rng.choice(PATHS)
        times = rng.randint(1, 2)
        pick = rng.randrange(6)
        if pick == 0:
            faults.rate_limit(times, path=path, retry_after=0.01)
            armed.append(f"429 x{times} {path}")
        elif pick == 1:
            method = rng.choice([None, "POST", "PUT"])
            status = rng.choice(STATUSES)
            faults.server_error(times, status=status, method=method, path=path)
            armed.append(f"{status} x{times} {method} {path}")
        elif pick == 2:
            method = rng.choice(["POST", "PUT", "DELETE"])
            status = rng.choice(STATUSES)
            faults.server_error(times, status=status, method=method, path=path, after_write=True)
            armed.append(f"{status} after write x{times} {method} {path}")
        elif pick == 3:
            method = rng.choice(["POST", "PUT"])
            faults.drop(times, method=method, path=path)
            armed.append(f"drop x{times} {method} {path}")
        elif pick == 4:
            method = rng.choice(["POST", "PUT"])
            faults.drop(times, method=method, path=path, after_write=True)
            armed.append(f"drop after write x{times} {method} {path}")
        else:
            method = rng.choice(["PUT", "POST"])
            faults.conflict(times, method=method, path=path)
            armed.append(f"409 x{times} {method} {path}")
    return armed


def arm_stalls(faults: Faults, rng: random.Random) -> list[str]:
    """Maybe a stall or two, answered after the client's read timeout, before or after the
    write is applied. Returns what was armed (nothing: the run keeps the normal timeout)."""
    armed: list[str] = []
    if rng.random() >= 0.4:
        return armed
    for _ in range(rng.randint(1, 2)):
        method = rng.choice([None, "GET", *WRITES])
        path = rng.choice(PATHS)
        after = rng.random() < 0.5
        faults.stall(1, seconds=STALL, method=method, path=path, after_write=after)
        armed.append(f"stall{' after write' if after else ''} {method} {path}")
    return armed


class StallLog(Faults):
    """The sandbox's fault rules, noting when each stalled request will have been handled."""

    def __init__(self) -> None:
        super().__init__()
        self.late: list[tuple[float, str]] = []  # (handled by, method + path)
        #: Called with each request before the armed rules: a hook may act (a person's change,
        #: a kill) and answer with a fault of its own.
        self.hooks: list[Callable[[str, str], Fault | None]] = []

    def take(self, method: str, path: str) -> Fault | None:
        fault = None
        for hook in list(self.hooks):
            fault = fault or hook(method, path)
        fault = fault or super().take(method, path)
        if fault is not None and fault.kind == "stall":
            when = "after write" if fault.after_write else "before write"
            self.late.append((time.monotonic() + fault.seconds, f"{method} {path} ({when})"))
        return fault

    def settle(self) -> list[str]:
        """Wait until every stalled request has been handled; returns the write requests that
        were stalled before being applied (they landed after the client gave up on them)."""
        if self.late:
            time.sleep(max(0.0, max(t for t, _ in self.late) - time.monotonic()) + 0.3)
        landed = [
            what
            for _, what in self.late
            if what.endswith("(before write)") and what.split()[0] in WRITES
        ]
        self.late.clear()
        return landed


def run_schedule(
    seed: int,
    *,
    runs: int = 3,
    stalls: bool = True,
    people: bool = True,
    classes: Collection[str] | None = None,
    force: bool = False,
) -> Outcome:
    """One schedule; *classes* are the classes of step of tests/fault_classes.py it may draw
    (by default those in `ON`). Each class decides from its own stream whether it is in (each
    of *classes* is, with *force*)."""
    from . import fault_classes as fc

    classes = ON if classes is None else classes
    rng = random.Random(seed)
    stall_rng = random.Random(f"{seed}:stalls")
    people_rng = random.Random(f"{seed}:people")
    streams = {c: random.Random(f"{seed}:{c}") for c in fc.CLASSES}
    drawn = {
        c
        for c in fc.CLASSES
        if c in classes and (streams[c].random() < fc.CHANCE[c] or force) and fc.available(c)
    }
    if "projects" in drawn:  # one homepage change at a time: the others would need a parent too
        drawn.discard("homepage")
    with_people = people and people_rng.random() < PEOPLE_SCHEDULES
    outcome = Outcome(seed, classes=[c for c in fc.CLASSES if c in drawn])
    trace = outcome.trace
    persons = People()
    docs = starting_docs(rng)
    others = fc.other_projects(streams["projects"], docs) if "projects" in drawn else []
    contested: set[str] = set().union(*(p.contested for p in others))
    every = ["soak", *(p.id for p in others)]
    if outcome.classes:
        trace.append(f"classes: {', '.join(outcome.classes)}")
    with tempfile.TemporaryDirectory() as tmp, SandboxHarness.create().served() as live:
        faults = StallLog()
        live.app.faults = faults
        root = Path(tmp)
        foreign = _seed_foreign(live)
        parent: str | None = None  # the parent page the user set (after a homepage change)
        where: dict[str, object] = {}  # the options saying so

        def theirs(page_id: str) -> bool:
            return fc.owner_of(live.page_by_id(page_id).body) != "soak"

        mine = fc.owned_by("soak") if others else None
        succeeded = False
        for step in range(runs):
            if "homepage" in drawn and succeeded and parent is None:
                outcome.problems += _homepage_change(live, docs, root, trace)
                parent = live.store.pages.titled(live.space().id, HOMEPAGE_TITLE)[0].id
                where = {"parent_page": parent}
            if succeeded and with_people and people_rng.random() < PEOPLE_ACT:
                outcome.people += people_act(
                    live, docs, persons, people_rng, trace, theirs if others else None, contested
                )
            if step:
                change_docs(docs, rng, step, persons.frozen)
            trap: fc.MoveTrap | None = None
            if "moves" in drawn and step == runs - 1 and step:
                moved = fc.reorganise(docs, streams["moves"], persons.frozen)
                ids = fc.index_ids(live, "soak", parent)
                trap = fc.draw_trap(streams["moves"], {ids[k] for k in moved if k in ids})
                trace.append(f"  docs moved {moved}; armed: {trap.describe()}")
            bundle = docs.bundle(root)
            # A trapped run has only its trap: the schedule's faults are drawn all the same.
            armed = arm_faults(faults if trap is None else Faults(), rng)
            if trap is not None:
                armed = [f"(drawn, not armed: {', '.join(armed)})"]
            if "mangled" in drawn and trap is None:
                armed += fc.arm_mangles(faults, streams["mangled"])
            stalled = arm_stalls(faults if trap is None else Faults(), stall_rng) if stalls else []
            if trap is not None:
                stalled = []  # drawn all the same, not armed
            timeout = TIMEOUT if stalled else 30.0
            outcome.stalled_runs += bool(stalled)
            outcome.runs += 1
            race = None
            if "racing" in drawn and step:
                race = fc.draw_race(live, docs, persons, streams["racing"], parent, contested)
            faults.hooks = [hook for hook in (trap, race) if hook is not None]
            going = fc.start_others(live, others, root, step) if others else None
            how = rng.random()
            mode = "killed" if how < 0.15 else "two at once" if how < 0.3 else "publish"
            if trap is not None:
                mode = "trapped, CLI" if trap.action == "kill" else "trapped"
            trace.append(f"run {step + 1} ({mode}): {', '.join(armed + stalled)}")
            report: PublishReport | None = None
            succeeded = False
            try:
                if trap is not None and trap.action == "kill":
                    ending = fc.trapped_cli_run(live, bundle, trap, parent)
                    outcome.failed_runs += 1
                    trace.append(f"  {ending}; trap fired at {trap.fired}")
                    continue
                if how < 0.15 and trap is None:
                    _killed_publish(live, bundle, rng.uniform(0.2, 1.2), parent)
                    outcome.failed_runs += 1
                    trace.append("  killed")
                    continue
                if how < 0.3 and trap is None:
                    report = _two_publishes_at_once(live, bundle, timeout=timeout, **where)
                else:
                    report = _publish(live, bundle, timeout=timeout, **where)
            except ConfluencePublisherError as exc:
                outcome.failed_runs += 1
                trace.append("  failed: " + _short(str(exc).splitlines()[0], 200))
                if drawn:
                    outcome.problems += fc.clear_error(_blame(drawn), exc)
                continue
            except Exception as exc:
                if not drawn:
                    raise
                outcome.failed_runs += 1
                trace.append(f"  crashed: {type(exc).__name__}")
                outcome.problems += fc.clear_error(_blame(drawn), exc)
                continue
            finally:
                if going is not None:
                    going.join()
                    trace.extend(going.trace)
                    outcome.problems += going.problems
                faults.hooks = []
                faults.clear()
                landed = faults.settle()
                if landed:
                    trace.append(f"  answered late, applied late: {landed}")
                if trap is not None and trap.action != "kill":
                    trace.append(f"  trap fired at {trap.fired}")
                if race is not None:
                    made = race.touch.describe() if race.touch else race.note
                    which = "write" if race.writes else "request"
                    trace.append(f"  racing before {which} {race.after}: {made}")
                if others:
                    outcome.add(fc.shared_space_problems(live, every, persons))
            succeeded = True
            # A run that said it succeeded must have left what a clean publish leaves.
            raced = [race.touch] if race is not None and race.touch is not None else []
            # A title another project holds is a title conflict, and nothing is published: a
            # run that succeeded holds every title of its docs.
            got = picture(live, mine)
            found = differences(got, reference(bundle, mine), persons)
            earlier = People([t for t in persons.touches if t not in raced])
            found += reported(report, earlier, docs, got)
            if found and landed:
                # A write the client gave up on landed after it went on: nothing a publish can
                # prevent; the next run must heal it (the clean run is checked in full).
                trace.append("  differs after a late write: " + "; ".join(found))
                succeeded = False
            elif found:
                outcome.problems.append(
                    f"run {step + 1} reported success but the space differs: " + "; ".join(found)
                )
            else:
                trace.append("  succeeded, and the space matches")
        if with_people and succeeded and people_rng.random() < PEOPLE_ACT:
            outcome.people += people_act(
                live, docs, persons, people_rng, trace, theirs if others else None, contested
            )
        bundle = docs.bundle(root)
        trace.append("clean run")
        report = None
        if others:  # each project's, one after another; a loser renames its lost titles
            found, report = _clean_runs_of_each(live, docs, others, root, persons, trace)
            outcome.problems += found
            bundle = docs.bundle(root)
        else:
            try:
                report = _publish(live, bundle, **where)
            except ConfluencePublisherError as exc:
                outcome.problems.append(f"the clean run failed: {exc}")
                return outcome
        if report is not None and "moves" in drawn:
            outcome.problems += fc.false_conflicts(report, persons)
        if not others:
            got, want = picture(live), reference(bundle)
            assert report is not None
            found = differences(got, want, persons) + reported(report, persons, docs, got)
            if found:
                outcome.problems.append("after the clean run: " + "; ".join(found))
                if got.outline != want.outline and not persons.touches:
                    outcome.problems.append(f"tree:\n{got.outline}\n!=\n{want.outline}")
        after = live.page_by_id(foreign)
        if (after.version, after.body) != (1, "<p>not ours</p>"):
            outcome.problems.append("a page we do not own was touched")
        live.stats.reset()
        for again in [bundle, *(p.docs.bundle(root) for p in others)]:
            try:
                _publish(live, again, **(where if again is bundle else {}))
            except ConfluencePublisherError as exc:
                if not others:
                    raise
                trace.append(f"  republish of {again.project}: {_short(str(exc), 200)}")
        if live.stats.writes:
            outcome.problems.append(f"a republish wrote {live.stats.writes} times")
        if others:
            outcome.add(fc.shared_space_problems(live, every, persons))
    if "drift" in drawn:
        outcome.add(fc.drift_schedule(streams["drift"], trace))
    return outcome


def _blame(drawn: set[str]) -> str:
    """The class a failed run's unclear error is put down to."""
    for kind in ("mangled", "drift", "projects", "moves", "racing", "homepage"):
        if kind in drawn:
            return kind
    return "base"


def _clean_runs_of_each(
    live: SandboxHarness,
    docs: Docs,
    others: list[Project],
    root: Path,
    people: People,
    trace: list[str],
) -> tuple[list[str], PublishReport | None]:
    """A clean run of each project, the main one first, one after another. A project whose
    wanted title is held by another project's page must report a title conflict naming the
    title, that project and the title prefix option, and publish nothing; its writer then
    renames those pages (as the message asks) and runs again, which must succeed. Then each
    project's pages equal a fault-free publish of its docs, and each title two projects wanted
    is held by one page that exactly one index lists. Returns the problems and the main
    project's last report."""
    from . import fault_classes as fc

    found: list[str] = []
    contested: set[str] = set().union(*(p.contested for p in others))
    projects = [("soak", docs), *((p.id, p.docs) for p in others)]
    reports: dict[str, PublishReport | None] = {}
    for pid, its_docs in projects:
        report, error, writes = _clean_run(live, its_docs, root)
        lost = fc.lost_titles(live, pid, contested & {p[1] for p in its_docs.pages})
        trace.append(f"clean run of {pid}: " + (_short(error, 200) if error else "succeeded"))
        if lost and not error:
            found.append(fc.problem("projects", "title conflict reported", f"{pid}: {lost}"))
        elif error and not lost:
            found.append(fc.problem("projects", "clean run", f"{pid} failed: {error}"))
        elif error:
            found += fc.conflict_problems(live, pid, lost, error, writes)
            its_docs.rename(lost, f" ({pid})")
            trace.append(f"  {pid}'s writer renames {sorted(lost)}")
            report, error, _ = _clean_run(live, its_docs, root)
            if error:
                found.append(fc.problem("projects", "clean run", f"{pid}, renamed: {error}"))
        reports[pid] = report
    for pid, its_docs in projects:
        keep = fc.owned_by(pid)
        want = reference(its_docs.bundle(root), keep)
        got = picture(live, keep)
        differ = differences(got, want, None if pid != "soak" else people)
        its_report = reports[pid]
        if pid == "soak" and its_report is not None:
            differ += reported(its_report, people, docs, got)
        if differ:
            found.append(
                fc.problem("projects", "equals its own publish", f"{pid}: " + "; ".join(differ))
            )
    found += fc.one_owner(live, [pid for pid, _ in projects], contested)
    return found, reports["soak"]


def _clean_run(
    live: SandboxHarness, docs: Docs, root: Path
) -> tuple[PublishReport | None, str, int]:
    """A publish of *docs* (no faults): its report or its error, and how many writes it made."""
    live.stats.reset()
    try:
        return _publish(live, docs.bundle(root)), "", live.stats.writes
    except ConfluencePublisherError as exc:
        return None, str(exc), live.stats.writes


def _homepage_change(live: SandboxHarness, docs: Docs, root: Path, trace: list[str]) -> list[str]:
    """A person makes a new page the space homepage. The next run must stop with a message
    naming where the index lives (the old homepage); once the user sets the parent page to it,
    a clean run writes nothing (the docs are as the last run that succeeded left them)."""
    from . import fault_classes as fc

    space = live.space()
    old = space.homepage_id
    assert old is not None
    old_title = live.page_by_id(old).title
    home = live.store.pages.create(
        space.id, "Team space", "<p>our new home</p>", author_id=live.human.account_id
    )
    fc.set_homepage(live, home.id)
    trace.append(f"  alice: the homepage is now {home.id} (was {old}, {old_title!r})")
    found: list[str] = []
    bundle = docs.bundle(root)
    live.stats.reset()
    try:
        _publish(live, bundle)
        found.append(fc.problem("homepage", "says where the index lives", "the run went on"))
    except ConfluencePublisherError as exc:
        message = str(exc)
        if old not in message and old_title not in message:
            found.append(fc.problem("homepage", "says where the index lives", _short(message, 200)))
    except Exception as exc:
        found += fc.clear_error("homepage", exc)
    if live.stats.writes:
        found.append(fc.problem("homepage", "no write", f"{live.stats.writes} writes"))
    live.stats.reset()
    try:
        _publish(live, bundle, parent_page=old)
    except ConfluencePublisherError as exc:
        found.append(fc.problem("homepage", "parent set", f"failed: {_short(str(exc), 200)}"))
    if live.stats.writes:
        found.append(fc.problem("homepage", "parent set", f"{live.stats.writes} writes, want none"))
    return found


def _seed_foreign(live: SandboxHarness) -> str:
    space = live.space()
    page = live.store.pages.create(
        space.id,
        "Team notes",
        "<p>not ours</p>",
        author_id=live.human.account_id,
        parent_id=space.homepage_id,
    )
    return page.id


def _publish(live: SandboxHarness, bundle: Bundle, **options: object) -> PublishReport:
    values = {"url": live.base_url, "space": "DOC", "concurrency": 2, "cleanup": True, **options}
    config = PublisherConfig.from_mapping(values)
    return publish_bundle(bundle, config, credentials=BOT, retry=RETRY)


def _two_publishes_at_once(
    live: SandboxHarness, bundle: Bundle, **options: object
) -> PublishReport:
    """Two publishes of the same docs at once; raises if either reported a failure."""
    errors: list[ConfluencePublisherError] = []
    reports: list[PublishReport] = []

    def one() -> None:
        try:
            reports.append(_publish(live, bundle, **options))
        except ConfluencePublisherError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return reports[-1]


def cli_publish(
    live: SandboxHarness, bundle: Bundle, parent: str | None = None
) -> subprocess.Popen[bytes]:
    """The CLI publishing *bundle* (cleanup on) into *live* as the bot: started, not waited for."""
    env = {
        **os.environ,
        "CONFLUENCE_URL": live.base_url,
        "CONFLUENCE_SPACE": "DOC",
        "CONFLUENCE_USER": BOT.user or "",
        "CONFLUENCE_API_TOKEN": BOT.secret,
    }
    if parent is not None:
        env["CONFLUENCE_PARENT"] = parent
    command = [sys.executable, "-m", "docs_confluence", "publish", str(bundle.root), "--cleanup"]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _killed_publish(
    live: SandboxHarness, bundle: Bundle, after: float, parent: str | None = None
) -> None:
    """The CLI publishing *bundle*, killed with SIGKILL *after* seconds (if still running)."""
    process = cli_publish(live, bundle, parent)
    time.sleep(after)
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.wait()


def run_many(seeds: range, report: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    outcomes = []
    for seed in seeds:
        outcome = run_schedule(seed)
        outcomes.append(outcome)
        if report is not None:
            report(outcome)
    return outcomes
