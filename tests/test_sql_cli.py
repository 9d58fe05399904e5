"""newsetl sql, runs and feeds as sqlite-utils has them: formats, whole cells, the query from
stdin or a file, parameters, one statement."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from newsetl.extract.dated import parse_dated
from newsetl.extract.records import article_from_dated
from newsetl.flows.cli import main
from newsetl.flows.settings import ConfigError
from newsetl.values import Flow
from newsetl.warehouse import Warehouse
from newsetl.warehouse.load import load_articles
from newsetl.warehouse.runs import recorded_run

LONG = "A paragraph long enough to be cut by the old sixty-character table, and then some more."


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSETL_DB", raising=False)
    path = tmp_path / "w.duckdb"
    content = f" date 2024-06-03 {LONG}\n\n"
    article = article_from_dated("001_00000000000000aa.txt", "a.txt",
                                 parse_dated(content, "a.txt"), content)
    with Warehouse.open(path) as warehouse:
        load_articles(warehouse, [article], "r1")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


QUERY = ("SELECT published_date AS day, 'a|b' AS pipe, NULL AS nothing,"
         " trim(substr(text, 18), chr(10)) AS body FROM articles")


def test_cells_are_whole_unless_a_width_is_given(capsys: pytest.CaptureFixture[str],
                                                 db: Path) -> None:
    code, out, _ = run(capsys, "sql", QUERY, "--db", str(db))
    assert code == 0
    assert out.splitlines()[2] == f"2024-06-03  a|b   NULL     {LONG}"
    out = run(capsys, "sql", QUERY, "--db", str(db), "--width", "12")[1]
    assert out.splitlines()[2] == "2024-06-03  a|b   NULL     A paragra..."


def test_every_format(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    assert run(capsys, "sql", QUERY, "--db", str(db), "--fmt", "markdown")[1] == (
        "| day | pipe | nothing | body |\n"
        "| --- | --- | --- | --- |\n"
        f"| 2024-06-03 | a\\|b |  | {LONG} |\n")
    assert run(capsys, "sql", QUERY, "--db", str(db), "--fmt", "csv")[1] == (
        f"day,pipe,nothing,body\n2024-06-03,a|b,,\"{LONG}\"\n")
    assert run(capsys, "sql", QUERY, "--db", str(db), "--csv")[1] == (
        run(capsys, "sql", QUERY, "--db", str(db), "--fmt", "csv")[1])
    assert json.loads(run(capsys, "sql", QUERY, "--db", str(db), "--fmt", "json")[1]) == [
        {"day": "2024-06-03", "pipe": "a|b", "nothing": None, "body": LONG}]
    assert run(capsys, "sql", QUERY, "--db", str(db), "--json", "--fmt", "csv") == (
        2, "", "Error: --json and --fmt csv exclude each other (see 'newsetl sql --help')\n")


def test_the_query_from_stdin_or_a_file(capsys: pytest.CaptureFixture[str], db: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("SELECT count(*) AS n FROM articles\n"))
    assert run(capsys, "sql", "-", "--db", str(db), "--csv")[1] == "n\n1\n"
    Path("q.sql").write_text("-- how many\nSELECT count(*) AS n FROM articles;\n")
    assert run(capsys, "sql", "--file", "q.sql", "--db", str(db), "--csv")[1] == "n\n1\n"
    assert run(capsys, "sql", "--db", str(db)) == (
        2, "", "Error: give a QUERY or --file FILE (one of them) (see 'newsetl sql --help')\n")


def test_parameters_are_values_not_sql(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    query = "SELECT count(*) AS n FROM articles WHERE published_date >= $since AND url = $url"
    assert run(capsys, "sql", query, "-p", "since=2024-06-01", "--param", "url=a.txt",
               "--db", str(db), "--csv")[1] == "n\n1\n"
    assert run(capsys, "sql", query, "-p", "since=2024-07-01", "-p", "url=a.txt",
               "--db", str(db), "--csv")[1] == "n\n0\n"
    # a value is never SQL, whatever it holds
    assert run(capsys, "sql", query, "-p", "since=2024-01-01", "-p", "url=' OR 1=1 --",
               "--db", str(db), "--csv")[1] == "n\n0\n"
    assert run(capsys, "sql", query, "-p", "since", "--db", str(db))[0::2] == (
        2, "Error: --param 'since' is not NAME=VALUE (see 'newsetl sql --help')\n")


def test_several_statements_are_refused(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    assert run(capsys, "sql", "SELECT 1; SELECT 2", "--db", str(db)) == (
        1, "", "Error: the query holds 2 statements; give one at a time\n")
    Path("empty.sql").write_text("-- nothing here yet\n")
    assert run(capsys, "sql", "--file", "empty.sql", "--db", str(db)) == (
        1, "", "Error: no SQL statement given\n")


def test_runs_in_every_format_with_the_error_of_a_failed_run(
    capsys: pytest.CaptureFixture[str], db: Path
) -> None:
    with Warehouse.open(db) as warehouse:
        with recorded_run(warehouse, Flow.INGEST, {}) as done:
            done.counts = {"articles_new": 2}
        # a scheduled run records itself as an ingest
        with pytest.raises(ConfigError), recorded_run(warehouse, Flow.INGEST, {}) as broken:
            raise ConfigError("config file feeds.toml is not valid TOML")
        failed = broken.id
    rows = json.loads(run(capsys, "runs", "--db", str(db), "--json")[1])
    assert [(r["run_id"], r["status"], r["error"]) for r in rows[:1]] == [
        (failed, "failed", "config file feeds.toml is not valid TOML")]
    table = run(capsys, "runs", "--db", str(db), "--fmt", "markdown")[1].splitlines()
    assert table[0] == ("| run | flow | started (UTC) | seconds | status | "
                        "articles new/updated/unchanged/failed | errors | error |")
    assert table[2].startswith(f"| {failed[:12]} | ingest | ")
    assert table[2].endswith(" | failed |  | 0 | config file feeds.toml is not valid TOML |")
    assert "2/0/0/0" in table[3]
    assert run(capsys, "runs", "--db", str(db), "--csv")[1].splitlines()[0] == (
        "run_id,flow,started_at,seconds,status,counts,errors,error")
