"""OPML 2.0 feed lists in and out: folders and categories as tags, the config's text kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsetl.extract.opml import OpmlError, OpmlFeed, parse_opml, render_opml
from newsetl.flows.cli import main
from newsetl.flows.config import load_config

READER_EXPORT = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My subscriptions</title></head>
  <body>
    <outline text="News">
      <outline text="World">
        <outline type="rss" text="Wire &amp; Co" title="Wire &amp; Co"
                 xmlUrl="https://wire.example/rss" htmlUrl="https://wire.example/"/>
      </outline>
      <outline type="rss" text="Ledger" xmlUrl="https://ledger.example/atom.xml"
               category="/local/city,/weekly"/>
    </outline>
    <outline type="rss" text="Loose" xmlUrl="https://loose.example/feed"/>
    <outline type="rss" text="Local file" xmlUrl="file:///etc/passwd"/>
    <outline text="An empty folder"/>
  </body>
</opml>
"""


def test_folders_and_categories_become_tags() -> None:
    assert parse_opml(READER_EXPORT) == [
        OpmlFeed("https://wire.example/rss", "Wire & Co", "https://wire.example/",
                 ("News", "World")),
        OpmlFeed("https://ledger.example/atom.xml", "Ledger", None,
                 ("News", "local", "city", "weekly")),
        OpmlFeed("https://loose.example/feed", "Loose"),
        OpmlFeed("file:///etc/passwd", "Local file"),
    ]


@pytest.mark.parametrize(("data", "message"), [
    (b"<rss/>", "x.opml is not OPML: its root element is not <opml>"),
    (b"<opml version='2.0'><head/></opml>", "x.opml is not OPML: it has no <body>"),
    (b"<opml", "x.opml is not well-formed XML: "),
])
def test_not_opml_is_named(data: bytes, message: str) -> None:
    with pytest.raises(OpmlError) as raised:
        parse_opml(data, "x.opml")
    assert str(raised.value).startswith(message)


def test_entities_are_not_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    data = (f'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
            '<opml version="2.0"><body><outline text="&x;" xmlUrl="https://a.example/"/>'
            '</body></opml>').encode()
    with pytest.raises(OpmlError) as raised:
        parse_opml(data, "x.opml")
    assert "references external entity" in str(raised.value)
    assert "top secret" not in str(raised.value)


names = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20) \
    .map(str.strip).filter(lambda t: t and "/" not in t and "," not in t)


@given(st.lists(st.builds(
    OpmlFeed,
    url=st.sampled_from(["https://a.example/rss", "https://b.example/f?x=1&y=2"]),
    name=st.one_of(st.none(), names),
    site_url=st.none(),
    tags=st.lists(names, max_size=3, unique=True).map(tuple),
), max_size=5))
def test_a_list_survives_the_round_trip(feeds: list[OpmlFeed]) -> None:
    data = render_opml(feeds, "t", dt.datetime(2024, 6, 1, tzinfo=dt.UTC))
    # feeds of one folder come together, so only the order may change
    assert sorted(parse_opml(data), key=repr) == sorted(
        (OpmlFeed(f.url, f.name or f.url, f.site_url, f.tags) for f in feeds), key=repr)


CONFIG = """# my feeds, by hand
[settings]
interval = 900

[[feeds]]
url = "https://loose.example/feed"   # kept as written
name = "Loose, my name"
"""


def test_import_appends_new_feeds_and_keeps_the_config_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("subs.opml").write_bytes(READER_EXPORT)
    Path("feeds.toml").write_text(CONFIG)

    assert main(["feeds", "import", "subs.opml"]) == 0
    out, err = capsys.readouterr()
    assert out == "feeds.toml: 2 feed(s) added, 1 already listed, 1 left out\n"
    assert err == "  left out file:///etc/passwd: not an http(s) URL with a host\n"
    text = Path("feeds.toml").read_text()
    assert text.startswith(CONFIG)
    config = load_config("feeds.toml")
    assert [(f.url, f.name, f.tags) for f in config.feeds] == [
        ("https://loose.example/feed", "Loose, my name", ()),
        ("https://wire.example/rss", "Wire & Co", ("News", "World")),
        ("https://ledger.example/atom.xml", "Ledger", ("News", "local", "city", "weekly")),
    ]
    assert config.settings == {"interval": 900}
    # again: nothing more
    assert main(["feeds", "import", "subs.opml"]) == 0
    assert capsys.readouterr().out == "feeds.toml: 0 feed(s) added, 3 already listed, 1 left out\n"
    assert Path("feeds.toml").read_text() == text


def test_import_dry_run_prints_the_tables_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("subs.opml").write_bytes(READER_EXPORT)
    assert main(["feeds", "import", "subs.opml", "--config", "new.toml", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert not Path("new.toml").exists()
    assert out.splitlines()[:5] == [
        f"# imported from subs.opml on {dt.date.today().isoformat()}",
        "[[feeds]]", 'url = "https://wire.example/rss"', 'name = "Wire & Co"',
        'tags = ["News", "World"]']


def test_export_writes_what_import_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.conftest import SAMPLE

    monkeypatch.chdir(tmp_path)
    assert main(["feeds", "export", "--config", str(SAMPLE / "feeds.toml")]) == 0
    data = capsys.readouterr().out
    assert data.startswith("<?xml version='1.0' encoding='UTF-8'?>\n<opml version=\"2.0\">")
    exported = parse_opml(data.encode())
    sample = load_config(SAMPLE / "feeds.toml").feeds
    assert [(f.url, f.name, f.tags) for f in exported] == [(f.url, f.name, f.tags) for f in sample]
