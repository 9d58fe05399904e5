"""Title, authors, date and outlet of a page, and where each came from; decoding. Pages and
texts written for these tests."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from newsetl.extract.article import decode_html, extract_article
from tests.extract.newspage import article_ld, news_page

STORY = [
    "The harbour authority said on Monday that the new breakwater would be finished a year "
    "late, after storms damaged the first section twice during the winter.",
    "Engineers have redesigned the concrete blocks so that they interlock, and the contractor "
    "has agreed to pay for the repairs, according to the authority's annual report.",
    "Fishing crews who moor inside the old wall said the delay would cost them another season "
    "of torn nets, and asked the council for a temporary barrier.",
]
URL = "https://www.harbourtimes.example/news/2024/11/07/breakwater-late"


def page_of(**options: Any):
    return extract_article(news_page(STORY, **options).encode("utf-8"), URL)


def test_the_article_objects_date_wins_over_earlier_dates_of_its_images_and_videos() -> None:
    # htmldate with original_date takes the earliest datePublished in the JSON-LD, which can be
    # a photo's or a video's, a day or more before the article
    ld = article_ld("Breakwater a year late", "2024-11-07T06:30:00+01:00",
                    image={"@type": "ImageObject", "url": "https://img.example/1.jpg",
                           "datePublished": "2024-11-05T18:00:00+01:00"},
                    video={"@type": "VideoObject", "name": "The storm",
                           "datePublished": "2024-11-06T09:00:00+01:00"})

    page = page_of(title="Breakwater a year late", linked_data=ld)

    assert (page.date, page.date_source) == (dt.date(2024, 11, 7), "json-ld")


def test_the_date_is_the_publishers_day_as_written() -> None:
    # 00:30 in Tokyo is the previous day in UTC; the publisher's day is the one written
    ld = article_ld("防波堤の完成、１年遅れ", "2024-11-08T00:30:00+09:00")
    assert page_of(title="x", linked_data=ld).date == dt.date(2024, 11, 8)


def test_the_article_is_found_in_a_graph_and_as_a_pages_main_entity() -> None:
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "@id": "https://www.harbourtimes.example/#site",
         "name": "Harbour Times"},
        {"@type": "ImageObject", "datePublished": "2024-10-01"},
        {"@type": "Article", "headline": "Breakwater a year late",
         "datePublished": "2024-11-07T06:30:00Z",
         "author": [{"@id": "https://www.harbourtimes.example/#/person/okafor"}]},
        {"@type": "Person", "@id": "https://www.harbourtimes.example/#/person/okafor",
         "name": "Daniel Okafor"},
    ]}
    nested = {"@context": "https://schema.org", "@type": "WebPage", "mainEntity": article_ld(
        "Breakwater a year late", "2024-11-07", authors={"@type": "Person", "name": "Ana Ruiz"})}

    in_graph = page_of(title="x", linked_data=graph)
    in_page = page_of(title="x", linked_data=nested)

    assert (in_graph.date, in_graph.authors, in_graph.site_name) == (
        dt.date(2024, 11, 7), ("Daniel Okafor",), "Harbour Times")
    assert (in_page.date, in_page.authors) == (dt.date(2024, 11, 7), ("Ana Ruiz",))


def test_without_json_ld_the_date_comes_from_htmldate() -> None:
    page = page_of(title="Breakwater a year late",
                   meta={"article:published_time": "2024-11-07T06:30:00+01:00"})
    assert (page.date, page.date_source) == (dt.date(2024, 11, 7), "htmldate")


def test_broken_or_wrapped_json_ld_is_read_or_skipped() -> None:
    ld = article_ld("Breakwater a year late", "2024-11-07")
    wrapped = news_page(STORY, title="x").replace(
        "</head>", '<script type="application/ld+json">{"@type": "NewsArticle", broken</script>'
        f'<script type="application/ld+json">//<![CDATA[\n{json.dumps(ld)}\n//]]></script></head>')
    page = extract_article(wrapped, URL)
    assert (page.title, page.date) == ("Breakwater a year late", dt.date(2024, 11, 7))


def test_the_title_keeps_the_pages_own_characters_while_the_body_is_folded() -> None:
    # the dated format folds the body's quotes to ASCII; metadata keeps what the page wrote
    headline = "Hafen: „Wir brauchen noch einen Winter“ – der Wellenbrecher verzögert sich"
    quoted = ["Der Ingenieur sagte: „Wir brauchen noch einen Winter, dann ist der Wellenbrecher "
              "fertig und getestet.“ Die Hafenbehörde bestätigte die Verzögerung am Montag."]
    ld = article_ld(headline, "2024-11-07")
    page = extract_article(news_page(quoted, title=f"{headline} | Hafenzeitung", lang="de",
                                     linked_data=ld), URL)

    assert (page.title, page.title_source) == (headline, "json-ld")
    assert page.paragraphs == ('Der Ingenieur sagte: "Wir brauchen noch einen Winter, dann ist '
                               'der Wellenbrecher fertig und getestet." Die Hafenbehörde '
                               "bestätigte die Verzögerung am Montag.",)


@pytest.mark.parametrize(("meta_title", "site"), [
    ("Breakwater a year late | Harbour Times", "Harbour Times"),
    ("Breakwater a year late - Harbour Times", "Harbour Times"),
    ("Harbour Times – Breakwater a year late", "Harbour Times"),
    ("Breakwater a year late · harbourtimes.example", ""),
    ("Breakwater a year late | News | Harbour Times", "Harbour Times"),
])
def test_the_site_name_is_stripped_from_a_meta_title(meta_title: str, site: str) -> None:
    meta = {"og:title": meta_title, **({"og:site_name": site} if site else {})}
    page = page_of(title=meta_title, headline="Breakwater a year late", meta=meta)
    expected = "Breakwater a year late | News" if "News" in meta_title else "Breakwater a year late"
    assert (page.title, page.title_source) == (expected, "meta")


def test_a_japanese_title_loses_its_full_width_site_suffix_and_keeps_its_brackets() -> None:
    title = "港湾局「防波堤は１年遅れ」　冬の嵐で損傷"
    page = extract_article(news_page(STORY, title=f"{title}：港湾新聞", lang="ja",
                                     meta={"og:site_name": "港湾新聞",
                                           "og:title": f"{title}：港湾新聞"}), URL)
    assert page.title == "港湾局「防波堤は１年遅れ」 冬の嵐で損傷"  # white space collapsed


def test_the_headline_without_a_section_label_the_meta_title_leaves_out() -> None:
    ld = article_ld("Breakwater a year late | Politics", "2024-11-07")
    page = page_of(title="x", meta={"og:title": "Breakwater a year late"}, linked_data=ld)
    assert page.title == "Breakwater a year late"


def test_a_headline_cut_short_gives_way_to_the_whole_meta_title() -> None:
    whole = "Breakwater a year late as storms damage the first section twice in one winter"
    ld = article_ld("Breakwater a year late as storms damage the first...", "2024-11-07")
    page = page_of(title="x", meta={"og:title": whole}, linked_data=ld)
    assert (page.title, page.title_source) == (whole, "meta")


def test_without_metadata_the_title_comes_from_the_pages_markup() -> None:
    page = page_of(title="Breakwater a year late")
    assert (page.title, page.title_source) == ("Breakwater a year late", "html")


@pytest.mark.parametrize(("authors", "expected"), [
    ([{"@type": "Person", "name": "Ana Ruiz"}, {"@type": "Person", "name": "Daniel Okafor"}],
     ("Ana Ruiz", "Daniel Okafor")),
    ({"@type": "Person", "name": "Ana Ruiz and Daniel Okafor"}, ("Ana Ruiz", "Daniel Okafor")),
    ({"@type": "Person", "name": "Ingrid Solberg og Per Hansen"}, ("Ingrid Solberg", "Per Hansen")),
    ("Jonas Becker und Lea Wagner", ("Jonas Becker", "Lea Wagner")),
    ([{"@type": "Person", "name": "Redakteurin Lea Wagner"}], ("Lea Wagner",)),
    ([{"@type": "Person", "name": "Ana Ruiz (aru)"},
      {"@type": "Organization", "name": "Harbour Times"}], ("Ana Ruiz",)),
    ([{"@type": "Person", "name": "https://www.facebook.com/harbourtimes"},
      {"@type": "Person", "name": "By Daniel Okafor"}], ("Daniel Okafor",)),
])
def test_json_ld_authors_are_cleaned(authors: object, expected: tuple[str, ...]) -> None:
    ld = article_ld("Breakwater a year late", "2024-11-07", authors=authors,
                    publisher="Harbour Times")
    page = page_of(title="x", linked_data=ld, meta={"author": "Someone Else"})
    assert (page.authors, page.authors_source) == (expected, "json-ld")


def test_an_outlet_named_alone_is_the_byline() -> None:
    ld = article_ld("Breakwater a year late", "2024-11-07",
                    authors={"@type": "Organization", "name": "Harbour Times"},
                    publisher="Harbour Times")
    page = page_of(title="x", linked_data=ld)
    assert (page.authors, page.authors_source) == (("Harbour Times",), "json-ld")


def test_the_page_names_the_people_when_json_ld_names_only_the_outlet() -> None:
    ld = article_ld("Breakwater a year late", "2024-11-07",
                    authors={"@type": "Organization", "name": "Harbour Times"},
                    publisher="Harbour Times")
    page = page_of(title="x", linked_data=ld, meta={"author": "Daniel Okafor"})
    assert (page.authors, page.authors_source) == (("Daniel Okafor",), "meta")


def test_authors_from_meta_tags_and_from_a_byline() -> None:
    meta = page_of(title="x", meta={"author": "Ana Ruiz, Daniel Okafor"})
    byline = page_of(title="x", byline="By Ingrid Solberg")
    assert (meta.authors, meta.authors_source) == (("Ana Ruiz", "Daniel Okafor"), "meta")
    assert (byline.authors, byline.authors_source) == (("Ingrid Solberg",), "html")


def test_valid_utf8_labelled_with_a_single_byte_charset_is_read_as_utf8() -> None:
    # a stale <meta charset> or HTTP label on a UTF-8 page gave "fÃ¼r" in title and text
    html = news_page(["Für die Fähre über den Fjord gilt ab Juni ein neuer Fahrplan, teilte die "
                      "Reederei am Montag mit; die Preise bleiben gleich."],
                     title="Neuer Fahrplan für die Fähre", lang="de", charset="iso-8859-1")
    body = html.encode("utf-8")

    page = extract_article(body, URL)
    labelled = extract_article(body, URL, charset="windows-1252")

    assert page.title == labelled.title == "Neuer Fahrplan für die Fähre"
    assert page.paragraphs[0].startswith("Für die Fähre über den Fjord")


def test_single_byte_text_is_still_read_in_its_charset() -> None:
    html = news_page(["x"], title="Café crème à la française", charset="iso-8859-1")
    assert "Café crème" in decode_html(html.encode("latin-1"))
    assert decode_html("Grüße".encode("cp1252"), "windows-1252") == "Grüße"
    assert decode_html("Grüße".encode("utf-16-le"), "utf-16-le") == "Grüße"
