"""docs/options.md's table against the options the code defines, in both directions.

Each front end's options are read from the code itself: the CLI's parser (the ``plan`` and
``publish`` commands and the global flags), the MkDocs plugin's config schema (without
mkdocs-with-confluence's names, which docs/migrating.md covers), the values the Sphinx builder
registers (without sphinxcontrib-confluencebuilder's), and the environment variables that fill
a setting. A column lists its names as code spans; "—" means none. The table itself is generated
from the declarations (docs_confluence/settings/), and the first test proves it current.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

import pytest

from docs_confluence import config as engine_config
from docs_confluence.cli import _parser
from docs_confluence.settings import options_page
from mkdocs_confluence.options import EnabledIfEnv, NoEquivalent, Renamed
from mkdocs_confluence.plugin import ConfluencePlugin
from sphinx_confluence.config import register
from sphinx_confluence.migration import old_names

PAGE = Path(__file__).parent.parent / "docs" / "options.md"
_CODE = re.compile(r"`([^`]+)`")


def test_the_page_is_generated_from_the_declarations():
    text = PAGE.read_text(encoding="utf-8")
    assert options_page.rewrite_page(text) == text, (
        "docs/options.md is not current: "
        "run python -m docs_confluence.settings.options_page --write"
    )
    assert options_page.main(["--check"]) == 0


def _rows() -> list[dict[str, str]]:
    """The table's rows as {column header: cell}."""
    lines = [line for line in PAGE.read_text(encoding="utf-8").splitlines() if line[:1] == "|"]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    return [
        dict(zip(header, (cell.strip() for cell in line.strip("|").split("|")), strict=True))
        for line in lines[2:]
    ]


def _column(name: str) -> set[str]:
    """Every name a column lists (its code spans)."""
    return {span for row in _rows() for span in _CODE.findall(row[name])}


def _cli_names() -> set[str]:
    """Long flags and positionals of ``plan``, ``publish`` and the global options."""
    parser = _parser("docs-confluence")
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    names: set[str] = set()
    for each in (parser, commands.choices["plan"], commands.choices["publish"]):
        for action in each._actions:
            if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
                continue
            long = [flag for flag in action.option_strings if flag.startswith("--")]
            names.update(long or [action.metavar or action.dest])
    return names


def _mkdocs_names() -> set[str]:
    foreign = (Renamed, EnabledIfEnv, NoEquivalent)
    return {
        name for name, option in ConfluencePlugin().config_scheme if not isinstance(option, foreign)
    }


class _RecordingApp:
    """Just enough of Sphinx's application to record ``add_config_value``."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def add_config_value(self, name: str, default: Any, rebuild: str, **kwargs: Any) -> None:
        self.values[name] = default


def _sphinx_names() -> set[str]:
    app = _RecordingApp()
    register(app)  # type: ignore[arg-type]
    return set(app.values) - set(old_names())


def _setting_variables() -> dict[str, str]:
    """Environment variable -> the setting (PublisherConfig field) it fills."""
    variables = {
        value
        for name, value in vars(engine_config).items()
        if name.endswith("_VARIABLE") and isinstance(value, str)
    }
    filled = {}
    for variable in variables:
        values = engine_config.config_from_environment(environ={variable: "probe"})
        fields = [field for field, value in values.items() if value == "probe"]
        if fields:
            filled[variable] = fields[0]
    return filled


@pytest.mark.parametrize(
    ("column", "names"),
    [
        ("CLI", _cli_names),
        ("MkDocs", _mkdocs_names),
        ("Sphinx", _sphinx_names),
        ("Environment", lambda: set(_setting_variables())),
    ],
)
def test_the_table_lists_exactly_the_options_of_the_code(column, names):
    in_code = names()
    documented = _column(column)
    assert not in_code - documented, (
        f"docs/options.md lacks these {column} options (add a row, or the name to a row): "
        f"{sorted(in_code - documented)}"
    )
    assert not documented - in_code, (
        f"docs/options.md names {column} options the code does not have (remove or rename "
        f"them): {sorted(documented - in_code)}"
    )


def test_each_variable_is_on_the_row_of_the_setting_it_fills():
    rows = {variable: row for row in _rows() for variable in _CODE.findall(row["Environment"])}
    for variable, field in _setting_variables().items():
        assert _CODE.findall(rows[variable]["MkDocs"]) == [field], (
            f"docs/options.md: {variable} fills {field!r}; put it on that row"
        )


def test_each_setting_is_one_row():
    for column in ("CLI", "MkDocs", "Sphinx"):
        spans = [span for row in _rows() for span in _CODE.findall(row[column])]
        repeated = sorted({span for span in spans if spans.count(span) > 1})
        assert repeated == [], f"docs/options.md: {column} names on more than one row: {repeated}"
