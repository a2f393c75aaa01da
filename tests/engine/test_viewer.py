"""The sandbox viewer as a preview: pages published over HTTP, then read as a browser would."""

from __future__ import annotations

import httpx
import pytest
from lxml import html

from docs_confluence.sandbox.viewer.layout import STYLE

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def macro(name, body="", **params):
    parameters = "".join(
        f'<ac:parameter ac:name="{k}">{v}</ac:parameter>' for k, v in params.items()
    )
    return f'<ac:structured-macro ac:name="{name}">{parameters}{body}</ac:structured-macro>'


def rich(content):
    return f"<ac:rich-text-body>{content}</ac:rich-text-body>"


def link(title, text=None, anchor=None, space=None):
    attributes = f' ac:anchor="{anchor}"' if anchor else ""
    key = f' ri:space-key="{space}"' if space else ""
    target = f'<ri:page ri:content-title="{title}"{key}/>'
    body = f"<ac:plain-text-link-body><![CDATA[{text}]]></ac:plain-text-link-body>" if text else ""
    return f"<ac:link{attributes}>{target}{body}</ac:link>"


def get(server, path):
    response = httpx.get(server.origin + path)
    assert response.status_code == 200, path
    return response


def view(server, title):
    """The viewer's page for *title* in space DOC, parsed; its rendered body is ``.rendered``."""
    page = server.page("DOC", title)
    return html.fromstring(get(server, f"/view/pages/{page.id}").text)


def rendered(document):
    [body] = document.find_class("rendered")
    return body


def text(element):
    return " ".join(element.text_content().split())


def diff_rows(document, which="//table[@class='diff']//tr"):
    """(kind, sign and text) of each row of a compare page's diff."""
    rows = document.xpath(which)
    return [(row.get("class"), " ".join(text(cell) for cell in row).strip()) for row in rows]


def test_panels_show_their_kind_title_and_body_and_no_parameters(site, server, publish_to):
    panels = "".join(
        macro(kind, rich(f"<p>Body of {kind}</p>"), title=f"{kind.title()} title")
        for kind in ("info", "note", "warning", "tip")
    )
    publish_to(site.page("panels", "Panels", panels).bundle())

    body = rendered(view(server, "Panels"))

    shown = [
        (panel.get("class"), text(panel.find_class("panel-title")[0]), text(panel))
        for panel in body.find_class("panel")
    ]
    assert [(kind, title) for kind, title, _ in shown] == [
        ("panel panel-info", "Info title"),
        ("panel panel-note", "Note title"),
        ("panel panel-warning", "Warning title"),
        ("panel panel-tip", "Tip title"),
    ]
    assert all(whole.endswith(f"Body of {kind.split('-')[1]}") for kind, _, whole in shown)
    # Confluence's colours: info blue, note yellow, warning red, tip green.
    for kind, colour in (
        ("info", "#deebff"),
        ("note", "#fffae6"),
        ("warning", "#ffebe6"),
        ("tip", "#e3fcef"),
    ):
        assert f".panel-{kind}{{background:{colour}}}" in STYLE


def test_code_block_shows_title_language_and_numbered_lines(site, server, publish_to):
    code = macro(
        "code",
        "<ac:plain-text-body><![CDATA[a = 1\nif a < 2:\n    print(a)]]></ac:plain-text-body>",
        language="python",
        title="example.py",
        linenumbers="true",
        firstline="10",
    )
    folded = macro(
        "code", "<ac:plain-text-body><![CDATA[hidden()]]></ac:plain-text-body>", collapse="true"
    )
    publish_to(site.page("code", "Code", code + folded).bundle())

    body = rendered(view(server, "Code"))

    first, second = body.find_class("code-block")
    assert text(first.find_class("code-title")[0]) == "example.py"
    assert text(first.find_class("code-language")[0]) == "python"
    lines = first.find_class("line")
    assert [(line.get("data-line"), line.text) for line in lines] == [
        ("10", "a = 1"),
        ("11", "if a < 2:"),
        ("12", "    print(a)"),
    ]
    assert "numbered" in first.find("pre").get("class")
    folded_section = second.getparent()
    assert folded_section.tag == "details"
    assert folded_section.get("open") is None
    assert text(folded_section.find("summary")) == "Expand source"


