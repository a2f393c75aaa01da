"""The MkDocs converter: a page as MkDocs rendered it (HTML) -> Confluence storage XHTML.

:func:`convert_page` is the entry point. Its parts:

- :mod:`.core`: the tree walk and inline elements (:class:`~.core.Converter`), the options
  and the result;
- :mod:`.blocks`: block constructs (headings, lists, tables, code, admonitions, tabs…);
- :mod:`.media`: images, inline SVG, links to files, and the page's attachments;
- :mod:`.host`: what the block and media parts need of the converter they are part of;
- :mod:`.elements`: what each plain HTML element becomes;
- :mod:`.extensions`: reading the markup that Markdown extensions emit;
- :mod:`.links`: where a link or image points (:class:`~.links.SiteIndex`);
- :mod:`.annotations`: Material's code annotations.
"""

from __future__ import annotations

from .annotations import CodeAnnotations
from .core import ConvertedPage, ConverterOptions, convert_page
from .links import SiteIndex

__all__ = ["CodeAnnotations", "ConvertedPage", "ConverterOptions", "SiteIndex", "convert_page"]
