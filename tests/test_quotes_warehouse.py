"""Quotes in the warehouse: filled by backfill and ingest, swapped per article, the speakers
view, and the extract command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsetl.flows.backfill import backfill_flow
from newsetl.flows.cli import main
from newsetl.flows.settings import Settings
from newsetl.warehouse import Warehouse
from tests.conftest import SEED, settings_for

pytestmark = pytest.mark.usefixtures("prefect_harness")


def query(db: Path, sql: str) -> list[tuple]:
    with Warehouse.open(db, read_only=True) as warehouse:
        return warehouse.query(sql)[1]


def test_backfilled_articles_have_their_quotes_and_speakers(tmp_path: Path) -> None:
    db = tmp_path / "news.duckdb"
    summary = backfill_flow([str(SEED)], Settings(db=str(db)))

    quotes = query(db, "SELECT seq, speaker, kind, spans, run_id, extractor FROM quotes ORDER BY seq")
    text = query(db, "SELECT text FROM articles")[0][0]
    spans = query(db, "SELECT spans FROM quotes ORDER BY seq")

    assert [(q[0], q[1], q[2], q[4], q[5]) for q in quotes] == [
        (1, "Volodymyr Zelenskyy", "direct", summary.run_id, "quotes"),
        (2, "Volodymyr Zelenskyy", "direct", summary.run_id, "quotes"),
        (3, "Donald Trump", "direct", summary.run_id, "quotes"),
        (4, "Donald Trump", "direct", summary.run_id, "quotes"),
    ]
    # the stored offsets point into the stored text
    assert text[spans[0][0][0][0]:spans[0][0][0][1]] == (
        "We agreed to maintain close dialogue and advance our cooperation,")
    assert query(db, "SELECT speaker, quotes, articles, first_date::VARCHAR, last_date::VARCHAR"
                     " FROM speakers ORDER BY speaker") == [
        ("Donald Trump", 2, 1, "2024-11-07", "2024-11-07"),
        ("Volodymyr Zelenskyy", 2, 1, "2024-11-07", "2024-11-07"),
    ]


def test_an_unchanged_article_keeps_its_quotes_and_a_changed_one_swaps_them(
    tmp_path: Path,
) -> None:
    db = tmp_path / "news.duckdb"
    archive = tmp_path / "archive"
    archive.mkdir()
    copy = archive / SEED.name
    copy.write_bytes(SEED.read_bytes())
    first = backfill_flow([str(archive)], Settings(db=str(db)))
    backfill_flow([str(archive)], Settings(db=str(db)))
    assert query(db, "SELECT DISTINCT run_id FROM quotes") == [(first.run_id,)]

    last = SEED.read_text().split("\n\n")[-2]
    assert last.startswith('"We\'ll get it solved," he added.')
    copy.write_text(SEED.read_text().replace(last, "Trump did not say how."))
    third = backfill_flow([str(archive)], Settings(db=str(db)))

    assert third.articles_updated == 1
    assert query(db, "SELECT DISTINCT run_id FROM quotes") == [(third.run_id,)]
    assert query(db, "SELECT speaker, count(*) FROM quotes GROUP BY speaker ORDER BY speaker") == [
        ("Donald Trump", 1), ("Volodymyr Zelenskyy", 2)]


def test_a_batch_that_fails_half_way_is_stored_not_at_all(tmp_path: Path) -> None:
    """Our rollback: the store of a batch fails after its article row was rewritten and its
    old quotes deleted, and the warehouse still holds the batch before it, whole."""
    import dataclasses

    from newsetl.extract.dated import parse_dated
    from newsetl.extract.records import article_from_dated
    from newsetl.flows.store import Load, store
    from newsetl.values import Flow, Stage
    from newsetl.warehouse.runs import Run, RunError, start_run

    settings = settings_for(tmp_path)
    backfill_flow([str(SEED)], settings)
    snapshot = ("SELECT (SELECT list(text) FROM articles), (SELECT count(*) FROM quotes),"
                " (SELECT list(version ORDER BY extractor) FROM article_extractions),"
                " (SELECT count(*) FROM run_errors)")
    before = query(Path(settings.db), snapshot)
    content = SEED.read_text(encoding="utf-8").replace("Too many people dead.", "So many dead.")
    changed = article_from_dated(SEED.name, str(SEED), parse_dated(content), content)
    broken = dataclasses.replace(changed)  # the article is fine; one of its quotes is not
    with Warehouse.open(settings.db) as warehouse:
        run = Run(start_run(warehouse, Flow.BACKFILL, {}), Flow.BACKFILL)
        with pytest.raises(AttributeError):
            store.fn(warehouse, run, Load(
                articles=[broken], found={broken.article_id: ([object()], [])},
                errors=[RunError(Stage.FILE, "x.txt", "DatedFormatError", "bad")]))
        assert not warehouse.in_transaction
        assert run.errors == 0
    assert query(Path(settings.db), snapshot) == before
    assert before[0][1] == 4 and "Too many people dead." in before[0][0][0]


def test_extract_prints_quotes_as_json_with_offsets_into_the_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["extract", str(SEED), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    content = SEED.read_text(encoding="utf-8")
    assert result["file"] == str(SEED)
    assert {c["source"] for c in result["claims"]} >= {"Donald Trump", "Volodymyr Zelenskyy",
                                                       "Politico"}
    for claim in result["claims"]:
        assert set(claim) == {"content", "spans", "source", "source_mention", "source_span",
                              "source_type", "cue", "cue_span", "hedge", "negated", "parent",
                              "confidence"}
        assert " ".join(content[s:e] for s, e in claim["spans"]).split() == \
            claim["content"].split()
    assert [q["speaker"] for q in result["quotes"]] == [
        "Volodymyr Zelenskyy", "Volodymyr Zelenskyy", "Donald Trump", "Donald Trump"]
    for quote in result["quotes"]:
        assert set(quote) == {"text", "spans", "kind", "speaker", "speaker_mention",
                              "speaker_span", "cue", "cue_span", "speaker_type", "confidence"}
        s, e = quote["speaker_span"]
        assert content[s:e] == quote["speaker_mention"]
        s, e = quote["cue_span"]
        assert content[s:e] == quote["cue"]
    assert content[slice(*result["quotes"][3]["speaker_span"])] == "he"


def test_extract_several_files_prints_one_json_line_each(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    other = tmp_path / "001_00000000000000aa.txt"
    other.write_text(' date 2024-01-01 "This is a long enough quote to count," said Ana Ruiz.\n\n')
    assert main(["extract", str(SEED), str(other), "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["file"] for line in lines] == [str(SEED), str(other)]
    assert [q["speaker"] for q in json.loads(lines[1])["quotes"]] == ["Ana Ruiz"]


def test_extract_refuses_a_file_that_breaks_the_format(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("no date line\n\n")
    assert main(["extract", str(bad)]) == 1
    assert capsys.readouterr().err == (
        f"Error: {bad}:1: does not start with ' date YYYY-MM-DD ' followed by the first "
        "paragraph (it starts with 'no date line\\n\\n')\n")


def test_backfilled_articles_have_their_claims_and_sources(tmp_path: Path) -> None:
    db = tmp_path / "news.duckdb"
    summary = backfill_flow([str(SEED)], Settings(db=str(db)))

    claims = query(db, "SELECT seq, source, source_type, cue, hedge, parent_seq, run_id,"
                       " extractor_version FROM claims ORDER BY seq")
    assert {c[6] for c in claims} == {summary.run_id}
    assert {c[7] for c in claims} == {"claims-4"}
    by_cue = {(c[1], c[3]) for c in claims}
    assert {("Donald Trump", "blamed"), ("Donald Trump", "claimed"), ("Politico", "reported"),
            ("Volodymyr Zelenskyy", "said")} <= by_cue
    hedged = [c for c in claims if c[4] == "reportedly"]
    assert [(c[1], c[2]) for c in hedged] == [(None, "none")]
    nested = [c for c in claims if c[5] is not None]
    # an unnamed group names nobody: anonymous, the mention kept
    assert [(c[1], c[2], c[5]) for c in nested] == [
        (None, "anonymous", [c[0] for c in claims if c[1] == "Politico"][0])]
    assert ("Donald Trump", "person", 3) in query(
        db, "SELECT source, source_type, claims FROM sources")
