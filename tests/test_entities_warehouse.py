"""Entities across articles: linking rules, the speakers and sources views by entity, the
who command, and reprocess relinking (articles written for this test)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsetl.flows.backfill import backfill_flow
from newsetl.flows.cli import main
from newsetl.flows.reprocess import reprocess_flow
from newsetl.flows.settings import Settings
from newsetl.warehouse import Warehouse
from newsetl.warehouse.entities import entity_key

pytestmark = [pytest.mark.usefixtures("prefect_harness"), pytest.mark.slow]

ARTICLES = {
    "001_a1b2c3d4e5f60001.txt": (
        " date 2024-03-01 Port director Maria T. Velasquez said the new quay would open in "
        "June.\n\n"
        '"We are ahead of schedule," Velasquez said.\n\n'
        '"The cranes arrive next week," said Okoro, a foreman.\n\n'
        "The Harbour Board said the budget was approved.\n\n"),
    "002_a1b2c3d4e5f60002.txt": (
        " date 2024-04-15 Maria Velasquez said the quay had cost less than planned.\n\n"
        '"Every berth is booked," she said.\n\n'
        '"It is the busiest spring we have had," said Okoro.\n\n'
        "Harbour Board officials said the fees would rise.\n\n"),
}


def query(db: Path, sql: str) -> list[tuple]:
    with Warehouse.open(db, read_only=True) as warehouse:
        return warehouse.query(sql)[1]


@pytest.fixture(scope="module")
def warehouse_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("entities")
    for name, text in ARTICLES.items():
        (folder / "in").mkdir(exist_ok=True)
        (folder / "in" / name).write_text(text, encoding="utf-8")
    db = folder / "news.duckdb"
    backfill_flow([str(folder / "in")], Settings(db=str(db)))
    return db


def test_linking_keys():
    assert entity_key("Donald J. Trump", "person", "a1") == entity_key("Donald Trump", "person",
                                                                        "a2")
    # a bare surname links only within its own article
    assert entity_key("Okoro", "person", "a1") != entity_key("Okoro", "person", "a2")
    assert entity_key("the Harbour Board", "organisation", "a1") == entity_key(
        "Harbour Board", "organisation", "a2")


def test_one_person_is_one_entity_across_articles(warehouse_db: Path):
    rows = query(warehouse_db, "SELECT name, type, aliases, articles, quotes, claims,"
                               " first_seen::VARCHAR, last_seen::VARCHAR FROM entities"
                               " WHERE name LIKE 'Maria%'")
    assert len(rows) == 1
    name, type_, aliases, articles, quotes, claims, first, last = rows[0]
    assert (name, type_, articles, first, last) == ("Maria T. Velasquez", "person", 2,
                                                    "2024-03-01", "2024-04-15")
    assert {"Maria T. Velasquez", "Maria Velasquez", "Velasquez"} <= set(aliases)
    assert (quotes, claims) == (2, 2)
    # quotes and claims carry the entity
    assert query(warehouse_db, "SELECT count(DISTINCT speaker_entity_id) FROM quotes"
                               " WHERE speaker LIKE 'Maria%'") == [(1,)]


def test_a_bare_surname_stays_in_its_article(warehouse_db: Path):
    assert query(warehouse_db, "SELECT name, articles FROM entities WHERE name = 'Okoro'") == [
        ("Okoro", 1), ("Okoro", 1)]


def test_speakers_and_sources_group_by_entity(warehouse_db: Path):
    speakers = query(warehouse_db, "SELECT speaker, quotes, articles FROM speakers"
                                   " ORDER BY quotes DESC, speaker")
    assert speakers[0] == ("Maria T. Velasquez", 2, 2)
    sources = dict(query(warehouse_db, "SELECT source, claims FROM sources"))
    assert sources["Maria T. Velasquez"] == 2
    assert sources["Harbour Board"] == 1  # the officials of the second story are anonymous


def test_who_prints_an_entitys_quotes_and_claims_over_time(warehouse_db: Path, capsys):
    assert main(["who", "velasquez", "--db", str(warehouse_db)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Maria T. Velasquez (person): 2 quotes, 2 claims in 2 articles, "
                             "2024-03-01 to 2024-04-15")
    dates = [line.split()[0] for line in out[3:] if line[:4].isdigit()]
    assert dates == sorted(dates) and len(dates) == 4
    assert main(["who", "Maria Velasquez", "--json", "--db", str(warehouse_db)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["name"] == "Maria T. Velasquez"
    assert [i["kind"] for i in data["items"]].count("quote") == 2
    assert {i["url"] for i in data["items"]} == {
        str(Path(warehouse_db).parent / "in" / n) for n in ARTICLES}


def test_who_without_a_match_is_one_error_line(warehouse_db: Path, capsys):
    assert main(["who", "Nobody Here", "--db", str(warehouse_db)]) == 1
    assert capsys.readouterr().err.startswith("Error: no speaker or source named 'Nobody Here'")


def test_reprocess_relinks_the_same_entities(warehouse_db: Path, monkeypatch):
    import newsetl.extract.attribution

    before = query(warehouse_db, "SELECT entity_id, name, quotes, claims FROM entities"
                                 " ORDER BY entity_id")
    monkeypatch.setitem(newsetl.extract.attribution.VERSIONS, "quotes", "quotes-relink")
    monkeypatch.setitem(newsetl.extract.attribution.VERSIONS, "claims", "claims-relink")
    summary = reprocess_flow(Settings(db=str(warehouse_db)), "all")
    assert (summary.quotes_articles, summary.claims_articles) == (2, 2)
    assert query(warehouse_db, "SELECT entity_id, name, quotes, claims FROM entities"
                               " ORDER BY entity_id") == before
