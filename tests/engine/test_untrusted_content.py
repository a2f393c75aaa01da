"""What a server hands back is not trusted: a listing's ``_links.next`` naming another site is
never followed (the credentials go with every request), and the sandbox serves uploaded HTML,
SVG, XML and JavaScript so that a browser never runs them as its own pages. Over HTTP."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import httpx
import pytest

from docs_confluence.config import PublisherConfig
from docs_confluence.errors import ConfluencePublisherError
from docs_confluence.publisher import publish_bundle
from docs_confluence.sandbox.paging import encode_cursor
from docs_confluence.sandbox.server import serve
from docs_confluence.testing import SandboxHarness

from .conftest import BOT, FAST_RETRY

if TYPE_CHECKING:
    from collections.abc import Iterable
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment


def recorder(seen: list[dict[str, str]]) -> WSGIApplication:
    """Another site: notes each request's headers, answers an empty listing."""

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        seen.append({k: str(v) for k, v in environ.items() if k.startswith("HTTP_")})
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b'{"results": [], "_links": {}}']

    return app


def linking_to(app: WSGIApplication, path: str, elsewhere: str) -> WSGIApplication:
    """*app*, whose first listing at *path* links its next page to *elsewhere*."""
    done: list[bool] = []

    def wrapped(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        matches = re.search(path, environ["PATH_INFO"]) is not None
        if done or environ["REQUEST_METHOD"] != "GET" or not matches:
            return app(environ, start_response)
        done.append(True)
        answer: dict[str, object] = {}

        def keep(status, headers, exc_info=None):
            answer.update(status=status, headers=headers)
            return lambda data: None

        data = json.loads(b"".join(app(environ, keep)))
        data.setdefault("_links", {})["next"] = elsewhere
        body = json.dumps(data).encode()
        headers = [(k, v) for k, v in answer["headers"] if k.lower() != "content-length"]  # type: ignore[attr-defined]
        start_response(str(answer["status"]), [*headers, ("Content-Length", str(len(body)))])
        return [body]

    return wrapped


@pytest.mark.parametrize(
    ("listing", "link"),
    [
        ("index", "{other}/steal?cursor=abc"),
        ("index", "//{host}/steal?cursor=abc"),  # scheme-relative: another origin all the same
        ("pages", "{other}/wiki/rest/api/content?start=250"),
    ],
)
def test_a_next_link_to_another_site_is_not_followed(site, listing, link):
    site.page("index", "Home", "<p>Home</p>")
    site.page("guide", "Guide", "<p>Read me.</p>", parent="index")
    bundle = site.bundle()
    harness = SandboxHarness.create()
    path = {"index": r"/properties$", "pages": r"/api/v2/spaces/\d+/pages$"}[listing]
    seen: list[dict[str, str]] = []
    with serve(recorder(seen)) as other:
        elsewhere = link.format(other=other, host=other.removeprefix("http://"))
        with serve(linking_to(harness.app, path, elsewhere)) as origin:
            config = PublisherConfig.from_mapping(
                {"url": origin + harness.app.context_path, "space": "DOC"}
            )
            with pytest.raises(ConfluencePublisherError) as caught:
                publish_bundle(bundle, config, credentials=BOT, retry=FAST_RETRY)

    assert seen == []  # the other site never heard from us, let alone our credentials
    message = str(caught.value)
    assert f"links the next page to another site ({other})" in message
    assert "not followed" in message
    assert BOT.secret not in message


def test_a_next_link_naming_the_sites_own_api_stays_on_the_configured_site(site):
    """Behind the API gateway Cloud's links name the site's own domain: only the API path is
    kept, on the configured origin, and the listing goes on."""
    site.page("index", "Home", "<p>Home</p>")
    bundle = site.bundle()
    harness = SandboxHarness.create()
    seen: list[dict[str, str]] = []
    space_id = harness.space().id
    with serve(recorder(seen)) as other:
        elsewhere = f"{other}/wiki/api/v2/spaces/{space_id}/pages?cursor={encode_cursor(500)}"
        path = r"/api/v2/spaces/\d+/pages$"
        with serve(linking_to(harness.app, path, elsewhere)) as origin:
            config = PublisherConfig.from_mapping(
                {"url": origin + harness.app.context_path, "space": "DOC"}
            )
            report = publish_bundle(bundle, config, credentials=BOT, retry=FAST_RETRY)
    assert seen == []
    assert report.counts() == {"created": 1}


ACTIVE = ["page.html", "diagram.svg", "feed.xml", "app.js"]


@pytest.mark.parametrize("name", [*ACTIVE, "photo.png"])
def test_downloads_of_uploaded_files_never_run_as_the_sites_pages(
    site, server, publish_to, flavor, name
):
    payload = b"<script>alert(document.cookie)</script>"
    site.page("index", "Home", "<p>Home</p>", files=[(name, payload)])
    publish_to(site.bundle())
    home = server.page("DOC", "Home")
    auth = httpx.BasicAuth(BOT.user or "", BOT.secret) if flavor == "cloud" else None
    headers = {} if auth else {"Authorization": "Bearer sandbox-pat"}

    response = httpx.get(
        f"{server.base_url}/download/attachments/{home.id}/{name}", auth=auth, headers=headers
    )

    assert response.status_code == 200
    assert response.content == payload
    assert response.headers["Content-Security-Policy"] == "sandbox"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers.get("Content-Disposition")
    if name in ACTIVE:
        assert disposition == f"attachment; filename*=UTF-8''{name}"
    else:
        assert disposition is None
