"""The warehouse explains itself to any DuckDB client: comments on everything, span texts in
SQL, and a storage format DuckDB 1.1+ reads."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from newsetl.extract.dated import parse_dated
from newsetl.extract.records import article_from_dated
from newsetl.warehouse import Warehouse
from newsetl.warehouse.comments import MACROS, SCHEMA, apply_comments, undocumented
from newsetl.warehouse.load import load_articles

V1_1_STORAGE = 64
"""the storage version number in the header of a file DuckDB 1.1 writes (and 1.x reads)"""
READER = "1.1.3"
"""the oldest DuckDB the warehouse is written for (storage_compatibility_version v1.1.0)"""


def test_every_table_view_and_column_has_a_comment(tmp_path: Path) -> None:
    with Warehouse.open(tmp_path / "w.duckdb") as warehouse:
        assert undocumented(warehouse) == [], (
            "give these a comment in warehouse/comments.py (SCHEMA)")


def test_every_documented_name_exists(tmp_path: Path) -> None:
    # a typo in the definition would leave the real column without its comment
    with Warehouse.open(tmp_path / "w.duckdb") as warehouse:
        columns = {(t, c) for t, c in warehouse.query(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE NOT internal"
            " AND database_name = current_database()")[1]}
        macros = {r[0] for r in warehouse.query(
            "SELECT function_name FROM duckdb_functions() WHERE function_type = 'macro'"
            " AND database_name = current_database()")[1]}
    documented = {(t, c) for t, doc in SCHEMA.items() for c in doc.columns}
    assert documented - columns == set()
    assert set(MACROS) - macros == set()


def test_comments_are_written_once(tmp_path: Path) -> None:
    Warehouse.open(tmp_path / "w.duckdb").close()
    with Warehouse.open(tmp_path / "w.duckdb") as warehouse:
        assert apply_comments(warehouse) == 0
        assert warehouse.query(
            "SELECT comment FROM duckdb_columns() WHERE table_name = 'quotes'"
            " AND column_name = 'spans'")[1][0][0].startswith("[[start, end], ...]: 0-based")


def test_span_text_cuts_python_offsets(tmp_path: Path) -> None:
    # code points, not bytes or graphemes: an emoji, a combining accent, a CJK word
    content = ' date 2024-05-01 Né 😀 a "très bien" déclaré e\u0301 東京 voilà.\n\n'
    doc = parse_dated(content, "x.txt")
    article = article_from_dated("001_00000000000000aa.txt", "x.txt", doc, content)
    start = content.index("très")
    end = start + len("très bien")
    mention = content.index("東京")
    with Warehouse.open(tmp_path / "w.duckdb") as warehouse:
        load_articles(warehouse, [article], "run1")
        warehouse.query(
            "INSERT INTO quotes (quote_id, article_id, seq, text, spans, kind, speaker,"
            " speaker_mention, speaker_span, cue, cue_span, extractor, extractor_version, run_id)"
            " VALUES ('q1', ?, 1, 'très bien', [[?, ?], [?, ?]], 'direct',"
            " 'Tokyo', '東京', [?, ?], 'déclaré', NULL, 'quotes', '1', 'run1')",
            [article.article_id, start, end, mention, mention + 2, mention, mention + 2])
        rows = warehouse.query("SELECT part, start_offset, end_offset, span_text FROM quote_spans"
                               " ORDER BY part")[1]
        macro = warehouse.query("SELECT span_text(a.text, q.speaker_span) FROM quotes q"
                                " JOIN articles a USING (article_id)")[1]
    assert rows == [(1, start, end, content[start:end]), (2, mention, mention + 2, "東京")]
    assert content[start:end] == "très bien"
    assert macro == [("東京",)]


def test_a_new_warehouse_is_written_in_duckdb_1_1_storage(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    Warehouse.open(path).close()
    with Warehouse.open(path) as warehouse:  # opened again, it keeps its format
        warehouse.query("CHECKPOINT")
    header = path.read_bytes()[:20]
    assert header[8:12] == b"DUCK"
    assert struct.unpack("<Q", header[12:20])[0] == V1_1_STORAGE


def _duckdb_1_reader(scratch: Path) -> Path:
    """A folder DuckDB 1.1 is installed in (``pip install --target``), kept between runs in the
    user's cache, outside the checkout (``scratch``, this session's, where there is none);
    or skip. Installed into a folder of its own and renamed into place once whole, so
    sessions running at once never see half of it."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "newsetl-tests"
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError:
        cache = scratch
    tag = f"py{sys.version_info.major}{sys.version_info.minor}"
    target = cache / f"duckdb-{READER}-{tag}"
    if target.is_dir():
        return target
    building = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=cache))
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                           "--target", str(building), f"duckdb=={READER}"],
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        shutil.rmtree(building, ignore_errors=True)
        pytest.skip(f"duckdb {READER} could not be installed from the package index: "
                    f"{done.stderr.strip().splitlines()[-1:]}")
    try:
        building.rename(target)
    except OSError:  # another session got there first: theirs is as good
        shutil.rmtree(building, ignore_errors=True)
    return target


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
def test_duckdb_1_1_opens_an_ingested_warehouse(tmp_path: Path) -> None:
    from newsetl.flows.cli import main
    from tests.conftest import SAMPLE

    db = tmp_path / "news.duckdb"
    assert main(["ingest", "--config", str(SAMPLE / "feeds.toml"), "--db", str(db),
                 "--corpus", str(tmp_path / "corpus")]) == 0
    reader = _duckdb_1_reader(tmp_path)
    # -S: none of this venv's packages (its duckdb is 2.x), only DuckDB 1.1's folder
    script = (
        "import sys; sys.path.insert(0, sys.argv[2])\n"
        "import duckdb, json\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        "print(json.dumps([duckdb.__version__,\n"
        "  con.execute('SELECT count(*) FROM articles').fetchone()[0],\n"
        "  con.execute('SELECT count(*) FROM quote_spans').fetchone()[0],\n"
        "  con.execute(\"SELECT comment FROM duckdb_tables() WHERE table_name = 'quotes'\")"
        ".fetchone()[0][:24]]))\n"
    )
    done = subprocess.run([sys.executable, "-S", "-c", script, str(db), str(reader)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    with Warehouse.open(db, read_only=True) as warehouse:
        spans = warehouse.query("SELECT count(*) FROM quote_spans")[1][0][0]
    assert done.stdout.strip() == f'["{READER}", 10, {spans}, "One row per direct (or m"]'
