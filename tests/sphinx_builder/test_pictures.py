"""Math and Mermaid (sphinxcontrib-mermaid's ``mermaid`` node) as attached pictures, and as
readable source without a renderer."""

from __future__ import annotations

import re
import shutil

import pytest
from sphinx.testing.util import SphinxTestApp

from docs_confluence.sandbox.xhtml import normalise
from docs_confluence.storage import pictures

from .conftest import ROOTS, plain
from .pages import Built, macros, plain_body, xpath

A = "{http://atlassian.com/content}"
R = "{http://atlassian.com/resource/identifier}"


def build_pictures(tmp_path, **overrides):
    """Build roots/test-pictures; returns (Built, warnings)."""
    srcdir = tmp_path / "src"
    if not srcdir.exists():
        shutil.copytree(ROOTS / "test-pictures", srcdir)
    app = SphinxTestApp("confluence", srcdir=srcdir, confoverrides=overrides)
    try:
        app.build()
    finally:
        app.cleanup()
    return Built.of(app), plain(app.warning.getvalue())


def images(root):
    """(attachment, alt, height, align) of each ``ac:image`` below *root*."""
    return [
        (
            image[0].get(f"{R}filename"),
            image.get(f"{A}alt"),
            image.get(f"{A}height"),
            image.get(f"{A}align"),
        )
        for image in xpath(root, ".//ac:image")
    ]


def test_math_and_mermaid_become_attached_pictures(tmp_path, mmdc):
    built, warnings = build_pictures(tmp_path)
    body = built.body("index")
    [inline] = xpath(body, "p[starts-with(., 'Inline')]")
    [(name, alt, height, align)] = set(images(inline))
    assert (alt, align) == ("x^2", None)
    assert re.fullmatch(r"math-[0-9a-f]{12}\.png", name)
    assert 10 <= int(height) <= 24
    centred = xpath(body, "p[@style='text-align: center;']")
    assert [(images(p)[0][1], images(p)[0][3], p.xpath("string()")) for p in centred] == [
        ("\\frac{a}{b} = c", "center", "\u2003(1)"),  # the equation's number after it
        ("a = 1", "center", ""),  # one picture per equation of the directive
        ("b = 2", "center", ""),
        ("graph TD; A-->B;", "center", ""),
    ]
    assert images(centred[-1])[0][2] == "10"  # the fake mmdc's 40x20 PNG at scale 2
    [code] = macros(body, "code")
    assert plain_body(code) == "\\frac{1}{"  # a broken formula stays LaTeX, with a warning
    assert re.search(r"index\.rst:\d+: WARNING: formula '\\\\frac\{1\}\{' not rendered", warnings)
    assert "other.rst:" in warnings
    assert "diagram 'graph fail' not rendered (mermaid-cli exited with 1" in warnings
    assert len(warnings.splitlines()) == 2
    bundle = built.bundle
    for page in bundle.pages:
        normalise(bundle.read_body(page))  # raises InvalidStorage as Confluence would refuse
    attachments = {a.filename: a for a in bundle.page("index").attachments}
    assert set(attachments) == {images(p)[0][0] for p in [inline, *centred]}
    assert {a.media_type for a in attachments.values()} == {"image/png"}


def test_without_renderers_math_and_diagrams_stay_source_with_one_warning_each(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(pictures, "math_available", lambda: False)
    built, warnings = build_pictures(tmp_path, confluence_mermaid_cli=str(tmp_path / "no-mmdc"))
    body = built.body("index")
    assert xpath(body, ".//ac:image") == []
    assert [plain_body(m) for m in macros(body, "code")] == [
        "\\frac{a}{b} = c",
        "a = 1\n\nb = 2",
        "\\frac{1}{",
        "graph TD; A-->B;",
    ]
    assert [c.text for c in xpath(body, "p/code")] == ["x^2", "x^2"]
    assert xpath(built.body("other"), "p/code")[0].text == "z"
    assert len(warnings.splitlines()) == 2, warnings
    assert "WARNING: Formulas are shown as LaTeX code: the math renderer is not installed" in (
        warnings
    )
    assert "WARNING: Mermaid diagrams are shown as code: mermaid-cli" in warnings


@pytest.mark.parametrize("mode", ["code", "macro"])
def test_math_code_and_macro_modes_render_nothing(tmp_path, mode):
    built, warnings = build_pictures(tmp_path, confluence_math=mode, confluence_mermaid_cli="")
    assert xpath(built.body("index"), ".//ac:image") == []
    assert warnings == ""


def test_republishing_pictures_writes_nothing(tmp_path, mmdc, live_confluence, monkeypatch):
    monkeypatch.setenv("CONFLUENCE_USER", live_confluence.email)
    monkeypatch.setenv("CONFLUENCE_API_TOKEN", live_confluence.api_token)
    monkeypatch.delenv("CONFLUENCE_PAT", raising=False)
    target = {
        "confluence_url": live_confluence.base_url,
        "confluence_space": "DOC",
        "confluence_parent_page": "DOC Home",
    }
    build_pictures(tmp_path, **target)
    page = live_confluence.page("DOC", "Pictures")
    stored = {a.title for a in live_confluence.store.attachments.of(page.id)}
    assert len(stored) == 5
    assert all(name.endswith(".png") for name in stored)
    live_confluence.stats.reset()
    shutil.rmtree(tmp_path / "src" / "_build")  # a full rebuild: every picture rendered anew
    build_pictures(tmp_path, **target)
    assert live_confluence.stats.writes == 0
