"""A run streams (issue 11): each chunk is committed as soon as it is done, a cut-off run
keeps its chunks and the next one reads the pages it archived instead of fetching them again;
the files follow the warehouse; the archive appends to its newest file; the worker pool, of
one process or two, and a Dask cluster give the same rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from newsetl.extract.warc import read_record
from newsetl.flows import ingest
from newsetl.flows.cli import main
from newsetl.flows.config import FeedSpec, load_config
from newsetl.flows.ingest import run_ingest
from newsetl.flows.settings import Settings
from newsetl.warehouse import Warehouse
from tests.conftest import settings_for
from tests.site import LOREM, Item, page, serve_feed, serve_page

pytestmark = pytest.mark.usefixtures("prefect_harness")
PAGES = 6
ROWS = ("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM quotes),"
        " (SELECT count(*) FROM claims), (SELECT count(*) FROM entities),"
        " (SELECT count(*) FROM article_feeds), (SELECT count(*) FROM article_extractions)")


def rows(db: str | Path, sql: str) -> list[tuple]:
    with Warehouse.open(db, read_only=True) as warehouse:
        return warehouse.query(sql)[1]


@pytest.fixture
def wire(httpserver: HTTPServer) -> str:
    """A feed of PAGES pages, each quoting someone."""
    for n in range(PAGES):
        serve_page(httpserver, f"/s{n}.html", page(f"Story {n}", LOREM + [
            f'"We will open gate {n} in the spring," said Ana Ruiz, the harbour master.']))
    return serve_feed(httpserver, "/rss.xml", [Item(f"/s{n}.html", f"Story {n}", f"s{n}")
                                               for n in range(PAGES)])


def page_requests(httpserver: HTTPServer) -> list[str]:
    return sorted(request.path for request, _ in httpserver.log
                  if request.path.startswith("/s"))


def test_a_cut_run_keeps_its_committed_chunks_and_the_next_reads_the_archive(
    httpserver: HTTPServer, wire: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(tmp_path, chunk_size=2)
    real_store = ingest.store
    calls = []

    def store_then_stop(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:  # the third chunk: Ctrl-C as its commit begins
            raise KeyboardInterrupt
        return real_store(*args, **kwargs)

    monkeypatch.setattr(ingest, "store", store_then_stop)
    with pytest.raises(KeyboardInterrupt):
        run_ingest([FeedSpec(wire)], settings)

    # two chunks were committed, each on its own; the run says it was interrupted
    assert rows(settings.db, "SELECT count(*), count(DISTINCT corpus_file) FROM articles") == [
        (4, 4)]
    assert rows(settings.db, "SELECT status FROM runs") == [("interrupted",)]
    assert rows(settings.db, "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1"
                             " FROM quotes q WHERE q.article_id = a.article_id)") == [(0,)]
    fetched = page_requests(httpserver)

    monkeypatch.undo()
    summary = run_ingest([FeedSpec(wire)], settings)

    assert (summary.articles_new, summary.articles_unchanged) == (2, 4)
    assert rows(settings.db, "SELECT count(*) FROM articles") == [(PAGES,)]
    # every page was fetched once over both runs: the cut run's last pages came from the
    # archive, the stored ones were not asked for again
    assert fetched == [f"/s{n}.html" for n in range(PAGES)]
    assert page_requests(httpserver) == fetched
    assert not (Path(settings.archive) / "pending.jsonl").exists()


def test_a_run_appends_to_the_newest_archive_file_until_its_cap(
    httpserver: HTTPServer, wire: str, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path)
    run_ingest([FeedSpec(wire)], settings)
    run_ingest([FeedSpec(wire)], settings, refetch=True)
    files = sorted(p.name for p in Path(settings.archive).iterdir())
    # one file for both runs (the feed twice, every page twice), and no .open left
    assert len(files) == 1 and files[0].endswith(".warc.gz"), files
    assert rows(settings.db, "SELECT count(DISTINCT warc_file) FROM articles") == [(1,)]

    capped = settings_for(tmp_path / "capped", archive_max_bytes=1)
    run_ingest([FeedSpec(wire)], capped)
    # past the cap each record closes its file: the feed and every page, one file each
    assert len(list(Path(capped.archive).glob("*.warc.gz"))) == 1 + PAGES
    assert not list(Path(capped.archive).glob("*.open"))


def test_an_archive_file_left_open_by_a_kill_is_finished_and_appended_to(
    httpserver: HTTPServer, wire: str, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path)
    run_ingest([FeedSpec(wire)], settings)
    [done] = Path(settings.archive).glob("*.warc.gz")
    # a run killed while appending: the file is .open, a record cut short at its end
    opened = done.with_name(done.name + ".open")
    done.rename(opened)
    with opened.open("ab") as stream:
        stream.write(b"\x1f\x8b\x08\x00half a record")

    run_ingest([FeedSpec(wire)], settings, refetch=True)

    # finished (cut after its last whole record) and appended to: still one file
    assert [p.name for p in Path(settings.archive).iterdir()] == [done.name]
    stored = rows(settings.db, "SELECT url, warc_file, warc_offset FROM articles ORDER BY 1")
    assert len(stored) == PAGES
    with done.open("rb") as stream:
        assert [(url, name, read_record(stream, offset).url)
                for url, name, offset in stored] == [(url, done.name, url)
                                                     for url, _, _ in stored]


def test_corpus_and_archive_follow_the_warehouse(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    # issue 11: a second warehouse's run overwrote the corpus files of the first
    monkeypatch.chdir(tmp_path)
    for name in ("NEWSETL_DB", "NEWSETL_CORPUS", "NEWSETL_ARCHIVE"):
        monkeypatch.delenv(name, raising=False)
    config = str(sample / "feeds.toml")
    for db in ("first.duckdb", "second.duckdb"):
        assert main(["ingest", "--config", config, "--db", f"shelf/{db}"]) == 0
    assert main(["ingest", "--config", config, "--data-dir", "desk"]) == 0
    capsys.readouterr()

    shelf = tmp_path / "shelf"
    assert sorted(p.name for p in shelf.iterdir() if not p.name.startswith("prefect")) == [
        "first.archive", "first.corpus", "first.duckdb", "first.duckdb.run.lock",
        "second.archive", "second.corpus", "second.duckdb", "second.duckdb.run.lock"]
    assert sorted(p.name for p in (tmp_path / "desk").iterdir()
                  if not p.name.startswith("prefect")) == [
        "archive", "corpus", "news.duckdb", "news.duckdb.run.lock"]
    for folder in ("shelf/first.corpus", "shelf/second.corpus", "desk/corpus"):
        assert len(list((tmp_path / folder).glob("*.txt"))) == 10, folder
    for db, archive in (("shelf/first.duckdb", "first.archive"),
                        ("shelf/second.duckdb", "second.archive")):
        [[files]] = rows(tmp_path / db, "SELECT list(DISTINCT warc_file) FROM articles")
        assert all((shelf / archive / name).is_file() for name in files)
    assert not (tmp_path / "data").exists()


def test_one_worker_and_a_dask_cluster_store_what_two_workers_store(
    ingested_once: Settings, sample: Path, tmp_path: Path
) -> None:
    feeds = list(load_config(sample / "feeds.toml").feeds)
    expected = rows(ingested_once.db, ROWS)
    quotes = "SELECT speaker, text FROM quotes ORDER BY 1, 2"
    one = settings_for(tmp_path / "one", workers=1)
    run_ingest(feeds, one)
    assert rows(one.db, ROWS) == expected
    assert rows(one.db, quotes) == rows(ingested_once.db, quotes)


@pytest.mark.slow
def test_chunks_run_on_a_local_dask_cluster(
    ingested_once: Settings, sample: Path, tmp_path: Path
) -> None:
    pytest.importorskip("prefect_dask", reason="task_runner 'dask' needs newsetl[dask]")
    feeds = list(load_config(sample / "feeds.toml").feeds)
    settings = settings_for(tmp_path / "dask", task_runner="dask", workers=2, chunk_size=3)
    summary = run_ingest(feeds, settings)
    assert (summary.articles_new, summary.errors) == (10, 0)
    assert rows(settings.db, ROWS) == rows(ingested_once.db, ROWS)
    assert rows(settings.db, "SELECT speaker, text FROM quotes ORDER BY 1, 2") == rows(
        ingested_once.db, "SELECT speaker, text FROM quotes ORDER BY 1, 2")
