"""What MkDocs rendered, as storage XHTML: real builds, parsed bodies."""

from __future__ import annotations

import pytest

from docs_confluence import storage
from docs_confluence.storage.macros import ADMONITIONS

from .sites import anchors, macro_params, macros, png, text, xpath

HIGHLIGHT = [
    {"pymdownx.highlight": {"anchor_linenums": True, "line_spans": "__span"}},
    "pymdownx.superfences",
]


def test_headings_keep_anchors_links_need_and_drop_permalinks(convert):
    body = convert(
        """
        # Guide

        ## Install steps

        ### Deep {#custom-id}

        ## Unlinked

        See [deep](#custom-id) and [steps](other.md#install-steps).
        """,
        extensions=["attr_list", {"toc": {"permalink": True}}],
        files={"other.md": "# Other\n\n[back](index.md#install-steps)\n"},
    )
    assert [(h.tag, text(h)) for h in xpath(body, "h2|h3")] == [
        ("h2", "Install steps"),
        ("h3", "Deep"),
        ("h2", "Unlinked"),
    ]
    # only linked ids keep an anchor, inside their heading; each has its Cloud twin, prefixed
    # with the page title minus spaces
    assert anchors(xpath(body, "h2")[0]) == ["install-steps", "Guide-install-steps"]
    assert anchors(xpath(body, "h3")[0]) == ["custom-id", "Guide-custom-id"]
    assert anchors(body) == [
        "install-steps",
        "Guide-install-steps",
        "custom-id",
        "Guide-custom-id",
    ]
    assert xpath(body, "h1") == []  # the page title, shown by Confluence itself


def test_leading_h1_that_differs_from_the_title_is_kept(make_site):
    site = make_site({"index.md": "# Welcome aboard\n\nHi\n"}, {"nav": [{"Home": "index.md"}]})
    assert [text(h) for h in xpath(site.body("index.md"), "h1")] == ["Welcome aboard"]


def test_inline_formatting(convert):
    body = convert(
        "*em* **strong** ~~gone~~ H~2~O x^2^ ==marked== ^^ins^^ `code` ++ctrl+c++ a<br>b\n",
        extensions=["pymdownx.tilde", "pymdownx.caret", "pymdownx.mark", "pymdownx.keys"],
    )
    [paragraph] = xpath(body, "p")
    assert [(child.tag, text(child)) for child in paragraph] == [
        ("em", "em"),
        ("strong", "strong"),
        ("s", "gone"),
        ("sub", "2"),
        ("sup", "2"),
        ("span", "marked"),
        ("u", "ins"),
        ("code", "code"),
        ("code", "Ctrl"),
        ("code", "C"),
        ("br", ""),
    ]
    assert "background-color" in paragraph[5].get("style")
    assert text(paragraph).endswith("code Ctrl+C ab")


def test_lists_nested_and_ordered_with_start(convert):
    body = convert(
        """
        3. three
        4. four
            - nested
                1. deep

        Between.

        - plain
        """,
        extensions=["sane_lists"],
    )
    [ordered, bullets] = xpath(body, "ol|ul")
    assert ordered.tag == "ol"
    assert ordered.get("start") == "3"
    assert text(xpath(ordered, "li/ul/li/ol/li")[0]) == "deep"
    assert [text(li) for li in xpath(bullets, "li")] == ["plain"]


def test_task_lists_become_confluence_tasks(convert):
    body = convert("- [x] written\n- [ ] *reviewed*\n", extensions=["pymdownx.tasklist"])
    tasks = xpath(body, "ac:task-list/ac:task")
    assert [
        (xpath(t, "string(ac:task-status)"), text(xpath(t, "ac:task-body")[0])) for t in tasks
    ] == [("complete", "written"), ("incomplete", "reviewed")]
    assert xpath(tasks[1], "ac:task-body/em")


def test_loose_task_items_are_lines_of_inline_text(convert):
    body = convert(
        "- [ ] loose\n\n    second *part*\n\n    - nested\n\n- [x] done\n",
        extensions=["pymdownx.tasklist"],
    )
    first, second = xpath(body, "ac:task-list/ac:task/ac:task-body")
    assert xpath(body, ".//ac:task-body//p") == []
    assert first.text == "loose"
    assert [(child.tag, child.text, (child.tail or "").strip()) for child in first] == [
        ("br", None, "second"),
        ("em", "part", ""),
        ("ul", None, ""),
    ]
    assert [text(li) for li in xpath(first, "ul/li")] == ["nested"]
    assert (second.text, len(second)) == ("done", 0)


