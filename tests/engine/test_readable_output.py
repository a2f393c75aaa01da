"""Output people read: plan lines name pages by title, progress lines are counted sentences,
labels are words, and a busy sandbox port is one line with the --port hint."""

from __future__ import annotations

import logging
import socket

from docs_confluence.bundle_writer import BundleBuilder
from docs_confluence.cli import main
from docs_confluence.publisher.plan import Create, Plan, Relabel, Reorder, format_plan


def test_plan_lines_name_parents_and_siblings_by_title():
    plan = Plan(
        actions=(
            Create("nav:User guide", "User guide", None),
            Create("nav:User guide/Advanced", "Advanced", "nav:User guide"),
            Create("guide/tuning.md", "Tuning", "nav:User guide/Advanced"),
            Reorder("guide/tuning.md", "Tuning", "before", "guide/other.md"),
            Relabel("guide/tuning.md", "Tuning", ("a", "b"), ("c",)),
        ),
        space_key="DOC",
    )
    text = format_plan(plan)
    assert "nav:" not in text
    assert "(parent page)" not in text
    lines = text.splitlines()
    assert lines[1].split() == ["create", "User", "guide", "under", "the", "parent", "page"]
    assert lines[2].endswith("under 'User guide'")
    assert lines[3].endswith("under 'Advanced'")
    assert lines[4].endswith("before 'guide/other.md'")  # not in the plan: its key, quoted
    assert lines[5].endswith("labels +a +b, -c")
    assert lines[0] == "Plan for space DOC: 6 writes, 0 pages unchanged"
    one = Plan(actions=(Create("k", "K", None),), space_key="DOC")
    assert format_plan(one).splitlines()[0] == "Plan for space DOC: 1 write, 0 pages unchanged"


def docs_bundle(tmp_path, labels=("a", "b")):
    builder = BundleBuilder("demo", generator="test")
    builder.add_page("index", "Home", "<p>Home</p>", labels=labels, source="index.md")
    builder.add_page("p0", "Install", "<p>0</p>", parent="index", source="guide/install.md")
    return builder.write(tmp_path / "bundle")


def test_publish_logs_one_counted_line_per_change_and_one_summary(publish, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="docs_confluence")
    publish(docs_bundle(tmp_path))
    messages = [r.getMessage() for r in caplog.records if r.name.startswith("docs_confluence.pub")]
    messages = [m for m in messages if not m.startswith("Space DOC:")]
    assert messages == [
        "Plan for space DOC: 3 writes, 0 pages unchanged",
        "[1/3] Created 'Home' (index.md) as page " + messages[1].rsplit(" ", 1)[1],
        "[2/3] Created 'Install' (guide/install.md) as page " + messages[2].rsplit(" ", 1)[1],
        "[3/3] Changed 'Home' (index.md): labels +a +b",
        "Published to space DOC: 2 created",
    ]


def test_a_dry_run_logs_the_whole_plan(publish, site, caplog):
    site.page("index", "Home", "<p>Home</p>")
    site.page("p0", "Page 0", "<p>0</p>", parent="index")
    caplog.set_level(logging.INFO, logger="docs_confluence")
    publish(site.bundle(), dry_run=True)
    text = caplog.text
    assert "create  Page 0  under 'Home'" in text


def test_a_busy_sandbox_port_is_one_line_with_the_port_hint(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["sandbox", "--port", str(port)]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"error: port {port} on 127.0.0.1 is in use (another sandbox?); pick another with "
        "--port N, or --port 0 for any free port"
    ]
    assert "Traceback" not in captured.err
