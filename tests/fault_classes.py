"""The classes of step the fault schedules learnt in issue 20, each drawn from a stream of its
own (``Random(f"{seed}:{class}")``) so the schedules without it stay as they were.

* ``projects``: two or three projects share one account and one parent (the space homepage);
  their runs go at once (threads and killed CLI runs), some titles are wanted by two of them.
  A title another project's page holds is a title conflict (docs/reliability.md, "Projects
  sharing an account"): the clean run of the project that lost it names the title, the other
  project and the title prefix option and publishes nothing; its writer then renames the page
  and the next run publishes. No page is in two indexes, or written by another project.
* ``moves``: the docs reorganise the nav, and a kill or a 4xx/5xx is armed at the N-th write
  after the first move (the index property write included).
* ``racing``: a person edits, moves, reorders or renames one of our pages from inside a run,
  after its N-th request (between our read and our write).
* ``mangled``: 2xx answers with broken bodies (``Faults.mangle``, from branch i20-answers).
* ``homepage``: the space homepage changes between runs (a store way to set it, i20-answers).
* ``drift``: Data Center listings that drift between their offset pages (``Faults.drift``,
  i20-answers): a schedule of its own on a Data Center sandbox whose space listing is longer
  than one page.

Each class states its invariants here; `tests.fault_schedules.run_schedule` calls them. A
problem a class finds is written ``[class: invariant] detail`` so a soak can sort them.
"""

from __future__ import annotations

import random
import re
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from docs_confluence.errors import ConfluencePublisherError
from docs_confluence.sandbox import Fault, Faults
from docs_confluence.sandbox.store.records import VISIBLE
from docs_confluence.sandbox.store.site import SandboxStore

if TYPE_CHECKING:
    from collections.abc import Callable

    from docs_confluence.bundle import Bundle
    from docs_confluence.publisher import PublishReport
    from docs_confluence.sandbox.store.records import Page
    from docs_confluence.testing import SandboxHarness

    from .fault_schedules import Docs, DocsPage, People, Touch

CLASSES: tuple[str, ...] = ("projects", "moves", "racing", "mangled", "homepage", "drift")
#: The branch whose fixes each class waits for (its schedules fail before that merge).
WAITS_FOR: dict[str, str] = {
    "projects": "i20-ownership, i20-index",
    "moves": "i20-interrupts, i20-index",
    "racing": "i20-people",
    "mangled": "i20-answers",
    "homepage": "i20-answers, i20-index",
    "drift": "i20-answers",
}
#: How likely a schedule draws each class (from the class's own stream).
CHANCE: dict[str, float] = {
    "projects": 0.5,
    "moves": 0.6,
    "racing": 0.6,
    "mangled": 0.6,
    "homepage": 0.4,
    "drift": 0.5,
}
WRITES = ("POST", "PUT", "DELETE")


def available(kind: str) -> bool:
    """Whether this checkout has what the class needs (the sandbox switches of i20-answers)."""
    if kind == "mangled":
        return hasattr(Faults, "mangle")
    if kind == "homepage":
        return hasattr(SandboxStore, "set_homepage")
    if kind == "drift":
        return hasattr(Faults, "drift")
    return True


def problem(kind: str, invariant: str, detail: str) -> str:
    return f"[{kind}: {invariant}] {detail}"


# -- interrupted moves ----------------------------------------------------------------------------


