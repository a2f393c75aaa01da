"""Sphinx's ``default`` code language, decided the way Sphinx decides it for HTML.

Language names themselves are mapped onto Confluence brushes by the table both front ends share,
:func:`docs_confluence.storage.languages.brush`.
"""

from __future__ import annotations

import re

from docs_confluence.storage.languages import brush

__all__ = ["brush", "guess_default"]

_STRINGS_AND_COMMENTS = re.compile(
    r"""[rbuRBUfF]{0,2}(?:'{3}[\s\S]*?(?:'{3}|$)|"{3}[\s\S]*?(?:"{3}|$)"""
    r"""|'[^'\\\n]*(?:\\.[^'\\\n]*)*'?|"[^"\\\n]*(?:\\.[^"\\\n]*)*"?)|#[^\n]*"""
)
_NOT_PYTHON = re.compile(r"[$?`]|!(?!=)|[^\x00-\x7f]")


def guess_default(code: str) -> str:
    """The brush for a block in Sphinx's ``default`` language: Python if the block is Python as
    far as Pygments' Python lexer can tell (or is a ``>>>`` session), plain text otherwise.

    Sphinx decides the same for HTML by lexing the block and falling back on an error token.
    Outside strings and comments, that lexer fails only on ``$``, ``?``, a backtick, ``!`` not
    in ``!=``, and non-ASCII symbols; looking for those directly is ~50 times faster.
    """
    if code.lstrip().startswith(">>>"):
        return "python"
    for match in _NOT_PYTHON.finditer(_STRINGS_AND_COMMENTS.sub("", code)):
        char = match.group()
        if char.isascii() or not (char.isalnum() or char == "_" or char.isspace()):
            return "none"
    return "python"
