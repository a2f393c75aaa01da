from __future__ import annotations

import pytest

from docs_confluence import ConfigError, PublisherConfig
from docs_confluence.settings.naming import is_project_id, project_id


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Test Site", "Test-Site"),
        ("My Docs (v2)", "My-Docs-v2"),
        ("docs.example.com", "docs.example.com"),
        ("_private_", "private"),
        ("  .hidden.  ", "hidden"),
        ("Café Handbook", "Caf-Handbook"),
        ("a" * 63 + " tail", "a" * 63),
        ("", "docs"),
        ("   ", "docs"),
    ],
)
def test_project_id_keeps_what_a_property_key_carries(name, expected):
    assert project_id(name) == expected
    assert is_project_id(project_id(name))


def test_a_name_with_nothing_left_gets_a_stable_distinct_id():
    first, second = project_id("文档"), project_id("ドキュメント")
    assert first.startswith("docs-")
    assert len(first) == len("docs-") + 8
    assert first != second
    assert project_id("文档") == first
    assert project_id(" 文档 ") == first


@pytest.mark.parametrize("value", ["", "a" * 65, "has space", "ünï", "a/b"])
def test_is_project_id_refuses_what_the_config_refuses(value):
    assert not is_project_id(value)
    with pytest.raises(ConfigError, match="project"):
        PublisherConfig.from_mapping({"project": value})
