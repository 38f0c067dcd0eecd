"""Sectors and discovery: untracked companies from careers and news, ranked by how often and how recently, with
their evidence and inferred sector; tracking one links what named it."""

from __future__ import annotations

from datetime import date

import pytest

from researcher.insight.discovery import discover, sectors, track
from researcher.store import Invalid
from researcher.sync.parse import Entry

TODAY = date(2026, 11, 25)


def stint(nb, person: str, company: str, start: str, end: str | None = None, tracked: bool = False) -> None:
    where = {"company": company} if tracked else {"company_name": company}
    nb.add_position(person, title="Engineer", start=start, end=end, **where)


@pytest.fixture
def world(nb):
    nb.add_company("Zahlwerk GmbH", sector="Fintech", status="target")
    nb.add_company("Caudal Finanzas", sector="Fintech", status="watching")
    nb.add_company("Rutas Claras SL", sector="Mobility", status="applied")
    for name in ("Ann Albion", "Bea Albion", "Cem Leaver", "Dan Old", "Me Myself"):
        nb.add_person(name, me=name == "Me Myself")
    stint(nb, "ann-albion", "Albion Ledger Ltd", "2014-01", "2018-01")
    stint(nb, "ann-albion", "Zahlwerk GmbH", "2018-02", tracked=True)
    stint(nb, "bea-albion", "ALBION LEDGER", "2016-01", "2019-12")
    stint(nb, "bea-albion", "Caudal Finanzas", "2020-01", tracked=True)
    stint(nb, "cem-leaver", "Zahlwerk GmbH", "2015-01", "2019-01", tracked=True)
    stint(nb, "cem-leaver", "Globex GmbH", "2019-02")
    stint(nb, "dan-old", "Old Corp", "2001-01", "2003-01")
    stint(nb, "dan-old", "Rutas Claras SL", "2003-02", "2010-01", tracked=True)
    stint(nb, "me-myself", "My Old Employer SA", "2010-01", "2020-01")  # my own past: nothing to discover
    caudal = nb.add_feed("caudal-finanzas", "https://caudal.example/feed.xml")
    rutas = nb.add_feed("rutas-claras-sl", "https://rutas.example/feed.xml")
    nb.save_fetch(
        caudal.id, [Entry("c1", "Payouts with Globex", "Globex GmbH runs them.", None, "2026-11-20T08:00:00Z", "h")]
    )
    nb.save_fetch(
        rutas.id, [Entry("r1", "New partner", "Nova Transit SA joins us.", None, "2026-11-10T08:00:00Z", "h")]
    )
    return nb


def test_discovery_ranks_by_how_often_and_how_recently_with_the_evidence(world):
    found = discover(world, today=TODAY)
    assert [d.name for d in found] == ["Globex GmbH", "Nova Transit SA", "Albion Ledger Ltd", "Old Corp"]
    globex, nova, albion, old = found
    # Recent evidence outweighs old; among old evidence, more people outweigh fewer.
    assert globex.score > nova.score > albion.score > old.score
    assert (globex.people_count, globex.items_count, globex.last_seen) == (1, 1, "2026-11-20")
    assert globex.people[0]["relation"] == "left to" and globex.people[0]["tracked"] == ["Zahlwerk GmbH"]
    assert [i["title"] for i in globex.items] == ["Payouts with Globex"]
    assert sorted(p["relation"] for p in albion.people) == ["came from", "came from"]
    assert sorted(t for p in albion.people for t in p["tracked"]) == ["Caudal Finanzas", "Zahlwerk GmbH"]
    assert (nova.people_count, nova.items_count) == (0, 1)


def test_the_sector_is_inferred_from_the_companies_they_connect_to(world):
    found = {d.name: d for d in discover(world, today=TODAY)}
    assert {n: d.sector for n, d in found.items()} == {
        "Globex GmbH": "Fintech",
        "Nova Transit SA": "Mobility",
        "Albion Ledger Ltd": "Fintech",
        "Old Corp": "Mobility",
    }
    assert found["Albion Ledger Ltd"].sectors == [("Fintech", 2)]
    assert [d.name for d in discover(world, sector="mobility", today=TODAY)] == ["Nova Transit SA", "Old Corp"]


def test_tracking_a_discovered_name_links_its_positions_and_keeps_the_name(world):
    done = track(world, "albion ledger", today=TODAY)
    assert done["company"]["name"] == "Albion Ledger Ltd"  # the careers' spelling
    assert done["company"]["sector"] == "Fintech" and done["sector_inferred"]
    assert done["positions_linked"] == 2
    company = world.company("Albion Ledger Ltd")
    assert {p.person_name for p in world.positions_at(company.id)} == {"Ann Albion", "Bea Albion"}
    assert "Albion Ledger Ltd" not in [d.name for d in discover(world, today=TODAY)]
    with pytest.raises(Invalid, match="already tracked"):
        track(world, "ALBION LEDGER LTD")


def test_tracking_a_name_from_the_news_links_the_items_naming_it(world):
    done = track(world, "Nova Transit SA", sector="Mobility")
    assert (done["news_linked"], done["positions_linked"], done["sector_inferred"]) == (1, 0, False)
    assert [i["title"] for i in world.news_naming(company="nova-transit-sa")] == ["New partner"]


def test_sectors_list_companies_by_status_people_and_unread_news(world):
    summary = {s.sector: s for s in sectors(world)}
    assert list(summary) == ["Fintech", "Mobility"]
    fintech = summary["Fintech"]
    assert {k: [c["name"] for c in v] for k, v in fintech.companies.items()} == {
        "watching": ["Caudal Finanzas"],
        "target": ["Zahlwerk GmbH"],
    }
    assert (fintech.company_count, fintech.people, fintech.unread) == (2, 2, 1)
    assert (summary["Mobility"].people, summary["Mobility"].unread) == (0, 1)
