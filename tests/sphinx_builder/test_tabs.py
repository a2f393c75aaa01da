"""sphinx-inline-tabs and sphinx-design tab sets: every tab keeps its label, as the title of
the macro holding its content, in tab order."""

from __future__ import annotations

from docs_confluence.sandbox import xhtml

from .conftest import config_errors
from .pages import macros, param, plain_body, visible, xpath


def test_every_tab_is_a_panel_titled_with_its_label(build):
    result = build("tabs")
    built = result.built
    body = built.body("index")
    panels = macros(body, "panel")
    assert [param(p, "title") for p in panels] == [
        "venv + pip",
        "conda",
        "uv",
        "Again",
        "Linux",
        "Windows",
        "Linux",
        "Windows",
        "PYTHON",
        "JAVASCRIPT",
    ]
    assert macros(panels[0], "code")
    assert visible(panels[1]) == "Run conda install tool."
    assert visible(panels[7]) == "Synchronised: Windows again."
    assert [m for p in panels[8:] for m in macros(p, "code")]
    # the labels are titles, not repeated as text in the body
    assert "venv + pip" not in visible(body)
    assert not [s for s in xpath(body, ".//strong|.//h2|.//h3") if "Linux" in visible(s)]
    assert "Text after the tabs." in visible(body)
    assert "index.rst" not in result.warnings
    xhtml.normalise(built.text("index"))


def test_tabs_can_be_expands(build):
    built = build("tabs", confluence_tabs="expand").built
    body = built.body("index")
    assert macros(body, "panel") == []
    titles = [param(m, "title") for m in macros(body, "expand")]
    assert titles[:3] == ["venv + pip", "conda", "uv"]
    assert len(titles) == 10
    xhtml.normalise(built.text("index"))


def test_a_tab_like_node_from_an_unknown_extension_keeps_its_label_and_warns(build):
    result = build("tabs")
    body = result.built.body("unknown")
    assert [visible(p) for p in xpath(body, "p")] == ["With Docker", "Run the container."]
    assert xpath(body, "p/strong")[0].text == "With Docker"
    assert "no Confluence rendering for node 'choice'" in result.warnings
    xhtml.normalise(result.built.text("unknown"))


def test_an_unknown_tab_style_stops_the_build(make_app, rootdir):
    app = make_app(
        "confluence", srcdir=rootdir / "test-tree", confoverrides={"confluence_tabs": "tabs"}
    )
    assert "confluence_tabs = 'tabs': expected one of: panels, expand" in config_errors(app)


def test_a_django_console_block_is_a_tab_per_system(build):
    """Django's console directive (djangodocs) writes its Windows variant only for its HTML
    builders; both variants are on the page, titled as Django's HTML titles its tabs."""
    result = build("console")
    body = result.built.body("index")
    panels = macros(body, "panel")
    assert [param(p, "title") for p in panels] == ["Linux/macOS", "Windows"]
    codes = [macros(p, "code") for p in panels]
    assert [len(c) for c in codes] == [1, 1]
    assert [plain_body(c[0]) for c in codes] == [
        "$ ./runtests.py admin_views/tests.py\nRan 1 test",
        "...\\> runtests.py admin_views\\tests.py\nRan 1 test",
    ]
    # a session without a Windows variant stays one code block, outside any panel
    [plain] = xpath(body, "ac:structured-macro[@ac:name='code']")
    assert plain_body(plain) == "git status"
    assert "Text after." in visible(body)
    assert "WARNING" not in result.warnings
    xhtml.normalise(result.built.text("index"))


def test_django_console_tabs_can_be_expands(build):
    body = build("console", confluence_tabs="expand").built.body("index")
    assert [param(m, "title") for m in macros(body, "expand")] == ["Linux/macOS", "Windows"]
