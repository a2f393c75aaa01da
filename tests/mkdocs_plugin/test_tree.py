"""The Confluence tree follows MkDocs' resolved navigation."""

from __future__ import annotations

from .sites import macro_params, macros, text, xpath

PAGES = {
    "index.md": "# Home\n",
    "guide/index.md": "# Guide overview\n",
    "guide/install.md": "# Install\n",
    "guide/advanced/tuning.md": "# Tuning\n",
    "guide/advanced/deeper/internals.md": "# Internals\n",
    "reference/api.md": "# API\n",
    "reference/configuration.md": "# Configuration\n",
    "admin/README.md": "# Admin\n",
    "admin/configuration.md": "# Configuration\n",
}
NAV = [
    {"Home": "index.md"},
    {
        "Guide": [
            "guide/index.md",
            {"Install": "guide/install.md"},
            {
                "Advanced": [
                    "guide/advanced/tuning.md",
                    {"Deeper": ["guide/advanced/deeper/internals.md"]},
                ]
            },
        ]
    },
    {"Reference": ["reference/api.md", "reference/configuration.md"]},
    {"Administration": ["admin/README.md", "admin/configuration.md"]},
    {"Elsewhere": "https://example.com/"},
]


def test_tree_follows_the_nav_at_any_depth(make_site):
    site = make_site(PAGES, {"nav": NAV})
    assert site.tree() == [
        ("index.md", "Home", None),
        ("guide/index.md", "Guide", None),
        ("guide/install.md", "Install", "guide/index.md"),
        ("nav:Guide/Advanced", "Advanced", "guide/index.md"),
        ("guide/advanced/tuning.md", "Tuning", "nav:Guide/Advanced"),
        ("nav:Guide/Advanced/Deeper", "Deeper", "nav:Guide/Advanced"),
        ("guide/advanced/deeper/internals.md", "Internals", "nav:Guide/Advanced/Deeper"),
        ("nav:Reference", "Reference", None),
        ("reference/api.md", "API", "nav:Reference"),
        ("reference/configuration.md", "Configuration", "nav:Reference"),
        ("admin/README.md", "Administration", None),
        ("admin/configuration.md", "Configuration (Administration)", "admin/README.md"),
    ]
    assert [p.position for p in site.bundle.pages if p.parent is None] == [0, 1, 2, 3]


def test_section_without_index_page_lists_its_children(make_site):
    site = make_site(PAGES, {"nav": NAV})
    body = site.body("nav:Reference")
    [children] = macros(body, "children")
    assert list(body) == [children]
    assert macro_params(children) == {"all": "false"}


def test_section_index_keeps_its_own_content(make_site):
    site = make_site(PAGES, {"nav": NAV})
    assert text(site.body("guide/index.md")) == "Guide overview"


def test_without_a_nav_the_tree_follows_the_folders(make_site):
    site = make_site(
        {"index.md": "# Home\n", "b.md": "# B\n", "sub/index.md": "# Sub\n", "sub/a.md": "# A\n"}
    )
    assert site.tree() == [
        ("index.md", "Home", None),
        ("b.md", "B", None),
        ("sub/index.md", "Sub", None),
        ("sub/a.md", "A", "sub/index.md"),
    ]


def test_pages_not_in_the_nav_go_under_the_root_or_are_skipped(make_site):
    files = {"index.md": "# Home\n", "orphan.md": "# Orphan\n", "z/lost.md": "# Lost\n"}
    site = make_site(files, {"nav": ["index.md"]})
    assert site.tree() == [
        ("index.md", "Home", None),
        ("orphan.md", "Orphan", None),
        ("z/lost.md", "Lost", None),
    ]
    site = make_site(
        files, {"nav": ["index.md"], "plugins": [{"confluence": {"pages_not_in_nav": "skip"}}]}
    )
    assert site.tree() == [("index.md", "Home", None)]


def test_a_page_listed_twice_is_placed_where_it_first_appears(make_site):
    site = make_site(
        {"index.md": "# Home\n", "a.md": "# A\n"},
        {"nav": ["index.md", {"One": ["a.md"]}, {"Two": ["a.md", "index.md"]}]},
    )
    assert site.tree() == [
        ("index.md", "Home", None),
        ("nav:One", "One", None),
        ("a.md", "A", "nav:One"),
    ]


def test_front_matter_sets_title_labels_or_excludes(make_site, logs):
    site = make_site(
        {
            "index.md": (
                "---\nconfluence:\n  title: Start here\n  labels: [Intro, how-to]\n---\n# Home\n"
            ),
            "secret.md": "---\nconfluence: false\n---\n# Secret\n",
            "draft.md": "---\nconfluence:\n  exclude: true\n  lables: [x]\n---\n# Draft\n",
        },
        {"plugins": [{"confluence": {"labels": ["docs"]}}]},
    )
    assert site.tree() == [("index.md", "Start here", None)]
    assert site.bundle.page("index.md").labels == ("docs", "intro", "how-to")
    [warning] = logs.warnings()
    assert "draft.md" in warning
    assert "did you mean 'labels'?" in warning


def test_page_filters_select_pages(make_site):
    site = make_site(
        {
            "index.md": "# Home\n",
            "guide/index.md": "# Guide\n",
            "guide/a.md": "# A\n",
            "drafts/b.md": "# B\n",
        },
        {
            "nav": [
                "index.md",
                {"Guide": ["guide/index.md", "guide/a.md"]},
                {"Drafts": ["drafts/b.md"]},
            ],
            "plugins": [{"confluence": {"exclude_pages": ["drafts/", "guide/index.md"]}}],
        },
    )
    assert site.tree() == [
        ("index.md", "Home", None),
        ("nav:Guide", "Guide", None),
        ("guide/a.md", "A", "nav:Guide"),
    ]
    site = make_site(
        {"index.md": "# Home\n", "guide/a.md": "# A\n"},
        {"plugins": [{"confluence": {"include_pages": "guide/*"}}]},
    )
    assert site.tree() == [("nav:Guide", "Guide", None), ("guide/a.md", "A", "nav:Guide")]


def test_links_to_left_out_pages_become_text_or_site_links(make_site, logs):
    files = {"index.md": "# Home\n\nSee [the draft](draft.md).\n", "draft.md": "# Draft\n"}
    options = {"exclude_pages": ["draft.md"]}
    site = make_site(files, {"plugins": [{"confluence": options}]})
    body = site.body("index.md")
    assert xpath(body, ".//ac:link") == []
    assert text(body) == "See the draft."
    assert any("draft.md" in w and "not published" in w for w in logs.warnings())
    site = make_site(
        files,
        {"plugins": [{"confluence": options}], "site_url": "https://docs.example.com/proj/"},
    )
    assert xpath(site.body("index.md"), "string(.//a/@href)") == (
        "https://docs.example.com/proj/draft/"
    )


def test_titles_get_the_prefix_and_stay_unique(make_site):
    site = make_site(
        {"index.md": "# Setup\n", "a/setup.md": "# Setup\n", "b/setup.md": "# Setup\n"},
        {
            "nav": ["index.md", {"A": ["a/setup.md"]}, {"B": ["b/setup.md"]}],
            "plugins": [{"confluence": {"title_prefix": "Proj: "}}],
        },
    )
    assert [title for _, title, _ in site.tree()] == [
        "Proj: Setup",
        "Proj: A",
        "Proj: Setup (A)",
        "Proj: B",
        "Proj: Setup (B)",
    ]
