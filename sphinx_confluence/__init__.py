"""Sphinx builder (in progress)."""
