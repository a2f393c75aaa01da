"""Like Django's own ``djangodocs`` extension: a ``console`` directive whose Windows variant
exists only for the HTML builders ``djangohtml`` and ``json`` (a plain code block otherwise)."""

from docutils import nodes
from sphinx.directives.code import CodeBlock


class ConsoleNode(nodes.literal_block):
    pass


class ConsoleDirective(CodeBlock):
    required_arguments = 0

    def run(self):
        self.arguments = ["console"]
        [block] = super().run()
        # Django reads env.app.builder.name (deprecated in Sphinx 9): the same object
        if self.env._app.builder.name not in ("djangohtml", "json"):
            return [block]
        windows = []
        changed = False
        for line in self.content:
            if line.startswith("$ "):
                line = "...\\> " + line[2:].replace("./", "").replace("/", "\\")
                changed = True
            windows.append(line)
        node = ConsoleNode(block.rawsource, block.astext(), **block.attributes)
        node["win_console_text"] = "\n".join(windows) if changed else None
        return [node]


def setup(app):
    app.add_node(ConsoleNode, html=(lambda self, node: self.visit_literal_block(node), None))
    app.add_directive("console", ConsoleDirective)
    return {"parallel_read_safe": True}
