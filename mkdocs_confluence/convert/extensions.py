"""Reading the HTML that Markdown extensions emit into plain values.

Python-Markdown (``fenced_code``, ``codehilite``, ``admonition``), pymdown-extensions
(``highlight``/``superfences``, ``details``, ``tabbed``, ``blocks.*``, ``arithmatex``) and
Material for MkDocs each have their own markup for the same idea; the functions here recognise
all of them so the converter deals with one shape per idea.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docs_confluence.storage.languages import brush as confluence_language
from docs_confluence.storage.macros import admonition_panel

if TYPE_CHECKING:
    from collections.abc import Iterator

    from lxml.html import HtmlElement

    from docs_confluence.storage import PanelKind

__all__ = [
    "CodeBlock",
    "admonition_kind",
    "classes",
    "diagram_kind",
    "is_code_block",
    "is_mermaid",
    "math_source",
    "read_code_block",
    "tab_pairs",
]

_LANGUAGE_CLASS = re.compile(r"^(?:language|lang|highlight-source)-(?P<name>.+)$")
_NUMBER = re.compile(r"\d+")
_CODE_CONTAINERS = frozenset({"highlight", "codehilite", "highlighttable", "codehilitetable"})
_NOT_DIAGRAMS = frozenset({"highlight", "codehilite", "notranslate", "prettyprint", "nohighlight"})


def classes(node: HtmlElement) -> list[str]:
    """The ``class`` attribute as a list."""
    return (node.get("class") or "").split()


def admonition_kind(names: list[str]) -> PanelKind | None:
    """The panel for an admonition's classes, ``None`` when none names a known type."""
    for name in names:
        kind = admonition_panel(name)
        if kind is not None:
            return kind
    return None


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """A highlighted code block as the code macro needs it."""

    code: str
    language: str
    title: str | None = None
    firstline: int | None = None


def is_code_block(node: HtmlElement) -> bool:
    """A Pygments/pymdownx/codehilite code container (``div.highlight``…)."""
    return not _CODE_CONTAINERS.isdisjoint(classes(node))


def diagram_kind(pre: HtmlElement) -> str | None:
    """For ``<pre class="mermaid"><code>`` (a superfences custom fence) or
    ``<div class="mermaid">``: the fence class, else ``None``."""
    names = [n for n in classes(pre) if n not in _NOT_DIAGRAMS and not _LANGUAGE_CLASS.match(n)]
    if not names:
        return None
    if pre.tag == "pre" and (len(pre) != 1 or pre[0].tag != "code"):
        return None
    return names[0]


# The first word of a Mermaid diagram's source: its type (mermaid.js.org/intro/syntax-reference).
_MERMAID_TYPES = frozenset(
    {"graph", "flowchart", "sequenceDiagram", "classDiagram", "classDiagram-v2"}
    | {"stateDiagram", "stateDiagram-v2", "erDiagram", "journey", "gantt", "pie"}
    | {"quadrantChart", "requirementDiagram", "gitGraph", "mindmap", "timeline", "zenuml"}
    | {"C4Context", "C4Container", "C4Component", "C4Dynamic", "C4Deployment", "kanban"}
    | {"sankey-beta", "xychart-beta", "block-beta", "packet-beta", "architecture-beta"}
    | {"radar-beta"}
)
# Fence classes sites use for Mermaid under another name (pymdown-extensions' own docs).
_GENERIC_DIAGRAMS = frozenset({"diagram"})


def is_mermaid(kind: str, source: str) -> bool:
    """Whether a diagram fence of class *kind* is Mermaid: a ``mermaid`` fence, or a generic
    ``diagram`` fence whose source opens with a Mermaid diagram type (after its front matter,
    ``%%`` directives and comments)."""
    if kind == "mermaid":
        return True
    if kind not in _GENERIC_DIAGRAMS:
        return False
    lines = iter(source.splitlines())
    for line in lines:
        stripped = line.strip()
        if stripped == "---":  # YAML front matter (title, config) up to the next ---
            for rest in lines:
                if rest.strip() == "---":
                    break
            continue
        if not stripped or stripped.startswith("%%"):
            continue
        word = stripped.split(maxsplit=1)[0].rstrip(";:")
        return word in _MERMAID_TYPES
    return False


