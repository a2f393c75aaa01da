"""The ownership rule for a page found by a title this project claimed (pure: no server; the
same cases run over HTTP in test_shared_account.py): each piece of evidence that it is not
this project's create is enough to refuse it, and only a page with all of it is taken."""

from __future__ import annotations

import pytest

from docs_confluence.publisher.claims import not_our_create, reader_sha
from docs_confluence.publisher.ownership import Claim, ForeignPages
from docs_confluence.rest.models import RemotePage

BODY = "<h1>Install</h1><p>Run <b>pip</b>.</p>"
SHA = reader_sha(BODY)  # what readers see in it
CLAIM = Claim("100", "0123456789abcdef")  # the sha of the body our claim sent
OTHER = reader_sha("<p>Theirs</p>")
THEIRS = "fedcba9876543210"  # the sha of the body another project's claim sent


def found(version=1, parent="100", author="bot", status="current"):
    return RemotePage("500", "Install", parent, 0, version, "", author, status)


def rival(parent="100", sha=THEIRS):
    return ForeignPages(claims={"install": (("alpha", Claim(parent, sha)),)})


def test_markup_confluence_rewrites_on_save_reads_the_same():
    rewritten = '<h1>Install</h1><p>Run <strong ac:local-id="x1">pip</strong>.</p>'
    assert reader_sha(rewritten) == SHA
    assert reader_sha("<p>Run pip, then check</p>") != SHA


@pytest.mark.parametrize(
    ("page", "claim", "seen", "foreign", "why"),
    [
        (found(), CLAIM, SHA, ForeignPages(), None),
        (found(), CLAIM, SHA, rival(), None),  # their claim is for another body
        (found(), CLAIM, SHA, rival(parent="200", sha=CLAIM.sha), None),  # ... or another parent
        (found(version=3), CLAIM, None, ForeignPages(), None),  # rewritten by a run of ours
        (found(), Claim(), None, ForeignPages(), None),  # an older index's plain title
        (
            found(),
            CLAIM,
            SHA,
            ForeignPages(ids={"500": "alpha"}),
            "docs-confluence project 'alpha' lists it in its ownership index",
        ),
        (found(author="alice"), CLAIM, SHA, ForeignPages(), "another account created it"),
        (
            found(parent="200"),
            CLAIM,
            SHA,
            ForeignPages(),
            "it is under page 200, not under page 100 where this project puts it",
        ),
        (
            found(),
            CLAIM,
            OTHER,
            ForeignPages(),
            "its body is not the one this project created it with",
        ),
        (
            found(),
            CLAIM,
            None,
            ForeignPages(),
            "its body is not the one this project created it with",
        ),
        (
            found(),
            CLAIM,
            SHA,
            rival(sha=CLAIM.sha),
            "docs-confluence project 'alpha' claimed the title too, for a page that reads the "
            "same under the same parent",
        ),
        (
            found(),
            CLAIM,
            SHA,
            rival(sha=None),  # an older version's plain title: it cannot tell either
            "docs-confluence project 'alpha' claimed the title too, for a page that reads the "
            "same under the same parent",
        ),
        (
            found(version=2),
            CLAIM,
            None,
            rival(),
            "docs-confluence project 'alpha' claimed the title too",
        ),
        (
            found(),
            Claim(),
            None,
            rival(),
            "docs-confluence project 'alpha' claimed the title too",
        ),
    ],
)
def test_a_page_is_this_projects_create_only_with_all_the_evidence(page, claim, seen, foreign, why):
    expected = SHA if claim.sha else None  # the docs still hold the body the claim names
    assert (
        not_our_create(
            page, claim, account_id="bot", seen_sha=seen, foreign=foreign, expected_sha=expected
        )
        == why
    )


def test_a_claim_whose_body_the_docs_no_longer_hold_counts_as_one_without_evidence():
    assert (
        not_our_create(found(), CLAIM, account_id="bot", seen_sha=OTHER, foreign=ForeignPages())
        is None
    )
    why = not_our_create(found(), CLAIM, account_id="bot", seen_sha=OTHER, foreign=rival())
    assert why == "docs-confluence project 'alpha' claimed the title too"


def test_a_page_found_right_after_a_create_must_still_be_at_version_one():
    why = not_our_create(
        found(version=2),
        CLAIM,
        account_id="bot",
        seen_sha=SHA,
        foreign=ForeignPages(),
        expected_sha=SHA,
        just_created=True,
    )
    assert why == "it is at version 2; pages this run created are at version 1"


def test_an_older_claim_is_checked_against_where_this_project_would_put_the_page():
    why = not_our_create(
        found(parent="200"),
        Claim(),
        account_id="bot",
        seen_sha=None,
        foreign=ForeignPages(),
        expected_parent="100",
    )
    assert why == "it is under page 200, not under page 100 where this project puts it"