def test_expand_status_and_tasks_look_as_on_confluence(site, server, publish_to):
    body = (
        macro("expand", rich("<p>Folded text</p>"), title="More detail")
        + macro("expand", rich("<p>Untitled</p>"))
        + "<p>"
        + macro("status", colour="Green", title="Done")
        + macro("status", colour="Red", subtle="true")
        + macro("status")
        + "</p>"
        + "<ac:task-list>"
        "<ac:task><ac:task-id>1</ac:task-id><ac:task-status>complete</ac:task-status>"
        "<ac:task-body>Write it</ac:task-body></ac:task>"
        "<ac:task><ac:task-id>2</ac:task-id><ac:task-status>incomplete</ac:task-status>"
        "<ac:task-body>Ship it</ac:task-body></ac:task></ac:task-list>"
    )
    publish_to(site.page("widgets", "Widgets", body).bundle())

    shown = rendered(view(server, "Widgets"))

    expands = shown.find_class("expand")
    assert [(e.tag, text(e.find("summary")), e.get("open")) for e in expands] == [
        ("details", "More detail", None),
        ("details", "Click here to expand...", None),
    ]
    assert text(expands[0].find_class("expand-body")[0]) == "Folded text"
    assert [(s.get("class"), s.text) for s in shown.find_class("status")] == [
        ("status status-green", "Done"),
        ("status status-red status-subtle", "Red"),
        ("status status-grey", "Grey"),
    ]
    boxes = [
        (item.find("input").get("checked") is not None, text(item))
        for item in shown.find_class("task-list")[0]
    ]
    assert boxes == [(True, "Write it"), (False, "Ship it")]
    assert all(box.get("disabled") for box in shown.iter("input"))


def test_page_and_anchor_links_lead_where_they_point_and_anchors_are_invisible(
    site, server, publish_to
):
    target = "<h2>Setup</h2><p>" + macro("anchor", **{"": "install-steps"}) + "Steps here.</p>"
    source = (
        f"<p>{link('Target', 'see the target')} and "
        f"{link('Target', 'the steps', anchor='install-steps')} and "
        f'<ac:link ac:anchor="top"><ac:plain-text-link-body><![CDATA[back up]]>'
        f"</ac:plain-text-link-body></ac:link> and {link('Nowhere', 'a missing page')}</p>"
    )
    publish_to(
        site.page("target", "Target", target)
        .page("source", "Source", "<p>" + macro("anchor", **{"": "top"}) + "</p>" + source)
        .bundle()
    )
    target_id = server.page("DOC", "Target").id

    shown = rendered(view(server, "Source"))

    hrefs = {text(a): a.get("href") for a in shown.iter("a")}
    assert hrefs == {
        "see the target": f"/view/pages/{target_id}",
        "the steps": f"/view/pages/{target_id}#install-steps",
        "back up": "#top",
    }
    [missing] = shown.find_class("missing-link")
    assert (text(missing), missing.get("title")) == ("a missing page", "Page not found: Nowhere")
    followed = html.fromstring(get(server, hrefs["the steps"].split("#")[0]).text)
    [anchor] = followed.xpath("//*[@id='install-steps']")
    assert text(anchor) == ""  # the anchor macro leaves an id, nothing a reader sees
    assert "install-steps" not in text(rendered(followed))
    assert text(followed.find_class("page-title")[0]) == "Target"


def test_links_to_another_space_find_the_page_there(site, server, publish_to):
    server.store.create_space("OPS", "Operations", homepage_title="Ops Home")
    publish_to(site.page("hub", "Hub", f"<p>{link('Ops Home', 'ops', space='OPS')}</p>").bundle())
    home = server.store.pages.titled(server.store.space_by_key("OPS").id, "Ops Home")[0]

    [anchor] = rendered(view(server, "Hub")).iter("a")

    assert anchor.get("href") == f"/view/pages/{home.id}"


def test_attachment_images_show_at_their_size_and_load(site, server, publish_to):
    image = (
        '<p><ac:image ac:width="120" ac:height="40" ac:alt="Diagram" ac:align="center">'
        '<ri:attachment ri:filename="diagram.png"/></ac:image></p>'
    )
    publish_to(site.page("pics", "Pictures", image, files=[("diagram.png", PNG)]).bundle())

    [img] = rendered(view(server, "Pictures")).iter("img")

    assert (img.get("width"), img.get("height"), img.get("alt")) == ("120", "40", "Diagram")
    assert "image-center" in img.get("class")
    served = get(server, img.get("src"))
    assert (served.content, served.headers["content-type"]) == (PNG, "image/png")


