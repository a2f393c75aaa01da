project = "Myst"
extensions = ["myst_parser"]
myst_enable_extensions = ["dollarmath", "colon_fence", "deflist", "tasklist", "strikethrough"]
myst_heading_anchors = 2
suppress_warnings = ["myst.strikethrough"]
