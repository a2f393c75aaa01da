"""Options that look like credentials, refused wherever options are written.

Credentials never go into ``mkdocs.yml`` or ``conf.py`` (files that are committed and shared):
they come from the environment or from ``docs-confluence login``
(:mod:`docs_confluence.credentials`). A front end that meets an option it does not know asks
:func:`secret_option_problem` first, so a token written into the file is refused with one message
pointing to where credentials belong, rather than with a "did you mean" hint.

An option name is split into words (at ``_``, ``-``, ``.``… and ignoring case); it looks like a
credential when a word holds ``token``, ``secret``, ``passw`` or ``credential``, is one of the
words people use for a login (``pass``, ``pat``, ``user``, ``username``, ``auth``…), or is
``key`` after ``api``, ``access``, ``private`` or ``auth`` (``api_key``; but ``space_key`` is a
misspelt option, not a secret).
"""

from __future__ import annotations

import re

from ..config import API_TOKEN_VARIABLE, PAT_VARIABLE, USER_VARIABLE

__all__ = ["is_secret_option", "secret_option_problem"]

_WORD = re.compile(r"[a-z0-9]+")
_INSIDE_A_WORD = ("token", "secret", "passw", "credential")
_WORDS = frozenset(
    {
        "pass",
        "passphrase",
        "pat",
        "user",
        "username",
        "userid",
        "login",
        "auth",
        "oauth",
        "authentication",
        "authorization",
        "bearer",
        "apikey",
        "privatekey",
    }
)
_KEY_OWNERS = frozenset({"api", "access", "private", "auth"})


def is_secret_option(name: str) -> bool:
    """True when the option *name* looks like it holds a credential."""
    words = _WORD.findall(name.casefold())
    for index, word in enumerate(words):
        if word in _WORDS or any(part in word for part in _INSIDE_A_WORD):
            return True
        if word == "key" and index > 0 and words[index - 1] in _KEY_OWNERS:
            return True
    return False


def secret_option_problem(name: str, *, where: str) -> str | None:
    """Why option *name* of file *where* (``mkdocs.yml``, ``conf.py``) is refused, or None when
    it does not look like a credential. The message never repeats the option's value."""
    if not is_secret_option(name):
        return None
    return (
        f"credentials are never read from {where}: set {USER_VARIABLE} and "
        f"{API_TOKEN_VARIABLE} (Cloud) or {PAT_VARIABLE} (Data Center) in the environment, or "
        "run docs-confluence login"
    )
