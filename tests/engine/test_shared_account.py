"""Two docs-confluence projects publishing with one account under one parent page, both wanting
one title: whichever created the page keeps it, body, parent and version; the other is told of a
title conflict (naming the other project and the title prefix option) and never writes the
page, whatever the interleaving of their runs: one dying after its title claim, after its
create, or the other creating the page between a run's plan and its create. Cloud and Data
Center, over HTTP."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docs_confluence.bundle_writer import BundleBuilder
from docs_confluence.cli import main
from docs_confluence.config import PublisherConfig
from docs_confluence.errors import ConfluencePublisherError, PublishError
from docs_confluence.publisher import publish_bundle
from docs_confluence.publisher.ownership import read_index
from docs_confluence.publisher.report import PublishIncomplete
from docs_confluence.rest.models import RemoteProperty
from docs_confluence.testing import SandboxHarness

from .conftest import BOT, FAST_RETRY, PAT, Site

PREFIX = "`title_prefix` in mkdocs.yml, `confluence_title_prefix` in conf.py"
INDEX_WRITE = re.compile(r"/propert(y|ies)(/|$)")
PAGE_CREATE = re.compile(r"/(pages|content)$")


class Run(httpx.HTTPTransport):
    """One publish's connection to Confluence, with a say in its steps: *before_create* runs
    once, just before its first page create reaches Confluence (another project publishing
    between our plan and our creates); *dies* ``"create"`` kills the run after its title claim
    (its creates never arrive), ``"record"`` after its creates (its record never arrives)."""

    def __init__(self, *, before_create=None, before_listing=None, dies: str | None = None):
        super().__init__()
        self.before_create = before_create
        self.before_listing = before_listing
        self.dies = dies
        self.index_writes = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.before_listing is not None and _lists_the_space(request):
            before, self.before_listing = self.before_listing, None
            before()
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


def _lists_the_space(request: httpx.Request) -> bool:
    """Whether *request* lists every page of the space (the titles a plan checks)."""
    path = request.url.path
    if request.method != "GET":
        return False
    return bool(re.search(r"/spaces/\d+/pages$", path)) or (
        path.endswith("/content") and request.url.params.get("status") == "any"
    )


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


def as_an_older_version_wrote_it(server, project):
    """Drop the claims from *project*'s index, leaving plain pending titles (the index of a
    run of a version before claims carried evidence)."""
    anchor = server.space("DOC").homepage_id
    for prop in server.store.properties.of(anchor):
        if prop.key.startswith(f"docs-confluence.{project}."):
            value = {k: v for k, v in prop.value.items() if k != "claims"}
            server.store.properties.update(
                anchor, prop.id, value, version=prop.version + 1, author_id=server.bot.account_id
            )


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


@pytest.mark.parametrize(
    ("alpha_dies", "older_index"), [(None, False), ("record", False), (None, True)]
)
def test_a_page_another_project_made_after_our_run_died_is_not_taken(
    server, publish_to, alpha, beta, alpha_dies, older_index
):
    dies(publish_to, beta, "create")  # beta claimed "Shared" and was killed
    if older_index:
        as_an_older_version_wrote_it(server, "beta")
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


@pytest.mark.parametrize("older_index", [False, True])
def test_a_create_lost_in_a_crash_is_still_ours_when_another_project_claims_other_titles(
    server, publish_to, tmp_path, beta, older_index
):
    other = Site(tmp_path / "gamma").page("g", "Gamma", "<p>G</p>").bundle(project="gamma")
    dies(publish_to, other, "create")  # gamma's claim on another title stays pending
    dies(publish_to, beta, "record")  # beta created both pages, then was killed
    if older_index:
        as_an_older_version_wrote_it(server, "beta")
    created = server.page("DOC", "Shared")

    report = publish_to(beta)

    assert report.conflicts == ()
    assert server.page("DOC", "Shared").id == created.id
    assert "shared" in index_of(server, "beta").entries
    server.stats.reset()
    assert publish_to(beta).plan.writes == 0
    assert server.stats.writes == 0


def test_adopt_never_takes_a_page_another_project_made_while_this_run_read(
    server, publish_to, alpha, beta
):
    # Alpha claims, creates and records "Shared" after beta read the indexes and before beta
    # listed the space: only beta's second read of the indexes shows it is alpha's.
    with pytest.raises(PublishError) as caught:
        publish_to(beta, adopt=True, transport=Run(before_listing=lambda: publish_to(alpha)))
    before = snapshot(server)

    message = str(caught.value)
    assert "Nothing was published" in message
    assert "adopt cannot take it over: it belongs to docs-confluence project 'alpha'" in message
    alpha_keeps_its_page(server, publish_to, alpha, before)


def test_two_projects_creating_the_same_page_both_stop_until_one_takes_a_prefix(
    server, publish_to, tmp_path, alpha
):
    # Beta's "Shared" reads exactly as alpha's, under the same parent: after both died, neither
    # can tell whose it is, so neither takes it; a title prefix for beta settles it.
    same = docs(tmp_path, "beta", "<p>Alpha's shared page</p>")
    dies(publish_to, same, "create")
    dies(publish_to, alpha, "record")
    before = snapshot(server)

    for bundle, other in ((alpha, "beta"), (same, "alpha")):
        with pytest.raises(PublishError, match=rf"project '{other}' claims its title") as caught:
            publish_to(bundle)
        assert PREFIX in str(caught.value)
        assert snapshot(server) == before

    prefixed = BundleBuilder("beta", generator="test", title_prefix="Beta: ")
    prefixed.add_page("shared", "Shared", "<p>Alpha's shared page</p>")
    prefixed.add_page("own", "Beta only", "<p>Beta's own page</p>")
    publish_to(prefixed.write(tmp_path / "prefixed"))
    assert server.page("DOC", "Beta: Shared").id != before[0]
    publish_to(alpha)  # alpha finds its create by its claim
    after = snapshot(server)
    assert after[0] == before[0]
    alpha_keeps_its_page(server, publish_to, alpha, after)


# -- any interleaving ---------------------------------------------------------------------------


class Recorded(Run):
    """A run that also notes which project's create of "Shared" Confluence carried out."""

    def __init__(self, project: str, landed: list[str], **options) -> None:
        super().__init__(**options)
        self.project = project
        self.landed = landed

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        creating = request.method == "POST" and PAGE_CREATE.search(request.url.path)
        shared = creating and json.loads(request.content).get("title") == "Shared"
        if shared and response.status_code == 200:
            self.landed.append(self.project)
        return response


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    flavor=st.sampled_from(["cloud", "datacenter"]),
    alpha_runs=st.sampled_from(["before", "between our plan and our creates", "after"]),
    alpha_dies=st.sampled_from([None, "create", "record"]),
    beta_dies=st.sampled_from([None, "create", "record"]),
    alpha_recovers_first=st.booleans(),
)
def test_whichever_project_created_the_page_keeps_it_and_the_other_is_told(
    tmp_path_factory, flavor, alpha_runs, alpha_dies, beta_dies, alpha_recovers_first
):
    root = tmp_path_factory.mktemp("docs")
    bundles = {
        "alpha": docs(root, "alpha", "<p>Alpha's shared page</p>"),
        "beta": docs(root, "beta", "<p>Beta's shared page</p>"),
    }
    landed: list[str] = []
    credentials = BOT if flavor == "cloud" else PAT
    with SandboxHarness.create(flavor=flavor).served() as server:

        def publish(project, **options):
            """One run of *project*; True when it published everything."""
            config = PublisherConfig.from_mapping({"url": server.base_url, "space": "DOC"})
            transport = Recorded(project, landed, **options)
            try:
                publish_bundle(
                    bundles[project],
                    config,
                    credentials=credentials,
                    retry=FAST_RETRY,
                    transport=transport,
                )
            except ConfluencePublisherError:
                return False
            return True

        def alpha_first():
            publish("alpha", dies=alpha_dies)

        if alpha_runs == "before":
            alpha_first()
        publish("beta", dies=beta_dies, before_create=alpha_first if "plan" in alpha_runs else None)
        if alpha_runs == "after":
            alpha_first()
        for project in ("alpha", "beta") if alpha_recovers_first else ("beta", "alpha"):
            publish(project)

        creator = landed[0]
        other = "beta" if creator == "alpha" else "alpha"
        assert landed == [creator]  # one create of the title ever landed
        page = server.page("DOC", "Shared")
        assert page.parent_id == server.space("DOC").homepage_id
        assert page.body == f"<p>{creator.title()}'s shared page</p>"
        assert "shared" in index_of(server, creator).entries
        assert "shared" not in index_of(server, other).entries
        # Settled: the creator's publish writes nothing; the other's is a title conflict.
        server.stats.reset()
        assert publish(creator)
        assert server.stats.writes == 0
        with pytest.raises(PublishError, match=f"project '{creator}'") as caught:
            publish_bundle(
                bundles[other],
                PublisherConfig.from_mapping({"url": server.base_url, "space": "DOC"}),
                credentials=credentials,
                retry=FAST_RETRY,
            )
        assert "Nothing was published" in str(caught.value)
        assert PREFIX in str(caught.value)
        assert server.stats.writes == 0
        assert server.page("DOC", "Shared") == page


