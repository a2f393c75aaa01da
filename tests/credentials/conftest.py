from __future__ import annotations

import itertools
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx
import pytest

from docs_confluence.auth.credential_store import CredentialStore
from docs_confluence.auth.oauth import Endpoints, OAuthApp
from docs_confluence.bundle_writer import BundleBuilder
from docs_confluence.testing import SandboxHarness

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

CLIENT_ID = "docs-publisher-app"
CLIENT_SECRET = "client-secret-9f8e7d6c"

_VARIABLES = (
    "CONFLUENCE_URL",
    "CONFLUENCE_SPACE",
    "CONFLUENCE_PARENT",
    "CONFLUENCE_HEADERS",
    "CONFLUENCE_USER",
    "CONFLUENCE_API_TOKEN",
    "CONFLUENCE_PAT",
    "CONFLUENCE_OAUTH_CLIENT_ID",
    "CONFLUENCE_OAUTH_CLIENT_SECRET",
    "CONFLUENCE_CLOUD_ID",
    "ATLASSIAN_AUTH_URL",
    "ATLASSIAN_API_URL",
    "XDG_CONFIG_HOME",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    """No credentials from the developer's shell, a store under tmp_path, logging restored."""
    for name in _VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DOCS_CONFLUENCE_CONFIG_DIR", str(tmp_path / "config"))
    engine = logging.getLogger("docs_confluence")
    saved = (engine.handlers[:], engine.propagate, engine.level)
    yield
    engine.handlers[:], engine.propagate, engine.level = saved


@pytest.fixture
def store(tmp_path) -> CredentialStore:
    return CredentialStore(tmp_path / "config")


@dataclass
class OAuthSite:
    """A live sandbox with an OAuth app registered, and the environment pointing at it."""

    live: SandboxHarness
    app: OAuthApp = field(default_factory=lambda: OAuthApp(CLIENT_ID, CLIENT_SECRET))

    @property
    def url(self) -> str:
        return self.live.base_url

    @property
    def endpoints(self) -> Endpoints:
        return Endpoints(self.live.origin, self.live.origin)

    @property
    def oauth(self):
        return self.live.app.oauth


@pytest.fixture
def oauth_site(monkeypatch) -> Iterator[OAuthSite]:
    harness = SandboxHarness.create()
    harness.app.oauth.register_client(CLIENT_ID, CLIENT_SECRET)
    with harness.served() as live:
        monkeypatch.setenv("ATLASSIAN_AUTH_URL", live.origin)
        monkeypatch.setenv("ATLASSIAN_API_URL", live.origin)
        yield OAuthSite(live)


class Browser:
    """Plays the user's browser: follows /authorize to the loopback callback, in a thread
    (as a real browser runs beside the waiting command)."""

    def __init__(self) -> None:
        self.visited: list[str] = []
        self.answers: list[httpx.Response] = []
        self._threads: list[threading.Thread] = []

    def __call__(self, url: str) -> bool:
        self.visited.append(url)
        thread = threading.Thread(target=self._visit, args=(url,))
        thread.start()
        self._threads.append(thread)
        return True

    def _visit(self, url: str) -> None:
        consent = httpx.get(url)
        assert consent.status_code == 302, consent.text
        self.answers.append(httpx.get(consent.headers["Location"]))

    def join(self) -> None:
        for thread in self._threads:
            thread.join()


@pytest.fixture
def browser() -> Iterator[Browser]:
    player = Browser()
    yield player
    player.join()


def make_bundle(root: Path, pages: int = 3, *, project: str = "demo", files: int = 0):
    builder = BundleBuilder(project, generator="test")
    builder.add_page("index", "Home", "<p>Home</p>")
    for n in range(pages):
        builder.add_page(f"p{n}", f"Page {n}", f"<p>Page {n}</p>", parent="index", labels=["docs"])
        for m in range(files):
            builder.attach(f"p{n}", f"file{m}.txt", f"{n}-{m}".encode())
    return builder.write(root)


class TickingClock:
    """The sandbox's clock: every reading moves it on, so tokens age as requests go by."""

    def __init__(self, step: float) -> None:
        self._ticks = itertools.count()
        self.start = time.time()
        self.step = step

    def __call__(self) -> float:
        return self.start + next(self._ticks) * self.step
