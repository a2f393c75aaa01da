"""What the parts of the converter need of the converter they are part of.

:class:`~.blocks.BlockConverter` and :class:`~.media.MediaConverter` are mixins of
:class:`~.core.Converter`: they convert their own kinds of element, and call back into the walk
for the content inside them. :class:`ConverterHost` names those calls once; both mixins declare
it as their host type, and mypy checks that :class:`~.core.Converter` provides all of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from lxml.etree import _Element
    from lxml.html import HtmlElement

    from .core import ConverterOptions
    from .links import SiteIndex

__all__ = ["ConverterHost"]


class ConverterHost(Protocol):
    """One page's converter, as its block and media parts see it."""

    key: str
    """The page's bundle key."""
    url: str
    """The page's URL in the site (relative links are resolved from it)."""
    site: SiteIndex
    options: ConverterOptions

    def flow(
        self, src: HtmlElement, dst: _Element, *, wrap: bool, style: str | None = None
    ) -> None:
        """Convert the children of *src* into *dst*; with *wrap*, loose inline content goes
        into paragraphs (styled *style*)."""
        ...

    def inline_children(self, src: HtmlElement, dst: _Element) -> None:
        """Convert the content of *src* into the inline element *dst*."""
        ...

    def anchor(self, node: HtmlElement, dst: _Element) -> None:
        """An anchor macro for *node*'s ``id`` (and ``<a name>``), so links to it work."""
        ...

    def math(self, node: HtmlElement, dst: _Element, *, block: bool) -> None:
        """A formula (``arithmatex``): the configured macro, else a picture, else its TeX as
        code."""
        ...

    def picture(
        self,
        kind: Literal["formula", "diagram"],
        source: str,
        dst: _Element,
        *,
        block: bool,
        display: bool = True,
    ) -> bool:
        """A formula or a Mermaid diagram as an attached picture; ``False`` (nothing added)
        when it cannot be rendered."""
        ...

    def escape(self, node: HtmlElement, dst: _Element, *, block: bool) -> None:
        """HTML Confluence does not take: its source, as text, and a warning."""
        ...

    def problem(self, description: str) -> None:
        """Count something that could not be converted faithfully."""
        ...
