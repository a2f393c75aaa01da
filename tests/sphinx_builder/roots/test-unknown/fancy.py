"""A third-party extension whose node has visitors for HTML only."""

from docutils import nodes
from sphinx.util.docutils import SphinxDirective


class fancy_box(nodes.General, nodes.Element):
    pass


class fancy_inline(nodes.Inline, nodes.TextElement):
    pass


class FancyDirective(SphinxDirective):
    has_content = True

    def run(self):
        box = fancy_box()
        self.state.nested_parse(self.content, self.content_offset, box)
        return [box]


def fancy_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    return [fancy_inline(rawtext, text)], []


def visit_html(self, node):
    self.body.append("<div>")


def depart_html(self, node):
    self.body.append("</div>")


def setup(app):
    app.add_node(fancy_box, html=(visit_html, depart_html))
    app.add_node(fancy_inline, html=(visit_html, depart_html))
    app.add_directive("fancy", FancyDirective)
    app.add_role("fancy", fancy_role)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
