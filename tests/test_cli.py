"""The newsetl command line: exit codes, exact error lines, output formats."""

from __future__ import annotations

import dataclasses
import json
import shutil
import tomllib
from pathlib import Path

import duckdb
import pytest

from newsetl.flows.cli import cli, main
from newsetl.flows.settings import Settings
from tests.conftest import SEED, SEEDS
from tests.test_warehouse import locked_db  # noqa: F401 - a fixture


def toml_error(text: str) -> str:
    """What tomllib says of ``text`` (its words are its own: the test holds ours)."""
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return str(error)
    raise AssertionError(f"{text!r} is valid TOML")


def duckdb_error(sql: str) -> str:
    """The first line of what DuckDB itself (no warehouse) says of ``sql``."""
    try:
        duckdb.sql(sql)
    except duckdb.Error as error:
        return str(error).strip().splitlines()[0]
    raise AssertionError(f"{sql!r} runs")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("NEWSETL_DB", "NEWSETL_CORPUS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help(capsys: pytest.CaptureFixture[str], command: str) -> None:
    code, out, _ = run(capsys, command, "--help")
    assert code == 0
    assert out.startswith(f"Usage: newsetl {command} ")
    assert "Example:" in out


def test_ingest_without_feeds_says_how_to_give_them(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "ingest") == (
        1, "", "Error: no feeds to ingest: give --feed URL or --config FILE "
               "(or put a feeds.toml here)\n")


def test_a_missing_config_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "ingest", "--config", "nope.toml") == (
        1, "", "Error: config file nope.toml does not exist\n")


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        pytest.param('[[feeds]]\nurl = "http://x.example/rss"\nnmae = "X"\n',
                     "feeds.toml: feeds[0]: unknown key(s) nmae; a feed has interval, name, tags, url",
                     id="typo-in-key"),
        pytest.param("[[feeds]]\nname = 'X'\n", "feeds.toml: feeds[0]: 'url' is missing or empty",
                     id="no-url"),
        pytest.param("[[feeds]]\nurl = 'ftp://x.example/rss'\n",
                     "feeds.toml: feeds[0]: 'ftp://x.example/rss' is not an http, https or file URL",
                     id="ftp"),
        pytest.param("[[feeds]]\nurl = 'http://x.example/rss'\ntags = 'a'\n",
                     "feeds.toml: feeds[0]: 'tags' must be a list of strings", id="tags-string"),
        pytest.param("[settings]\ntotal_timeout = 'soon'\n",
                     "feeds.toml: setting 'total_timeout' must be a number, not 'soon'",
                     id="bad-setting"),
        pytest.param("[settings]\nspeed = 3\n",
                     "feeds.toml: unknown setting 'speed'; known: "
                     + ", ".join(f.name for f in dataclasses.fields(Settings)),
                     id="unknown-setting"),
        pytest.param("[[feeds]\nurl = 'x'\n", "config file feeds.toml is not valid TOML: "
                     + toml_error("[[feeds]\nurl = 'x'\n"), id="toml-syntax"),
    ],
)
def test_a_bad_config_gets_one_error_line(
    capsys: pytest.CaptureFixture[str], toml: str, message: str
) -> None:
    Path("feeds.toml").write_text(toml)
    assert run(capsys, "ingest") == (1, "", f"Error: {message}\n")


def test_ingest_into_a_locked_warehouse_names_the_pid(
    capsys: pytest.CaptureFixture[str], locked_db: tuple[Path, int]  # noqa: F811
) -> None:
    path, pid = locked_db
    code, out, err = run(capsys, "ingest", "--feed", SEED.as_uri(), "--db", str(path))
    assert (code, out) == (1, "")
    assert err == (f"Error: warehouse {path} is locked by process {pid} (python), another "
                   "client, not a newsetl run; close its connection (a notebook: open "
                   "short-lived read-only connections, see the README) or stop it with "
                   f"`kill {pid}`, or use --db for another file\n")


def test_sql_on_a_missing_warehouse(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "sql", "SELECT 1", "--db", "none.duckdb") == (
        1, "", "Error: no warehouse at none.duckdb; run `newsetl ingest` or `newsetl backfill` "
               "first, or point --db at an existing file\n")


