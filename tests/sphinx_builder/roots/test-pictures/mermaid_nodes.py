"""A stand-in for sphinxcontrib-mermaid: a ``mermaid`` node holding the diagram in ``code``."""

from docutils import nodes
from sphinx.util.docutils import SphinxDirective


class mermaid(nodes.General, nodes.Inline, nodes.Element):
    pass


class Mermaid(SphinxDirective):
    has_content = True

    def run(self):
        node = mermaid()
        node["code"] = "\n".join(self.content)
        return [node]


def setup(app):
    app.add_node(mermaid)
    app.add_directive("mermaid", Mermaid)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
