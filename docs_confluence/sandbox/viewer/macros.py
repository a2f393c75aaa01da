"""Macros and the other ``ac:`` blocks, drawn the way Confluence draws them.

Panels (info, note, warning, tip) in their colours with icon and title, the generic panel with
its own colours, code blocks with title, language, line numbers and ``collapse``, expand
sections as ``<details>`` (they open without a script), status lozenges, the toc and children
macros, anchors (invisible: only an id), task lists with checkboxes and layouts. A macro the
viewer does not know shows its name and its body, as Confluence shows an unknown macro's
placeholder. Sources for the look: docs/viewer.md.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .. import xhtml
from .tree import append_text, sub

if TYPE_CHECKING:
    from collections.abc import Callable

    from lxml import etree

    from .render import Renderer

    Drawer = Callable[[Renderer, etree._Element, etree._Element], None]

_AC_NAME = f"{{{xhtml.AC}}}name"
_PARAMETER = f"{{{xhtml.AC}}}parameter"
_RICH = f"{{{xhtml.AC}}}rich-text-body"
_PLAIN = f"{{{xhtml.AC}}}plain-text-body"
_ICONS = {"info": "i", "note": "!", "warning": "!", "tip": "\u2713"}
_COLOUR = re.compile(r"#?[0-9A-Za-z]{1,20}")
_BORDER_STYLES = {"solid", "dashed", "dotted", "double", "none"}
_STATUS_COLOURS = {"grey", "red", "yellow", "green", "blue"}

#: ``ac:`` elements that are never shown: parameters, editor placeholders.
HIDDEN = {"parameter", "placeholder", "task-id", "task-uuid", "task-status"}


def parameters(macro: etree._Element) -> dict[str, str]:
    """The macro's parameters by name (the anchor's unnamed one under ``""``)."""
    return {
        (child.get(_AC_NAME) or ""): (child.xpath("string()") or "").strip()
        for child in macro
        if child.tag == _PARAMETER
    }


def _rich_body(renderer: Renderer, macro: etree._Element, out: etree._Element) -> None:
    body = macro.find(_RICH)
    if body is not None:
        renderer.children(body, out)


def _plain_text(macro: etree._Element) -> str:
    body = macro.find(_PLAIN)
    return "" if body is None else (body.text or "")


def _true(value: str | None) -> bool:
    return (value or "").lower() == "true"


def _admonition(renderer: Renderer, macro: etree._Element, out: etree._Element) -> None:
    name = macro.get(_AC_NAME, "info")
    params = parameters(macro)
    panel = sub(out, "div", class_=f"panel panel-{name}", role="note")
    if params.get("icon", "true").lower() != "false":
        sub(panel, "span", _ICONS[name], class_="panel-icon", aria_hidden="true")
    body = sub(panel, "div", class_="panel-body")
    if params.get("title"):
        sub(body, "p", params["title"], class_="panel-title")
    _rich_body(renderer, macro, body)


def _panel(renderer: Renderer, macro: etree._Element, out: etree._Element) -> None:
    params = parameters(macro)
    style = []
    for param, css in (("bgColor", "background"), ("borderColor", "border-color")):
        if _COLOUR.fullmatch(params.get(param, "")):
            style.append(f"{css}:{params[param]}")
    if params.get("borderStyle", "").lower() in _BORDER_STYLES:
        style.append(f"border-style:{params['borderStyle'].lower()}")
    panel = sub(out, "div", class_="panel-custom", style=";".join(style))
    if params.get("title"):
        title_style = [
            f"{css}:{params[param]}"
            for param, css in (("titleBGColor", "background"), ("titleColor", "color"))
            if _COLOUR.fullmatch(params.get(param, ""))
        ]
        sub(panel, "div", params["title"], class_="panel-title", style=";".join(title_style))
    _rich_body(renderer, macro, sub(panel, "div", class_="panel-body"))


def _code(renderer: Renderer, macro: etree._Element, out: etree._Element) -> None:
    params = parameters(macro)
    holder = out
    if _true(params.get("collapse")):
        holder = sub(out, "details", class_="expand code-collapsed")
        sub(holder, "summary", "Expand source")
    block = sub(holder, "div", class_="code-block")
    language = params.get("language", "")
    if params.get("title") or language not in ("", "none"):
        header = sub(block, "div", class_="code-header")
        sub(header, "span", params.get("title") or "", class_="code-title")
        if language not in ("", "none"):
            sub(header, "span", language, class_="code-language")
    numbered = _true(params.get("linenumbers"))
    pre = sub(block, "pre", class_="numbered" if numbered else "plain")
    code = sub(pre, "code", data_language=language or "none")
    first = int(params["firstline"]) if params.get("firstline", "").isdigit() else 1
    for number, line in enumerate(_plain_text(macro).split("\n"), start=first):
        sub(code, "span", line, class_="line", data_line=str(number))
        append_text(code, "\n")


def _expand(renderer: Renderer, macro: etree._Element, out: etree._Element) -> None:
    title = parameters(macro).get("title") or "Click here to expand..."
    details = sub(out, "details", class_="expand")
    sub(details, "summary", title)
    _rich_body(renderer, macro, sub(details, "div", class_="expand-body"))


def _status(renderer: Renderer, macro: etree._Element, out: etree._Element) -> None:
    params = parameters(macro)
    colour = params.get("colour", params.get("color", "Grey")).lower()
    colour = colour if colour in _STATUS_COLOURS else "grey"
    subtle = " status-subtle" if _true(params.get("subtle")) else ""
    title = params.get("title") or colour.capitalize()
    sub(out, "span", title, class_=f"status status-{colour}{subtle}")


def _anchor(renderer: Renderer, macro: etree._Element, out: etree._Element) -> None:
    name = parameters(macro).get("", "")
    if name:
        sub(out, "span", id=name, class_="anchor")


def _toc(renderer: Renderer, macro: etree._Element, out: etree._Element) -> None:
    params = parameters(macro)
    low = int(params["minLevel"]) if params.get("minLevel", "").isdigit() else 1
    high = int(params["maxLevel"]) if params.get("maxLevel", "").isdigit() else 7
    headings = [h for h in renderer.headings if low <= h.level <= high]
    holder = sub(out, "div", class_="toc-macro")
    if params.get("type") == "flat":
        for index, heading in enumerate(headings):
            if index:
                append_text(holder, " | ")
            sub(holder, "a", heading.text, href=f"#{heading.anchor}")
        return
    stack: list[tuple[int, etree._Element]] = [(0, sub(holder, "ul"))]
    for heading in headings:
        while len(stack) > 1 and stack[-1][0] > heading.level:
            stack.pop()
        level, items = stack[-1]
        if not level:
            stack[-1] = (heading.level, items)
        elif heading.level > level:
            items = sub(items[-1], "ul")
            stack.append((heading.level, items))
        sub(sub(items, "li"), "a", heading.text, href=f"#{heading.anchor}")


def _children(renderer: Renderer, macro: etree._Element, out: etree._Element) -> None:
    params = parameters(macro)
    every = _true(params.get("all")) or _true(params.get("allChildren"))
    depth = int(params["depth"]) if params.get("depth", "").isdigit() else None
    store = renderer.context.store

    def listing(page_id: str, level: int, parent: etree._Element) -> None:
        kids = store.pages.children(page_id, statuses=("current",))
        if not kids:
            return
        items = sub(parent, "ul")
        for kid in kids:
            item = sub(items, "li")
            sub(item, "a", kid.title, href=f"/view/pages/{kid.id}")
            if (every and depth is None) or (depth is not None and level < depth):
                listing(kid.id, level + 1, item)

    holder = sub(out, "div", class_="children-macro")
    listing(renderer.context.page.id, 1, holder)
    if not len(holder):
        sub(holder, "p", "No child pages.", class_="muted")


def _noformat(renderer: Renderer, macro: etree._Element, out: etree._Element) -> None:
    sub(out, "pre", _plain_text(macro))


def _rich_only(renderer: Renderer, macro: etree._Element, out: etree._Element) -> None:
    """Page properties and excerpts: Confluence shows their content as it is."""
    _rich_body(renderer, macro, sub(out, "div", class_=f"macro-{macro.get(_AC_NAME)}"))


def _formula(renderer: Renderer, macro: etree._Element, out: etree._Element) -> None:
    """A math app's formula: its LaTeX source, as the app shows it until it renders."""
    inline = macro.get(_AC_NAME) == "mathinline"
    sub(out, "code" if inline else "pre", _plain_text(macro), class_="formula")


