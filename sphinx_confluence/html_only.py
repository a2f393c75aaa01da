"""Directives of known extensions that write their whole content only for HTML builders.

Django's ``djangodocs`` extension has a ``console`` directive: a shell session that, for its
``djangohtml`` and ``json`` builders only, also carries the session's Windows variant (shown as
two tabs, "Linux/macOS" and "Windows"); for any other builder it is a plain ``console`` code
block. Such a directive is run as if the builder were the HTML one it waits for, so the doctree
holds every variant; the translator then shows them as tabs (:mod:`sphinx_confluence.tabs`).
Only the directive of the named module is touched: an unrelated ``console`` directive keeps
its own behaviour.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from docutils.parsers.rst import directives
from sphinx.util.docutils import register_directive

if TYPE_CHECKING:
    from collections.abc import Sequence

    from docutils import nodes
    from docutils.parsers.rst import Directive
    from sphinx.builders import Builder

__all__ = ["HTML_ONLY", "run_as_html"]

#: directive name -> (module defining it, the builder name it writes everything for)
HTML_ONLY: dict[str, tuple[str, str]] = {"console": ("djangodocs", "json")}

_ORIGINAL = "_docs_confluence_original"


def run_as_html(builder: Builder) -> None:
    """Have each registered directive of :data:`HTML_ONLY` run as if *builder* were the HTML
    builder it expects (its name, only while the directive runs)."""
    # docutils' registry (Sphinx's add_directive fills it; its stubs do not declare it)
    registered = cast("dict[str, type[Directive]]", vars(directives)["_directives"])
    for name, (module, html_name) in HTML_ONLY.items():
        found = registered.get(name)
        if found is None:
            continue
        original: type[Directive] = getattr(found, _ORIGINAL, found)  # an earlier build's
        if original.__module__ != module:
            continue
        register_directive(name, _wrapped(original, builder, html_name))


def _wrapped(original: type[Directive], builder: Builder, html_name: str) -> type[Directive]:
    def run(self: Directive) -> Sequence[nodes.Node]:
        own = vars(builder)  # ``name`` is a class attribute: shadow it on this builder only
        before = own.get("name")
        own["name"] = html_name
        try:
            return original.run(self)
        finally:
            if before is None:
                del own["name"]
            else:
                own["name"] = before

    attributes: dict[str, Any] = {"run": run, _ORIGINAL: original, "__module__": __name__}
    return type(original.__name__, (original,), attributes)