def test_definition_lists(convert):
    body = convert("Term\n:   The definition.\n", extensions=["def_list"])
    [term, definition] = xpath(body, "p")
    assert [(c.tag, text(c)) for c in term] == [("strong", "Term")]
    assert text(definition) == "The definition."
    assert "margin-left" in definition.get("style")


def test_tables_keep_alignment(convert):
    body = convert(
        """
        | Left | Center | Right |
        |:-----|:------:|------:|
        | a    | b      | c     |
        """,
        extensions=["tables"],
    )
    [table] = xpath(body, "table")
    assert [text(th) for th in xpath(table, "thead/tr/th")] == ["Left", "Center", "Right"]
    cells = xpath(table, "tbody/tr/td/p")
    assert [(text(p), p.get("style")) for p in cells] == [
        ("a", None),
        ("b", "text-align: center;"),
        ("c", "text-align: right;"),
    ]


def test_quotes_rules_and_footnotes(convert):
    body = convert(
        """
        > quoted **text**

        ---

        Claim[^1].

        [^1]: The source.
        """,
        extensions=["footnotes"],
    )
    assert text(xpath(body, "blockquote/p")[0]) == "quoted text"
    assert xpath(body, "hr")
    [reference] = xpath(body, ".//sup/ac:link")
    assert reference.get(f"{{{storage.AC}}}anchor") == "fn:1"
    [back] = xpath(body, ".//ol/li//ac:link")
    assert back.get(f"{{{storage.AC}}}anchor") == "fnref:1"
    assert {"fn:1", "fnref:1"} <= set(anchors(body))


def test_anchors_stand_inside_the_block_they_mark_never_alone(convert):
    body = convert(
        """
        # Home

        ```py
        x = 1
        ```

        Back to [the top](#home), see [the list](#items).

        - item
        {: #items }
        """,
        extensions=["attr_list", "pymdownx.superfences"],
    )
    standalone = "ac:structured-macro[@ac:name='anchor'] | .//ac:rich-text-body/ac:structured-macro"
    assert [m for m in xpath(body, standalone) if m.get(f"{{{storage.AC}}}name") == "anchor"] == []
    # the dropped title's id goes into the first paragraph (a code block holds no anchor)
    assert anchors(xpath(body, "p")[0]) == ["home", "Home-home"]
    assert anchors(body) == ["home", "Home-home", "items", "Home-items"]


def test_abbreviations_are_spelled_out_once(convert):
    body = convert(
        "HTML here, HTML there.\n\n*[HTML]: Hyper Text Markup Language\n", extensions=["abbr"]
    )
    assert text(body) == "HTML (Hyper Text Markup Language) here, HTML there."


@pytest.mark.parametrize(
    ("fence", "language"),
    [("python", "python"), ("console", "bash"), ("js", "js"), ("toml", "none"), ("", "none")],
)
def test_code_blocks_map_languages(convert, fence, language):
    body = convert(f"```{fence}\nprint('a ]]> b')\n```\n", extensions=HIGHLIGHT)
    [code] = macros(body, "code")
    assert macro_params(code)["language"] == language
    assert xpath(code, "string(ac:plain-text-body)") == "print('a ]]> b')"


def test_code_block_title_and_line_numbers(convert):
    """hl_lines has no Confluence equivalent: the code macro has no emphasised-lines option."""
    body = convert(
        '```python title="app.py" linenums="10" hl_lines="2 3"\na = 1\nb = 2\nc = 3\n```\n',
        extensions=HIGHLIGHT,
    )
    [code] = macros(body, "code")
    assert macro_params(code) == {
        "language": "python",
        "title": "app.py",
        "linenumbers": "true",
        "firstline": "10",
    }
    assert xpath(code, "string(ac:plain-text-body)") == "a = 1\nb = 2\nc = 3"


