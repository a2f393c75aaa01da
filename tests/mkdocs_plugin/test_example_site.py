"""example-site/mkdocs: every construct, built strictly and published into the sandbox."""

from __future__ import annotations

from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from docs_confluence import read_bundle, storage
from docs_confluence.storage.macros import CATALOGUE

EXAMPLE = Path(__file__).resolve().parents[2] / "example-site" / "mkdocs" / "mkdocs.yml"


def test_example_site_publishes_warning_free_into_the_sandbox(
    tmp_path, live_confluence, monkeypatch, logs, mmdc
):
    monkeypatch.setenv("CONFLUENCE_URL", live_confluence.base_url)
    monkeypatch.setenv("CONFLUENCE_PARENT", "DOC Home")
    monkeypatch.setenv("CONFLUENCE_USER", live_confluence.email)
    monkeypatch.setenv("CONFLUENCE_API_TOKEN", live_confluence.api_token)
    config = load_config(str(EXAMPLE), site_dir=str(tmp_path / "site"), strict=True)
    config.plugins["confluence"].config.bundle_dir = str(tmp_path / "bundle")
    build(config)  # strict: any warning would abort
    assert logs.warnings() == []
    assert live_confluence.outline() == "\n".join(
        [
            "DOC Home",
            "  Home",
            "  Getting started",
            "    Installation",
            "    Configuration",
            "  User guide",
            "    Writing pages",
            "    Code",
            "    Admonitions",
            "    Advanced",
            "      Content tabs",
            "      Images",
            "      Diagrams and math",
            "      Raw HTML",
            "  Administration",
            "    Configuration (Administration)",
            "    Backups and restore",
            "  Reference",
            "    Options",
            "    Emoji and icons",
            "  About these docs",
        ]
    )
    bundle = read_bundle(tmp_path / "bundle")
    emitted = {
        name
        for page in bundle.pages
        for name in storage.parse_fragment(bundle.read_body(page)).xpath(
            "//ac:structured-macro/@ac:name", namespaces={"ac": storage.AC}
        )
    }
    assert emitted <= set(CATALOGUE), emitted - set(CATALOGUE)
    assert {"info", "note", "tip", "warning", "code", "panel", "expand"} <= emitted
    images = live_confluence.page("DOC", "Images")
    uploaded = {a.title for a in live_confluence.store.attachments.of(images.id)}
    assert uploaded == {a.filename for a in bundle.page("guide/advanced/images.md").attachments}
    assert uploaded == {"architecture.png", "logo.png", "screenshot.png"}
    diagrams = {a.filename for a in bundle.page("guide/advanced/diagrams.md").attachments}
    assert sorted(name.split("-")[0] for name in diagrams) == ["math", "math", "mermaid"]