def _unknown(renderer: Renderer, macro: etree._Element, out: etree._Element) -> None:
    box = sub(out, "div", class_="macro-unknown")
    sub(box, "div", macro.get(_AC_NAME) or "macro", class_="macro-name")
    if macro.find(_PLAIN) is not None:
        sub(box, "pre", _plain_text(macro))
    _rich_body(renderer, macro, box)


_MACROS: dict[str, Drawer] = {
    **dict.fromkeys(("info", "note", "warning", "tip"), _admonition),
    "panel": _panel,
    "code": _code,
    "noformat": _noformat,
    "expand": _expand,
    "status": _status,
    "anchor": _anchor,
    "toc": _toc,
    "children": _children,
    "details": _rich_only,
    "excerpt": _rich_only,
    "mathblock": _formula,
    "mathinline": _formula,
}
#: The macros the viewer draws (any other shows as an unknown macro's placeholder).
DRAWN = frozenset(_MACROS)


def _macro(renderer: Renderer, macro: etree._Element, out: etree._Element) -> None:
    _MACROS.get(macro.get(_AC_NAME) or "", _unknown)(renderer, macro, out)


def _task_list(renderer: Renderer, tasks: etree._Element, out: etree._Element) -> None:
    items = sub(out, "ul", class_="task-list")
    for task in tasks.iterchildren(f"{{{xhtml.AC}}}task"):
        item = sub(items, "li")
        box = sub(item, "input", type="checkbox", disabled="disabled")
        if task.findtext(f"{{{xhtml.AC}}}task-status", "").strip() == "complete":
            box.set("checked", "checked")
        body = task.find(f"{{{xhtml.AC}}}task-body")
        if body is not None:
            renderer.children(body, sub(item, "span", class_="task-body"))


def _layout_section(renderer: Renderer, section: etree._Element, out: etree._Element) -> None:
    kind = section.get(f"{{{xhtml.AC}}}type", "single")
    row = sub(out, "div", class_=f"layout-section layout-{kind}")
    for cell in section.iterchildren(f"{{{xhtml.AC}}}layout-cell"):
        renderer.children(cell, sub(row, "div", class_="layout-cell"))


def _plain_body(renderer: Renderer, body: etree._Element, out: etree._Element) -> None:
    sub(out, "pre", body.text or "")


DRAWERS: dict[str, Drawer] = {
    "structured-macro": _macro,
    "task-list": _task_list,
    "layout-section": _layout_section,
    "plain-text-body": _plain_body,
}
