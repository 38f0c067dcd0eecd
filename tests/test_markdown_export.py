"""Markdown export: the dossier brief, the section the user keeps, escaping of untrusted text, the vault."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from researcher.interop.markdown import (
    MY_NOTES_HINT,
    export_dossier,
    keep_my_notes,
    md_block,
    md_line,
    md_note,
    my_notes,
    yaml_value,
)
from researcher.store import Notebook
from researcher.sync.parse import Entry
from researcher.text import clean_line

EVIL_TITLE = "# x [a](javascript:alert(1)) <script>alert(2)</script> ![i](http://t/p.png) `c` **b** &amp; [[w]]"


def _html(markdown: str) -> str:
    return MarkdownIt("commonmark").render(markdown)


def _front_matter(text: str) -> dict[str, str]:
    head = text.split("---\n")[1]
    return dict(line.split(": ", 1) for line in head.strip().splitlines())


@pytest.fixture
def acme(nb: Notebook) -> Notebook:
    nb.add_company("Acme", sector="Fintech Payments", status="target", website="https://acme.example")
    nb.add_person("Me Myself", me=True)
    nb.add_person("Ann Lee", company="acme", title="Payments engineer", start="2019-03")
    nb.add_relationship("me-myself", "ann-lee", strength=3, how="met at a meetup")
    nb.add_term("PSP", "payment service provider", company="acme")
    nb.add_org_unit("acme", "Payments")
    nb.add_feed("acme", "https://acme.example/feed.xml")
    nb.save_fetch(
        nb.feeds("acme")[0].id,
        [
            Entry("e1", EVIL_TITLE, "s", "javascript:alert(3)", "2026-01-02T00:00:00Z", "h1"),
            Entry("e2", "Acme raises money", "s", "https://acme.example/news/1", "2026-01-01T00:00:00Z", "h2"),
        ],
    )
    nb.add_note("Ask about the data team\n## My notes\n<b>bold</b>", company="acme")
    return nb


def test_the_brief_has_every_section_from_the_dossier(acme: Notebook):
    _, text = export_dossier(acme, "acme")
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings == [
        "Overview",
        "Latest news",
        "Named in the news",
        "Vocabulary",
        "Organisation",
        "People to approach",
        "Career paths",
        "Notes from the notebook",
        "My notes",
    ]
    assert text.startswith("---\n") and "\n# Acme\n" in text
    assert "- **PSP**: payment service provider" in text
    assert "- Payments" in text
    assert "**Ann Lee**: Payments engineer (since 2019-03)" in text
    assert "Warmest path: you → **Ann Lee** (" in text
    assert "[Acme raises money](<https://acme.example/news/1>)" in text


def test_front_matter_is_yaml_obsidian_reads(acme: Notebook):
    _, text = export_dossier(acme, "acme")
    properties = _front_matter(text)
    assert json.loads(properties["company"]) == "Acme"
    assert json.loads(properties["sector"]) == "Fintech Payments"
    assert json.loads(properties["url"]) == "https://acme.example"
    assert json.loads(properties["tags"]) == ["company", "fintech-payments", "target"]
    assert re.fullmatch(r'"\d{4}-\d\d-\d\d"', properties["updated"])


def test_yaml_values_are_quoted_safely():
    for value in ["a: b", "- x", "#c", "'q' \"d\"", "x\ny", "\u2028line", "yes", "null", "{a}", "[1]"]:
        rendered = yaml_value(value)
        assert rendered.startswith('"') and "\n" not in rendered and "\u2028" not in rendered
        assert json.loads(rendered) == clean_line(value)
    assert yaml_value("a\u2028b") == '"a\\u2028b"'
    assert yaml_value(["x", 'y"z']) == '["x", "y\\"z"]'


def test_untrusted_text_cannot_become_markup(acme: Notebook):
    _, text = export_dossier(acme, "acme")
    html = _html(text)
    assert "<script" not in html and "javascript:" not in html.replace("javascript:alert(1)) ", "")
    assert "<img" not in html and 'href="javascript' not in html
    assert "<h1>x" not in html  # the news title's "# x" is text
    assert "<b>bold</b>" not in html  # the note's HTML stays text
    assert html.count("<h2>My notes</h2>") == 1  # the note's "## My notes" is not a heading


@pytest.mark.parametrize(
    "value",
    [
        EVIL_TITLE,
        "- item",
        "1. first",
        "> quote",
        "    code",
        "===",
        "---",
        "<div>x</div>",
        "[ref]: javascript:x",
        "a | b",
        "~~~",
        "#tag ==hi== %%c%% $x$",
    ],
)
def test_md_line_and_block_render_as_the_plain_text(value: str):
    # md_line is text inside a line (after a list marker or a label); md_block stands alone.
    for rendered in (f"Title: {md_line(value)}", md_block(value)):
        html = _html(rendered)
        assert html.startswith("<p>") and html.count("<p>") == 1, (value, html)
        assert "<a " not in html and "<img" not in html and "<code>" not in html and "<em>" not in html


def test_a_note_keeps_its_markdown_but_not_its_html_links_or_headings():
    note = (
        "- a list with *emphasis* and [[a wikilink]]\n## My notes\n```\n<img src=x onerror=alert(1)>\n[x](javascript:y)"
    )
    html = _html(md_note(note))
    assert "<li>a list with <em>emphasis</em>" in html
    assert "<h2>" not in html and "<pre>" not in html and "<img" not in html and "<a " not in html


def test_reexport_keeps_my_notes_and_refreshes_the_rest(acme: Notebook, tmp_path: Path, run_cli, db_path: Path):
    with Notebook(db_path) as nb:
        nb.add_company("Acme", sector="Fintech")
    target = tmp_path / "acme.md"
    assert run_cli("export", "dossier", "acme", "-o", str(target)).exit_code == 0
    first = target.read_text()
    assert first.rstrip().endswith(MY_NOTES_HINT)
    mine = "Questions for the interview:\n\n- why *now*?\n\n```\n## not a heading\n```\n\n### Sub-heading of mine\nend"
    target.write_text(first.replace(MY_NOTES_HINT, mine))
    with Notebook(db_path) as nb:
        nb.edit_company("acme", sector="Payments")
        nb.add_note("A new note", company="acme")
    result = run_cli("export", "dossier", "acme", "-o", str(tmp_path))  # a folder: acme.md in it
    assert result.exit_code == 0, result.output
    second = target.read_text()
    assert second.split("## My notes\n\n", 1)[1] == mine + "\n"
    assert '"Payments"' in second and "A new note" in second and MY_NOTES_HINT not in second


def test_my_notes_ends_at_a_generated_section_or_a_title():
    old = "---\na: 1\n---\n# T\n\n## My notes\n\nmine\n## Their own heading\nstill mine\n\n## Overview\n\ngenerated\n"
    assert my_notes(old) == "mine\n## Their own heading\nstill mine"
    assert my_notes("# T\n\n## Overview\n") is None
    assert my_notes("## My notes\n") == ""
    # Front matter whose closing --- would read as a setext heading is skipped.
    assert my_notes("---\ntitle: My notes\n---\n## My notes\nkept\n") == "kept"
    new = f"# T\n\n## My notes\n\n{MY_NOTES_HINT}\n"
    assert keep_my_notes(new, old) == "# T\n\n## My notes\n\nmine\n## Their own heading\nstill mine\n"
    assert keep_my_notes(new, None) == new


def test_cli_dossier_to_stdout_and_errors(run_cli, db_path: Path, tmp_path: Path):
    with Notebook(db_path) as nb:
        nb.add_company("Acme")
    result = run_cli("export", "dossier", "acme")
    assert result.exit_code == 0 and "# Acme" in result.stdout
    missing = run_cli("export", "dossier", "acme", "-o", str(tmp_path / "no" / "such.md"))
    assert missing.exit_code == 1 and missing.stderr.startswith("Error: cannot write")
    assert not (tmp_path / "no").exists()
    assert run_cli("export", "dossier").exit_code == 2
    assert run_cli("export", "dossier", "acme", "--all", str(tmp_path / "v")).exit_code == 2
    unknown = run_cli("export", "dossier", "nope")
    assert unknown.exit_code == 1 and unknown.stderr.startswith("Error: unknown company")


def test_vault_one_file_per_company_and_person_linked(demo_db: Path, tmp_path: Path):
    from click.testing import CliRunner

    from researcher.cli import main

    vault = tmp_path / "vault"
    result = CliRunner().invoke(main, ["--db", str(demo_db), "export", "dossier", "--all", str(vault)])
    assert result.exit_code == 0, result.output
    with Notebook(demo_db) as nb:
        companies, people = nb.companies(), nb.people()
    assert sorted(p.name for p in (vault / "companies").iterdir()) == sorted(f"{c.slug}.md" for c in companies)
    assert sorted(p.name for p in (vault / "people").iterdir()) == sorted(f"{p.slug}.md" for p in people)
    azurine = (vault / "companies" / "banque-azurine.md").read_text()
    assert "[[people/hugo-lefevre|Hugo Lefèvre]]" in azurine
    hugo = (vault / "people" / "hugo-lefevre.md").read_text()
    assert "[[companies/banque-azurine|Banque Azurine]]" in hugo
    # Every link names a file of the vault.
    for target in set(re.findall(r"\[\[([^|\]]+)\|", azurine + hugo)):
        assert (vault / f"{target}.md").is_file(), target
    (vault / "people" / "hugo-lefevre.md").write_text(hugo.replace(MY_NOTES_HINT, "Call him on Monday."))
    again = CliRunner().invoke(main, ["--db", str(demo_db), "export", "dossier", "--all", str(vault)])
    assert again.exit_code == 0
    assert (vault / "people" / "hugo-lefevre.md").read_text().endswith("## My notes\n\nCall him on Monday.\n")
    assert (vault / "companies" / "banque-azurine.md").read_text() == azurine  # stable


# -- the TUI: the palette on a company's dossier ------------------------------------------------------------------


async def test_palette_exports_the_open_company_dossier(demo_db: Path, tmp_path: Path, monkeypatch):
    import asyncio

    from researcher.tui import export
    from researcher.tui.app import make_app
    from tests.test_tui import open_company, screen_text, settle

    monkeypatch.setattr(export, "documents_folder", lambda: tmp_path)
    target = tmp_path / "banque-azurine.md"
    target.write_text("# Old\n\n## My notes\n\nKeep me.\n")

    async def run() -> None:
        app = make_app(demo_db)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*"export")
            await pilot.pause(0.5)
            assert "Export this company's dossier" not in screen_text(app)  # not on the companies list
            await pilot.press("escape")
            await open_company(pilot, "Banque Azurine")
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*"export")
            await pilot.pause(0.5)
            assert "Export this company's dossier (Markdown)" in screen_text(app)
            await pilot.press("enter")
            await settle(pilot)
            await pilot.pause()
            assert f"Dossier written to {target}" in [str(n.message) for n in app._notifications]

    await asyncio.wait_for(run(), timeout=30)
    text = target.read_text()
    assert "\n# Banque Azurine\n" in text and text.endswith("## My notes\n\nKeep me.\n")
