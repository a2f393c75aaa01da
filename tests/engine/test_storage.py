from __future__ import annotations

import pytest

from docs_confluence import storage
from docs_confluence.errors import StorageError


def test_code_with_cdata_terminator_round_trips():
    root = storage.new_fragment()
    root.append(storage.code_macro("if a[b[0]]>1:\n    pass", language="python", title="x.py"))
    text = storage.serialize_fragment(root)
    assert "]]]]><![CDATA[>" in text
    parsed = storage.parse_fragment(text)
    body = next(parsed.iter(f"{{{storage.AC}}}plain-text-body"))
    assert body.text == "if a[b[0]]>1:\n    pass"
    params = {
        p.get(f"{{{storage.AC}}}name"): p.text for p in parsed.iter(f"{{{storage.AC}}}parameter")
    }
    assert params == {"language": "python", "title": "x.py"}


def test_serialised_fragment_has_no_namespace_declarations():
    root = storage.new_fragment()
    root.append(storage.attachment_image("a.png", alt="A", width=10))
    assert storage.serialize_fragment(root) == (
        '<ac:image ac:alt="A" ac:width="10"><ri:attachment ri:filename="a.png"/></ac:image>'
    )


def test_named_html_entities_parse_and_bad_markup_names_the_page():
    root = storage.parse_fragment("<p>a&nbsp;b&rsquo;</p>")
    assert storage.plain_text(root) == "a\u00a0b\u2019"
    with pytest.raises(
        StorageError, match=r"guide/x.md: storage XHTML is not well-formed at line 1"
    ):
        storage.parse_fragment("<p>a<br></p>", where="guide/x.md")


def test_control_characters_are_dropped_from_text():
    root = storage.new_fragment()
    root.append(storage.element("p", "a\x00b\x1bc"))
    assert storage.serialize_fragment(root) == "<p>abc</p>"


def test_finished_page_has_unique_anchors_with_twins_and_page_wide_task_ids():
    root = storage.new_fragment()
    heading = storage.element("h2", "Steps")
    heading.insert(0, storage.anchor_macro("steps"))
    root.append(heading)
    repeat = storage.element("p", "again ")
    repeat.append(storage.anchor_macro("steps"))
    repeat[-1].tail = "here"
    root.append(repeat)
    for _ in range(2):
        root.append(
            storage.task_list(
                [(False, storage.element("span", "a")), (True, storage.element("span", "b"))]
            )
        )

    storage.finish_page(root, "Install Guide")

    ac = f"{{{storage.AC}}}"
    names = [p.text for p in root.iter(f"{ac}parameter") if p.get(f"{ac}name") == ""]
    assert names == ["steps", "InstallGuide-steps"]
    assert (heading.text, heading[0].tail, heading[1].tail) == ("Steps", None, None)
    assert storage.plain_text(repeat) == "again here"
    assert [t.text for t in root.iter(f"{ac}task-id")] == ["1", "2", "3", "4"]
