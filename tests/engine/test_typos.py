from __future__ import annotations

import pytest

from docs_confluence.settings.typos import closest_name, did_you_mean

OPTIONS = ("url", "space", "parent_page", "dry_run", "cleanup", "title_prefix")


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("spcae", "space"),
        ("SPACE", "space"),
        ("dryrun", "dry_run"),
        ("server_url", "url"),
        ("parent", "parent_page"),
        ("zzz", None),
    ],
)
def test_closest_name(word, expected):
    assert closest_name(word, OPTIONS) == expected


def test_a_shared_prefix_does_not_make_every_name_look_alike():
    known = [f"confluence_{name}" for name in OPTIONS]
    assert closest_name("confluence_xyz", known, prefix="confluence_") is None
    assert closest_name("confluence_spcae", known, prefix="confluence_") == "confluence_space"
    assert closest_name("confluence_space_key", known, prefix="confluence_") == ("confluence_space")


def test_did_you_mean_suggests_one_name_in_the_users_spelling():
    spell = {"space": "confluence_space"}.get
    assert did_you_mean("spcae", OPTIONS) == "; did you mean 'space'?"
    assert did_you_mean("spcae", ["space"], spell=lambda n: spell(n) or n) == (
        "; did you mean 'confluence_space'?"
    )


def test_without_a_close_name_the_known_names_are_listed_in_order():
    assert did_you_mean("zzz", ["title", "labels", "exclude"]) == (
        "; expected one of: title, labels, exclude"
    )
    assert did_you_mean("zzz", []) == ""
