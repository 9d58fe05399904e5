"""Feed parsing: the bundled sample feeds, hand-made edge cases, and third-party test feeds."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pytest

from newsetl.extract.feeds import FeedEntry, FeedParseError, ParsedFeed, parse_feed

ROOT = Path(__file__).resolve().parents[1]
FEEDS = ROOT / "seeds" / "sample" / "feeds"
PAGES = ROOT / "seeds" / "sample" / "pages"
FEEDPARSER_TESTS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "feedparser-tests"


def parse_file(path: Path) -> ParsedFeed:
    """A sample feed parsed as the ingest flow parses it: its bytes and its file:// URL."""
    return parse_feed(path.read_bytes(), path.as_uri())


def page(name: str) -> str:
    return (PAGES / name).as_uri()


def rows(feed: ParsedFeed) -> list[tuple]:
    """(link, guid, title, published, updated, authors) per entry, dates as ISO strings."""
    return [
        (e.link, e.guid, e.title, iso(e.published), iso(e.updated), e.authors) for e in feed.entries
    ]


def iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def rss(items: str, extra_namespaces: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" {extra_namespaces}>'
            f"<channel><title>Wire</title><link>https://news.example/</link>{items}"
            "</channel></rss>").encode()


def item(link: str, guid: str = "", title: str = "t", more: str = "") -> str:
    guid_element = f'<guid isPermaLink="false">{guid}</guid>' if guid else ""
    return f"<item><title>{title}</title><link>{link}</link>{guid_element}{more}</item>"


def only_entry(content: bytes, url: str = "https://news.example/feed.xml") -> FeedEntry:
    [entry] = parse_feed(content, url).entries
    return entry


def test_the_sample_holds_the_three_feeds_these_tests_expect() -> None:
    assert sorted(p.name for p in FEEDS.iterdir()) == [
        "harbour-times-business.rss", "harbour-times.rss", "riverside-ledger.atom"]


def test_the_world_and_politics_rss_feed() -> None:
    feed = parse_file(FEEDS / "harbour-times.rss")

    assert (feed.url, feed.version, feed.title, feed.site_url, feed.warning) == (
        (FEEDS / "harbour-times.rss").as_uri(), "rss20", "The Harbour Times – World & Politics",
        "https://www.harbourtimes.example/world/", None)
    assert rows(feed) == [
        (page("politics/stopgap-budget.html"), "harbourtimes-2024-11-08-0417",
         "Parliament passes stopgap budget hours before shutdown deadline",
         "2024-11-08T15:40:00-05:00", None, ("Priya Raman",)),
        (page("world/ukraine-aid.html"), "harbourtimes-2024-11-07-0388",
         "Biden reportedly rushing $6 billion in Ukraine aid before Trump takes office",
         "2024-11-07T14:30:00-05:00", None, ("Daniel Okafor",)),
        (page("world/sarn-drought-deal.html"), "harbourtimes-2024-11-06-0351",
         "Provinces agree emergency water-sharing deal as the Sarn hits a record low",
         "2024-11-06T09:15:00+00:00", None, ("Tomas Lindqvist", "Hana Novak")),
        (page("politics/port-strike.html"), "harbourtimes-2024-11-05-0329",
         "Dockworkers reject wage offer as port strike enters its second week",
         "2024-11-05T17:45:00-05:00", None, ("Owen Carrick",)),
    ]


def test_the_business_rss_feed_and_its_entry_without_a_date() -> None:
    feed = parse_file(FEEDS / "harbour-times-business.rss")

    assert (feed.version, feed.title, feed.site_url, feed.warning) == (
        "rss20", "The Harbour Times | Business & Science",
        "https://www.harbourtimes.example/business/", None)
    assert rows(feed) == [
        (page("business/coffee-prices.html"), "harbourtimes-2024-11-08-0402",
         "Coffee roasters warn of price rises as bean costs hit a record",
         "2024-11-08T10:20:00+00:00", None, ()),
        (page("world/sarn-drought-deal.html"), "harbourtimes-2024-11-06-0351",
         "Provinces agree emergency water-sharing deal as the Sarn hits a record low",
         "2024-11-06T09:15:00+00:00", None, ()),
        (page("business/anchorline-ferry-order.html"), "harbourtimes-2024-11-04-0296",
         "Kingsmouth shipyard wins $1.4 billion ferry order, securing 900 jobs",
         "2024-11-04T16:00:00+00:00", None, ()),
        # the feed gives no pubDate for this one: no date is made up
        (page("science/comet-outburst.html"), "harbourtimes-2024-11-03-0277",
         "Amateur astronomers help catch a comet’s sudden outburst", None, None, ()),
    ]


