project = "Graphs"
extensions = ["sphinx.ext.graphviz", "sphinx.ext.inheritance_diagram"]