def reorganise(docs: Docs, rng: random.Random, frozen: set[str]) -> list[str]:
    """One or two nav changes that move pages: a leaf to another section, a section under
    another, or a page to another place among its siblings. Returns the docs keys moved."""
    moved: list[str] = []
    for _ in range(rng.randint(1, 2)):
        pages = docs.pages
        keys = [p[0] for p in pages]
        heads = [p[0] for p in pages if p[3] == "index" and "/" not in p[0]]
        kind = rng.choice(["leaf", "section", "reorder"])
        if kind == "leaf":
            leaves = [i for i, p in enumerate(pages) if "/" in p[0] and p[0] not in frozen]
            if not leaves or len(heads) < 2:
                continue
            i = rng.choice(leaves)
            targets = [h for h in heads if h != pages[i][3]]
            key, title, body, _, labels, files = pages[i]
            pages[i] = (key, title, body, rng.choice(targets), labels, files)
            moved.append(key)  # under another section
        elif kind == "section":
            free = [h for h in heads if h not in frozen]
            if len(heads) < 3 or not free:
                continue
            i = keys.index(rng.choice(free))
            target = rng.choice([h for h in heads if h != pages[i][0]])
            key, title, body, _, labels, files = pages[i]
            pages[i] = (key, title, body, target, labels, files)
            moved.append(key)
        else:
            parents = [p[3] for p in pages if p[3] is not None]
            crowded = sorted({p for p in parents if parents.count(p) >= 2})
            if not crowded:
                continue
            parent = rng.choice(crowded)
            kids = [i for i, p in enumerate(pages) if p[3] == parent and p[0] not in frozen]
            if not kids:
                continue
            before = [p[0] for p in pages if p[3] == parent]
            page = pages.pop(rng.choice(kids))
            places = [j for j, p in enumerate(pages) if p[3] == parent]
            where = rng.choice(places)
            pages.insert(where if rng.random() < 0.5 else where + 1, page)
            if [p[0] for p in pages if p[3] == parent] != before:
                moved.append(page[0])
    return moved


@dataclass
class MoveTrap:
    """Once a write moves a page (a v1 move, or a PUT to a page the docs moved), the *after*-th
    write after it (0: that write itself; -1: the first ownership index write after it) is
    killed (the CLI run is SIGKILLed and the request dropped) or answered *status*, applied
    first when *applied*."""

    moved_ids: set[str]
    after: int
    action: Literal["kill"] | int
    applied: bool
    process: subprocess.Popen[bytes] | None = None
    fired: str | None = None
    _seen: int = -1
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def describe(self) -> str:
        what = "kill" if self.action == "kill" else str(self.action)
        when = " (applied first)" if self.applied else ""
        write = "the index write" if self.after < 0 else f"write {self.after}"
        return f"{what}{when} at {write} after a move of {sorted(self.moved_ids)}"

    def _is_move(self, method: str, path: str) -> bool:
        if "/move/" in path:
            return True
        return method == "PUT" and any(
            re.search(rf"/(pages|content)/{page_id}(/|$)", path) for page_id in self.moved_ids
        )

    def __call__(self, method: str, path: str) -> Fault | None:
        with self._lock:
            if self.fired is not None or method not in WRITES:
                return None
            if self._seen < 0 and not self._is_move(method, path):
                return None
            self._seen += 1  # the move itself is write 0
            if self.after < 0 and "/properties" not in path:
                return None
            if self._seen < self.after:
                return None
            self.fired = f"{method} {path}"
        if self.action == "kill":
            if self.process is not None and self.process.poll() is None:
                self.process.send_signal(signal.SIGKILL)
            return Fault("drop", after_write=self.applied)
        message = f"Injected {self.action} after a move"
        return Fault("respond", status=self.action, message=message, after_write=self.applied)


def draw_trap(rng: random.Random, moved_ids: set[str]) -> MoveTrap:
    action: Literal["kill"] | int = rng.choice(["kill", 400, 403, 404, 409, 500, 502, 503])
    after = rng.choice([-1, -1, 0, 0, 0, 1, 1, 2, 3])
    return MoveTrap(moved_ids, after, action, rng.random() < 0.5)


def trapped_cli_run(
    live: SandboxHarness, bundle: Bundle, trap: MoveTrap, parent: str | None
) -> str:
    """The CLI publishing *bundle* until the trap kills it (or 30 s); returns how it ended."""
    from .fault_schedules import cli_publish

    process = cli_publish(live, bundle, parent)
    trap.process = process
    if trap.fired is not None and process.poll() is None:  # fired before it was known
        process.send_signal(signal.SIGKILL)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return "hung: killed after 30 s"
    return f"exit {process.returncode}"


def false_conflicts(report: PublishReport, people: People) -> list[str]:
    """Conflicts a clean run reported on pages no person touched (nothing a person did)."""
    touched = {t.page_id for t in people.touches}
    return [
        problem("moves", "false conflict", f"{c.title!r} (id {c.page_id}): {c.reason}")
        for c in report.conflicts
        if c.page_id not in touched
    ]


