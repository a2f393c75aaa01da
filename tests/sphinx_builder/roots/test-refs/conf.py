project = "Refs"
extensions = ["sphinx.ext.intersphinx"]
numfig = True
intersphinx_mapping = {"python": ("https://docs.python.org/3", "python.inv")}

# The source notice has tests of its own (test_source_notice.py); off here.
confluence_source_notice = False
