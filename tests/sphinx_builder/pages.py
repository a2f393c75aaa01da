"""Reading what a ``confluence`` build wrote: the bundle, and each page's parsed body."""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from docs_confluence import read_bundle, storage

if TYPE_CHECKING:
    from lxml.etree import _Element
    from sphinx.testing.util import SphinxTestApp

    from docs_confluence import Bundle

NS = {"ac": storage.AC, "ri": storage.RI}


@dataclass(frozen=True)
class Built:
    """The bundle a build wrote."""

    bundle: Bundle

    @classmethod
    def of(cls, app: SphinxTestApp) -> Built:
        return cls(read_bundle(app.outdir))

    def body(self, key: str) -> _Element:
        """The page's body, parsed (a wrapper element around the fragment)."""
        page = self.bundle.page(key)
        return storage.parse_fragment(self.bundle.read_body(page), where=key)

    def text(self, key: str) -> str:
        return self.bundle.read_body(self.bundle.page(key))

    def outline(self) -> list[tuple[str, str | None, str]]:
        """(key, parent, title) of every page in tree order."""
        return [(p.key, p.parent, p.title) for p in self.bundle.pages]


def xpath(root: _Element, path: str) -> list[_Element]:
    found = root.xpath(path, namespaces=NS)
    assert isinstance(found, list)
    return [item for item in found if isinstance(item, etree._Element)]


def macros(root: _Element, name: str) -> list[_Element]:
    """Every ``ac:structured-macro`` named *name*."""
    return xpath(root, f".//ac:structured-macro[@ac:name='{name}']")


def param(macro: _Element, name: str) -> str | None:
    found = xpath(macro, f"ac:parameter[@ac:name='{name}']")
    return found[0].text if found else None


def plain_body(macro: _Element) -> str:
    """A macro's plain-text body (the CDATA content)."""
    return "".join(xpath(macro, "ac:plain-text-body")[0].itertext())


def anchors(root: _Element) -> list[str]:
    """The anchor names below *root*, without the page-title-prefixed twins the bundle adds
    for Confluence Cloud (``Title-name`` next to ``name``)."""
    names = [param(m, "") or "" for m in macros(root, "anchor")]
    return [n for n in names if not any(n != o and n.endswith("-" + o) for o in names)]


def visible(root: _Element) -> str:
    """The text a reader sees: macro parameters (anchor names, titles) left out."""
    copy = deepcopy(root)
    for parameter in list(copy.iter(f"{{{storage.AC}}}parameter")):
        parent = parameter.getparent()
        assert parent is not None
        if parameter.tail:
            previous = parameter.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + parameter.tail
            else:
                parent.text = (parent.text or "") + parameter.tail
        parent.remove(parameter)
    return "".join(copy.itertext())
