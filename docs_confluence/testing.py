"""A pytest plugin with a seeded Confluence sandbox, for our suite and for users' suites.

Enable it with ``pytest_plugins = ["docs_confluence.testing"]`` in a ``conftest.py``. Fixtures:

- ``confluence``: an in-process sandbox (Cloud). Point a client at ``confluence.base_url``
  with ``transport=confluence.transport``.
- ``live_confluence``: the same app served over HTTP on 127.0.0.1 (a free port) in a thread,
  for code that opens its own connections (``mkdocs build``, ``sphinx-build``, the CLI).
- ``confluence_datacenter``: an in-process Data Center sandbox (v1 only, ``/confluence``).

Each is a `SandboxHarness` seeded with space ``DOC`` (homepage ``DOC Home``), the publishing
user ``bot@example.com`` / API token ``sandbox-api-token`` (also PAT ``sandbox-pat``) and a
human, ``alice@example.com`` / ``alice-token``. Assert on the site's final state with
``page()``, ``children()``, ``tree()`` and ``outline()``, not on the requests made.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, TypeAlias

import httpx
import pytest

from docs_confluence.sandbox import ConnectionDropped, Sandbox, SandboxStore, serve
from docs_confluence.sandbox.store.records import VISIBLE

if TYPE_CHECKING:
    from collections.abc import Generator, Iterator
    from typing import Any

    from docs_confluence.sandbox import Faults, Flavor, Page, RequestStats, Space, User

#: A space's page tree: (title, children) pairs in position order.
Tree: TypeAlias = list[tuple[str, "Tree"]]

DEFAULT_ORIGIN = "http://confluence.test"
SPACE_KEY = "DOC"
HOMEPAGE_TITLE = "DOC Home"
EMAIL = "bot@example.com"
API_TOKEN = "sandbox-api-token"
PAT = "sandbox-pat"
HUMAN_EMAIL = "alice@example.com"
HUMAN_TOKEN = "alice-token"


@dataclass(frozen=True, slots=True)
class PageSnapshot:
    """What a test usually asserts about a page, read from the sandbox at one moment."""

    id: str
    title: str
    parent_id: str | None
    position: int
    version: int
    body: str
    labels: tuple[str, ...]
    status: str


class SandboxHarness:
    """A sandbox app plus the credentials and readers tests need."""

    email = EMAIL
    api_token = API_TOKEN
    pat = PAT
    human_email = HUMAN_EMAIL
    human_token = HUMAN_TOKEN
    space_key = SPACE_KEY

    def __init__(self, app: Sandbox, origin: str = DEFAULT_ORIGIN, *, live: bool = False) -> None:
        self.app = app
        self.origin = origin
        self.live = live

    @classmethod
    def create(
        cls,
        *,
        flavor: Flavor = "cloud",
        store: SandboxStore | None = None,
        context_path: str | None = None,
        origin: str = DEFAULT_ORIGIN,
    ) -> SandboxHarness:
        """A harness over a seeded store (a new in-memory one unless given)."""
        store = store if store is not None else SandboxStore()
        seed_test_site(store)
        return cls(Sandbox(store, flavor=flavor, context_path=context_path), origin)

    @contextmanager
    def served(self) -> Iterator[SandboxHarness]:
        """The same app over HTTP on 127.0.0.1 (free port) while the ``with`` block runs."""
        with serve(self.app) as origin:
            yield type(self)(self.app, origin, live=True)

    # -- what clients need ---------------------------------------------------------------------

    @property
    def store(self) -> SandboxStore:
        """The store behind the app."""
        return self.app.store

    @property
    def faults(self) -> Faults:
        """Fault injection (see `docs_confluence.sandbox.faults`)."""
        return self.app.faults

    @property
    def stats(self) -> RequestStats:
        """Request counters."""
        return self.app.stats

    @property
    def base_url(self) -> str:
        """The REST base: origin plus context path (``http://confluence.test/wiki``)."""
        return self.origin + self.app.context_path

    @property
    def transport(self) -> httpx.BaseTransport | None:
        """The transport to reach the app: in process, or None (the network) when live."""
        return None if self.live else SandboxTransport(app=self.app)

    def client(
        self, *, auth: Literal["token", "pat", "human", "none"] = "token", **kwargs: Any
    ) -> httpx.Client:
        """An httpx client on ``base_url`` signed in as the bot (or a PAT, alice, nobody)."""
        credentials: dict[str, httpx.Auth | None] = {
            "token": httpx.BasicAuth(self.email, self.api_token),
            "pat": _Bearer(self.pat),
            "human": httpx.BasicAuth(self.human_email, self.human_token),
            "none": None,
        }
        return httpx.Client(
            base_url=self.base_url, transport=self.transport, auth=credentials[auth], **kwargs
        )

    @property
    def bot(self) -> User:
        """The publishing user."""
        return _user(self.store, self.email)

    @property
    def human(self) -> User:
        """Alice, who edits pages in the Confluence editor."""
        return _user(self.store, self.human_email)

    # -- readers for assertions ----------------------------------------------------------------

    def space(self, key: str = SPACE_KEY) -> Space:
        """The space with this key; LookupError if missing."""
        space = self.store.space_by_key(key)
        if space is None:
            raise LookupError(f"No space {key} in the sandbox")
        return space

    def page(self, space_key: str, title: str) -> PageSnapshot:
        """The page with exactly this title in the space (a live one before a trashed one)."""
        found = self.store.pages.titled(self.space(space_key).id, title)
        found.sort(key=lambda p: p.status == "trashed")
        if not found:
            titles = sorted(
                p.title for p in self.store.pages.all(space_id=self.space(space_key).id)
            )
            raise LookupError(f"No page titled {title!r} in space {space_key}; it has {titles}")
        return self.snapshot(found[0])

    def page_by_id(self, page_id: str) -> PageSnapshot:
        """The page with this id, whatever its status."""
        return self.snapshot(self.store.pages.get(page_id))

    def snapshot(self, page: Page) -> PageSnapshot:
        """A `PageSnapshot` of a store page."""
        head = self.store.pages.head(page.id)
        labels = tuple(label.name for label in self.store.labels.of(page.id))
        return PageSnapshot(
            id=page.id,
            title=page.title,
            parent_id=page.parent_id,
            position=page.position,
            version=page.version,
            body=head.body,
            labels=labels,
            status=page.status,
        )

    def children(self, page_id: str) -> list[PageSnapshot]:
        """The current and archived children of a page, in position order."""
        return [self.snapshot(p) for p in self.store.pages.children(page_id)]

    def tree(self, space_key: str = SPACE_KEY) -> Tree:
        """The space's page titles as nested (title, children) pairs, in position order."""
        space = self.space(space_key)

        def branch(parent_id: str | None) -> Tree:
            pages = self.store.pages.children(parent_id, space_id=space.id, statuses=VISIBLE)
            return [(page.title, branch(page.id)) for page in pages]

        return branch(None)

    def outline(self, space_key: str = SPACE_KEY) -> str:
        """The tree as indented text, two spaces per level, one title per line."""
        lines: list[str] = []

        def walk(tree: Tree, depth: int) -> None:
            for title, children in tree:
                lines.append("  " * depth + title)
                walk(children, depth + 1)

        walk(self.tree(space_key), 0)
        return "\n".join(lines)

    def edit_as_human(self, page_id: str, new_body: str) -> PageSnapshot:
        """Save a new version as alice would in the editor (same title, empty message)."""
        page = self.store.pages.get(page_id)
        updated = self.store.pages.update(
            page.id, version=page.version + 1, author_id=self.human.account_id, body=new_body
        )
        return self.snapshot(updated)


class SandboxTransport(httpx.WSGITransport):
    """httpx's WSGI transport to a sandbox app, with dropped connections as over the network.

    When a fault drops the connection the app raises the sandbox's `ConnectionDropped`; this
    transport raises `httpx.RemoteProtocolError` instead, which is what httpx raises when a real
    server hangs up. The error is a `ConnectionDropped` too, so code catching either sees it.
    """

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return super().handle_request(request)
        except ConnectionDropped as dropped:
            raise _Dropped(str(dropped), request=request) from dropped


class _Dropped(httpx.RemoteProtocolError, ConnectionDropped):
    """A dropped connection as httpx reports it, still recognisable as the sandbox's drop."""


class _Bearer(httpx.Auth):
    def __init__(self, token: str) -> None:
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request


def _user(store: SandboxStore, email: str) -> User:
    user = store.user_by_email(email)
    if user is None:
        raise LookupError(f"No user {email} in the sandbox")
    return user


def seed_test_site(store: SandboxStore) -> None:
    """Seed the test site: space DOC ("DOC Home"), the bot (token and PAT) and alice."""
    if store.user_by_email(EMAIL) is None:
        bot = store.add_user(EMAIL, API_TOKEN, display_name="Docs Publisher")
        store.add_pat(PAT, bot)
    if store.user_by_email(HUMAN_EMAIL) is None:
        store.add_user(HUMAN_EMAIL, HUMAN_TOKEN, display_name="Alice")
    if store.space_by_key(SPACE_KEY) is None:
        store.create_space(SPACE_KEY, "Documentation", homepage_title=HOMEPAGE_TITLE)


@pytest.fixture
def confluence() -> SandboxHarness:
    """An in-process Cloud sandbox seeded with space DOC, the bot and alice."""
    return SandboxHarness.create()


@pytest.fixture
def confluence_datacenter() -> SandboxHarness:
    """An in-process Data Center sandbox (v1 only, context path ``/confluence``)."""
    return SandboxHarness.create(flavor="datacenter")


@pytest.fixture
def live_confluence() -> Iterator[SandboxHarness]:
    """The seeded Cloud sandbox served on 127.0.0.1 in a thread; stops at teardown."""
    with SandboxHarness.create().served() as live:
        yield live
