"""Formulas and Mermaid diagrams as attached pictures (and as readable source without a
renderer)."""

from __future__ import annotations

import re

from docs_confluence import storage
from docs_confluence.sandbox.xhtml import normalise
from docs_confluence.storage import pictures

from .sites import macros, text, xpath

MATH = [{"pymdownx.arithmatex": {"generic": True}}]
MATH_PAGE = "# Page\n\n$$\n\\frac{a}{b} = c\n$$\n\nInline $x^2$ and $x^2$ again.\n"
MERMAID_CONFIG = """
    site_name: Diagrams
    plugins:
      - confluence: {OPTIONS}
    markdown_extensions:
      - pymdownx.superfences:
          custom_fences:
            - name: mermaid
              class: mermaid
              format: !!python/name:pymdownx.superfences.fence_code_format
"""
DIAGRAM = "```mermaid\ngraph TD; A-->B;\n```\n"
A = "{http://atlassian.com/content}"
R = "{http://atlassian.com/resource/identifier}"


def image_of(image):
    """(attachment name, alt, height, align) of an ``ac:image``."""
    return (
        xpath(image, "string(ri:attachment/@ri:filename)"),
        image.get(f"{A}alt"),
        image.get(f"{A}height"),
        image.get(f"{A}align"),
    )


def test_formulas_become_attached_pictures_with_their_latex_as_alt_text(make_site):
    site = make_site({"index.md": MATH_PAGE}, {"markdown_extensions": MATH})
    body = site.body("index.md")
    [display] = xpath(body, "p[@style='text-align: center;']/ac:image")
    name, alt, height, align = image_of(display)
    assert (alt, align) == ("\\frac{a}{b} = c", "center")
    assert re.fullmatch(r"math-[0-9a-f]{12}\.png", name)
    assert int(height) > 20
    inline = xpath(body, "p[starts-with(., 'Inline')]/ac:image")
    assert [image_of(i)[1:] for i in inline] == [("x^2", image_of(inline[0])[2], None)] * 2
    assert 10 <= int(image_of(inline[0])[2]) <= 24  # the height of a line of text
    attachments = site.attachments("index.md")
    assert set(attachments) == {name, image_of(inline[0])[0]}  # the same formula: one file
    assert {a.media_type for a in attachments.values()} == {"image/png"}
    assert macros(body, "code") == []
    bundle = site.bundle
    normalise(bundle.read_body(bundle.page("index.md")))  # raises InvalidStorage if refused


def test_a_formula_that_cannot_be_rendered_stays_latex_with_a_warning(make_site, logs):
    site = make_site(
        {"index.md": "$$\n\\frac{1}{\n$$\n\nFine $y$.\n"}, {"markdown_extensions": MATH}
    )
    body = site.body("index.md")
    [block] = macros(body, "code")
    assert xpath(block, "string(ac:plain-text-body)") == "\\frac{1}{"
    assert len(xpath(body, ".//ac:image")) == 1
    [warning] = logs.warnings()
    assert "Page index.md: formula '\\\\frac{1}{' not rendered" in warning


def test_without_the_math_renderer_formulas_are_code_with_one_warning(make_site, logs, monkeypatch):
    monkeypatch.setattr(pictures, "math_available", lambda: False)
    site = make_site(
        {"index.md": MATH_PAGE, "other.md": "# Other\n\n$z$\n"}, {"markdown_extensions": MATH}
    )
    body = site.body("index.md")
    assert xpath(macros(body, "code")[0], "string(ac:plain-text-body)") == "\\frac{a}{b} = c"
    assert [text(c) for c in xpath(body, "p/code")] == ["x^2", "x^2"]
    assert site.attachments("index.md") == {}
    assert [w for w in logs.warnings() if "math renderer" in w] == [
        f"confluence: {pictures.MATH_MISSING[0].upper()}{pictures.MATH_MISSING[1:]}"
    ]
    assert len(logs.warnings()) == 1


def test_math_code_option_keeps_latex_without_a_warning(make_site, logs):
    site = make_site(
        {"index.md": MATH_PAGE},
        {"markdown_extensions": MATH, "plugins": [{"confluence": {"math": "code"}}]},
    )
    assert len(macros(site.body("index.md"), "code")) == 1
    assert logs.warnings() == []


def test_mermaid_renders_through_mermaid_cli(make_site, mmdc, logs):
    site = make_site({"index.md": DIAGRAM}, MERMAID_CONFIG.replace("{OPTIONS}", "{}"))
    body = site.body("index.md")
    [image] = xpath(body, "p/ac:image")
    name, alt, height, align = image_of(image)
    assert (alt, height, align) == ("graph TD; A-->B;", "10", "center")
    assert re.fullmatch(r"mermaid-[0-9a-f]{12}\.png", name)
    assert site.attachments("index.md")[name].media_type == "image/png"
    assert mmdc.read_text() == "-b white -s 2\n"
    assert logs.warnings() == []


