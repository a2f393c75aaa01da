"""The publish's first reads, made early in a thread (publisher/early.py): the same requests and
plan as a publish that makes them itself, and errors raised where that publish meets them."""

from __future__ import annotations

import pytest

from docs_confluence.config import PublisherConfig
from docs_confluence.errors import ConfluencePublisherError
from docs_confluence.publisher import publish_bundle
from docs_confluence.publisher.early import EarlyReads


@pytest.fixture
def environment(monkeypatch, live_confluence):
    monkeypatch.setenv("CONFLUENCE_USER", live_confluence.email)
    monkeypatch.setenv("CONFLUENCE_API_TOKEN", live_confluence.api_token)
    monkeypatch.delenv("CONFLUENCE_PAT", raising=False)
    return live_confluence


def _bundle(site):
    site.page("index", "Home", "<p>Welcome</p>")
    for n in range(3):
        site.page(f"p{n}", f"Page {n}", f"<p>Page {n}</p>", parent="index")
    return site.bundle()


def _config(live, **values):
    return PublisherConfig.from_mapping({"url": live.base_url, "space": "DOC", **values})


def _early(config, project="demo"):
    early = EarlyReads(config, project)
    early.start()
    early.wait()
    return early


def test_early_reads_are_the_reads_the_publish_would_make(site, environment):
    live, bundle, config = environment, _bundle(site), _config(environment)
    publish_bundle(bundle, config)
    live.stats.reset()
    publish_bundle(bundle, config)
    reads = live.stats.reads

    live.stats.reset()
    early = _early(config)
    assert live.stats.reads > 0
    assert live.stats.writes == 0
    report = publish_bundle(bundle, config, early=early)
    early.close()
    assert (live.stats.reads, live.stats.writes) == (reads, 0)
    assert report.plan.count("keep") == len(bundle.pages)


def test_reads_for_another_project_are_made_again(site, environment):
    bundle, config = _bundle(site), _config(environment)
    early = _early(config, project="someone-else")
    report = publish_bundle(bundle, config, early=early)
    assert report.plan.count("create") == len(bundle.pages)
    assert environment.outline().splitlines()[1:] == [
        "  Home",
        "    Page 0",
        "    Page 1",
        "    Page 2",
    ]


@pytest.mark.parametrize(
    "values",
    [{"space": "NOPE"}, {"url": None}, {"parent_page": "No such page"}],
)
def test_errors_are_raised_by_the_publish_as_without_early_reads(site, environment, values):
    bundle = _bundle(site)
    config = _config(environment, **values)
    with pytest.raises(ConfluencePublisherError) as plain:
        publish_bundle(bundle, config)
    early = _early(config)
    environment.stats.reset()
    with pytest.raises(ConfluencePublisherError) as raised:
        publish_bundle(bundle, config, early=early)
    early.close()
    assert str(raised.value) == str(plain.value)
    assert environment.stats.writes == 0


def test_a_client_left_unused_is_closed(environment):
    early = _early(_config(environment))
    early.close()
    assert early.client() is None