def test_the_command_exits_1_naming_the_other_project_and_the_fix(
    monkeypatch, live_confluence, publish, alpha, beta, capsys
):
    monkeypatch.setenv("CONFLUENCE_URL", live_confluence.base_url)
    monkeypatch.setenv("CONFLUENCE_SPACE", "DOC")
    monkeypatch.setenv("CONFLUENCE_USER", "bot@example.com")
    monkeypatch.setenv("CONFLUENCE_API_TOKEN", "sandbox-api-token")
    monkeypatch.delenv("CONFLUENCE_PAT", raising=False)
    monkeypatch.delenv("CONFLUENCE_PARENT", raising=False)
    with pytest.raises(ConfluencePublisherError):
        publish(beta, transport=Run(dies="create"))
    assert main(["publish", str(alpha.root)]) == 0
    capsys.readouterr()

    assert main(["publish", str(beta.root)]) == 1

    err = capsys.readouterr().err
    assert "error: Nothing was published" in err
    assert "this project ('beta')" in err
    assert "docs-confluence project 'alpha'" in err
    assert PREFIX in err
    assert "Traceback" not in err
    assert main(["publish", str(alpha.root)]) == 0
    assert live_confluence.page("DOC", "Shared").body == "<p>Alpha's shared page</p>"


def test_a_rename_onto_a_title_another_project_holds_names_that_project(
    server, publish_to, alpha, tmp_path
):
    """Beta renames one of its own pages to the title alpha's page holds: the same title
    conflict as for a create, naming alpha; beta's page keeps its old title."""
    publish_to(alpha)
    before = snapshot(server)
    site = Site(tmp_path / "beta-renames")
    site.page("own", "Beta only", "<p>Beta's own page</p>")
    publish_to(site.bundle(project="beta"))
    site.pages[0] = ("own", "Shared", "<p>Beta's own page</p>", None, (), ())

    beta_is_told_of_a_title_conflict(server, publish_to, site.bundle(project="beta"), before)

    assert server.page("DOC", "Beta only").body == "<p>Beta's own page</p>"
    alpha_keeps_its_page(server, publish_to, alpha, before)