def test_plain_markdown_code_and_inline_code(convert):
    body = convert(
        "```python\nx = 1\n```\n\n    indented\n\nUse `#!python len(x)` here.\n",
        extensions=["fenced_code", "pymdownx.inlinehilite", "pymdownx.highlight"],
    )
    [fenced, indented] = macros(body, "code")
    assert macro_params(fenced)["language"] == "python"
    assert xpath(indented, "string(ac:plain-text-body)") == "indented"
    assert [text(c) for c in xpath(body, "p/code")] == ["len(x)"]


@pytest.mark.parametrize(
    ("kind", "panel"),
    # Every name of the table both front ends use, and one it does not know (blue)
    [
        *((name, panel) for name, panel in ADMONITIONS.items() if not name.startswith("version")),
        ("custom", "info"),
    ],
)
def test_admonitions_become_panels(convert, kind, panel):
    body = convert(f'!!! {kind} "Mind **this**"\n    Body text.\n', extensions=["admonition"])
    [macro] = xpath(body, "ac:structured-macro")
    assert macro.get(f"{{{storage.AC}}}name") == panel
    assert macro_params(macro) == {"title": "Mind this"}
    assert text(xpath(macro, "ac:rich-text-body")[0]) == "Body text."


def test_admonition_default_and_empty_titles(convert):
    body = convert('!!! note\n    A.\n\n!!! note ""\n    B.\n', extensions=["admonition"])
    assert [macro_params(m) for m in macros(body, "info")] == [{"title": "Note"}, {}]


def test_details_become_expand_macros(convert):
    body = convert(
        '??? tip "Click me"\n    Hidden.\n\n'
        "<details><summary>Raw</summary>\n\nInside\n</details>\n",
        extensions=["pymdownx.details", "md_in_html"],
    )
    [typed, raw] = macros(body, "expand")
    assert macro_params(typed) == {"title": "Click me"}
    [inner] = xpath(typed, "ac:rich-text-body/ac:structured-macro")
    assert inner.get(f"{{{storage.AC}}}name") == "tip"
    assert text(inner) == "Hidden."
    assert macro_params(raw) == {"title": "Raw"}
    assert text(raw).endswith("Inside")


def test_mkdocstrings_entries_show_their_docstring_in_a_panel_under_the_heading(convert):
    # the HTML mkdocstrings writes (written by hand: mkdocstrings is not needed for the test)
    body = convert(
        """
        <div class="doc doc-object doc-class">
        <h2 id="pkg.Shape" class="doc doc-heading"><code>pkg.Shape</code></h2>
        <div class="doc doc-contents first">
        <p>A shape.</p>
        <div class="doc doc-children">
        <div class="doc doc-object doc-function">
        <h3 id="pkg.Shape.area" class="doc doc-heading"><code>area()</code></h3>
        <div class="doc doc-contents">
        <p>The area.</p>
        </div>
        </div>
        </div>
        </div>
        </div>

        See [area](#pkg.Shape.area).
        """
    )
    [outer] = xpath(body, "ac:structured-macro[@ac:name='panel']")
    assert xpath(outer, "preceding-sibling::*[1]")[0].tag == "h2"
    assert text(xpath(outer, "ac:rich-text-body/p")[0]) == "A shape."
    [inner] = xpath(outer, "ac:rich-text-body/ac:structured-macro[@ac:name='panel']")
    assert xpath(inner, "preceding-sibling::*[1]")[0].tag == "h3"
    assert text(inner) == "The area."
    assert anchors(xpath(outer, "ac:rich-text-body/h3")[0]) == [
        "pkg.Shape.area",
        "Home-pkg.Shape.area",
    ]


def test_details_that_start_open_are_panels_showing_their_content(convert):
    # Confluence's expand macro always starts closed: "open" is shown as a titled panel
    body = convert(
        '???+ tip "Shown"\n    Visible.\n\n???+ "Plain"\n    Also.\n\n'
        "<details open><summary>Raw</summary>\n\nInside\n</details>\n",
        extensions=["pymdownx.details", "md_in_html"],
    )
    assert macros(body, "expand") == []
    [tip] = macros(body, "tip")
    assert (macro_params(tip), text(tip)) == ({"title": "Shown"}, "Visible.")
    assert [(macro_params(p), text(p)) for p in macros(body, "panel")] == [
        ({"title": "Plain"}, "Also."),
        ({"title": "Raw"}, "Inside"),
    ]


