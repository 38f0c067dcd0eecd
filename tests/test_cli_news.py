"""CLI: sync of local feeds, news listing, OPML import and export."""

from __future__ import annotations

import json
from pathlib import Path

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Acme news</title><link>https://acme.example/</link>
<item><guid>1</guid><title>Acme opens in Lyon</title><link>https://acme.example/1</link>
<pubDate>Mon, 23 Nov 2026 10:00:00 GMT</pubDate><description>&lt;p&gt;Hiring &lt;b&gt;now&lt;/b&gt;.&lt;/p&gt;</description></item>
<item><guid>2</guid><title>Acme Series B</title><link>https://acme.example/2</link>
<pubDate>Tue, 24 Nov 2026 10:00:00 GMT</pubDate><description>Money.</description></item>
</channel></rss>
"""


def test_sync_json_news_and_resync(run_cli, tmp_path: Path):
    feed = tmp_path / "acme.xml"
    feed.write_text(RSS, encoding="utf-8")
    assert run_cli("company", "add", "Acme Corp").exit_code == 0
    assert run_cli("feed", "add", "acme", str(feed)).exit_code == 0
    first = run_cli("sync", "--json")
    assert first.exit_code == 0, first.output
    report = json.loads(first.stdout)
    for key in (
        "feeds",
        "fetched",
        "not_modified",
        "unchanged",
        "parsed",
        "failed",
        "new_items",
        "updated_items",
        "errors",
    ):
        assert key in report
    assert report["feeds"] == 1 and report["new_items"] == 2 and report["failed"] == 0
    second = json.loads(run_cli("sync", "--json").stdout)
    assert second["new_items"] == 0 and second["unchanged"] == 1 and second["parsed"] == 0
    items = json.loads(run_cli("news", "--company", "acme corp", "--unread", "--json").stdout)
    assert [i["title"] for i in items] == ["Acme Series B", "Acme opens in Lyon"]
    assert items[1]["summary"] == "Hiring now."
    plain = run_cli("sync")
    assert plain.exit_code == 0 and "1 feed: 0 new items" in plain.stdout


def test_sync_reports_a_broken_feed_and_goes_on(run_cli, tmp_path: Path):
    good, bad = tmp_path / "good.xml", tmp_path / "bad.xml"
    good.write_text(RSS, encoding="utf-8")
    bad.write_text("<html><body>Not a feed</body></html>", encoding="utf-8")
    run_cli("company", "add", "Acme Corp")
    run_cli("feed", "add", "acme", str(good))
    run_cli("feed", "add", "acme", str(bad))
    report = json.loads(run_cli("sync", "--json").stdout)
    assert report["new_items"] == 2 and report["failed"] == 1
    assert report["errors"][0]["url"].endswith("bad.xml") and "not a feed" in report["errors"][0]["error"]
    assert report["errors"][0]["company"] == "Acme Corp"


def test_opml_export_then_import_into_an_empty_notebook(run_cli, tmp_path: Path):
    run_cli("company", "add", "Société Lumière & Fils", "--sector", "Energy", "--status", "target")
    run_cli("feed", "add", "societe lumiere & fils", "https://lumiere.example/feed.xml", "--no-discover")
    run_cli("feed", "add", "societe lumiere & fils", "https://lumiere.example/jobs.xml", "--no-discover")
    out = tmp_path / "feeds.opml"
    assert run_cli("export", "opml", "-o", str(out)).exit_code == 0
    other = tmp_path / "other.db"
    from click.testing import CliRunner

    from researcher.cli import main

    result = CliRunner().invoke(main, ["--db", str(other), "import", "opml", str(out), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"companies_added": 1, "feeds_added": 2, "feeds_skipped": 0}
    feeds = json.loads(CliRunner().invoke(main, ["--db", str(other), "feed", "list", "--json"]).stdout)
    assert {f["url"] for f in feeds} == {"https://lumiere.example/feed.xml", "https://lumiere.example/jobs.xml"}
    assert {f["company"] for f in feeds} == {"Société Lumière & Fils"}


def test_import_of_a_broken_opml_writes_nothing(run_cli, tmp_path: Path):
    bad = tmp_path / "bad.opml"
    bad.write_text("<opml><body><outline text='x' xmlUrl='https://x.example/f'></body>", encoding="utf-8")
    result = run_cli("import", "opml", str(bad))
    assert result.exit_code == 1 and result.stderr.startswith("Error: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert json.loads(run_cli("company", "list", "--json").stdout) == []


def test_opml_import_refuses_local_files_unless_allowed(run_cli, tmp_path: Path):
    secret = tmp_path / "secret.xml"
    secret.write_text(RSS, encoding="utf-8")
    opml = tmp_path / "shared.opml"
    opml.write_text(
        f"""<?xml version="1.0"?><opml version="2.0"><head/><body>
<outline text="Acme"><outline type="rss" text="x" xmlUrl="{secret.as_uri()}"/></outline></body></opml>""",
        encoding="utf-8",
    )
    refused = run_cli("import", "opml", str(opml))
    assert refused.exit_code == 1 and "--allow-files" in refused.stderr
    assert json.loads(run_cli("feed", "list", "--json").stdout) == []
    allowed = run_cli("import", "opml", str(opml), "--allow-files", "--json")
    assert allowed.exit_code == 0 and json.loads(allowed.stdout)["feeds_added"] == 1


def test_sync_exits_1_when_every_feed_failed_and_0_when_some_worked(run_cli, tmp_path: Path):
    good, bad = tmp_path / "good.xml", tmp_path / "bad.xml"
    good.write_text(RSS, encoding="utf-8")
    bad.write_text("<html><body>Not a feed</body></html>", encoding="utf-8")
    run_cli("company", "add", "Acme Corp")
    run_cli("feed", "add", "acme", str(bad))
    failed = run_cli("sync")
    assert failed.exit_code == 1, failed.output
    assert "not a feed" in failed.stdout
    assert failed.stderr.splitlines()[-1] == "Error: the only feed failed; see the error above"
    as_json = run_cli("sync", "--all", "--json")
    assert as_json.exit_code == 1 and json.loads(as_json.stdout)["failed"] == 1
    run_cli("feed", "add", "acme", str(good))
    partial = run_cli("sync", "--all")
    assert partial.exit_code == 0 and "1 failed" in partial.stdout and "Error" not in partial.stderr
