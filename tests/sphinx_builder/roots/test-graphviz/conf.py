project = "Graphs"
extensions = ["sphinx.ext.graphviz", "sphinx.ext.inheritance_diagram"]

# The source notice has tests of its own (test_source_notice.py); off here.
confluence_source_notice = False
