"""A secret never reaches what ``mkdocs build`` logs: a gateway header's value that also turns
up in a page title is shown as ``[secure]`` in the plugin's lines and the engine's forwarded
ones. Publishing into the sandbox behind that gateway, over HTTP."""

from __future__ import annotations

import pytest
from mkdocs.exceptions import Abort

from docs_confluence.masking import MASK
from docs_confluence.sandbox.server import serve
from docs_confluence.testing import SandboxHarness

from ..engine.network import gateway

SECRET = "gw-5d1e7a9c3b"


def test_a_header_secret_is_masked_in_what_mkdocs_logs(make_site, monkeypatch, logs):
    monkeypatch.setenv("CONFLUENCE_USER", SandboxHarness.email)
    monkeypatch.setenv("CONFLUENCE_API_TOKEN", SandboxHarness.api_token)
    for name in ("CONFLUENCE_PAT", "CONFLUENCE_HEADERS"):
        monkeypatch.delenv(name, raising=False)
    harness = SandboxHarness.create()
    pages = {
        "index.md": "# Home\n\nStart here.\n",
        "rotate.md": f"# Rotating {SECRET}\n\nHow the gateway key is replaced.\n",
    }
    with serve(gateway(harness.app, "X-Gateway-Token", SECRET)) as origin:
        options = {
            "url": origin + harness.app.context_path,
            "space": "DOC",
            "parent_page": "DOC Home",
            "headers": {"X-Gateway-Token": SECRET},
        }
        make_site(pages, {"plugins": [{"confluence": options}]})
    titles = {p.title for p in harness.store.pages.all(space_id=harness.space().id)}
    assert f"Rotating {SECRET}" in titles  # the header reached the gateway: it was published
    shown = "\n".join(logs.at_least(0))
    assert f"Rotating {MASK}" in shown
    assert SECRET not in shown
    assert SECRET not in logs.text


def test_a_header_secret_is_masked_in_the_error_that_stops_the_build(make_site, monkeypatch, logs):
    monkeypatch.setenv("CONFLUENCE_USER", SandboxHarness.email)
    monkeypatch.setenv("CONFLUENCE_API_TOKEN", SandboxHarness.api_token)
    for name in ("CONFLUENCE_PAT", "CONFLUENCE_HEADERS"):
        monkeypatch.delenv(name, raising=False)
    harness = SandboxHarness.create()
    with serve(gateway(harness.app, "X-Gateway-Token", SECRET)) as origin:
        options = {
            "url": origin + harness.app.context_path,
            "space": "DOC",
            "parent_page": f"Keys {SECRET}",  # no such page: the error names it
            "headers": {"X-Gateway-Token": SECRET},
        }
        with pytest.raises(Abort):
            make_site({"index.md": "# Home\n"}, {"plugins": [{"confluence": options}]})
    [error] = logs.errors()
    assert error.startswith(f"confluence: parent_page 'Keys {MASK}': no page with this")
    assert SECRET not in "\n".join(logs.at_least(0))  # all MkDocs shows
