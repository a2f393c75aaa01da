"""Two docs-confluence projects publishing with one account under one parent page, both wanting
one title: whichever created the page keeps it, body, parent and version; the other is told of a
title conflict (naming the other project and the title prefix option) and never writes the
page, whatever the interleaving of their runs: one dying after its title claim, after its
create, or the other creating the page between a run's plan and its create. Cloud and Data
Center, over HTTP."""

from __future__ import annotations

import re

import httpx
import pytest

from docs_confluence.errors import ConfluencePublisherError, PublishError
from docs_confluence.models import RemoteProperty
from docs_confluence.publisher.ownership import read_index
from docs_confluence.publisher.report import PublishIncomplete

from .conftest import Site

PREFIX = "`title_prefix` in mkdocs.yml, `confluence_title_prefix` in conf.py"
INDEX_WRITE = re.compile(r"/propert(y|ies)(/|$)")
PAGE_CREATE = re.compile(r"/(pages|content)$")


class Run(httpx.HTTPTransport):
    """One publish's connection to Confluence, with a say in its steps: *before_create* runs
    once, just before its first page create reaches Confluence (another project publishing
    between our plan and our creates); *dies* ``"create"`` kills the run after its title claim
    (its creates never arrive), ``"record"`` after its creates (its record never arrives)."""

    def __init__(self, *, before_create=None, dies: str | None = None) -> None:
        super().__init__()
        self.before_create = before_create
        self.dies = dies
        self.index_writes = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        creating = request.method == "POST" and PAGE_CREATE.search(request.url.path)
        if creating and self.before_create is not None:
            before, self.before_create = self.before_create, None
            before()
        if request.method in ("PUT", "POST") and INDEX_WRITE.search(request.url.path):
            self.index_writes += 1
            if self.dies is not None and self.index_writes > 1:  # the claim is the first
                return httpx.Response(500, json={"message": "Internal Server Error"})
        if creating and self.dies == "create":
            raise httpx.ConnectError("the job was killed", request=request)
        return super().handle_request(request)


def docs(tmp_path, project, body):
    site = Site(tmp_path / project)
    site.page("shared", "Shared", body)
    if project == "beta":
        site.page("own", "Beta only", "<p>Beta's own page</p>")
    return site.bundle(project=project)


@pytest.fixture
def alpha(tmp_path):
    return docs(tmp_path, "alpha", "<p>Alpha's shared page</p>")


@pytest.fixture
def beta(tmp_path):
    return docs(tmp_path, "beta", "<p>Beta's shared page</p>")


def dies(publish_to, bundle, where, **options):
    with pytest.raises(ConfluencePublisherError):
        publish_to(bundle, transport=Run(dies=where), **options)


def index_of(server, project):
    """*project*'s ownership index as Confluence holds it now."""
    anchor = server.space("DOC").homepage_id
    return read_index(
        project,
        {
            p.key: RemoteProperty(p.id, p.key, p.value, p.version)
            for p in server.store.properties.of(anchor)
        },
    )


def snapshot(server):
    page = server.page("DOC", "Shared")
    return page.id, page.version, page.parent_id, page.body


def alpha_keeps_its_page(server, publish_to, alpha, before):
    """Alpha's page is as alpha wrote it, and alpha's next publish writes nothing and reports
    no conflict."""
    assert snapshot(server) == before
    assert before[3] == "<p>Alpha's shared page</p>"
    assert before[2] == server.space("DOC").homepage_id
    server.stats.reset()
    report = publish_to(alpha)
    assert report.conflicts == ()
    assert report.plan.writes == 0
    assert server.stats.writes == 0
    assert snapshot(server) == before


def beta_is_told_of_a_title_conflict(server, publish_to, beta, before):
    """Beta's publish stops before writing anything, naming alpha, the page and the fix."""
    server.stats.reset()
    with pytest.raises(PublishError) as caught:
        publish_to(beta)
    message = str(caught.value)
    assert "Nothing was published" in message
    assert "'alpha'" in message
    assert f"id {before[0]}" in message
    assert PREFIX in message
    assert server.stats.writes == 0
    assert before[0] not in {e.page_id for e in index_of(server, "beta").entries.values()}


@pytest.mark.parametrize("alpha_dies", [None, "record"])
def test_a_page_another_project_made_after_our_run_died_is_not_taken(
    server, publish_to, alpha, beta, alpha_dies
):
    dies(publish_to, beta, "create")  # beta claimed "Shared" and was killed
    if alpha_dies:  # alpha created it and was killed before recording it
        dies(publish_to, alpha, alpha_dies)
    else:
        publish_to(alpha)
    before = snapshot(server)

    beta_is_told_of_a_title_conflict(server, publish_to, beta, before)

    if alpha_dies:
        assert snapshot(server) == before
        publish_to(alpha)  # alpha's next run finds its create by its claim
        assert snapshot(server)[0] == before[0]
        before = snapshot(server)
    alpha_keeps_its_page(server, publish_to, alpha, before)
    beta_is_told_of_a_title_conflict(server, publish_to, beta, before)


@pytest.mark.parametrize("alpha_dies", [None, "record"])
def test_a_page_another_project_made_between_our_plan_and_our_create_is_not_taken(
    server, publish_to, alpha, beta, alpha_dies
):
    def alpha_publishes():
        if alpha_dies:
            dies(publish_to, alpha, alpha_dies)
        else:
            publish_to(alpha)

    with pytest.raises(PublishIncomplete) as caught:
        publish_to(beta, transport=Run(before_create=alpha_publishes))
    before = snapshot(server)

    message = str(caught.value)
    assert "1 of" in message  # only the page in conflict failed; the report says so
    assert "title conflict" in message
    assert "'alpha'" in message or "body is not the one" in message
    assert f"page {before[0]}" in message
    assert PREFIX in message
    assert [page.title for page in caught.value.report.failed] == ["Shared"]
    assert server.page("DOC", "Beta only").body == "<p>Beta's own page</p>"
    assert "shared" not in index_of(server, "beta").pending  # not its create: claim dropped
    if alpha_dies:
        publish_to(alpha)  # alpha's next run finds its create by its claim
        before = snapshot(server)
    alpha_keeps_its_page(server, publish_to, alpha, before)
    beta_is_told_of_a_title_conflict(server, publish_to, beta, before)


def test_a_create_lost_in_a_crash_is_still_ours_when_another_project_claims_other_titles(
    server, publish_to, tmp_path, beta
):
    other = Site(tmp_path / "gamma").page("g", "Gamma", "<p>G</p>").bundle(project="gamma")
    dies(publish_to, other, "create")  # gamma's claim on another title stays pending
    dies(publish_to, beta, "record")  # beta created both pages, then was killed
    created = server.page("DOC", "Shared")

    report = publish_to(beta)

    assert report.conflicts == ()
    assert server.page("DOC", "Shared").id == created.id
    assert "shared" in index_of(server, "beta").entries
    server.stats.reset()
    assert publish_to(beta).plan.writes == 0
    assert server.stats.writes == 0
