"""A 2xx answer whose body is not the JSON expected (a single sign-on proxy's login page, a
truncated body, an empty one, JSON of another shape): a read ends the run in one line naming the
request and what came back, with ``--json`` and the job summary still written; a write is in
doubt, and is found out (by the same run or the next) with no duplicate page. Over HTTP."""

from __future__ import annotations

import json

import pytest

from docs_confluence.cli import main
from docs_confluence.errors import ConfluencePublisherError

from .test_ambiguous_writes import EXPECTED, news_site, publish_until_it_holds

TOKEN = "sandbox-api-token"
KINDS = ["html", "truncated", "empty", "shape"]
SAYS = {
    "html": "an HTML page titled 'Sign in - Example SSO' instead of JSON (a login or proxy page?",
    "truncated": "JSON cut short after",
    "empty": "an empty body instead of JSON",
    "shape": "JSON of another shape than expected",
}
#: Reads a publish makes, first to last: the space, the anchor's properties (the index), the
#: space's pages (for the titles a first publish wants).
READS = {
    "space": r"/api/v2/spaces$",
    "index": r"/properties$",
    "pages": r"/api/v2/spaces/\d+/pages$",
}
WRITES = {
    "create": {"cloud": r"/api/v2/pages$", "datacenter": r"/rest/api/content$"},
    "update": {"cloud": r"/api/v2/pages/\d+$", "datacenter": r"/rest/api/content/\d+$"},
    "index": {"cloud": r"/properties(/\d+)?$", "datacenter": r"/property/[^/]+$"},
}
WRITE_METHOD = {"create": "POST", "update": "PUT", "index": None}


@pytest.fixture
def env(monkeypatch, live_confluence, tmp_path):
    monkeypatch.setenv("CONFLUENCE_URL", live_confluence.base_url)
    monkeypatch.setenv("CONFLUENCE_SPACE", "DOC")
    monkeypatch.setenv("CONFLUENCE_USER", "bot@example.com")
    monkeypatch.setenv("CONFLUENCE_API_TOKEN", TOKEN)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    for name in ("CONFLUENCE_PAT", "CONFLUENCE_PARENT"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize("read", sorted(READS))
@pytest.mark.parametrize("kind", KINDS)
def test_a_read_answered_with_something_else_ends_in_one_line(
    env, site, tmp_path, capsys, live_confluence, kind, read
):
    bundle = news_site(site).bundle()
    live_confluence.faults.mangle(kind=kind, method="GET", path=READS[read])

    assert main(["publish", "--json", str(bundle.root)]) == 1

    captured = capsys.readouterr()
    errors = [line for line in captured.err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, captured.err
    assert "Traceback" not in captured.err + captured.out
    assert TOKEN not in captured.err + captured.out
    assert "Confluence answered 200 with " + SAYS[kind] in errors[0]
    assert " (GET http://127.0.0.1:" in errors[0]
    data = json.loads(captured.out)
    assert data["ok"] is False
    assert data["errors"] == [errors[0].removeprefix("error: ")]
    summary = (tmp_path / "summary.md").read_text()
    assert "publish failed" in summary
    assert SAYS[kind] in summary
    assert live_confluence.stats.writes == 0
    # Nothing was left half done: the next run publishes everything.
    assert main(["publish", str(bundle.root)]) == 0
    assert live_confluence.outline() == EXPECTED


@pytest.mark.parametrize("write", sorted(WRITES))
@pytest.mark.parametrize("kind", KINDS)
def test_a_write_answered_with_something_else_is_found_out(
    site, server, publish_to, flavor, kind, write
):
    news_site(site)
    if write == "update":
        publish_to(site.bundle())
        site.pages[2] = ("news/1", "First story", "<p>one, again</p>", "news", (), ())
    bundle = site.bundle()
    path = WRITES[write][flavor]
    server.faults.mangle(kind=kind, method=WRITE_METHOD[write], path=path, after_write=True)

    publish_until_it_holds(publish_to, bundle)

    assert server.outline() == EXPECTED  # every page once: none created twice
    assert server.page("DOC", "First story").body == (
        "<p>one, again</p>" if write == "update" else "<p>one</p>"
    )
    server.stats.reset()
    assert publish_to(bundle).plan.writes == 0
    assert server.stats.writes == 0


@pytest.mark.parametrize("kind", KINDS)
def test_a_create_a_proxy_answered_is_sent_again(site, server, publish_to, flavor, kind):
    """The proxy answered, Confluence never saw the create: it is looked for, then sent."""
    bundle = news_site(site).bundle()
    server.faults.mangle(kind=kind, method="POST", path=WRITES["create"][flavor])

    publish_to(bundle)

    assert server.outline() == EXPECTED


def test_a_write_in_doubt_says_so(site, server, publish_to, flavor):
    news_site(site)
    publish_to(site.bundle())
    site.pages[2] = ("news/1", "First story", "<p>one, again</p>", "news", (), ())
    server.faults.mangle(kind="html", method="PUT", path=WRITES["update"][flavor])

    with pytest.raises(ConfluencePublisherError) as caught:
        publish_to(site.bundle())

    message = str(caught.value)
    assert "update page 'First story'" in message
    assert "an HTML page" in message
    assert "may or may not have been carried out" in message
    assert "Traceback" not in message


def test_plan_json_is_written_when_a_read_is_answered_with_a_login_page(
    env, site, capsys, live_confluence
):
    bundle = news_site(site).bundle()
    live_confluence.faults.mangle(kind="html", method="GET", path=READS["space"])

    assert main(["plan", "--json", str(bundle.root)]) == 1

    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["ok"] is False
    assert data["dry_run"] is True
    assert data["pages"] == []
    assert "look up space DOC: Confluence answered 200 with an HTML page" in data["errors"][0]
    assert "Traceback" not in captured.err


#: Writes whose answer says nothing we need, each with the docs change that makes one: adding
#: a label, moving a page (v1 on both flavours).
UNREAD = {
    "label": (r"/label$", "POST"),
    "move": (r"/move/", "PUT"),
}


@pytest.mark.parametrize("after_write", [False, True], ids=["proxy-answered", "applied"])
@pytest.mark.parametrize("write", sorted(UNREAD))
@pytest.mark.parametrize("kind", KINDS)
def test_a_write_whose_answer_we_do_not_need_is_still_in_doubt_when_mangled(
    site, server, publish_to, flavor, kind, write, after_write
):
    """A 2xx answer that is not Confluence's (a proxy's login page) says nothing about whether
    the write happened: the run may not record it as done, or the next one would never make it
    (the plan knows our labels and parents from the index)."""
    if (flavor, write, kind) == ("datacenter", "move", "empty"):
        pytest.skip("Data Center's move answer is undocumented: an empty one is taken as done")
    news_site(site)
    publish_to(site.bundle())
    if write == "label":
        site.pages[0] = ("index", "Home", "<p>Home</p>", None, ("docs",), ())
    else:
        site.pages[3] = ("news/2", "Second story", "<p>two</p>", "index", (), ())
    bundle = site.bundle()
    path, method = UNREAD[write]
    server.faults.mangle(kind=kind, method=method, path=path, after_write=after_write)

    publish_until_it_holds(publish_to, bundle)

    assert server.page("DOC", "Home").labels == (("docs",) if write == "label" else ())
    assert server.outline() == (
        EXPECTED
        if write == "label"
        else "DOC Home\n  Home\n    News\n      First story\n    Second story"
    )
    server.stats.reset()
    assert publish_to(bundle).plan.writes == 0
    assert server.stats.writes == 0