# -- people acting inside a run -------------------------------------------------------------------

RaceKind = Literal["body", "move", "reorder", "title"]
RACE_KINDS: tuple[RaceKind, ...] = ("body", "move", "reorder", "title")


def index_ids(live: SandboxHarness, project: str, anchor: str | None = None) -> dict[str, str]:
    """The project's ownership index as the store holds it: page id by docs key."""
    return {key: data["id"] for key, data in index_entries(live, project, anchor).items()}


def index_entries(
    live: SandboxHarness, project: str, anchor: str | None = None
) -> dict[str, dict[str, Any]]:
    """The project's ownership index entries as the store holds them, by docs key."""
    store = live.store
    anchor = anchor or live.space().homepage_id
    assert anchor is not None
    prefix = f"docs-confluence.{project}."
    found: dict[str, dict[str, Any]] = {}
    for prop in store.properties.of(anchor):
        if prop.key.startswith(prefix):
            found.update(prop.value.get("pages", {}))
    return found


@dataclass
class Race:
    """Just before the run's *after*-th request (its *after*-th write when *writes*), a person
    makes a *kind* change to one of our pages, through the store (as alice): between what the
    run read and what it writes next."""

    live: SandboxHarness
    docs: Docs
    people: People
    rng: random.Random
    after: int
    kind: RaceKind
    writes: bool = False
    anchor: str | None = None
    avoid: set[str] = field(default_factory=set)  # titles two projects want: left alone
    touch: Touch | None = None
    note: str = "the run ended first"
    _count: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, method: str, path: str) -> Fault | None:
        with self._lock:
            if self.writes and method not in WRITES:
                return None
            self._count += 1
            if self._count != self.after:
                return None
        try:
            self.act()
        except Exception as exc:  # the person's change is not the publisher's problem
            self.note = f"the person could not act: {type(exc).__name__}: {exc}"
        return None

    def act(self) -> None:
        from .fault_schedules import Touch

        live, store = self.live, self.live.store
        human = live.human.account_id
        entries = index_entries(live, "soak", self.anchor)
        ours = {key: data["id"] for key, data in entries.items()}
        # Pages whose rank among their siblings the index records: a reorder is seen only
        # among those (a run that put them in the docs' order recorded it; docs/reliability.md)
        ranked = {data["id"] for data in entries.values() if data.get("o") is not None}
        touched = {t.key for t in self.people.touches}
        titles = {p[0]: (p[1], p[3]) for p in self.docs.pages}
        candidates = []
        for key in sorted(ours):
            page = store.pages.find(ours[key])
            if (
                key in titles
                and key not in touched
                and page
                and page.status == "current"
                and page.title not in self.avoid
                and titles[key][0] not in self.avoid
                and page.title == titles[key][0]  # not being renamed by this run
            ):
                candidates.append((key, page))
        if self.kind in ("move", "reorder"):
            # Not a page this run moves itself: Confluence's move takes no version, so of two
            # moves of one page at once the later stands (docs/reliability.md, "Updates carry
            # no parent"); the run cannot see a person's move made just before its own.
            candidates = [
                (k, p)
                for k, p in candidates
                if titles[k][1] is None or p.parent_id == ours.get(titles[k][1] or "")
            ]
        if self.kind == "reorder":
            candidates = [
                (k, p)
                for k, p in candidates
                if p.id in ranked and p.parent_id and len(ranked & _kids(store, p.parent_id)) > 1
            ]
        if not candidates:
            self.note = f"no page for a racing {self.kind}"
            return
        key, page = candidates[int(self.rng.random() * len(candidates))]
        docs_title, docs_parent = titles[key]
        touch = Touch(self.kind, key, page.id, docs_title, title=page.title, inside=True)
        touch.parent_id, touch.docs_parent = page.parent_id, docs_parent
        if self.kind == "body":
            store.pages.update(
                page.id,
                version=page.version + 1,
                author_id=human,
                body=f"<p>Alice raced on {key}</p>",
            )
        elif self.kind == "title":
            touch.title = f"{page.title} (Alice)"
            store.pages.update(
                page.id, version=page.version + 1, author_id=human, title=touch.title
            )
        elif self.kind == "move":
            below = {page.id, *(p.id for p, _ in store.pages.descendants(page.id))}
            ids = set(ours.values())
            targets = [
                p.id
                for p in store.pages.all(space_id=page.space_id, statuses=("current",))
                if p.id in ids and p.id not in below and p.id != page.parent_id
            ]
            if not targets:
                self.note = "no target for a racing move"
                return
            target = targets[int(self.rng.random() * len(targets))]
            store.pages.move(page.id, "append", target)
            touch.was_under, touch.parent_id = page.parent_id, target
        else:
            assert page.parent_id is not None
            kids = [k.id for k in store.pages.children(page.parent_id, statuses=VISIBLE)]
            others = [k for k in kids if k != page.id and k in ranked]
            sibling = others[int(self.rng.random() * len(others))]
            store.pages.move(page.id, "before", sibling)
            touch.before = sibling
        touch.title = store.pages.get(page.id).title
        touch.body = live.page_by_id(page.id).body
        self.touch = touch
        self.people.touches.append(touch)