@pytest.mark.usefixtures("prefect_harness")
def test_backfill_seeds_twice_leaves_one_article(capsys: pytest.CaptureFixture[str]) -> None:
    first = run(capsys, "backfill", str(SEEDS))
    second = run(capsys, "backfill", str(SEEDS))
    assert first[0] == second[0] == 0
    assert first[1].splitlines()[1:] == ["  articles: 1 new, 0 updated, 0 unchanged, 0 failed"]
    assert second[1].splitlines()[1:] == ["  articles: 0 new, 0 updated, 1 unchanged, 0 failed"]
    code, out, _ = run(capsys, "sql", "SELECT article_id, published_date, word_count, "
                       "source_kind FROM articles", "--json")
    assert code == 0
    assert json.loads(out) == [{"article_id": "e00214b99a58ad9b", "published_date": "2024-11-07",
                                "word_count": 315, "source_kind": "file"}]


@pytest.mark.usefixtures("prefect_harness")
def test_backfill_records_and_skips_bad_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    archive = tmp_path / "archive" / "2024"
    archive.mkdir(parents=True)
    shutil.copy(SEED, archive)
    (archive / "002_00000000000000aa.txt").write_bytes(b"no date line\n\n")
    (archive / "003_00000000000000bb.txt").write_bytes(b" date 2024-13-01 Text.\n\n")
    (archive / "notes.md").write_text("not a dated file")

    code, out, _ = run(capsys, "backfill", str(tmp_path / "archive"))

    assert code == 0
    assert out.splitlines()[1] == "  articles: 1 new, 0 updated, 0 unchanged, 2 failed"
    code, out, _ = run(capsys, "sql", "SELECT input, error FROM run_errors ORDER BY input",
                       "--csv")
    assert out == (
        "input,error\n"
        f"{archive / '002_00000000000000aa.txt'},MissingDateLine\n"
        f"{archive / '003_00000000000000bb.txt'},InvalidDate\n"
    )


def test_backfill_of_a_missing_path(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "backfill", "nowhere") == (
        1, "", "Error: nowhere does not exist; name dated .txt files, WARC files, or folders "
               "of them\n")


@pytest.mark.usefixtures("prefect_harness")
def test_sql_formats(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "backfill", str(SEED))
    query = "SELECT article_id, published_date, ['a', 'b'] AS tags, NULL AS nothing FROM articles"
    assert run(capsys, "sql", query) == (0, (
        "article_id        published_date  tags        nothing\n"
        "----------------  --------------  ----------  -------\n"
        'e00214b99a58ad9b  2024-11-07      ["a", "b"]  NULL\n'
        "(1 row)\n"), "")
    assert run(capsys, "sql", query, "--csv") == (0, (
        "article_id,published_date,tags,nothing\n"
        'e00214b99a58ad9b,2024-11-07,"[""a"", ""b""]",\n'), "")
    assert json.loads(run(capsys, "sql", query, "--json")[1]) == [
        {"article_id": "e00214b99a58ad9b", "published_date": "2024-11-07", "tags": ["a", "b"],
         "nothing": None}]
    assert run(capsys, "sql", "SELEC 1")[0::2] == (
        1, f"Error: query failed: {duckdb_error('SELEC 1')}\n")
    assert run(capsys, "sql", "DROP TABLE articles")[0] == 1
    assert run(capsys, "sql", "SELECT 1", "--json", "--csv") == (
        2, "", "Error: --json and --csv exclude each other (see 'newsetl sql --help')\n")


@pytest.mark.usefixtures("prefect_harness")
def test_ingest_prints_a_summary(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from tests.conftest import SAMPLE

    code, out, err = run(capsys, "ingest", "--config", str(SAMPLE / "feeds.toml"))
    again = run(capsys, "ingest", "--config", str(SAMPLE / "feeds.toml"))

    assert (code, err) == (0, "")
    assert out.splitlines()[0].startswith("ingest run ")
    assert out.splitlines()[1:] == ["  feeds:    3 ok, 0 failed",
                                    "  articles: 10 new, 0 updated, 0 unchanged, 0 failed"]
    assert again[1].splitlines()[1:] == ["  feeds:    3 ok (3 not modified), 0 failed",
                                         "  articles: 0 new, 0 updated, 0 unchanged, 0 failed"]
    assert len(list((tmp_path / "data" / "corpus").glob("*.txt"))) == 10


README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"$ newsetl {command}" in README.read_text(encoding="utf-8"), (
        f"document `newsetl {command}` in the README's command line section")
