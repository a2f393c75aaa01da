"""What a publish costs in requests at a moderate size (600 pages, a file on every tenth), Cloud
and Data Center, through the real client and the sandbox over HTTP: an unchanged republish reads
at most ceil(N / 250) + 5 times and writes nothing, one changed page costs one write, a first
publish at most 1.05 writes per page plus one per file. People's changes to our files are still
seen at that size, where attachments come from one search of the space."""

from __future__ import annotations

import math

from docs_confluence.publisher.remote_attachments import LIST_EACH_UP_TO

PAGES = 600
PNG = b"\x89PNG "


def big_site(site, pages=PAGES, changed=None, files=None):
    """*pages* pages in 10 sections, a file on every tenth page."""
    site.pages.clear()
    site.page("index", "Home", "<p>Home</p>")
    per_section = math.ceil((pages - 11) / 10)
    count = 1
    for s in range(10):
        site.page(f"s{s}", f"Section {s}", f"<p>Section {s}</p>", parent="index")
        count += 1
        for p in range(per_section):
            if count >= pages:
                break
            key = f"s{s}/p{p}"
            text = "changed" if key == changed else "original"
            attached = []
            if p % 10 == 0:
                attached = [("diagram.png", (files or {}).get(key, PNG + key.encode()))]
            site.page(key, f"Page {s}.{p}", f"<p>{text} {key}</p>", parent=f"s{s}", files=attached)
            count += 1
    return site.bundle()


def file_count(bundle):
    return sum(len(page.attachments) for page in bundle.pages)


def test_a_first_publish_writes_about_once_per_page_and_file(site, server, publish_to):
    bundle = big_site(site)
    assert len(bundle.pages) == PAGES

    publish_to(bundle)

    assert server.stats.writes <= math.ceil(1.05 * PAGES) + file_count(bundle)
    assert len(server.store.pages.all()) >= PAGES


def test_an_unchanged_republish_reads_within_budget_and_writes_nothing(site, server, publish_to):
    bundle = big_site(site)
    publish_to(bundle)
    server.stats.reset()

    publish_to(bundle)

    assert server.stats.writes == 0
    assert server.stats.reads <= math.ceil(PAGES / 250) + 5, server.stats.routes()


def test_one_changed_page_costs_one_write(site, server, publish_to):
    """And one write of the index, which records the version and body that write left."""
    publish_to(big_site(site))
    server.stats.reset()

    report = publish_to(big_site(site, changed="s3/p7"))

    assert server.stats.writes == 2, server.stats.routes
    index_writes = [r for r in server.stats.routes if "propert" in r and not r.startswith("GET")]
    assert [server.stats.routes[route] for route in index_writes] == [1]
    assert [(a.kind, a.key) for a in report.plan.actions if a.writes] == [("update", "s3/p7")]
    assert "changed s3/p7" in (server.page("DOC", "Page 3.7").body or "")


def test_people_changing_files_are_seen_at_scale(site, server, publish_to):
    """More pages carry files than are listed one by one, so the search path is what runs."""
    bundle = big_site(site)
    assert sum(1 for page in bundle.pages if page.attachments) > LIST_EACH_UP_TO
    publish_to(bundle)
    person = server.client(auth="human")
    v1 = server.base_url + "/rest/api"
    deleted = server.page("DOC", "Page 2.0")
    replaced = server.page("DOC", "Page 5.10")
    gone = server.store.attachments.named(deleted.id, "diagram.png")
    assert gone is not None
    if server.app.flavor == "cloud":
        person.delete(f"{server.base_url}/api/v2/attachments/{gone.id}").raise_for_status()
    else:
        person.delete(f"{v1}/content/{gone.id}").raise_for_status()
    person.put(
        f"{v1}/content/{replaced.id}/child/attachment",
        files={"file": ("diagram.png", b"\x89PNG a person's", "image/png")},
        data={"comment": "", "minorEdit": "true"},
        headers={"X-Atlassian-Token": "no-check"},
    ).raise_for_status()
    server.stats.reset()

    report = publish_to(bundle)

    planned = sorted((a.kind, a.key) for a in report.plan.actions if a.kind != "keep")
    assert planned == [("conflict", "s5/p10"), ("upload", "s2/p0")]
    restored = server.store.attachments.named(deleted.id, "diagram.png")
    assert restored is not None
    assert server.store.attachments.data(restored.id).data == PNG + b"s2/p0"
    kept = server.store.attachments.named(replaced.id, "diagram.png")
    assert kept is not None
    assert server.store.attachments.data(kept.id).data == b"\x89PNG a person's"
    # The two doubtful pages are listed one by one; nothing else is.
    assert server.stats.reads <= math.ceil(PAGES / 250) + 5 + 2, server.stats.routes()


def test_a_changed_file_is_checked_on_its_page_before_it_is_uploaded(site, server, publish_to):
    """A person's version the search has not seen is still never overwritten: the page whose
    file the docs changed is listed directly."""
    publish_to(big_site(site))
    page = server.page("DOC", "Page 4.20")
    server.client(auth="human").put(
        f"{server.base_url}/rest/api/content/{page.id}/child/attachment",
        files={"file": ("diagram.png", b"\x89PNG theirs", "image/png")},
        data={"comment": "", "minorEdit": "true"},
        headers={"X-Atlassian-Token": "no-check"},
    ).raise_for_status()

    report = publish_to(big_site(site, files={"s4/p20": b"\x89PNG our new one"}))

    assert [(a.kind, a.key) for a in report.plan.actions if a.kind != "keep"] == [
        ("conflict", "s4/p20")
    ]
    kept = server.store.attachments.named(page.id, "diagram.png")
    assert kept is not None
    assert server.store.attachments.data(kept.id).data == b"\x89PNG theirs"
