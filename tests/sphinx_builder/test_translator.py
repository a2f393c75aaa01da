"""Every standard docutils and Sphinx construct becomes valid storage XHTML (read back with
``docs_confluence.storage.parse_fragment``)."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import pytest
from lxml import etree

from docs_confluence import storage
from docs_confluence.sandbox.xhtml import normalise
from docs_confluence.storage.macros import ADMONITIONS

from .pages import anchors, macros, param, plain_body, visible, xpath

if TYPE_CHECKING:
    from lxml.etree import _Element


# -- text and structure ---------------------------------------------------------------------


def test_inline_markup_becomes_storage_inline_elements(build):
    body = build("markup").built.body("index")
    paragraph = xpath(body, "p[starts-with(., 'Intro paragraph')]")[0]
    assert xpath(paragraph, "em")[0].text == "emphasis"
    assert xpath(paragraph, "strong")[0].text == "strong"
    assert xpath(paragraph, "code")[0].text == "literal"
    assert xpath(paragraph, "sub")[0].text == "sub"
    assert xpath(paragraph, "sup")[0].text == "sup"
    assert "LIFO (last-in, first-out)" in visible(paragraph)
    assert visible(xpath(paragraph, "code[em]")[0]) == "/etc/name.conf"
    link = xpath(paragraph, "a")[0]
    assert (link.get("href"), link.text) == ("https://example.com/", "external link")


def test_sections_become_headings_with_anchors_and_the_title_is_not_repeated(build):
    built = build("markup").built
    body = built.body("index")
    assert xpath(body, "h1") == []
    heading = xpath(body, "h2")[0]
    assert visible(heading) == "Section two"
    assert anchors(heading) == []  # no link needs it
    assert visible(xpath(body, "h3")[0]) == "Sub section"
    assert "Text & <markup>" in visible(body)
    assert "Again LIFO." in visible(body)  # an abbreviation is explained once per page
    assert built.bundle.page("index").title == "Markup"


def test_toctree_in_the_body_is_a_list_of_links_to_the_child_pages(build):
    body = build("markup").built.body("index")
    titles = [t.get(f"{{{storage.RI}}}content-title") for t in xpath(body, "ul/li/ac:link/ri:page")]
    assert titles == ["Blocks", "Code", "Tables", "Admonitions"]


def test_lists_nest_and_keep_their_numbering_style(build):
    body = build("markup").built.body("blocks")
    assert [visible(li) for li in xpath(body, "ul[1]/li")] == ["one", "twonested"]
    assert xpath(body, "ul[1]/li[2]/ul/li")[0].text == "nested"
    ordered = xpath(body, "ol")
    assert [li.text for li in xpath(ordered[0], "li")] == ["first", "second"]
    assert ordered[1].get("style") == "list-style-type: lower-alpha;"


def test_definition_lists_show_bold_terms_over_indented_definitions(build):
    body = build("markup").built.body("blocks")
    term = xpath(body, "p[strong='term 2']")[0]
    assert visible(term) == "term 2 : classifier"
    definitions = xpath(term, "following-sibling::p[position() <= 2]")
    assert [p.text for p in definitions] == ["definition 2", "second paragraph"]
    assert {p.get("style") for p in definitions} == {"margin-left: 30px;"}


def test_field_and_option_lists_become_two_column_tables(build):
    body = build("markup").built.body("blocks")
    rows = xpath(body, "table/tbody/tr[th]")
    assert [(r[0].text, visible(r[1])) for r in rows] == [
        ("field", "value"),
        ("other field", "other value"),
    ]
    options = xpath(body, "table/tbody/tr[td/code]")
    assert [visible(r[0]) for r in options] == ["-a", "--bee=ARG"]
    assert visible(options[1][1]) == "option b"


def test_line_blocks_quotes_topics_sidebars_rubrics_and_the_rest(build):
    result = build("markup")
    body = result.built.body("blocks")
    line_block = xpath(body, "p[br]")[0]
    assert len(xpath(line_block, "br")) == 2
    assert visible(line_block).endswith("\u00a0" * 4 + "indented")
    quotes = xpath(body, "blockquote")
    assert [visible(q) for q in quotes] == [
        "A block quote.\u2014 Someone",
        "Epigraph text.\u2014 Author",
    ]
    panels = macros(body, "panel")
    assert [param(p, "title") for p in panels] == ["Topic title", "Sidebar title \u2014 Sub"]
    assert xpath(body, "p[strong='A rubric']")
    assert xpath(body, "p[@style='text-align: center;']/strong")[0].text == "Centered text"
    hlist = xpath(body, "table[tbody/tr/td/ul]")[0]
    assert [visible(td) for td in xpath(hlist, ".//td")] == ["h1h2", "h3"]
    assert xpath(body, "hr")
    text = visible(body)
    assert "Here is substituted text." in text
    assert "Only for confluence." in text
    assert "Only for html." not in text
    assert "Shown by ifconfig." in text
    assert "In a container." in text
    assert "Compound paragraph." in text
    assert "A comment that must vanish" not in text
    assert "index-0" not in anchors(body)
    assert "LaTeX only" not in text


def test_raw_html_in_confluences_subset_is_kept_and_the_rest_is_shown_with_a_warning(build):
    result = build("markup")
    body = result.built.body("blocks")
    assert xpath(body, "p[strong='ok']")
    assert xpath(body, "script") == []
    escaped = [m for m in macros(body, "code") if "<script>" in plain_body(m)]
    assert len(escaped) == 1
    assert "blocks.rst:91: WARNING: raw HTML that Confluence does not accept" in result.warnings


def test_inline_raw_html_with_block_elements_is_shown_as_text_with_a_warning(build):
    result = build("markup")
    paragraph = xpath(result.built.body("blocks"), "p[starts-with(., 'Inline raw')]")[0]
    assert [(child.tag, child.text) for child in paragraph] == [
        ("code", "<table><tr><td>cell</td></tr></table>"),
        ("em", "inline"),
    ]
    assert xpath(result.built.body("blocks"), ".//table[tbody/tr/td='cell']") == []
    assert "blocks.rst:110: WARNING: raw HTML that Confluence does not accept (block elements" in (
        result.warnings
    )


def test_math_can_be_readable_latex(build):
    body = build("markup", confluence_math="code").built.body("blocks")
    math = [m for m in macros(body, "code") if "pi" in plain_body(m)]
    assert [(param(m, "title"), plain_body(m)) for m in math] == [
        ("Math (LaTeX)", "e^{i\\pi} + 1 = 0")
    ]
    assert xpath(body, "p/code[.='a^2 + b^2 = c^2']")


def test_math_can_use_the_latex_macros(build):
    body = build("markup", confluence_math="macro").built.body("blocks")
    assert plain_body(macros(body, "mathblock")[0]) == "e^{i\\pi} + 1 = 0"
    assert param(macros(body, "mathinline")[0], "body") == "a^2 + b^2 = c^2"


# -- code -----------------------------------------------------------------------------------


def test_code_block_options_become_code_macro_parameters(build):
    body = build("markup").built.body("code")
    code = next(m for m in macros(body, "code") if param(m, "title"))
    assert {
        name: param(code, name)
        for name in ("language", "title", "linenumbers", "firstline", "highlight")
    } == {
        "language": "python",
        "title": "Listing 1 example.py",
        "linenumbers": "true",
        "firstline": "10",
        "highlight": None,  # emphasize-lines: Confluence's code macro has no such option
    }
    assert plain_body(code) == 'def f():\n    return "]]>"'
    assert "<![CDATA[>" in build("markup").built.text("code")  # "]]>" split as Confluence wants
    assert anchors(body) == []  # the captioned blocks' targets: no link needs them


def test_languages_map_to_confluence_brushes(build):
    body = build("markup").built.body("code")
    languages = {plain_body(m).splitlines()[0]: param(m, "language") for m in macros(body, "code")}
    assert languages == {
        "plain literal block": "python",  # Sphinx's "default": lexes as Python
        "def f():": "python",
        "$ pip install foo": "bash",
        "no highlight": "none",
        "$ not python?": "none",  # "default" that is not Python
        ">>> 1 + 1": "python",
        "<p>{{ x }}</p>": "xml",
        "whatever": "none",
        'project = "Markup"': "python",
        "try_stmt  ::= try1_stmt | try2_stmt": "none",
        "<p>not closed": "xml",
    }


def test_parsed_literal_keeps_its_markup_in_a_pre(build):
    body = build("markup").built.body("code")
    pre = xpath(body, "pre")[0]
    assert xpath(pre, "em")[0].text == "literal"
    assert xpath(pre, "a")[0].get("href") == "https://example.com"


# -- tables ---------------------------------------------------------------------------------


def test_tables_keep_headers_spans_stubs_and_titles(build):
    body = build("markup").built.body("tables")
    tables = xpath(body, "table")
    grid, simple, listed, csv, spans = tables
    assert [th.text for th in xpath(grid, "thead/tr/th")] == ["H1", "H2"]
    assert xpath(grid, "tbody/tr/td[@colspan='2']")[0].text == "span across"
    assert xpath(grid, "preceding-sibling::p[1]/strong")[0].text == "Table 1 Grid table"
    assert anchors(xpath(grid, "preceding-sibling::p[1]")[0]) == ["grid"]  # linked: kept
    assert [th.text for th in xpath(simple, "thead/tr/th")] == ["A", "B"]
    assert xpath(listed, "tbody/tr/th")[0].text == "x"  # stub column
    assert [li.text for li in xpath(listed, "tbody/tr/td/ul/li")] == ["one", "two"]
    assert [th.text for th in xpath(csv, "thead/tr/th")] == ["a", "b"]
    assert xpath(spans, "tbody/tr/td[@rowspan='2']")[0].text == "r1"
    # :widths: given -> column widths as shares; computed (grid, simple) widths are not sent
    columns = [[c.get("style") for c in xpath(t, "colgroup/col")] for t in tables]
    assert columns == [
        [],
        [],
        ["width: 30%;", "width: 70%;"],
        ["width: 25%;", "width: 75%;"],
        [],
    ]


# -- admonitions ----------------------------------------------------------------------------


def test_admonitions_become_panels_with_their_titles(build):
    body = build("markup").built.body("admonitions")
    panels = [
        (
            m.get(f"{{{storage.AC}}}name"),
            param(m, "title"),
            visible(xpath(m, "ac:rich-text-body")[0]),
        )
        for m in xpath(body, "ac:structured-macro[@ac:name!='anchor']")
    ]
    # The one table both front ends use (docs_confluence/storage/macros.py): warning and
    # caution yellow, danger and error red, tip, hint and important green, notes blue.
    assert panels == [
        ("info", "Note", "A note."),
        ("note", "Warning", "A warning."),
        ("tip", "Tip", "A tip."),
        ("tip", "Hint", "A hint."),
        ("tip", "Important", "Important."),
        ("note", "Attention", "Attention."),
        ("note", "Caution", "Caution."),
        ("warning", "Danger", "Danger."),
        ("warning", "Error", "Error."),
        ("info", "Custom title", "Custom body."),
        ("info", "See also", "Other things."),
        ("tip", None, "Added in version 1.0: Added this."),
        ("info", None, "Changed in version 2.0."),
        ("note", None, "Deprecated since version 3.0: Use something else."),
        ("warning", None, "Removed in version 4.0."),
        ("info", "Todo", "Write more."),
    ]
    directives = {title: title.lower().replace(" ", "") for _, title, _ in panels if title}
    del directives["Custom title"]
    assert {directives[title]: kind for kind, title, _ in panels if title in directives} == {
        name: ADMONITIONS[name] for name in directives.values()
    }


# -- references, images, footnotes ----------------------------------------------------------


def _links(root: _Element) -> list[tuple[str | None, str | None, str]]:
    """(target title or None, anchor, text) of every ac:link."""
    out = []
    for link in xpath(root, ".//ac:link"):
        page = xpath(link, "ri:page")
        title = page[0].get(f"{{{storage.RI}}}content-title") if page else None
        out.append((title, link.get(f"{{{storage.AC}}}anchor"), visible(link)))
    return out


def test_cross_references_become_page_links_with_anchors(build):
    built = build("refs").built
    body = built.body("index")
    paragraph = xpath(body, "p[starts-with(., 'Links:')]")[0]
    assert _links(paragraph) == [
        ("Other", "other-section", "Other section"),
        ("Other", "other-section", "the section"),
        ("Other", None, "Other"),
        ("Other", None, "Other page"),
        ("Other", "fig-diagram", "Fig. 1.1"),
        ("Other", "term-Widget", "Widget"),
        ("Other", "other-section", "Other section"),
        ("Other", "spam", "spam()"),
        (None, "equation-euler", "(1)"),
        (None, "inline-target", "inline target"),
        (None, "home-label", "Refs"),
    ]
    external = {a.text or visible(a): a.get("href") for a in xpath(paragraph, "a")}
    assert external == {
        "print()": "https://docs.python.org/3/library/functions.html#print",
        "https://example.org/bare": "https://example.org/bare",
    }
    assert "Index" in visible(paragraph)  # genindex: no page in Confluence
    other = built.body("other")
    assert {"other-section", "spam", "term-Widget", "fig-diagram"} <= set(anchors(other))
    assert {"home-label", "equation-euler", "inline-target"} <= set(anchors(body))
    alt = f"{{{storage.AC}}}alt"
    [equation] = [
        p for p in xpath(body, "p[ac:image]") if "pi" in (xpath(p, "ac:image")[0].get(alt) or "")
    ]
    assert visible(equation).strip() == "(1)"  # a picture, then its number
    assert "equation-euler" in anchors(equation)  # the anchor sits in what it marks


def test_footnotes_and_citations_link_both_ways(build):
    body = build("refs").built.body("index")
    refs = xpath(body, "p[starts-with(., 'Footnote')]")[0]
    assert _links(refs) == [
        (None, "note", "[2]"),
        (None, "id5", "[1]"),
        (None, "note", "[2]"),
        (None, "cit2002", "[CIT2002]"),
    ]
    assert {"id1", "id2", "id3", "id4", "note", "id5", "cit2002"} <= set(anchors(body))
    note = xpath(body, "p[contains(., 'The note footnote.')]")[0]
    assert visible(note) == "[2] (1, 2) The note footnote."
    assert [a for _, a, _ in _links(note)] == ["id1", "id3"]
    citation = xpath(body, "p[contains(., 'A citation.')]")[0]
    assert _links(citation) == [(None, "id4", "[CIT2002]")]


def test_images_figures_and_downloads_become_attachments(build):
    built = build("refs").built
    body = built.body("index")
    ac = f"{{{storage.AC}}}"
    block = xpath(body, "p/ac:image[ri:attachment/@ri:filename='logo.png']")
    assert [(i.get(ac + "alt"), i.get(ac + "width"), i.get(ac + "align")) for i in block] == [
        ("Logo", "80", "center"),
        ("logo", None, None),
    ]
    assert block[1].get(ac + "height") == "10"
    remote = xpath(body, "p/ac:image/ri:url")[0]
    assert remote.get(f"{{{storage.RI}}}value") == "https://example.com/badge.svg"
    download = xpath(body, ".//ac:link[ri:attachment]")[0]
    assert xpath(download, "ri:attachment")[0].get(f"{{{storage.RI}}}filename") == "data.csv"
    assert visible(download) == "the data"
    assert xpath(body, "p/a[@href='https://example.com/x.zip']")
    index = built.bundle.page("index")
    files = sorted(a.filename for a in index.attachments if not a.filename.startswith("math-"))
    assert files == ["data.csv", "logo.png"]
    by_hand = xpath(body, "p[starts-with(., 'Hand-written')]")[0]
    assert _links(by_hand) == [
        ("Other", "other-section", "the other page"),
        (None, None, "the CSV"),
    ]
    csv = xpath(by_hand, "ac:link/ri:attachment")[0]
    assert csv.get(f"{{{storage.RI}}}filename") == "data.csv"
    other = built.body("other")
    figure = xpath(other, "p/ac:image")[0]
    assert (figure.get(ac + "width"), figure.get(ac + "height")) == ("5", "5")  # :scale: 50%
    caption = xpath(other, "p[@style='text-align: center;']/em")[0]
    assert caption.text == "Fig. 1.1 The diagram caption."
    assert [a.filename for a in built.bundle.page("other").attachments] == ["diagram.png"]
    # a figure's :align: goes on its image, its paragraph and its caption; a width in % is
    # taken of Confluence's default content width
    right = xpath(other, "p/ac:image[@ac:alt='Half']")[0]
    assert (right.get(ac + "align"), right.get(ac + "width")) == ("right", "380")
    assert xpath(right, "..")[0].get("style") == "text-align: right;"
    caption = xpath(other, "p[em='Fig. 1.2 Right-aligned caption.']")[0]
    assert caption.get("style") == "text-align: right;"
    assert figure.get(ac + "align") == "center"  # no :align: -> centred, as in HTML


def test_a_linked_image_on_its_own_is_a_paragraph_holding_the_link(build):
    body = build("refs").built.body("index")
    [link] = xpath(body, ".//a[@href='https://example.com/home']")
    paragraph = link.getparent()
    assert paragraph is not None
    assert (paragraph.tag, paragraph.get("style")) == ("p", "text-align: right;")
    assert paragraph.getparent() is body
    [image] = xpath(link, "ac:image")
    assert image.get(f"{{{storage.AC}}}alt") == "Linked logo"


def test_links_in_raw_html_resolve_like_references(build):
    body = build("refs").built.body("index")
    paragraph = xpath(body, "p[starts-with(., 'Raw links')]")[0]
    assert _links(paragraph) == [
        ("Other", "other-section", "the other section"),
        (None, "inline-target", "here"),
        (None, None, "the data"),
    ]
    assert xpath(paragraph, "ac:link[1]/ac:link-body/em")[0].text == "other"
    csv = xpath(paragraph, "ac:link[3]/ri:attachment")[0]
    assert csv.get(f"{{{storage.RI}}}filename") == "data.csv"
    [web] = xpath(paragraph, "a")
    assert (web.get("href"), web.get("title"), web.text) == (
        "https://example.com/raw",
        "Web",
        "the web",
    )


def test_domain_signatures_show_name_and_parameters(build):
    body = build("refs").built.body("other")
    signature = xpath(body, "p[.//ac:parameter='spam']")[0]
    assert visible(signature) == "spam(eggs, ham=None) \u2192 int"
    assert xpath(signature, "strong/code")[0].text == "spam"
    assert [em.text for em in xpath(signature, "em")] == ["eggs", "ham=None"]


def test_autodoc_output_nests_members_and_links_types(build):
    body = build("autodoc").built.body("index")
    assert {"shapes.Circle", "shapes.Circle.area", "shapes.scale"} == set(anchors(body))
    # each entry: its signature, then its description, fields and members in a bordered panel
    circle = xpath(body, "p[.//ac:parameter='shapes.Circle']")[0]
    [panel] = xpath(circle, "following-sibling::*[1][self::ac:structured-macro]")
    assert (param(panel, "borderStyle"), visible(xpath(panel, "*/p")[0])) == ("solid", "A circle.")
    # a method's signature and panel nest inside its class's panel
    method = xpath(panel, "ac:rich-text-body/p[.//ac:parameter='shapes.Circle.area']")[0]
    assert visible(method) == "area(*, precise: bool = False) \u2192 float"
    [inner] = xpath(method, "following-sibling::*[1][self::ac:structured-macro]")
    assert visible(xpath(inner, "*/p")[0]) == "The area."
    assert xpath(inner, "*/table")  # its fields stay with it
    assert xpath(body, "p[.//ac:parameter='shapes.scale']")  # the next entry: on its own again
    fields = [(r[0].text, visible(r[1])) for r in xpath(body, ".//table/tbody/tr")]
    assert ("Parameters", "radius \u2013 how big it is.") in fields
    assert ("Returns", "The area of the circle.") in fields
    scale = xpath(body, "p[.//ac:parameter='shapes.scale']")[0]
    assert [(a, t) for _, a, t in _links(scale)] == [
        ("shapes.Circle", "Circle"),
        ("shapes.Circle", "Circle"),
    ]


def test_markdown_through_myst_parser(build):
    built = build("myst").built
    body = built.body("index")
    assert [param(m, "title") for m in macros(body, "info")] == ["Note"]
    assert [param(m, "language") for m in macros(body, "code")] == ["python"]
    alts = [image.get(f"{{{storage.AC}}}alt") for image in xpath(body, "p/ac:image")]
    assert alts == ["E=mc^2", "a^2 + b^2 = c^2"]
    assert [th.text for th in xpath(body, "table/thead/tr/th")] == ["a", "b"]
    tasks = [
        (xpath(t, "ac:task-status")[0].text, visible(xpath(t, "ac:task-body")[0]))
        for t in xpath(body, "ac:task-list/ac:task")
    ]
    assert tasks == [
        ("complete", "done"),
        ("incomplete", "todo"),
        ("incomplete", "loosewith a second paragraph"),
        ("complete", "another"),
    ]
    assert xpath(body, "p/s")[0].text == "gone"
    assert ("Guide", None, "the guide") in _links(body)
    assert _links(built.body("guide")) == [
        ("Myst home", None, "home"),
        (None, "getting-started", "start"),
    ]
    assert build("myst").warnings == ""


def test_loose_task_items_are_lines_of_inline_text_without_a_checkbox_character(build):
    body = build("myst").built.body("index")
    loose = xpath(body, "ac:task-list/ac:task/ac:task-body[starts-with(., 'loose')]")[0]
    assert (loose.text, [(c.tag, c.tail) for c in loose]) == (
        "loose",
        [("br", "with a second paragraph")],
    )
    bodies = xpath(body, ".//ac:task-body")
    assert xpath(body, ".//ac:task-body//p") == []
    assert not any("\u2610" in visible(b) or "\u2611" in visible(b) for b in bodies)


def test_unknown_node_warns_once_per_page_and_type_and_keeps_its_text(build):
    result = build("unknown")
    lines = [line for line in result.warnings.splitlines() if "unknown_node" in line]
    assert len(lines) == 2
    assert "'fancy_box' in 'index'" in lines[0]
    assert "'fancy_inline' in 'index'" in lines[1]
    assert lines[1].endswith("[confluence.unknown_node]")
    body = result.built.body("index")
    assert [visible(p) for p in xpath(body, "p")] == [
        "Inside the fancy box.",
        "Second paragraph.",
        "Another box.",
        "Some inline fancy text.",
    ]
    assert xpath(body, "p/em")[0].text == "fancy"


def test_every_page_of_every_root_is_well_formed_storage(build):
    for root in ("markup", "refs", "autodoc", "myst", "unknown", "tree"):
        built = build(root).built
        for page in built.bundle.pages:
            text = built.bundle.read_body(page)
            storage.parse_fragment(text, where=page.key)
            assert "urn:docs-confluence" not in text
            assert etree.fromstring(f"<r xmlns:ac='a' xmlns:ri='r'>{text}</r>") is not None


def test_literalinclude_and_productionlist_become_code_macros(build):
    body = build("markup").built.body("code")
    included = next(m for m in macros(body, "code") if param(m, "title") == "Listing 2 the conf")
    assert param(included, "language") == "python"
    assert plain_body(included).startswith('project = "Markup"\n')
    grammar = next(m for m in macros(body, "code") if "::=" in plain_body(m))
    assert plain_body(grammar) == (
        'try_stmt  ::= try1_stmt | try2_stmt\ntry1_stmt ::= "try" ":" suite'
    )


def test_raw_confluence_storage_passes_through_unless_malformed(build):
    result = build("markup")
    body = result.built.body("code")
    status = macros(body, "status")[0]
    assert param(status, "title") == "Raw status"
    assert any(plain_body(m) == "<p>not closed" for m in macros(body, "code"))
    assert "code.rst:63: WARNING: raw Confluence storage is not well-formed" in result.warnings


def test_numbered_toctree_numbers_headings_and_entries(build):
    built = build("refs").built
    assert visible(xpath(built.body("other"), "h2")[0]) == "1.1. Other section"
    entries = [visible(li) for li in xpath(built.body("index"), "ul/li/ac:link")]
    assert entries == ["1. Other"]


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz's dot")
def test_graphviz_diagrams_become_attached_images(build):
    built = build("graphviz").built
    body = built.body("index")
    targets = xpath(body, "p/ac:image/ri:attachment")
    names = [str(a.get(f"{{{storage.RI}}}filename")) for a in targets]
    assert [name.split("-")[0] for name in names] == ["graphviz", "inheritance"]
    page = built.bundle.page("index")
    assert sorted(a.filename for a in page.attachments) == sorted(names)
    assert all(a.media_type == "image/png" for a in page.attachments)
    assert xpath(body, "p/em")[0].text == "A graph"


# -- anchors ----------------------------------------------------------------------------------


def _standalone_anchors(root: _Element) -> list[_Element]:
    """Anchor macros standing between blocks (Confluence draws each as an empty line)."""
    return xpath(
        root,
        "ac:structured-macro[@ac:name='anchor']"
        " | .//ac:rich-text-body/ac:structured-macro[@ac:name='anchor']"
        " | .//blockquote/ac:structured-macro[@ac:name='anchor']",
    )


@pytest.mark.parametrize("testroot", ["refs", "markup", "autodoc", "myst"])
def test_anchors_only_where_links_land_inside_their_block_once_each(build, testroot):
    bundle = build(testroot).built.bundle
    for page in bundle.pages:
        body = storage.parse_fragment(bundle.read_body(page))
        assert _standalone_anchors(body) == [], page.key
        names = [param(m, "") for m in macros(body, "anchor")]
        assert len(names) == len(set(names)), page.key
        normalise(bundle.read_body(page))  # the sandbox accepts it, as Confluence would


def test_linked_targets_keep_their_anchor_where_the_reader_lands(build):
    built = build("refs").built
    body, other = built.body("index"), built.body("other")
    # the equation's anchor is in the paragraph of its picture
    [equation] = [p for p in xpath(body, "p[ac:image]") if "equation-euler" in anchors(p)]
    assert anchors(equation) == ["equation-euler"]
    assert "inline-target" in anchors(body)
    assert anchors(xpath(other, "h2")[0]) == ["other-section"]
    assert "fig-diagram" in anchors(xpath(other, "p[ac:image]")[0])
    # a footnote reference no back-link targets has none
    assert "id6" not in anchors(body)


def test_back_links_superscript_notes_and_no_trailing_blank_lines(build):
    body = build("backlinks").built.body("index")
    # ``contents`` with back-links: the contents is the toc macro, and each section title
    # links back to it
    assert len(macros(body, "toc")) == 1
    for heading in xpath(body, "h2"):
        [link] = xpath(heading, "ac:link")
        assert link.get(f"{{{storage.AC}}}anchor") == "on-this-page"
    assert "on-this-page" in anchors(body)
    [reference] = xpath(body, "p/sup/ac:link")  # a footnote reference is raised
    assert visible(reference) == "[1]"
    [code] = macros(body, "code")
    assert plain_body(code) == "def f():\n    return 1"  # the file's trailing lines dropped
    [math] = xpath(body, "p/ac:image")
    assert math.get(f"{{{storage.AC}}}alt") == "a^2 + b^2 = c^2"  # no trailing blank line