def _kids(store: SandboxStore, parent_id: str) -> set[str]:
    return {k.id for k in store.pages.children(parent_id, statuses=VISIBLE)}


def draw_race(
    live: SandboxHarness,
    docs: Docs,
    people: People,
    rng: random.Random,
    anchor: str | None,
    avoid: set[str],
) -> Race | None:
    """Maybe a person acting inside this run (half the runs of a racing schedule)."""
    if rng.random() >= 0.5:
        return None
    writes = rng.random() < 0.6
    after = rng.randint(1, 3) if writes else rng.randint(1, 15)
    kind = rng.choice(RACE_KINDS)
    return Race(live, docs, people, rng, after, kind, writes, anchor, avoid)


# -- several projects, one account, one parent -------------------------------------------------


OTHERS = ("soak-b", "soak-c")


def owner_of(body: str) -> str:
    """The project a body was written by: its token (every other project's bodies carry
    theirs), else the schedule's own project."""
    found = re.search(r"\[(soak-[bc])\]", body)
    return found.group(1) if found else "soak"


@dataclass
class Project:
    """Another project publishing to the same space, with the same account and parent."""

    id: str
    docs: Docs
    rng: random.Random
    contested: set[str] = field(default_factory=set)

    @property
    def prefix(self) -> str:
        return self.id[-1].upper()


def other_projects(rng: random.Random, main: Docs) -> list[Project]:
    """One or two other projects; each wants one or two of the main docs' leaf titles too."""
    from .fault_schedules import Docs

    projects: list[Project] = []
    leaf_titles = [p[1] for p in main.pages if "/" in p[0]]
    for pid in OTHERS[: rng.randint(1, 2)]:
        stream = random.Random(f"{rng.random()}:{pid}")
        mark = pid[-1].upper()
        pages: list[DocsPage] = [("index", f"{mark} Home", f"<p>[{pid}] home</p>", None, (), ())]
        for n in range(stream.randint(1, 2)):
            pages.append((f"s{n}", f"{mark} Section {n}", f"<p>[{pid}] s{n}</p>", "index", (), ()))
            for m in range(stream.randint(0, 2)):
                key = f"s{n}/{m}"
                pages.append(
                    (key, f"{mark} Page {n}.{m}", f"<p>[{pid}] {key}</p>", f"s{n}", (), ())
                )
        contested = set(stream.sample(leaf_titles, min(len(leaf_titles), stream.randint(1, 2))))
        for i, title in enumerate(sorted(contested)):
            pages.append((f"c{i}", title, f"<p>[{pid}] wants {title}</p>", "index", (), ()))
        projects.append(Project(pid, Docs(pages, project=pid), stream, contested))
    return projects