def test_a_failing_diagram_stays_code_with_a_warning(make_site, mmdc, logs):
    site = make_site(
        {"index.md": "```mermaid\ngraph fail\n```\n"}, MERMAID_CONFIG.replace("{OPTIONS}", "{}")
    )
    [block] = macros(site.body("index.md"), "code")
    assert xpath(block, "string(ac:plain-text-body)") == "graph fail"
    [warning] = logs.warnings()
    assert "diagram 'graph fail' not rendered (mermaid-cli exited with 1" in warning
    assert "Parse error on line 1" in warning


def test_without_mermaid_cli_diagrams_are_code_with_one_warning(make_site, tmp_path, logs):
    missing = tmp_path / "no" / "mmdc"
    site = make_site(
        {"index.md": DIAGRAM + "\n" + DIAGRAM.replace("A", "C"), "other.md": DIAGRAM},
        MERMAID_CONFIG.replace("{OPTIONS}", f"{{mermaid_cli: '{missing}'}}"),
    )
    assert len(macros(site.body("index.md"), "code")) == 2
    [warning] = logs.warnings()
    assert "Mermaid diagrams are shown as code: mermaid-cli" in warning
    assert "npm install -g @mermaid-js/mermaid-cli" in warning


# pymdown-extensions' own docs: Mermaid in ``diagram`` fences, display math in ``math``
# fences written as ``<pre class="arithmatex">``.
GENERIC_FENCES_CONFIG = """
    site_name: Fences
    plugins:
      - confluence
    markdown_extensions:
      - pymdownx.arithmatex:
          generic: true
      - pymdownx.superfences:
          custom_fences:
            - name: diagram
              class: diagram
              format: !!python/name:pymdownx.superfences.fence_code_format
            - name: math
              class: arithmatex
              format: !!python/object/apply:pymdownx.arithmatex.arithmatex_fenced_format
                kwds: {mode: generic, tag: pre}
"""


def test_a_math_fence_written_as_pre_becomes_a_picture(make_site):
    page = "# Page\n\n```math\n3 < 4\n```\n"
    site = make_site({"index.md": page}, GENERIC_FENCES_CONFIG)
    assert '<pre class="arithmatex">' in (site.root / "site" / "index.html").read_text()
    body = site.body("index.md")
    [image] = xpath(body, "p[@style='text-align: center;']/ac:image")
    name, alt, _, align = image_of(image)
    assert (alt, align) == ("3 < 4", "center")
    assert re.fullmatch(r"math-[0-9a-f]{12}\.png", name)
    assert macros(body, "code") == []


def test_a_generic_diagram_fence_holding_mermaid_is_rendered(make_site, mmdc, logs):
    page = (
        "```diagram\n%%{init: {'theme': 'dark'}}%%\nsequenceDiagram\n    A->>B: hi\n```\n\n"
        "```diagram\n---\ntitle: Flow\n---\nflowchart LR\n    A --> B\n```\n\n"
        "```diagram\ndigraph G { a -> b }\n```\n"
    )
    site = make_site({"index.md": page}, GENERIC_FENCES_CONFIG)
    body = site.body("index.md")
    images = xpath(body, "p/ac:image")
    assert [image_of(i)[1].splitlines()[-1].strip() for i in images] == ["A->>B: hi", "A --> B"]
    assert all(re.fullmatch(r"mermaid-[0-9a-f]{12}\.png", image_of(i)[0]) for i in images)
    [other] = macros(body, "code")  # not Mermaid: its source, titled with the fence class
    assert xpath(other, "string(ac:plain-text-body)") == "digraph G { a -> b }"
    assert len(mmdc.read_text().splitlines()) == 2
    assert logs.warnings() == []


def test_a_diagram_macro_still_wins(make_site, mmdc):
    site = make_site(
        {"index.md": DIAGRAM},
        MERMAID_CONFIG.replace("{OPTIONS}", "{macros: {mermaid: mermaid-cloud}}"),
    )
    assert len(macros(site.body("index.md"), "mermaid-cloud")) == 1
    assert not mmdc.exists()


def test_republishing_pictures_writes_nothing(make_site, live_confluence, monkeypatch):
    monkeypatch.setenv("CONFLUENCE_USER", live_confluence.email)
    monkeypatch.setenv("CONFLUENCE_API_TOKEN", live_confluence.api_token)
    monkeypatch.delenv("CONFLUENCE_PAT", raising=False)
    target = {"url": live_confluence.base_url, "space": "DOC", "parent_page": "DOC Home"}
    config = {"markdown_extensions": MATH, "plugins": [{"confluence": target}]}
    make_site({"index.md": MATH_PAGE}, config)
    page = live_confluence.page("DOC", "Page")
    stored = {a.title for a in live_confluence.store.attachments.of(page.id)}
    body = storage.parse_fragment(page.body)
    assert stored == set(xpath(body, ".//ac:image/ri:attachment/@ri:filename"))
    assert len(stored) == 2
    live_confluence.stats.reset()
    make_site({"index.md": MATH_PAGE}, config)
    assert live_confluence.stats.writes == 0