@pytest.mark.parametrize("alternate", [True, False])
def test_content_tabs_become_titled_panels_in_order(convert, alternate):
    body = convert(
        '=== "Python"\n    ```python\n    x = 1\n    ```\n\n=== "Shell"\n    Run it.\n',
        extensions=[*HIGHLIGHT, {"pymdownx.tabbed": {"alternate_style": alternate}}],
    )
    panels = macros(body, "panel")
    assert [macro_params(p)["title"] for p in panels] == ["Python", "Shell"]
    assert macros(panels[0], "code")
    assert text(panels[1]) == "Run it."


def test_tabs_can_become_expands(convert):
    body = convert(
        '=== "A"\n    a\n\n=== "B"\n    b\n',
        extensions=["pymdownx.superfences", "pymdownx.tabbed"],
        plugin={"tabs": "expand"},
    )
    assert [macro_params(m)["title"] for m in macros(body, "expand")] == ["A", "B"]


def test_local_images_are_attached_with_alt_title_and_width(convert):
    body = convert(
        '![A chart](img/chart.png "Sales"){ width="300" }\n\n'
        '<img src="img/chart.png" alt="again" style="width: 40px">\n',
        extensions=["attr_list"],
        files={"img/chart.png": png()},
    )
    images = xpath(body, ".//ac:image")
    assert [
        (
            i.get(f"{{{storage.AC}}}alt"),
            i.get(f"{{{storage.AC}}}title"),
            i.get(f"{{{storage.AC}}}width"),
            xpath(i, "string(ri:attachment/@ri:filename)"),
        )
        for i in images
    ] == [("A chart", "Sales", "300", "chart.png"), ("again", None, "40", "chart.png")]