def change_other(project: Project, step: int) -> None:
    """A small edit by the other project's writer: a body, a new page or a removed one."""
    rng, pages, pid = project.rng, project.docs.pages, project.id
    kind = rng.choice(["body", "add", "remove", "none"])
    if kind == "body":
        i = rng.randrange(len(pages))
        key, title, _, parent, labels, files = pages[i]
        pages[i] = (key, title, f"<p>[{pid}] {key} step {step}</p>", parent, labels, files)
    elif kind == "add":
        title = f"{project.prefix} Added {step}"
        pages.append((f"new{step}", title, f"<p>[{pid}] new {step}</p>", "index", (), ()))
    elif kind == "remove":
        leaves = [i for i, p in enumerate(pages) if p[0].startswith("s") and "/" in p[0]]
        if leaves:
            del pages[rng.choice(leaves)]


@dataclass
class Concurrent:
    """The other projects' runs of one step, going while the main run goes."""

    threads: list[threading.Thread] = field(default_factory=list)
    processes: list[tuple[subprocess.Popen[bytes], float]] = field(default_factory=list)
    trace: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def join(self) -> None:
        for process, after in self.processes:
            left = after - (time.monotonic() - self.started)
            if left > 0:
                time.sleep(left)
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
            process.wait()
        for thread in self.threads:
            thread.join()


def start_others(
    live: SandboxHarness, projects: list[Project], root: Path, step: int
) -> Concurrent:
    """Each other project's run of this step, started now: published in a thread, or the CLI
    killed at a random point, or no run."""
    from .fault_schedules import _publish, cli_publish

    going = Concurrent()
    for project in projects:
        if step:
            change_other(project, step)
        how = project.rng.random()
        if how < 0.2:
            going.trace.append(f"  {project.id}: no run")
            continue
        bundle = project.docs.bundle(root)
        if how < 0.5:
            after = project.rng.uniform(0.2, 1.2)
            going.processes.append((cli_publish(live, bundle), after))
            going.trace.append(f"  {project.id}: killed after {after:.2f} s")
            continue

        def one(project: Project = project, bundle: Bundle = bundle) -> None:
            try:
                _publish(live, bundle)
                going.trace.append(f"  {project.id}: succeeded")
            except ConfluencePublisherError as exc:
                first = str(exc).splitlines()[0][:160]
                going.trace.append(f"  {project.id}: failed: {first}")
            except Exception as exc:
                going.problems.append(
                    problem(
                        "projects", "no traceback", f"{project.id}: {type(exc).__name__}: {exc}"
                    )
                )

        thread = threading.Thread(target=one)
        thread.start()
        going.threads.append(thread)
        going.trace.append(f"  {project.id}: publish at once")
    return going


def owners(live: SandboxHarness, projects: list[str]) -> dict[str, set[str]]:
    """Which projects' indexes list each page id."""
    listed: dict[str, set[str]] = {}
    for pid in projects:
        for page_id in index_ids(live, pid).values():
            listed.setdefault(page_id, set()).add(pid)
    return listed


def shared_space_problems(live: SandboxHarness, projects: list[str], people: People) -> list[str]:
    """No page owned by two indexes; no project's page rewritten, retitled or moved by another
    (told by the project token every version body carries, and the titles' prefixes)."""
    found: list[str] = []
    listed = owners(live, projects)
    for page_id, who in sorted(listed.items()):
        if len(who) > 1:
            found.append(problem("projects", "owned twice", f"page {page_id}: {sorted(who)}"))
    store = live.store
    space = live.space()
    heads = {
        p.id: p for p in store.pages.all(space_id=space.id) if p.author_id == live.bot.account_id
    }
    moved_by_people = {t.page_id for t in people.touches if t.kind in ("move", "reorder")}
    for page in heads.values():
        versions = store.pages.versions(page.id)
        first = owner_of(versions[0].body)
        for version in versions[1:]:
            if version.author_id != live.bot.account_id:
                continue
            by = owner_of(version.body)
            if by != first:
                found.append(
                    problem(
                        "projects",
                        "rewritten by another",
                        f"{first}'s page {page.id} ({versions[0].title!r}) v{version.number} "
                        f"has {by}'s body",
                    )
                )
            mark = re.match(r"([BC]) ", version.title)
            if mark and first != f"soak-{mark.group(1).lower()}":
                found.append(
                    problem(
                        "projects",
                        "retitled by another",
                        f"{first}'s page {page.id} v{version.number} titled {version.title!r}",
                    )
                )
        parent = heads.get(page.parent_id or "")
        if (
            page.status in VISIBLE
            and parent is not None
            and parent.status in VISIBLE
            and page.id not in moved_by_people
        ):
            theirs = owner_of(store.pages.head(parent.id).body)
            mine = owner_of(store.pages.head(page.id).body)
            if theirs != mine:
                found.append(
                    problem(
                        "projects",
                        "moved by another",
                        f"{mine}'s page {page.title!r} (id {page.id}) is under {theirs}'s "
                        f"{parent.title!r}",
                    )
                )
    return found