def test_breadcrumbs_toc_and_children_use_real_titles(site, server, publish_to):
    guide = (
        macro("toc") + "<h2>First part</h2><h3>Detail</h3><h2>Second part</h2>" + macro("children")
    )
    publish_to(
        site.page("guide", "Guide", guide)
        .page("guide/a", "Alpha", "<p>a</p>", parent="guide")
        .page("guide/b", "Beta", "<p>b</p>", parent="guide")
        .page("guide/a/deep", "Deep", "<p>deep</p>", parent="guide/a")
        .bundle()
    )

    guide_view = view(server, "Guide")
    deep_view = view(server, "Deep")

    toc = guide_view.find_class("toc-macro")[0]
    assert [(text(a), a.get("href")) for a in toc.iter("a")] == [
        ("First part", "#Guide-Firstpart"),
        ("Detail", "#Guide-Detail"),
        ("Second part", "#Guide-Secondpart"),
    ]
    assert toc.xpath("ul/li[1]/ul/li/a/text()") == ["Detail"]  # nested under its h2
    assert guide_view.xpath("//h2[@id='Guide-Firstpart']")
    children = guide_view.find_class("children-macro")[0]
    assert [text(a) for a in children.iter("a")] == ["Alpha", "Beta"]
    crumbs = deep_view.find_class("breadcrumbs")[0]
    assert [text(a) for a in crumbs.iter("a")] == [
        "All spaces",
        "Documentation",
        "DOC Home",
        "Guide",
        "Alpha",
    ]
    assert text(deep_view.find_class("page-title")[0]) == "Deep"


def test_history_lists_who_made_each_version_and_compare_shows_what_a_reader_sees(
    site, server, publish_to
):
    site.page("notes", "Notes", "<h2>Plan</h2><p>Keep this.</p><p>Old wording.</p>")
    publish_to(site.bundle())
    site.pages[0] = (
        "notes",
        "Notes",
        "<h2>Plan</h2><p>Keep this.</p><p>New wording.</p>",
        None,
        (),
        (),
    )
    publish_to(site.bundle())
    page = server.page("DOC", "Notes")
    server.edit_as_human(
        page.id,
        "<h2>Plan</h2><p>Keep this.</p><p>New wording.</p><p>Alice was here.</p>"
        '<ac:structured-macro ac:name="warning"><ac:parameter ac:name="title">Mind</ac:parameter>'
        "<ac:rich-text-body><p>Careful.</p></ac:rich-text-body></ac:structured-macro>",
    )

    history = html.fromstring(get(server, f"/view/pages/{page.id}/history").text)
    compare = html.fromstring(get(server, f"/view/pages/{page.id}/compare?from=1&to=2").text)
    human = html.fromstring(get(server, f"/view/pages/{page.id}/compare?from=2&to=3").text)
    old = html.fromstring(get(server, f"/view/pages/{page.id}/versions/1").text)

    rows = [
        [text(cell) for cell in row[:3]]
        for row in history.xpath("//table[@class='history']/tbody/tr")
    ]
    assert rows == [
        ["v3", "Notes", "Alice"],
        ["v2", "Notes", "Docs Publisher"],
        ["v1", "Notes", "Docs Publisher"],
    ]
    assert history.xpath("//form[@class='compare']/select/@name") == ["from", "to"]
    changes = diff_rows(compare)
    assert ("removed", "- Old wording.") in changes
    assert ("added", "+ New wording.") in changes
    assert ("same", "Keep this.") in changes
    assert not any("<p>" in line or "ac:" in line for _, line in changes)
    compared = [text(li) for li in compare.xpath("//ul[@class='compared']/li")]
    assert [line.split(",")[0] for line in compared] == [
        "v1 by Docs Publisher",
        "v2 by Docs Publisher",
    ]
    changed = "//table[@class='diff']//tr[@class='added' or @class='removed']"
    assert diff_rows(human, changed) == [
        ("added", "+ Alice was here."),
        ("added", "+ [warning panel: Mind]"),
        ("added", "+ Careful."),
    ]
    assert human.xpath("//ul[@class='macro-changes']/li/text()") == ["warning panel added: Mind"]
    assert "Old wording." in text(rendered(old))
    assert "old version" in text(old.find_class("old-version")[0])


def test_compare_of_a_version_that_does_not_exist_is_not_found(site, server, publish_to):
    publish_to(site.page("one", "One", "<p>x</p>").bundle())
    page = server.page("DOC", "One")

    response = httpx.get(server.origin + f"/view/pages/{page.id}/compare?from=1&to=7")

    assert response.status_code == 404
    assert "No version 7" in response.text


