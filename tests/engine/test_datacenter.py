"""The same publisher against a Data Center layout: v1 only, a context path, a PAT."""

from __future__ import annotations

import pytest

from docs_confluence.auth.credentials import Credentials
from docs_confluence.config import PublisherConfig
from docs_confluence.publisher import publish_bundle
from docs_confluence.testing import SandboxHarness

from .conftest import FAST_RETRY


@pytest.fixture
def datacenter():
    with SandboxHarness.create(flavor="datacenter").served() as live:
        yield live


def test_publish_and_republish_on_data_center_with_a_pat(site, datacenter):
    site.page("index", "Home", "<p>Home</p>", labels=["docs"], files=[("a.txt", b"A")])
    site.page("b", "Second", "<p>B</p>", parent="index")
    site.page("c", "First", "<p>C</p>", parent="index")
    config = PublisherConfig.from_mapping({"url": datacenter.base_url, "space": "DOC"})
    pat = Credentials("pat", None, "sandbox-pat")
    assert datacenter.base_url.endswith("/confluence")
    assert not config.is_cloud

    publish_bundle(site.bundle(), config, credentials=pat, retry=FAST_RETRY)
    assert datacenter.outline() == "DOC Home\n  Home\n    Second\n    First"
    assert datacenter.page("DOC", "Home").labels == ("docs",)

    site.pages[1], site.pages[2] = site.pages[2], site.pages[1]
    site.pages[1] = ("c", "First", "<p>C, changed</p>", "index", (), ())
    publish_bundle(site.bundle(), config, credentials=pat, retry=FAST_RETRY)
    assert datacenter.outline() == "DOC Home\n  Home\n    First\n    Second"
    assert datacenter.page("DOC", "First").body == "<p>C, changed</p>"

    datacenter.stats.reset()
    report = publish_bundle(site.bundle(), config, credentials=pat, retry=FAST_RETRY)
    assert report.plan.writes == 0
    assert datacenter.stats.writes == 0
    assert all(route.startswith("GET /rest/api/") for route in datacenter.stats.routes)


def test_a_missing_space_on_data_center_hints_at_the_cloud_url(site, datacenter):
    from docs_confluence.errors import NotFound

    site.page("index", "Home", "<p>Home</p>")
    config = PublisherConfig.from_mapping({"url": datacenter.base_url, "space": "NOPE"})
    with pytest.raises(NotFound, match="Space 'NOPE' not found") as caught:
        publish_bundle(site.bundle(), config, credentials=Credentials("pat", None, "sandbox-pat"))
    assert "for Confluence Cloud the URL ends in /wiki" in str(caught.value)