def test_the_atom_feed() -> None:
    feed = parse_file(FEEDS / "riverside-ledger.atom")

    assert (feed.version, feed.title, feed.site_url, feed.warning) == (
        "atom10", "The Riverside Ledger", "https://www.riversideledger.example/", None)
    assert rows(feed) == [
        (page("city/eastgate-housing-vote.html"), "tag:riversideledger.example,2024:post-48213",
         "Council approves 1,200 homes on old Eastgate rail yard after seven-hour meeting",
         "2024-11-13T06:30:00-05:00", "2024-11-13T09:05:00-05:00", ("Lucia Ferreira",)),
        (page("city/free-weekend-buses.html"), "tag:riversideledger.example,2024:post-48190",
         "Riverside to trial free weekend buses from January",
         "2024-11-11T12:05:00-05:00", "2024-11-11T12:05:00-05:00", ("Lucia Ferreira",)),
        (page("city/wend-flood-warning.html"), "tag:riversideledger.example,2024:post-48167",
         "Flood warning for the lower Wend as storm brings heavy rain",
         "2024-11-10T10:15:00-05:00", "2024-11-10T16:40:00-05:00", ("Ben Haldane",)),
    ]


@pytest.mark.parametrize("name", sorted(p.name for p in FEEDS.iterdir()))
def test_every_sample_link_leads_to_a_sample_page(name: str) -> None:
    links = [entry.link for entry in parse_file(FEEDS / name).entries]

    assert links, f"{name} has no entries"
    for link in links:
        parts = urlsplit(link)
        assert (parts.scheme, parts.netloc) == ("file", "")
        assert Path(url2pathname(parts.path)).parent.parent == PAGES
        assert Path(url2pathname(parts.path)).is_file(), f"{name} links to a missing page {link}"


def test_relative_links_are_resolved_against_an_http_feed_url() -> None:
    content = rss("".join(item(link, guid=str(n)) for n, link in enumerate([
        "/world/a.html", "b.html", "../c.html", "//cdn.example/d.html", "https://other.example/e",
        " https://news.example/padded.html ",
    ])))

    links = [e.link for e in parse_feed(content, "https://news.example/feeds/world.xml").entries]

    assert links == [
        "https://news.example/world/a.html",
        "https://news.example/feeds/b.html",
        "https://news.example/c.html",
        "https://cdn.example/d.html",
        "https://other.example/e",
        "https://news.example/padded.html",
    ]


def test_an_atom_xml_base_wins_over_the_feed_url() -> None:
    content = b"""<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://news.example/blog/">
      <title>Blog</title>
      <entry><id>1</id><title>One</title><link rel="alternate" href="post-1.html"/></entry>
    </feed>"""

    assert only_entry(content, "https://feeds.example/blog.atom").link == (
        "https://news.example/blog/post-1.html")


