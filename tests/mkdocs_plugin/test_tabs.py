"""Content tabs (pymdownx.tabbed, Material's content tabs): every tab keeps its label, as the
title of the macro holding its content, in tab order."""

from __future__ import annotations

import pytest

from docs_confluence.sandbox import xhtml

from .sites import macro_params, macros, text

INSTALL = """
=== "`venv` + pip"

    ```bash
    python -m venv .venv && pip install tool
    ```

=== "conda"

    Run `conda install tool`.

=== "uv"

    Run `uv add tool`.
"""


@pytest.mark.parametrize("theme", ["mkdocs", "material"])
@pytest.mark.parametrize("alternate", [True, False])
def test_each_tab_is_a_panel_titled_with_its_label(make_site, theme, alternate):
    config = {
        "theme": {"name": theme, "features": ["content.tabs.link"]},
        "markdown_extensions": [
            "pymdownx.superfences",
            {"pymdownx.tabbed": {"alternate_style": alternate}},
        ],
    }
    site = make_site({"index.md": INSTALL}, config)
    body = site.body("index.md")
    panels = macros(body, "panel")
    assert [macro_params(p)["title"] for p in panels] == ["venv + pip", "conda", "uv"]
    assert macros(panels[0], "code")
    assert text(panels[2]) == "Run uv add tool."
    assert "pip" not in text(body).replace(text(panels[0]), "")  # the label is the title only
    xhtml.normalise(site.bundle.read_body(site.bundle.page("index.md")))


def test_a_tab_without_a_label_is_titled_by_its_position_and_reported(make_site, logs):
    html = (
        '<div class="tabbed-set" markdown="0">'
        '<input type="radio" id="t1" name="s" checked><label for="t1">First</label>'
        '<div class="tabbed-content"><p>One.</p></div>'
        '<div class="tabbed-content"><p>Two.</p></div>'
        "</div>\n"
    )
    site = make_site({"index.md": html})
    panels = macros(site.body("index.md"), "panel")
    assert [(macro_params(p)["title"], text(p)) for p in panels] == [
        ("First", "One."),
        ("Tab 2", "Two."),
    ]
    assert any("a content tab without a label" in m for m in logs.warnings())