def lost_titles(live: SandboxHarness, project: str, titles: set[str]) -> set[str]:
    """Of *titles*, those held by a page another project owns (or which is not ours): the
    project lost them to the first to own them."""
    space = live.space()
    lost = set()
    mine = set(index_ids(live, project).values())
    for title in titles:
        held = [p for p in live.store.pages.titled(space.id, title) if p.status in VISIBLE]
        if held and held[0].id not in mine:
            lost.add(title)
    return lost


def conflict_problems(
    live: SandboxHarness, project: str, lost: set[str], error: str, writes: int
) -> list[str]:
    """What a run that found wanted titles held by other projects' pages did wrong: it must
    say so for each (the title, the project holding it, the title prefix option) and publish
    nothing (docs/reliability.md, "Projects sharing an account")."""
    found: list[str] = []
    space = live.space()
    for title in sorted(lost):
        held = [p for p in live.store.pages.titled(space.id, title) if p.status in VISIBLE]
        holder = owner_of(live.page_by_id(held[0].id).body) if held else "?"
        said = [title in error, f"'{holder}'" in error, "title_prefix" in error]
        if not all(said):
            found.append(
                problem(
                    "projects",
                    "title conflict reported",
                    f"{project} lost {title!r} to {holder}: {error[:300]!r}",
                )
            )
    if writes:
        found.append(
            problem("projects", "nothing published", f"{project}'s run wrote {writes} times")
        )
    return found


def one_owner(live: SandboxHarness, projects: list[str], titles: set[str]) -> list[str]:
    """Each title two projects wanted is held by at most one visible page, which exactly one
    project's index lists."""
    found: list[str] = []
    listed = owners(live, projects)
    space = live.space()
    for title in sorted(titles):
        held = [p for p in live.store.pages.titled(space.id, title) if p.status in VISIBLE]
        if len(held) > 1:
            found.append(problem("projects", "one owner", f"{title!r}: {len(held)} pages"))
        for page in held:
            if len(listed.get(page.id, ())) != 1:
                who = sorted(listed.get(page.id, ()))
                found.append(
                    problem("projects", "one owner", f"{title!r} (id {page.id}) listed by {who}")
                )
    return found


def owned_by(project: str) -> Callable[[Page, str], bool]:
    """A filter for `picture`: the pages this project wrote (told by the body's token)."""

    def keep(page: Page, body: str) -> bool:
        return owner_of(body) == project

    return keep


# -- 2xx answers with broken bodies, the homepage, listing drift ----------------------------------

MANGLE_KINDS = ("html", "truncated", "empty", "shape")


def arm_mangles(faults: Faults, rng: random.Random) -> list[str]:
    """One or two 2xx answers with a broken body (needs ``Faults.mangle``)."""
    from .fault_schedules import PATHS

    armed: list[str] = []
    mangle = getattr(faults, "mangle", None)
    for _ in range(rng.randint(1, 2)):
        kind = rng.choice(MANGLE_KINDS)
        method = rng.choice([None, "GET", "POST", "PUT"])
        path = rng.choice(PATHS)
        after = method in ("POST", "PUT") and rng.random() < 0.5
        times = rng.randint(1, 2)
        if mangle is not None:
            mangle(kind=kind, method=method, path=path, after_write=after, times=times)
        armed.append(f"mangled {kind}{' after write' if after else ''} x{times} {method} {path}")
    return armed


LISTING = r"/rest/api/content$"