def test_the_alternate_link_is_the_article_not_an_enclosure() -> None:
    content = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title>
      <entry><id>1</id><title>One</title>
        <link rel="enclosure" type="audio/mpeg" href="https://cdn.example/one.mp3"/>
        <link rel="alternate" type="text/html" href="https://news.example/one.html"/>
      </entry></feed>"""

    assert only_entry(content).link == "https://news.example/one.html"


def test_entries_whose_link_newsetl_must_not_fetch_are_left_out() -> None:
    content = rss("".join([
        item("javascript:alert(1)", guid="script"),
        item("mailto:desk@news.example", guid="mail"),
        item("file:///etc/passwd", guid="local-file"),
        item("file://localhost/etc/hosts", guid="local-file-via-localhost"),
        item("http://example.c[o.test/", guid="unclosed-ipv6-bracket"),
        item("", guid="no-link"),
        item("https://news.example/kept.html", guid="kept"),
    ]))

    feed = parse_feed(content, "https://news.example/feed.xml")

    assert [(e.guid, e.link) for e in feed.entries] == [("kept", "https://news.example/kept.html")]


def test_a_local_feed_may_link_to_local_files(tmp_path: Path) -> None:
    feed_file = tmp_path / "feeds" / "local.rss"

    entry = only_entry(rss(item("../pages/a.html", guid="a")), feed_file.as_uri())

    assert entry.link == (tmp_path / "pages" / "a.html").as_uri()


def test_bytes_that_name_a_local_file_are_not_read_as_that_file() -> None:
    # feedparser opens a str or bytes argument that names a file; the fetched bytes of a remote
    # feed must never make newsetl parse a local file instead
    local = str(FEEDS / "harbour-times.rss").encode()

    with pytest.raises(FeedParseError):
        parse_feed(local, "https://remote.example/feed.xml")


def test_entries_are_one_per_link_and_a_shared_guid_loses_none() -> None:
    # issue 14: five entries sharing one GUID with different links kept one, dropping four
    content = rss("".join([
        item("https://news.example/1.html", guid="g1", title="first"),
        item("https://news.example/1-again.html", guid="g1", title="same guid"),
        item("https://news.example/2.html", guid="g2", title="second"),
        item("https://news.example/2.html", guid="g3", title="same link"),
        *(item(f"https://news.example/{n}.html", guid="https://news.example/", title=f"t{n}")
          for n in range(3, 8)),
    ]))

    feed = parse_feed(content, "https://news.example/feed.xml")

    assert [(e.link, e.guid, e.title) for e in feed.entries] == [
        ("https://news.example/1.html", "g1", "first"),
        ("https://news.example/1-again.html", "g1", "same guid"),
        ("https://news.example/2.html", "g2", "second"),
        *((f"https://news.example/{n}.html", "https://news.example/", f"t{n}")
          for n in range(3, 8)),
    ]


def test_an_entry_without_a_guid_takes_its_link_as_guid() -> None:
    assert only_entry(rss(item("https://news.example/1.html"))).guid == (
        "https://news.example/1.html")


@pytest.mark.parametrize("text, expected", [
    ("Fri, 08 Nov 2024 15:40:00 -0500", "2024-11-08T15:40:00-05:00"),
    ("Fri, 08 Nov 2024 15:40:00 +0530", "2024-11-08T15:40:00+05:30"),
    ("Fri, 08 Nov 2024 15:40:00 GMT", "2024-11-08T15:40:00+00:00"),
    ("Fri, 08 Nov 2024 15:40:00 EST", "2024-11-08T15:40:00-05:00"),
    ("Fri, 08 Nov 2024 15:40:00 -0000", "2024-11-08T15:40:00+00:00"),
    ("2024-11-08T15:40:00-05:00", "2024-11-08T15:40:00-05:00"),
    ("2024-11-08T15:40:00.250+01:00", "2024-11-08T15:40:00.250000+01:00"),
    ("2024-11-08T15:40:00Z", "2024-11-08T15:40:00+00:00"),
    ("2024-11-08T15:40:00", "2024-11-08T15:40:00+00:00"),
    ("2024-11-08 15:40:00", "2024-11-08T15:40:00+00:00"),
    ("2024-11-08", "2024-11-08T00:00:00+00:00"),
    ("yesterday", None),
    ("9999-12-31T23:59:59-01:00", None),
    ("Fri, 08 Nov 1850 15:40:00 GMT", None),
], ids=[
    "rfc822_negative_offset", "rfc822_half_hour_offset", "rfc822_gmt", "rfc822_named_zone",
    "rfc822_unknown_zone_as_utc", "iso8601_offset", "iso8601_fraction", "iso8601_z",
    "iso8601_naive_as_utc", "iso8601_space_naive_as_utc", "date_only_as_utc_midnight",
    "not_a_date", "year_out_of_range_once_in_utc", "before_1900",
])
def test_dates_keep_their_utc_offset(text: str, expected: str | None) -> None:
    entry = only_entry(rss(item("https://news.example/1.html", more=f"<pubDate>{text}</pubDate>")))

    assert (iso(entry.published), entry.updated) == (expected, None)


def test_updated_is_only_what_the_feed_says_was_updated() -> None:
    # feedparser answers a missing "updated" with the "published" value
    content = rss(item("https://news.example/1.html",
                       more="<pubDate>Fri, 08 Nov 2024 15:40:00 -0500</pubDate>")
                  + item("https://news.example/2.html", more="<dc:date>2024-11-09T08:00:00+01:00"
                         "</dc:date>"), 'xmlns:dc="http://purl.org/dc/elements/1.1/"')

    feed = parse_feed(content, "https://news.example/feed.xml")

    assert [(iso(e.published), iso(e.updated)) for e in feed.entries] == [
        ("2024-11-08T15:40:00-05:00", None),
        (None, "2024-11-09T08:00:00+01:00"),
    ]


def test_an_entry_with_several_authors_lists_them_all() -> None:
    content = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title>
      <entry><id>1</id><title>One</title><link href="https://news.example/one.html"/>
        <author><name>Tomas Lindqvist</name></author>
        <author><name> Hana   Novak </name><email>hana@news.example</email></author>
      </entry></feed>"""

    assert only_entry(content).authors == ("Tomas Lindqvist", "Hana Novak")


