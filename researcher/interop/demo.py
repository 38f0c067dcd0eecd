"""Write the fictional demo notebook from data/demo/ (companies, people, careers, reporting lines, feeds)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from researcher.store import Notebook
from researcher.sync.parse import parse_bytes


def demo_dir() -> Path:
    """The demo data: inside the installed package, or data/demo/ in a source checkout."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "_data" / "demo", here.parent / "data" / "demo"):
        if (candidate / "notebook.json").is_file():
            return candidate
    raise FileNotFoundError("the demo data (data/demo/notebook.json) is missing from this installation")


def _remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def load_demo(nb: Notebook, source: Path | None = None) -> None:
    """Fill an open (empty) notebook with the demo data, in one transaction."""
    source = source or demo_dir()
    data: dict[str, Any] = json.loads((source / "notebook.json").read_text(encoding="utf-8"))
    with nb.atomic():
        for term in data.get("global_terms", []):
            nb.add_term(term["term"], term.get("definition", ""), seen_in=term.get("seen_in"))
        feeds: list[tuple[int, Path]] = []
        for c in data["companies"]:
            company = nb.add_company(
                c["name"], **{k: c.get(k) for k in ("sector", "website", "location", "size", "status", "description")}
            )
            _add_units(nb, company.id, c.get("org_units", []))
            for term in c.get("terms", []):
                nb.add_term(term["term"], term.get("definition", ""), company=company.id, seen_in=term.get("seen_in"))
            for note in c.get("notes", []):
                nb.add_note(note["body"], company=company.id, created_at=note.get("created"))
            if c.get("feed"):
                feed_file = source / c["feed"]
                feed = nb.add_feed(company.id, feed_file.resolve().as_uri())
                feeds.append((feed.id, feed_file))
        ids: dict[str, list[int]] = {}
        for p in data["people"]:
            fields = {k: p.get(k) for k in ("headline", "location", "email", "phone")}
            person = nb.add_person(
                p["name"],
                profiles=p.get("profiles") or {},
                me=bool(p.get("me")),
                **{k: x for k, x in fields.items() if x},
            )
            ids.setdefault(p["name"], []).append(person.id)
            for pos in p.get("positions", []):
                nb.add_position(
                    person.id,
                    company_name=pos["company"],
                    title=pos["title"],
                    start=pos.get("start"),
                    end=pos.get("end"),
                    function=pos.get("function"),
                    unit=pos.get("unit"),
                )
            for i in sorted(p.get("interactions", []), key=lambda x: x["when"]):
                nb.add_interaction(
                    person.id, i["channel"], i.get("summary", ""), when=i["when"], direction=i.get("direction", "out")
                )
            approach = p.get("approach")
            if approach:
                last = max((i["when"] for i in p.get("interactions", [])), default="2026-10-01T09:00:00Z")
                nb.set_approach(
                    person.id,
                    status=approach.get("status"),
                    priority=approach.get("priority"),
                    next_action_at=approach.get("next_action"),
                    next_step=approach.get("next_step"),
                    at=last,
                )
            for note in p.get("notes", []):
                nb.add_note(note["body"], person=person.id, created_at=note.get("created"))
        for r in data.get("relationships", []):
            nb.add_relationship(
                _pick(ids, r["a"]),
                _pick(ids, r["b"]),
                kind=r.get("kind", "knows"),
                strength=r.get("strength", 2),
                how=r.get("how"),
            )
        for line in data.get("reporting_lines", []):
            nb.place_person(line["company"], _pick(ids, line["person"]), reports_to=_pick(ids, line["reports_to"]))
        for network, items in data.get("profile_checklist", {}).items():
            for item in items:
                nb.set_profile_item(network, item)
        if data.get("network_goal"):
            nb.set_network_goal(data["network_goal"])
        # The demo's news, read from its offline feed files as a first sync would.
        for feed_id, feed_file in feeds:
            body = feed_file.read_bytes()
            parsed = parse_bytes(body)
            nb.save_fetch(
                feed_id,
                parsed.entries,
                title=parsed.title,
                status=200,
                error=parsed.error,
                content_hash=hashlib.sha256(body).hexdigest(),
            )
        # Every name was queued as it was added; the news is stored (and linked) now: nothing left to search.
        nb.link_mentions()


def _pick(ids: dict[str, list[int]], name: str) -> int:
    """A person id by name; `Name#2` picks the second person of that name."""
    base, _, nth = name.partition("#")
    return ids[base][int(nth) - 1 if nth else 0]


def _add_units(nb: Notebook, company_id: int, units: list[dict[str, Any]]) -> None:
    """Add units parents first, whatever order the data lists them in."""
    pending = list(units)
    added: set[str] = set()
    while pending:
        ready = [u for u in pending if not u.get("parent") or u["parent"] in added]
        if not ready:
            raise ValueError(f"org units with unknown parents: {[u['name'] for u in pending]}")
        for unit in ready:
            nb.add_org_unit(company_id, unit["name"], parent=unit.get("parent"))
            added.add(unit["name"])
            pending.remove(unit)


def write_demo(path: str | os.PathLike, overwrite: bool = False) -> dict[str, int]:
    """Write the demo notebook to `path` (built beside it, then moved in place)."""
    target = Path(path).expanduser()
    if target.exists() and not overwrite:
        raise FileExistsError(f"{target} exists")
    target.parent.mkdir(parents=True, exist_ok=True)
    building = target.with_name(target.name + ".building")
    _remove_db(building)
    try:
        with Notebook(building) as nb:
            load_demo(nb)
            nb.index_news()
            nb.checkpoint()
            counts = nb.counts()
        _remove_db(target)
        os.replace(building, target)
    finally:
        _remove_db(building)
    return counts
