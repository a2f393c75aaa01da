from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest

from docs_confluence.auth.credentials import Credentials
from docs_confluence.bundle_writer import BundleBuilder
from docs_confluence.config import PublisherConfig
from docs_confluence.publisher import publish_bundle
from docs_confluence.rest.sender import RetryPolicy
from docs_confluence.testing import SandboxHarness

if TYPE_CHECKING:
    from pathlib import Path

FAST_RETRY = RetryPolicy(attempts=5, initial_backoff=0.01)
BOT = Credentials("token", "bot@example.com", "sandbox-api-token")


@dataclass
class Site:
    """A docs project as a test writes it: pages in tree order, then bundled."""

    root: Path
    pages: list[tuple[Any, ...]] = field(default_factory=list)
    generation: int = 0

    def page(self, key, title, body, parent=None, labels=(), files=()):
        self.pages.append((key, title, body, parent, labels, files))
        return self

    def bundle(self, project="demo"):
        self.generation += 1
        builder = BundleBuilder(project, generator="test")
        for key, title, body, parent, labels, files in self.pages:
            builder.add_page(key, title, body, parent=parent, labels=labels)
            for name, data in files:
                builder.attach(key, name, data)
        return builder.write(self.root / f"bundle-{self.generation}")


@pytest.fixture
def site(tmp_path):
    return Site(tmp_path)


@pytest.fixture
def publish(live_confluence):
    """Publish a bundle into the live sandbox over HTTP, as the CLI would."""

    def run(bundle, credentials=BOT, transport=None, **options):
        values = {"url": live_confluence.base_url, "space": "DOC", **options}
        config = PublisherConfig.from_mapping(values)
        return publish_bundle(
            bundle, config, credentials=credentials, transport=transport, retry=FAST_RETRY
        )

    return run


PAT = Credentials("pat", None, "sandbox-pat")


@pytest.fixture(params=["cloud", "datacenter"])
def flavor(request):
    """Both layouts: Cloud (v2 + v1, API token) and Data Center (v1 under a context path, PAT)."""
    return request.param


@pytest.fixture
def server(flavor):
    """A sandbox of that flavor, over HTTP."""
    with SandboxHarness.create(flavor=flavor).served() as live:
        yield live


@pytest.fixture
def publish_to(server, flavor):
    """Publish a bundle into *server* as the CLI would, with the flavor's credentials."""
    credentials = BOT if flavor == "cloud" else PAT

    def run(bundle, transport=None, **options):
        config = PublisherConfig.from_mapping({"url": server.base_url, "space": "DOC", **options})
        return publish_bundle(
            bundle, config, credentials=credentials, retry=FAST_RETRY, transport=transport
        )

    return run


def writes_nothing(server, publish_to, bundle, **options):
    """Whether publishing *bundle* again makes no write request at all."""
    server.stats.reset()
    publish_to(bundle, **options)
    return server.stats.writes == 0