def test_percentage_image_widths_are_kept_as_a_share_of_the_page_width(convert):
    body = convert(
        '![Half](img/chart.png){ width="50%" }\n\n'
        '<img src="img/chart.png" alt="quarter" style="width: 25%">\n',
        extensions=["attr_list"],
        files={"img/chart.png": png()},
    )
    widths = [i.get(f"{{{storage.AC}}}width") for i in xpath(body, ".//ac:image")]
    assert widths == [str(storage.CONTENT_WIDTH // 2), str(storage.CONTENT_WIDTH // 4)]


def test_images_of_one_name_from_two_folders_get_distinct_attachments(make_site):
    site = make_site(
        {
            "index.md": "![one](a/chart.png)\n\n![two](b/chart.png)\n\n![one again](a/chart.png)\n",
            "a/chart.png": png(rgb=(1, 2, 3)),
            "b/chart.png": png(rgb=(4, 5, 6)),
        }
    )
    body = site.body("index.md")
    names = [xpath(i, "string(ri:attachment/@ri:filename)") for i in xpath(body, ".//ac:image")]
    assert names == ["chart.png", "chart-2.png", "chart.png"]
    attachments = site.bundle.page("index.md").attachments
    assert sorted(a.filename for a in attachments) == ["chart-2.png", "chart.png"]
    assert len({a.sha256 for a in attachments}) == 2


def test_external_images_stay_external(convert):
    body = convert("![logo](https://example.com/logo.png)\n")
    assert xpath(body, "string(.//ac:image/ri:url/@ri:value)") == "https://example.com/logo.png"


def test_links_to_pages_anchors_files_and_the_web(make_site):
    site = make_site(
        {
            "index.md": (
                "# Home\n\n[install](guide/install.md#steps) [self](#top) "
                "[manual](files/manual.pdf) [web](https://example.com/x?y=1#z) "
                "[**rich**](guide/install.md)\n\n## Top\n"
            ),
            "guide/install.md": "# Install\n\n## Steps\n",
            "files/manual.pdf": b"%PDF-1.4 tiny",
        },
        {"markdown_extensions": ["toc"]},
    )
    body = site.body("index.md")
    links = xpath(body, ".//ac:link")
    described = [
        (
            link.get(f"{{{storage.AC}}}anchor"),
            xpath(link, "string(ri:page/@ri:content-title)"),
            xpath(link, "string(ri:attachment/@ri:filename)"),
            text(link),
        )
        for link in links
    ]
    assert described == [
        ("steps", "Install", "", "install"),
        ("top", "", "", "self"),
        (None, "", "manual.pdf", "manual"),
        (None, "Install", "", "rich"),
    ]
    assert xpath(links[3], "ac:link-body/strong")
    assert xpath(body, "string(.//a/@href)") == "https://example.com/x?y=1#z"
    assert set(site.attachments("index.md")) == {"manual.pdf"}


MERMAID_SITE = """
    site_name: Diagrams
    plugins:
      - confluence:
          macros: {MACROS}
          source_notice: false
    markdown_extensions:
      - pymdownx.superfences:
          custom_fences:
            - name: mermaid
              class: mermaid
              format: !!python/name:pymdownx.superfences.fence_code_format
"""


@pytest.mark.parametrize(
    ("macros_option", "expected"),
    [
        ("{}", ("code", {"language": "none", "title": "mermaid"})),
        ("{mermaid: mermaid-cloud}", ("mermaid-cloud", {})),
    ],
)
def test_diagrams_are_code_unless_a_diagram_macro_is_configured(make_site, macros_option, expected):
    site = make_site(
        {"index.md": "```mermaid\ngraph TD; A-->B;\n```\n"},
        MERMAID_SITE.replace("{MACROS}", macros_option),
    )
    [macro] = xpath(site.body("index.md"), "ac:structured-macro")
    assert (macro.get(f"{{{storage.AC}}}name"), macro_params(macro)) == expected
    assert xpath(macro, "string(ac:plain-text-body)") == "graph TD; A-->B;"


def test_math_is_readable_or_goes_to_a_configured_macro(convert):
    markdown = "$$\nE = mc^2\n$$\n\nInline $a^2$.\n"
    extensions = [{"pymdownx.arithmatex": {"generic": True}}]
    body = convert(markdown, extensions=extensions, plugin={"math": "code"})
    [block] = macros(body, "code")
    assert xpath(block, "string(ac:plain-text-body)") == "E = mc^2"
    assert [text(c) for c in xpath(body, "p/code")] == ["a^2"]
    body = convert(
        markdown,
        extensions=extensions,
        plugin={"macros": {"math": "mathblock", "math-inline": "mathinline"}},
    )
    assert xpath(macros(body, "mathblock")[0], "string(ac:plain-text-body)") == "E = mc^2"
    assert xpath(macros(body, "mathinline")[0], "string(ac:plain-text-body)") == "a^2"


def test_emoji_become_characters_and_icons_attached_svgs(make_site):
    site = make_site(
        {"index.md": ":smile: :material-account-circle:\n"},
        """
        site_name: Emoji
        theme: material
        plugins: [{confluence: {source_notice: false}}]
        markdown_extensions:
          - pymdownx.emoji:
              emoji_index: !!python/name:material.extensions.emoji.twemoji
              emoji_generator: !!python/name:material.extensions.emoji.to_svg
        """,
    )
    [paragraph] = xpath(site.body("index.md"), "p")
    assert text(paragraph).startswith("\U0001f604")
    [icon] = xpath(paragraph, "ac:image")
    name = xpath(icon, "string(ri:attachment/@ri:filename)")
    assert site.attachments("index.md")[name].media_type == "image/svg+xml"


def test_raw_html_kept_when_accepted_else_escaped_with_one_warning(convert, logs):
    body = convert(
        '<span style="color: red">red</span>\n\n<iframe src="https://x.test"></iframe>\n\n'
        "<script>alert(1)</script>\n\n<script>alert(2)</script>\n"
    )
    assert xpath(body, "string(p/span/@style)") == "color: red;"
    escaped = [xpath(m, "string(ac:plain-text-body)") for m in macros(body, "code")]
    assert escaped == [
        '<iframe src="https://x.test"></iframe>',
        "<script>alert(1)</script>",
        "<script>alert(2)</script>",
    ]
    [warning] = [w for w in logs.warnings() if "index.md" in w]
    assert "<script> shown as escaped HTML (2x)" in warning
    assert "<iframe>" in warning


def test_material_page_converts_and_every_body_is_well_formed(make_site):
    site = make_site(
        {
            "index.md": (
                '# Home\n\n!!! note\n    Hi\n\n=== "A"\n    a\n\n=== "B"\n    b\n\n'
                "- [x] done\n\n```py\nx = 1\n```\n"
            )
        },
        {
            "theme": {"name": "material"},
            "markdown_extensions": [
                "admonition",
                *HIGHLIGHT,
                {"pymdownx.tabbed": {"alternate_style": True}},
                {"pymdownx.tasklist": {"custom_checkbox": True}},
            ],
        },
    )
    body = site.body("index.md")
    assert anchors(body) == []  # the dropped title's id: no link needs it
    assert [
        m.get(f"{{{storage.AC}}}name")
        for m in xpath(body, "ac:structured-macro[@ac:name!='anchor']")
    ] == [
        "info",
        "panel",
        "panel",
        "code",
    ]
    assert xpath(body, "ac:task-list")


def test_links_inside_raw_html_to_markdown_sources_find_their_page(make_site):
    site = make_site(
        {
            "index.md": '# Home\n\n<div><a href="guide/other.md#part">other</a></div>\n',
            "guide/other.md": "# Other\n\n## Part\n",
        }
    )
    [link] = xpath(site.body("index.md"), ".//ac:link")
    assert link.get(f"{{{storage.AC}}}anchor") == "part"
    assert xpath(link, "string(ri:page/@ri:content-title)") == "Other"


def test_a_converter_failure_keeps_the_page_as_text_with_a_warning(make_site, logs, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("mkdocs_confluence.site_bundle.convert_page", broken)
    site = make_site({"index.md": "# Home\n\nFirst.\n\nSecond.\n"})
    assert [text(p) for p in xpath(site.body("index.md"), "p")] == ["Home", "First.", "Second."]
    [warning] = logs.warnings()
    assert "index.md could not be converted (RuntimeError: boom)" in warning


def test_spaces_at_the_edges_of_link_text_stay_outside_the_link(make_site):
    site = make_site(
        {
            "index.md": (
                '# Home\n\nfoo<a href="other.md"> bar </a>baz, '
                'see<a href="other.md"> <em>rich</em></a>, '
                'get<a href="data.csv"> the data </a>now.\n'
            ),
            "other.md": "# Other\n",
            "data.csv": "a,b\n",
        }
    )
    [paragraph] = xpath(site.body("index.md"), "p")
    assert text(paragraph) == "foo bar baz, see rich, get the data now."
    page, rich, data = xpath(paragraph, "ac:link")
    assert xpath(page, "string(ac:plain-text-link-body)") == "bar"
    assert (paragraph.text, page.tail) == ("foo ", " baz, see ")
    assert (xpath(rich, "ac:link-body")[0].text, rich.tail) == (None, ", get ")
    assert xpath(data, "string(ac:plain-text-link-body)") == "the data"
    assert data.tail == " now."


def test_linked_images(convert):
    body = convert(
        '<a href="img/a.png"><img src="img/a.png" alt="zoom"></a>\n\n'
        '<a href="files/data.csv"><img src="img/a.png" alt="data"> data</a>\n\n'
        '<a href="https://example.com/"><img src="img/a.png" alt="site"></a>\n',
        files={"img/a.png": png(), "files/data.csv": "a,b\n"},
    )
    lightbox, to_file, to_web = xpath(body, "p")
    assert [c.tag for c in lightbox] == [f"{{{storage.AC}}}image"]
    assert xpath(to_file, "string(ac:link/ri:attachment/@ri:filename)") == "data.csv"
    assert xpath(to_file, "string(ac:link/ac:link-body/ac:image/@ac:alt)") == "data"
    assert xpath(to_web, "string(a/@href)") == "https://example.com/"
    assert xpath(to_web, "string(a/ac:image/@ac:alt)") == "site"


def test_lists_mixing_tasks_and_items_keep_checkbox_characters(convert):
    body = convert("- [x] done\n- plain\n", extensions=["pymdownx.tasklist"])
    assert [text(li) for li in xpath(body, "ul/li")] == ["\u2611 done", "plain"]


def test_data_uri_images_are_attached(convert, logs):
    body = convert('<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot">\n\n<img alt="none">\n')
    [image] = xpath(body, ".//ac:image")
    assert xpath(image, "string(ri:attachment/@ri:filename)").endswith(".png")
    assert text(body) == "none"
    assert any("an image without a source" in w for w in logs.warnings())


def test_critic_blocks_keep_their_lists(convert):
    body = convert("{--\n\n* old\n\n--}\n", extensions=["pymdownx.critic"])
    assert [text(li) for li in xpath(body, "ul/li")] == ["old"]
