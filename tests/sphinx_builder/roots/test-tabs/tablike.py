"""A tab-like extension the builder knows nothing about: a node holding a label and content."""

from docutils import nodes
from sphinx.util.docutils import SphinxDirective


class choice(nodes.General, nodes.Element):  # noqa: N801
    pass


class ChoiceDirective(SphinxDirective):
    required_arguments = 1
    final_argument_whitespace = True
    has_content = True

    def run(self):
        node = choice()
        node += nodes.label("", self.arguments[0])
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


def setup(app):
    app.add_node(choice, html=(lambda self, node: None, lambda self, node: None))
    app.add_directive("choice", ChoiceDirective)
    return {"parallel_read_safe": True}
