"""Publishing side by side gives exactly the space publishing one request at a time gives: the
same pages, parents, sibling order, bodies, labels, attachments and ownership index (the fault
suite's picture of a space, tests/fault_schedules.py), whatever order the answers come in."""

from __future__ import annotations

import json
import random

import httpx
import pytest

from docs_confluence.config import PublisherConfig
from docs_confluence.errors import ConfluencePublisherError
from docs_confluence.publisher import publish_bundle
from docs_confluence.sandbox import Faults
from docs_confluence.testing import SandboxHarness
from tests.engine.conftest import PAT
from tests.engine.test_crashed_runs import DiesBeforeItsRecord
from tests.fault_schedules import (
    BOT,
    RETRY,
    Docs,
    DocsPage,
    _seed_foreign,
    differences,
    index_picture,
    picture,
)

MOVE = "PUT /rest/api/content/{id}/move/{position}/{target}"


class Jitter(Faults):
    """Every request waits a random few milliseconds, so answers come back in any order."""

    def __init__(self, most: float, seed: int) -> None:
        super().__init__()
        self.most = most
        self.rng = random.Random(seed)

    @property
    def latency(self) -> float:
        return self.rng.uniform(0, self.most)

    @latency.setter
    def latency(self, seconds: float) -> None:
        self.most = seconds


def docs() -> Docs:
    pages: list[DocsPage] = [("index", "Home", "<p>Home</p>", None, ("docs",), ())]
    for s in range(3):
        pages.append((f"s{s}", f"Section {s}", f"<p>Section {s}</p>", "index", (), ()))
        for n in range(12):
            files = ((f"f{s}{n}.txt", f"file {s}.{n}".encode()),) if n % 4 == 0 else ()
            labels = ("leaf",) if n % 3 == 0 else ()
            key = f"s{s}/{n}"
            pages.append((key, f"Page {s}.{n}", f"<p>{s}.{n}</p>", f"s{s}", labels, files))
    return Docs(pages)


def change(docs: Docs) -> None:
    """New pages between existing siblings, a new section, and a page moved to the front."""
    pages = docs.pages
    at = next(i for i, p in enumerate(pages) if p[0] == "s1/5")
    pages[at:at] = [(f"new{n}", f"New {n}", f"<p>new {n}</p>", "s1", (), ()) for n in range(6)]
    last = pages.pop(next(i for i, p in enumerate(pages) if p[0] == "s2/11"))
    at = next(i for i, p in enumerate(pages) if p[0] == "s2/0")
    pages.insert(at, last)
    pages.append(("s3", "Section 3", "<p>Section 3</p>", "index", (), ()))
    pages.extend((f"s3/{n}", f"Late {n}", f"<p>late {n}</p>", "s3", (), ()) for n in range(10))


def publish_all(live, bundle, concurrency):
    config = PublisherConfig.from_mapping(
        {"url": live.base_url, "space": "DOC", "concurrency": concurrency, "cleanup": True}
    )
    credentials = BOT if live.app.flavor == "cloud" else PAT
    return publish_bundle(bundle, config, credentials=credentials, retry=RETRY)


@pytest.mark.parametrize(("flavor", "concurrency"), [("cloud", 3), ("cloud", 8), ("datacenter", 8)])
def test_any_concurrency_gives_the_same_space_as_one_request_at_a_time(
    tmp_path, flavor, concurrency
):
    one_docs, many_docs = docs(), docs()
    with (
        SandboxHarness.create(flavor=flavor).served() as one,
        SandboxHarness.create(flavor=flavor).served() as many,
    ):
        many.app.faults = Jitter(0.01, seed=concurrency)
        _seed_foreign(one)
        _seed_foreign(many)
        moved = 0
        for step in range(2):
            if step:
                change(one_docs)
                change(many_docs)
            publish_all(one, one_docs.bundle(tmp_path / "one"), 1)
            many.stats.reset()
            report = publish_all(many, many_docs.bundle(tmp_path / "many"), concurrency)
            moved += many.stats.count(MOVE)

            want, got = picture(one), picture(many)
            assert report.ok
            assert differences(got, want) == []
            assert got.outline == want.outline
            assert got.children == want.children
            assert index_picture(many) == index_picture(one)
        # The answers came back out of order, and the order was put right.
        assert moved > 0


class WithoutPositions(httpx.HTTPTransport):
    """A site whose answers to a create do not say where the page landed."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if request.method != "POST" or not request.url.path.endswith(("/pages", "/content")):
            return response
        response.read()
        data = json.loads(response.content)
        data.pop("position", None)
        data["extensions"] = {"position": "none"}
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        return httpx.Response(response.status_code, headers=headers, json=data)


def test_a_site_that_does_not_say_where_new_pages_land_gets_them_one_after_another(
    site, server, publish_to
):
    site.page("index", "Home", "<p>Home</p>")
    for n in range(8):
        site.page(f"p{n}", f"Page {n}", f"<p>{n}</p>", parent="index")
    server.app.faults = Jitter(0.01, seed=5)  # side by side, they would land in any order

    report = publish_to(site.bundle(), concurrency=8, transport=WithoutPositions())

    assert report.ok
    assert server.outline() == "\n".join(
        ["DOC Home", "  Home", *(f"    Page {n}" for n in range(8))]
    )
    assert server.stats.count(MOVE) == 0  # in order by creating them in order


class DiesBeforeItsMoves(DiesBeforeItsRecord):
    """A run that dies after its creates: its moves and its record after the title claim never
    reach Confluence."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PUT" and "/move/" in request.url.path:
            return httpx.Response(500, json={"message": "Internal Server Error"})
        return super().handle_request(request)


def test_a_run_that_died_between_its_creates_and_its_moves_is_put_in_order_by_the_next(
    site, server, publish_to
):
    site.page("index", "Home", "<p>Home</p>")
    for n in range(60):
        site.page(f"p{n}", f"Page {n}", f"<p>{n}</p>", parent="index")
    bundle = site.bundle()
    server.app.faults = Jitter(0.01, seed=7)
    with pytest.raises(ConfluencePublisherError, match="not put in order"):
        publish_to(bundle, concurrency=8, transport=DiesBeforeItsMoves(allowed=1))
    out_of_order = server.outline()

    report = publish_to(bundle, concurrency=8)

    want = "\n".join(["DOC Home", "  Home", *(f"    Page {n}" for n in range(60))])
    assert out_of_order != want  # the dead run left them as they landed
    assert report.ok
    assert server.outline() == want
    server.stats.reset()
    assert publish_to(bundle, concurrency=8).plan.writes == 0
    assert server.stats.writes == 0
