project = "Markup"
extensions = ["sphinx.ext.todo", "sphinx.ext.ifconfig"]
todo_include_todos = True
numfig = True


def setup(app):
    app.add_config_value("show_this", True, "env")

# The source notice has tests of its own (test_source_notice.py); off here.
confluence_source_notice = False