def test_the_entry_hash_changes_with_what_the_feed_says_about_the_entry() -> None:
    def entry(title: str, date: str) -> FeedEntry:
        return only_entry(rss(item("https://news.example/1.html", guid="1", title=title,
                                   more=f"<pubDate>{date}</pubDate>")))

    first = entry("Budget passes", "Fri, 08 Nov 2024 15:40:00 -0500")

    assert entry("Budget passes", "Fri, 08 Nov 2024 15:40:00 -0500").entry_hash == first.entry_hash
    assert entry("Budget passes, barely", "Fri, 08 Nov 2024 15:40:00 -0500").entry_hash != (
        first.entry_hash)
    assert entry("Budget passes", "Fri, 08 Nov 2024 16:40:00 -0500").entry_hash != first.entry_hash


@pytest.mark.parametrize("content, version, site_url", [
    (b'<rss version="2.0"><channel><title>Quiet</title><link>https://quiet.example/</link>'
     b"</channel></rss>", "rss20", "https://quiet.example/"),
    (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>Quiet</title></feed>', "atom10", ""),
    (b'{"version": "https://jsonfeed.org/version/1.1", "title": "Quiet", "items": []}',
     "json11", ""),
], ids=["rss", "atom_without_a_site_link", "json_feed"])
def test_a_valid_feed_without_entries_has_an_empty_tuple(content: bytes, version: str,
                                                         site_url: str) -> None:
    url = "https://quiet.example/feed"

    assert parse_feed(content, url) == ParsedFeed(
        url=url, version=version, title="Quiet", site_url=site_url, entries=(), warning=None)


@pytest.mark.parametrize("content", [
    b"",
    b"   \n",
    b"\x89PNG\r\n\x1a\n\x00\x00 binary",
    b"<html><body><p>Not a feed</p></body></html>",
    b'<?xml version="1.0"?><opml version="2.0"><body/></opml>',
    b"{not json",
    b'{"version": "1", "items": []}',
    b"\xff\xfe\xfa garbage",
], ids=["empty", "white_space", "png", "html_page", "opml", "broken_json", "json_not_a_feed",
        "undecodable_bytes"])
def test_bytes_that_hold_no_feed_raise_feed_parse_error_naming_the_url(content: bytes) -> None:
    url = "https://broken.example/feed.xml"

    with pytest.raises(FeedParseError) as caught:
        parse_feed(content, url)

    assert caught.value.url == url
    assert str(caught.value).startswith(f"feed {url} could not be parsed: ")


def test_an_ill_formed_feed_that_still_has_entries_carries_a_warning() -> None:
    content = rss(item("https://news.example/1.html")).replace(b"</channel></rss>", b"")

    feed = parse_feed(content, "https://news.example/feed.xml")

    assert [e.link for e in feed.entries] == ["https://news.example/1.html"]
    assert feed.warning is not None and feed.warning.startswith("SAXParseException: ")


def test_a_json_feed() -> None:
    content = b"""{
      "version": "https://jsonfeed.org/version/1.1",
      "title": "Riverside  Ledger",
      "home_page_url": "https://www.riversideledger.example/",
      "items": [
        {"id": "48213", "url": "/city/eastgate.html", "title": "Council approves 1,200 homes",
         "date_published": "2024-11-13T06:30:00-05:00",
         "date_modified": "2024-11-13T09:05:00-05:00",
         "authors": [{"name": "Lucia Ferreira"}, {"name": "Ben Haldane"}],
         "summary": "The largest scheme in a generation."},
        {"id": 48190, "external_url": "https://buses.example/free",
         "title": "Free weekend buses", "author": {"name": "Lucia Ferreira"}},
        {"id": "no-url", "title": "Nothing to fetch"}
      ]
    }"""

    feed = parse_feed(content, "https://www.riversideledger.example/feed.json")

    assert (feed.version, feed.title, feed.site_url, feed.warning) == (
        "json11", "Riverside Ledger", "https://www.riversideledger.example/", None)
    assert rows(feed) == [
        ("https://www.riversideledger.example/city/eastgate.html", "48213",
         "Council approves 1,200 homes", "2024-11-13T06:30:00-05:00",
         "2024-11-13T09:05:00-05:00", ("Lucia Ferreira", "Ben Haldane")),
        ("https://buses.example/free", "48190", "Free weekend buses", None, None,
         ("Lucia Ferreira",)),
    ]
    assert feed.entries[0].summary == "The largest scheme in a generation."


@pytest.fixture(scope="module")
def feedparser_tests() -> Path:
    if not FEEDPARSER_TESTS.is_dir():
        pytest.skip("../shared/data/feedparser-tests not found: "
                    "these tests read third-party feeds from there")
    return FEEDPARSER_TESTS


def comment(data: bytes) -> str:
    """The file as text, enough to read its comment block (README: "Reading the comment")."""
    for bom, codec in ((b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
                       (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le")):
        if data.startswith(bom):
            return data[len(bom):].decode(codec, "ignore")
    for start, codec in ((b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
                         (b"\x00<\x00?", "utf-16-be"), (b"<\x00?\x00", "utf-16-le")):
        if data.startswith(start):
            return data.decode(codec, "ignore")
    return data.decode("utf-8", "ignore")


def expectation(data: bytes) -> str:
    found = re.search(r"Expect:\s*(.*?)\s*-->", comment(data), re.S)
    assert found, "the file states no Expect: line"
    return found.group(1)


def declared_headers(data: bytes) -> dict[str, str]:
    """The HTTP headers upstream serves the file with (its "Header:" lines)."""
    return dict(re.findall(r"^\s*Header:\s*([\w-]+):\s*(.*?)\s*$", comment(data), re.M))


def parse_third_party(root: Path, name: str, data: bytes | None = None) -> ParsedFeed:
    """Parse a file as if fetched from where upstream serves it, with its declared headers."""
    data = (root / name).read_bytes() if data is None else data
    return parse_feed(data, f"http://127.0.0.1:8097/{name}", declared_headers(data))


SAMPLE = [
    "wellformed/rss/item_link.xml",
    "wellformed/rss/item_guid_map_link.xml",
    "wellformed/rss/item_guid_isPermaLink_ValueError.xml",
    "wellformed/rss/item_guid_not_permalink_not_url.xml",
    "wellformed/rss/item_multiple_dc_creator.xml",
    "wellformed/rss/item_fullitem.xml",
    "wellformed/rss/item_enclosure_multiple.xml",
    "wellformed/rss/rss_version_20.xml",
    "wellformed/rss/item_pubDate.xml",
    "wellformed/atom/entry_published_parsed.xml",
    "wellformed/atom/entry_updated_multiple_values.xml",
    "wellformed/atom/feed_updated_parsed.xml",
    "wellformed/rdf/rdf_item_link.xml",
    "wellformed/rdf/rdf_item_rdf_about.xml",
    "wellformed/rdf/rss_version_10.xml",
    "wellformed/rdf/rss090_item_title.xml",
    "wellformed/http/headers_content_location-unsafe.xml",
    "encoding/utf-16le-bom.xml",
    "encoding/utf-32be-autodetect.xml",
    "encoding/utf-8-bom.xml",
    "encoding/http_text_xml_charset_overrides_encoding.xml",
    "encoding/euc-kr-item.xml",
    "encoding/big5.xml",
    "encoding/bozo_linenoise.xml",
    "encoding/bozo_encoding_mismatch_crash.xml",
    "illformed/rss_incomplete_cdata.xml",
    "illformed/rss_item_link_corrupted_ampersands.xml",
    "illformed/undeclared_namespace.xml",
    "illformed/rss_empty_document.xml",
    "illformed/http_high_bit_date.xml",
    "illformed/chardet/koi8r.xml",
    "illformed/chardet/shiftjis.xml",
    "json/example.json",
    "compression/gzip.gz",
]


@pytest.mark.parametrize("name", SAMPLE)
def test_a_third_party_feed_parses_or_raises_feed_parse_error(feedparser_tests: Path,
                                                              name: str) -> None:
    try:
        feed = parse_third_party(feedparser_tests, name)
    except FeedParseError:
        assert not name.startswith("wellformed/"), f"{name} is well-formed but was not parsed"
        return
    if name.startswith("wellformed/"):
        assert feed.warning is None
    for entry in feed.entries:
        parts = urlsplit(entry.link)
        assert parts.scheme in ("http", "https") and parts.netloc, f"{entry.link!r} is relative"


def test_every_third_party_file_parses_or_raises_feed_parse_error(feedparser_tests: Path) -> None:
    files = sorted(p for p in feedparser_tests.rglob("*") if p.is_file())
    unexpected = []
    for path in files:
        try:
            parse_third_party(feedparser_tests, path.relative_to(feedparser_tests).as_posix())
        except FeedParseError:
            pass
        except Exception as error:  # noqa: BLE001 - what this test looks for
            unexpected.append((path.relative_to(feedparser_tests).as_posix(), repr(error)))

    # the folder's README: 360 data files (the LICENSE one of them), and the README itself
    assert len(files) == 361
    assert unexpected == []


LINK_FILES = [
    "wellformed/rss/item_link.xml",
    "wellformed/rss/item_guid_map_link.xml",
    "wellformed/rss/item_guid_isPermaLink_map_link.xml",
    "wellformed/rss/item_guid_conflict_link.xml",
    "wellformed/rss/item_guid_isPermaLink_conflict_link.xml",
    "wellformed/rss/item_guid_not_permalink_conflict_link.xml",
    "wellformed/rss/item_image_link_conflict.xml",
    "wellformed/rdf/rdf_item_link.xml",
    "illformed/rss_item_link_corrupted_ampersands.xml",
]


@pytest.mark.parametrize("name", LINK_FILES)
def test_the_entry_link_is_the_one_the_file_expects(feedparser_tests: Path, name: str) -> None:
    expected = re.search(r"entries\[0\](?:\['link'\]|\.link) == '([^']*)'",
                         expectation((feedparser_tests / name).read_bytes()))
    assert expected, f"{name}: no link expectation"

    assert parse_third_party(feedparser_tests, name).entries[0].link == expected.group(1)


DATE_FILES = [
    "wellformed/rss/item_pubDate_map_updated_parsed.xml",
    "wellformed/rss/item_dcterms_issued_parsed.xml",
    "wellformed/rss/item_dcterms_created_parsed.xml",
    "wellformed/rss/item_dc_date_parsed.xml",
    "wellformed/rss/item_dcterms_modified_parsed.xml",
    "wellformed/atom/entry_published_parsed.xml",
    "wellformed/atom/entry_issued_parsed.xml",
    "wellformed/atom/entry_published_parsed_date_overwriting.xml",
    "wellformed/atom/entry_created_parsed.xml",
    "wellformed/atom/entry_created_multiple_values.xml",
    "wellformed/atom/entry_updated_parsed.xml",
    "wellformed/atom/entry_updated_multiple_values.xml",
    "wellformed/atom/entry_modified_map_updated_parsed.xml",
]


@pytest.mark.parametrize("name", DATE_FILES)
def test_the_entry_date_is_the_one_the_file_expects(feedparser_tests: Path, name: str) -> None:
    data = (feedparser_tests / name).read_bytes()
    # e.g. "not bozo and entries[0]['published_parsed'] == (2003, 12, 31, 10, 14, 55, 2, 365, 0)"
    expected = re.search(r"entries\[0\]\['(published|updated|created)_parsed'\] == \(([\d, ]+)\)",
                         expectation(data))
    assert expected, f"{name}: no entry date expectation"
    key, fields = expected.group(1), [int(f) for f in expected.group(2).split(",")]
    when = dt.datetime(*fields[:6], tzinfo=dt.UTC)
    # these entries have no link, and parse_feed keeps only entries it can fetch: give them one
    linked = re.sub(rb"<(item|entry)>", rb'<\1><link rel="alternate" href="http://example.com/1"/>',
                    data, count=1)
    assert linked != data, f"{name}: no <item> or <entry> to link"

    [entry] = parse_third_party(feedparser_tests, name, linked).entries

    # parse_feed takes a "created" date as published when the entry gives no published date
    assert (entry.published, entry.updated) == (
        (None, when) if key == "updated" else (when, None))
