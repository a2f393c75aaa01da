"""Source-code language names (Pygments names and aliases, as Sphinx and Markdown fences spell
them) mapped onto the code macro's ``language`` values, Confluence's *brushes*.

Shared by both front ends. Only the brushes Cloud and Data Center both highlight are produced
(a bundle may be published to either later): Cloud-only names fall back to their nearest classic
brush (``json`` and ``typescript`` to ``js``, ``c`` to ``cpp``, ``html`` to ``xml``) or to
``none`` (plain text), which Confluence always accepts. When Pygments is
installed (it comes with Sphinx and with Material for MkDocs) an unknown name is looked up among
its lexers' aliases too.
"""

from __future__ import annotations

import functools

__all__ = ["BRUSHES", "brush"]

_NAMES = frozenset(
    {
        "actionscript3",
        "applescript",
        "bash",
        "c",
        "coldfusion",
        "cpp",
        "csharp",
        "css",
        "delphi",
        "diff",
        "erlang",
        "go",
        "groovy",
        "html",
        "java",
        "javafx",
        "js",
        "json",
        "kotlin",
        "none",
        "perl",
        "php",
        "powershell",
        "python",
        "ruby",
        "rust",
        "sass",
        "scala",
        "sql",
        "swift",
        "typescript",
        "vb",
        "xml",
        "yaml",
    }
)

_GROUPS: dict[str, tuple[str, ...]] = {
    "actionscript3": (
        "actionscript",
        "as3",
        "as",
    ),
    "bash": (
        "sh",
        "shell",
        "console",
        "shell-session",
        "sh-session",
        "zsh",
        "ksh",
        "fish",
        "tcsh",
        "csh",
        "bash-session",
        "shellsession",
        "terminal",
        "batch",
        "dosbatch",
        "winbatch",
    ),
    "c": (
        "h",
        "objective-c",
        "objc",
        "objectivec",
        "obj-c",
    ),
    "coldfusion": (
        "cfm",
        "cfml",
        "cfc",
    ),
    "cpp": (
        "c++",
        "cxx",
        "hpp",
        "cuda",
        "cu",
        "arduino",
        "hxx",
        "cc",
        "hh",
        "ino",
    ),
    "csharp": (
        "c#",
        "cs",
    ),
    "css": (
        "less",
        "css+jinja",
        "css+django",
        "postcss",
    ),
    "delphi": (
        "pascal",
        "objectpascal",
        "pas",
    ),
    "diff": (
        "udiff",
        "patch",
    ),
    "erlang": ("erl",),
    "go": ("golang",),
    "groovy": ("gradle",),
    "java": ("jsp",),
    "js": (
        "javascript",
        "jsx",
        "node",
        "nodejs",
        "mjs",
        "cjs",
        "javascript+jinja",
        "js+jinja",
        "react",
    ),
    "json": (
        "jsonc",
        "json5",
        "json-object",
        "jsonld",
        "json-ld",
        "javascript+json",
        "javascript-object",
    ),
    "kotlin": (
        "kt",
        "kts",
    ),
    "none": (
        "text",
        "plain",
        "plaintext",
        "output",
        "txt",
        "default-none",
        "rst",
        "restructuredtext",
    ),
    "perl": (
        "pl",
        "perl6",
        "raku",
    ),
    "php": (
        "php3",
        "php4",
        "php5",
        "html+php",
    ),
    "powershell": (
        "ps1",
        "psm1",
        "pwsh",
        "posh",
        "ps1con",
        "pwsh-session",
        "doscon",
        "bat",
        "cmd",
    ),
    "python": (
        "py",
        "py3",
        "python3",
        "pycon",
        "pytb",
        "py3tb",
        "ipython",
        "ipython3",
        "ipythonconsole",
        "python-console",
        "sage",
        "cython",
        "pyx",
        "numpy",
        "python2",
        "py2",
        "pyi",
        "bazel",
        "starlark",
    ),
    "ruby": (
        "rb",
        "duby",
        "irb",
        "rbcon",
        "erb",
        "rhtml",
        "html+erb",
    ),
    "rust": ("rs",),
    "sass": ("scss",),
    "sql": (
        "mysql",
        "postgresql",
        "postgres",
        "psql",
        "postgres-console",
        "sqlite3",
        "plpgsql",
        "postgresql-console",
        "sqlite",
        "tsql",
        "t-sql",
        "plsql",
        "sql+jinja",
    ),
    "typescript": (
        "ts",
        "tsx",
        "mts",
        "cts",
    ),
    "vb": (
        "vb.net",
        "vbnet",
        "visualbasic",
        "vba",
        "vbscript",
    ),
    "xml": (
        "xhtml",
        "xslt",
        "xsl",
        "svg",
        "html+jinja",
        "htmldjango",
        "html+django",
        "jinja",
        "django",
        "html+genshi",
        "genshi",
        "xml+django",
        "xml+jinja",
        "mako",
        "html+mako",
        "xml+mako",
        "html",
        "htm",
        "rss",
        "atom",
        "jinja2",
        "vue",
        "html+handlebars",
        "handlebars",
        "liquid",
        "twig",
        "html+twig",
        "xml+php",
    ),
    "yaml": (
        "yml",
        "yaml+jinja",
        "salt",
        "sls",
    ),
}
#: Names only Cloud's code macro knows, and what Data Center shows best instead.
_CLOUD_ONLY = {
    "c": "cpp",
    "html": "xml",
    "json": "js",
    "typescript": "js",
    "go": "none",
    "kotlin": "none",
    "rust": "none",
    "swift": "none",
}
#: Brush names the Confluence code macro understands on both Cloud and Data Center.
BRUSHES = _NAMES - _CLOUD_ONLY.keys()
_ALIASES = {
    alias: _CLOUD_ONLY.get(name, name)
    for name, aliases in (*_GROUPS.items(), *((n, (n,)) for n in _CLOUD_ONLY))
    for alias in aliases
}


@functools.lru_cache(maxsize=1024)
def brush(language: str | None) -> str:
    """The Confluence brush for a language name; ``none`` when Confluence has none for it."""
    name = (language or "").strip().lower()
    if not name:
        return "none"
    if name in BRUSHES:
        return name
    if name in _ALIASES:
        return _ALIASES[name]
    for alias in _pygments_aliases(name):
        if alias in BRUSHES:
            return alias
        if alias in _ALIASES:
            return _ALIASES[alias]
    return "none"


def _pygments_aliases(name: str) -> list[str]:
    try:
        from pygments.lexers import find_lexer_class_by_name
        from pygments.util import ClassNotFound
    except ImportError:  # pragma: no cover - Pygments comes with both front ends
        return []
    try:
        return list(find_lexer_class_by_name(name).aliases)
    except ClassNotFound:
        return []
