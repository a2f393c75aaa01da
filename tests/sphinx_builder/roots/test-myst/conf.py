project = "Myst"
extensions = ["myst_parser"]
myst_enable_extensions = ["dollarmath", "colon_fence", "deflist", "tasklist", "strikethrough"]
myst_heading_anchors = 2
suppress_warnings = ["myst.strikethrough"]

# The source notice has tests of its own (test_source_notice.py); off here.
confluence_source_notice = False
