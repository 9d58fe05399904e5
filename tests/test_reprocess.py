"""Reprocess: newer extractors over stored articles, rewriting derived rows and nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import newsetl.flows.reprocess
from newsetl.flows.reprocess import reprocess_flow
from newsetl.warehouse import Warehouse
from tests.bugs import plant

pytestmark = pytest.mark.usefixtures("prefect_harness")
ARTICLES = "SELECT * EXCLUDE (extractor) FROM articles ORDER BY article_id"
QUOTES = ("SELECT quote_id, article_id, seq, text, spans, kind, speaker, speaker_mention,"
          " speaker_span, cue, cue_span FROM quotes ORDER BY quote_id")


def rows(db: str, sql: str) -> list[tuple]:
    with Warehouse.open(db, read_only=True) as warehouse:
        return warehouse.query(sql)[1]


def test_nothing_to_do_at_the_current_versions(ingested) -> None:
    summary = reprocess_flow(ingested)
    assert (summary.articles_checked, summary.quotes_articles, summary.errors) == (0, 0, 0)


def test_a_quotes_version_bump_rewrites_the_quotes_and_nothing_else(
    ingested, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles, quotes = rows(ingested.db, ARTICLES), rows(ingested.db, QUOTES)
    import newsetl.extract.attribution

    monkeypatch.setitem(newsetl.extract.attribution.VERSIONS, "quotes", "quotes-test-bump")

    summary = reprocess_flow(ingested, "quotes")

    assert (summary.quotes_articles, summary.quotes_written) == (10, len(quotes))
    assert rows(ingested.db, ARTICLES) == articles
    assert rows(ingested.db, QUOTES) == quotes
    assert rows(ingested.db, "SELECT DISTINCT extractor_version, run_id FROM quotes") == [
        ("quotes-test-bump", summary.run_id)]
    assert rows(ingested.db, "SELECT DISTINCT extractor, version FROM article_extractions"
                             " ORDER BY 1") == [("claims", "claims-4"),
                                                ("quotes", "quotes-test-bump")]
    # a second reprocess finds everything at the current version
    assert reprocess_flow(ingested, "quotes").quotes_articles == 0


def test_an_article_extractor_bump_reextracts_from_the_archive_offline(
    ingested, sample: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    articles = rows(ingested.db, ARTICLES)
    corpus = {p.name: p.read_bytes() for p in Path(ingested.corpus).glob("*.txt")}
    monkeypatch.setattr(newsetl.flows.reprocess, "EXTRACTOR_VERSION", "article-test-bump")
    # no network and no pages on disk (the sample is this module's copy): only the archive
    # can give the pages back
    monkeypatch.setattr("newsetl.flows.fetch.Fetcher.fetch", None)
    hidden = tmp_path / "hidden-pages"
    (sample / "pages").rename(hidden)
    try:
        summary = reprocess_flow(ingested, "article")
    finally:
        hidden.rename(sample / "pages")

    assert (summary.articles_checked, summary.articles_changed, summary.errors) == (10, 0, 0)
    assert rows(ingested.db, ARTICLES) == articles
    assert rows(ingested.db, "SELECT DISTINCT extractor FROM articles") == [
        ("article-test-bump",)]
    assert {p.name: p.read_bytes() for p in Path(ingested.corpus).glob("*.txt")} == corpus


def without_last_paragraph(real: Any) -> Any:
    """``extract_article`` whose pages lose their last paragraph: every text changes, and
    the quotes before it stay."""
    from newsetl.extract.article import PageArticle

    def shorter(html: bytes, url: str, **options: Any) -> PageArticle:
        page = real(html, url, **options)
        return PageArticle(**{**page.__dict__, "paragraphs": page.paragraphs[:-1]})
    return shorter


def test_a_changed_extraction_updates_the_text_the_file_and_the_quotes(
    ingested, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from newsetl.extract.attribution import extract_attributions_many

    monkeypatch.setattr(newsetl.flows.reprocess, "EXTRACTOR_VERSION", "article-shorter")
    # pages are extracted in the worker processes: the change goes there
    plant(monkeypatch, tmp_path / "shorter", [
        {"module": "newsetl.extract.article", "name": "extract_article",
         "wrap": "tests.test_reprocess:without_last_paragraph"}])
    before = dict(rows(ingested.db, "SELECT article_id, published_date FROM articles"))
    breaks = dict(rows(ingested.db, "SELECT article_id, length(text) - length(replace(text,"
                                    " chr(10) || chr(10), '')) FROM articles"))

    summary = reprocess_flow(ingested, "article")

    assert (summary.articles_checked, summary.articles_changed) == (10, 10)
    assert dict(rows(ingested.db, "SELECT article_id, published_date FROM articles")) == before
    stored = rows(ingested.db, "SELECT article_id, text, corpus_file FROM articles"
                               " ORDER BY article_id")
    for article_id, text, file in stored:
        assert len(text) - len(text.replace("\n\n", "")) == breaks[article_id] - 2
        assert (Path(ingested.corpus) / file).read_text(encoding="utf-8") == text
    # the quotes are those of the new texts, written by the reprocess run
    expected = [(article_id, [q.text for q in found.quotes]) for (article_id, _, _), found in
                zip(stored, extract_attributions_many([t for _, t, _ in stored]), strict=True)]
    quotes = rows(ingested.db, "SELECT a.article_id, list(q.text ORDER BY q.seq) FILTER"
                               " (WHERE q.text IS NOT NULL) FROM articles a LEFT JOIN quotes q"
                               " USING (article_id) GROUP BY 1 ORDER BY 1")
    assert [(a, list(t)) for a, t in quotes] == expected
    assert sum(len(t) for _, t in expected) > 0
    assert rows(ingested.db, "SELECT DISTINCT run_id FROM quotes") == [(summary.run_id,)]


def test_a_claims_version_bump_rewrites_the_claims_and_leaves_the_quotes(
    ingested, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsetl.extract.attribution

    quotes = rows(ingested.db, "SELECT quote_id, run_id FROM quotes ORDER BY quote_id")
    claims = rows(ingested.db, "SELECT claim_id, content FROM claims ORDER BY claim_id")
    monkeypatch.setitem(newsetl.extract.attribution.VERSIONS, "claims", "claims-test-bump")

    summary = reprocess_flow(ingested, "claims")

    assert (summary.claims_articles, summary.claims_written) == (10, len(claims))
    assert rows(ingested.db, "SELECT quote_id, run_id FROM quotes ORDER BY quote_id") == quotes
    assert rows(ingested.db, "SELECT claim_id, content FROM claims ORDER BY claim_id") == claims
    assert rows(ingested.db, "SELECT DISTINCT extractor_version, run_id FROM claims") == [
        ("claims-test-bump", summary.run_id)]


def test_a_page_that_would_take_hours_to_extract_again_is_stopped(
    ingested, tmp_path: Path
) -> None:
    # issue 14: a million tiny paragraphs keep trafilatura busy for hours; reprocess extracts
    # in the same bounded worker as ingest, so it costs extract_timeout, not the run
    import dataclasses
    import datetime as dt
    import time

    from newsetl.extract.warc_write import WarcWriterRotating
    from newsetl.warehouse.load import load_articles, read_articles

    archive = Path(ingested.archive)
    with WarcWriterRotating(archive, "slow", 1 << 30) as writer:
        where = writer.write_response(
            "https://slow.example/tiny", 200, "OK", [("Content-Type", "text/html")],
            b"<html><body><article>" + b"<p>a</p>" * 1_000_000 + b"</article></body></html>",
            dt.datetime.now(dt.UTC))
    [(article_id, text)] = rows(ingested.db, "SELECT article_id, text FROM articles"
                                             " ORDER BY article_id LIMIT 1")
    with Warehouse.open(ingested.db) as warehouse:
        [stored] = read_articles(warehouse, [article_id])
        # this article's archived page is now the slow one, made by an older extractor
        load_articles(warehouse, [dataclasses.replace(
            stored, warc_file=where.file, warc_offset=where.offset, warc_length=where.length,
            extractor="article-older", content_hash="older")], "run-older")
    settings = dataclasses.replace(ingested, extract_timeout=2.0)

    began = time.monotonic()
    summary = reprocess_flow(settings, "article")

    assert time.monotonic() - began < 60
    assert (summary.articles_checked, summary.articles_changed, summary.errors) == (1, 0, 1)
    assert rows(ingested.db, "SELECT stage, input, error FROM run_errors WHERE run_id = "
                             f"'{summary.run_id}'") == [("reprocess", article_id,
                                                         "extract_timeout")]
    assert rows(ingested.db, f"SELECT text FROM articles WHERE article_id = '{article_id}'"
                ) == [(text,)]