def drift_schedule(rng: random.Random, trace: list[str]) -> list[str]:
    """A Data Center space whose listing fills a first page with other people's pages; a first
    publish, then two runs with docs changes and the listing drifting under them (a page
    removed or inserted before the offset of the next request), then a clean run. A run ends
    with a clear error or matches a fault-free publish; the clean run matches one; an unchanged
    republish writes nothing (needs ``Faults.drift``)."""
    from docs_confluence.auth.credentials import Credentials
    from docs_confluence.config import PublisherConfig
    from docs_confluence.publisher import publish_bundle
    from docs_confluence.sandbox.paging import V1_MAX_LIMIT
    from docs_confluence.testing import SandboxHarness

    from .fault_schedules import RETRY, change_docs, differences, picture, starting_docs

    pat = Credentials("pat", None, "sandbox-pat")
    found: list[str] = []
    docs = starting_docs(rng)

    def publish(live: SandboxHarness, bundle: Bundle) -> PublishReport:
        values = {"url": live.base_url, "space": "DOC", "cleanup": True}  # as the reference
        config = PublisherConfig.from_mapping(values)
        return publish_bundle(bundle, config, credentials=pat, retry=RETRY)

    def ours(live: SandboxHarness) -> Callable[[Page, str], bool]:
        return lambda page, body: page.author_id == live.bot.account_id

    def reference(bundle: Bundle) -> list[str]:
        with SandboxHarness.create(flavor="datacenter").served() as fresh:
            publish(fresh, bundle)
            want = picture(fresh, ours(fresh))
        return differences(picture(live, ours(live)), want)

    with (
        tempfile.TemporaryDirectory() as tmp,
        SandboxHarness.create(flavor="datacenter").served() as live,
    ):
        root = Path(tmp)
        space = live.space()
        for n in range(V1_MAX_LIMIT - len(live.store.pages.all(space_id=space.id))):
            live.store.pages.create(
                space.id,
                f"Meeting notes {n}",
                "<p>notes</p>",
                parent_id=space.homepage_id,
                author_id=live.human.account_id,
            )
        publish(live, docs.bundle(root))
        for step in (1, 2):
            change_docs(docs, rng, step)
            bundle = docs.bundle(root)
            times, kind = rng.randint(1, 3), rng.choice(["remove", "insert"])
            path = rng.choice([LISTING, None])
            drift = getattr(live.faults, "drift", None)
            assert drift is not None, "drift needs Faults.drift"
            drift(times, kind=kind, path=path)
            trace.append(f"drift run {step}: drift {kind} x{times} {path}")
            try:
                publish(live, bundle)
            except Exception as exc:
                found += clear_error("drift", exc)
                trace.append(f"  failed: {_first(exc)[:200]}")
                continue
            finally:
                live.faults.clear()
            differ = reference(bundle)
            if differ:
                found.append(problem("drift", "a run that succeeded matches", "; ".join(differ)))
        bundle = docs.bundle(root)
        try:
            publish(live, bundle)
        except ConfluencePublisherError as exc:
            return [*found, problem("drift", "the clean run succeeds", _first(exc))]
        differ = reference(bundle)
        if differ:
            found.append(problem("drift", "the clean run matches", "; ".join(differ)))
        live.stats.reset()
        publish(live, bundle)
        if live.stats.writes:
            found.append(problem("drift", "a republish writes nothing", f"{live.stats.writes}"))
    return found


def set_homepage(live: SandboxHarness, page_id: str) -> None:
    """Make *page_id* the space homepage (needs ``SandboxStore.set_homepage``)."""
    set_it = getattr(live.store, "set_homepage", None)
    assert set_it is not None, "homepage needs SandboxStore.set_homepage"
    set_it(live.space().id, page_id)


def clear_error(kind: str, exc: BaseException) -> list[str]:
    """A run must end with a clear error (one of ours, one line that says something), never
    a traceback."""
    if not isinstance(exc, ConfluencePublisherError):
        return [problem(kind, "no traceback", f"{type(exc).__name__}: {_first(exc)}")]
    if not _first(exc).strip():
        return [problem(kind, "clear error", f"{type(exc).__name__} with no message")]
    return []


def _first(exc: BaseException) -> str:
    text = str(exc)
    return text.splitlines()[0] if text else ""
