"""MkDocs plugin (in progress)."""
