project = "Refs"
extensions = ["sphinx.ext.intersphinx"]
numfig = True
intersphinx_mapping = {"python": ("https://docs.python.org/3", "python.inv")}