@pytest.mark.parametrize(
    "hostile",
    [
        '<p><a href="javascript:alert(1)">x</a></p>',
        '<p onclick="alert(1)">x</p>',
        '<p style="background:url(https://evil.example/x.png)">x</p>',
        "<p><script>alert(1)</script></p>",
        '<p><iframe src="https://evil.example/"></iframe></p>',
        macro(
            "code", "<ac:plain-text-body><![CDATA[<script>alert(1)</script>]]></ac:plain-text-body>"
        ),
        macro("info", rich("<p>x</p>"), title="<img src=x onerror=alert(1)>".replace("<", "&lt;")),
    ],
)
def test_user_content_never_becomes_script_or_a_request_elsewhere(
    hostile, site, server, publish_to
):
    publish_to(site.page("evil", "Evil", hostile).bundle())
    page = server.page("DOC", "Evil")

    response = get(server, f"/view/pages/{page.id}")
    shown = rendered(html.fromstring(response.text))

    markup = html.tostring(shown, encoding="unicode")
    assert not shown.xpath("//script | //iframe | //img | //*[@onclick] | //*[@onerror]")
    assert "javascript:" not in markup
    assert "evil.example" not in markup
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "script-src" not in policy


def test_custom_panels_layouts_files_and_unknown_macros_are_drawn(site, server, publish_to):
    body = (
        macro(
            "panel", rich("<p>Boxed</p>"), title="Box", bgColor="#FFFFCE", borderColor="red;top:0"
        )
        + '<ac:layout><ac:layout-section ac:type="two_equal">'
        "<ac:layout-cell><p>Left</p></ac:layout-cell><ac:layout-cell><p>Right</p></ac:layout-cell>"
        "</ac:layout-section></ac:layout>"
        + '<p><ac:link><ri:attachment ri:filename="notes.txt"/></ac:link> '
        '<ac:emoticon ac:name="tick"/></p>'
        + macro("jira", rich("<p>Inside an unknown macro</p>"), key="DOC-1")
    )
    publish_to(site.page("mix", "Mix", body, files=[("notes.txt", b"hello")]).bundle())

    shown = rendered(view(server, "Mix"))

    [panel] = shown.find_class("panel-custom")
    assert panel.get("style") == "background:#FFFFCE"  # the unsafe border colour is dropped
    assert [text(e) for e in panel] == ["Box", "Boxed"]
    assert [text(cell) for cell in shown.find_class("layout-cell")] == ["Left", "Right"]
    [file_link] = [a for a in shown.iter("a") if text(a) == "notes.txt"]
    assert get(server, file_link.get("href")).content == b"hello"
    assert text(shown.find_class("emoticon")[0]) == "\u2705"
    [unknown] = shown.find_class("macro-unknown")
    assert [text(e) for e in unknown] == ["jira", "Inside an unknown macro"]


def test_flat_toc_all_children_and_resources_of_other_pages(site, server, publish_to):
    alice = server.human.account_id
    hub = (
        macro("toc", type="flat")
        + "<h2>One</h2><h2>Two</h2>"
        + macro("children", all="true")
        + '<p><ac:image ac:height="30"><ri:attachment ri:filename="logo.png">'
        '<ri:page ri:content-title="Files"/></ri:attachment></ac:image>'
        f'<ac:link><ri:user ri:account-id="{alice}"/></ac:link>'
        '<ac:image><ri:url ri:value="https://example.com/logo.png"/></ac:image></p>'
    )
    publish_to(
        site.page("hub", "Hub", hub)
        .page("hub/files", "Files", "<p>f</p>", parent="hub", files=[("logo.png", PNG)])
        .page("hub/files/more", "More", "<p>m</p>", parent="hub/files")
        .bundle()
    )
    files = server.page("DOC", "Files")

    shown = rendered(view(server, "Hub"))

    toc = shown.find_class("toc-macro")[0]
    assert (text(toc), toc.find("ul")) == ("One | Two", None)
    children = shown.find_class("children-macro")[0]
    assert children.xpath("ul/li/a/text()") == ["Files"]
    assert children.xpath("ul/li/ul/li/a/text()") == ["More"]  # all=true: the whole subtree
    [img] = shown.iter("img")
    assert (img.get("src"), img.get("height")) == (f"/view/pages/{files.id}/files/logo.png", "30")
    assert "@Alice" in text(shown)
    [external] = shown.find_class("external-image")
    assert external.xpath("a/@href") == ["https://example.com/logo.png"]  # a link, not fetched