def read_code_block(node: HtmlElement) -> CodeBlock:
    """Code, language, title and first line number of a code block:
    ``div.highlight`` (with or without a line-number table or inline numbers),
    ``div.codehilite``, ``table.highlighttable`` or a bare ``<pre><code class="language-x">``."""
    language = _language(node)
    title_node = next(_with_class(node, "filename"), None)
    title = " ".join(title_node.text_content().split()) if title_node is not None else None
    code = _code_element(node)
    firstline: int | None = None
    numbers = next(_with_class(node, "linenos"), None)
    if numbers is not None:
        found = _NUMBER.search(numbers.get("data-linenos") or numbers.text_content())
        firstline = int(found.group()) if found else 1
    return CodeBlock(_code_text(code), language, title or None, firstline)


def math_source(node: HtmlElement) -> tuple[str, bool]:
    """The TeX of an arithmatex element (generic ``\\(..\\)``/``\\[..\\]``/``$$`` output or a
    MathJax ``<script type="math/tex">``), and whether it is display math."""
    script = node if node.tag == "script" else next(node.iter("script"), None)
    if script is not None:
        return (script.text or "").strip(), "mode=display" in (script.get("type") or "")
    text = node.text_content().strip()
    for start, end, display in (
        ("\\[", "\\]", True),
        ("$$", "$$", True),
        ("\\(", "\\)", False),
        ("$", "$", False),
    ):
        if text.startswith(start) and text.endswith(end) and len(text) >= len(start + end):
            return text[len(start) : len(text) - len(end)].strip(), display
    return text, node.tag != "span"


def tab_pairs(tabbed: HtmlElement) -> list[tuple[HtmlElement | None, HtmlElement]]:
    """``(label, content)`` per tab of a ``div.tabbed-set``, in either of pymdownx.tabbed's
    styles (``alternate_style`` puts labels and blocks in two rows); a tab whose label is
    missing has ``None``, so its content is never lost."""
    children = [c for c in tabbed if isinstance(c.tag, str)]
    label_row = next((c for c in children if "tabbed-labels" in classes(c)), None)
    if label_row is not None:
        labels = [c for c in label_row if c.tag == "label"]
        content = next((c for c in children if "tabbed-content" in classes(c)), None)
        blocks = [] if content is None else [c for c in content if "tabbed-block" in classes(c)]
        return [(labels[n] if n < len(labels) else None, b) for n, b in enumerate(blocks)]
    pairs: list[tuple[HtmlElement | None, HtmlElement]] = []
    label: HtmlElement | None = None
    for child in children:
        if child.tag == "label":
            label = child
        elif "tabbed-content" in classes(child):
            pairs.append((label, child))
            label = None
    return pairs


def _with_class(node: HtmlElement, name: str) -> Iterator[HtmlElement]:
    for child in node.iter():
        if isinstance(child.tag, str) and name in classes(child):
            yield child


def _language(node: HtmlElement) -> str:
    for candidate in node.iter("div", "pre", "code", "table"):
        for name in classes(candidate):
            found = _LANGUAGE_CLASS.match(name)
            if found:
                return confluence_language(found.group("name"))
        if candidate.get("data-lang"):
            return confluence_language(candidate.get("data-lang"))
    return "none"


def _code_element(node: HtmlElement) -> HtmlElement:
    cell = next(_with_class(node, "code"), None)
    scope = cell if cell is not None and cell.tag == "td" else node
    code = next(scope.iter("code"), None)
    if code is not None:
        return code
    pre = next(scope.iter("pre"), None)
    return pre if pre is not None else scope


def _code_text(code: HtmlElement) -> str:
    """The code text, line-number gutters left out. (Confluence's code macro has no option
    for highlighted lines, so Pygments' ``hll`` marks are read as plain text.)"""
    if not any("linenos" in classes(n) for n in code.iter("span", "a", "div")):
        return "".join(code.itertext()).rstrip("\n")
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        if "linenos" in classes(node):
            return
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(code)
    return "".join(parts).rstrip("\n")
