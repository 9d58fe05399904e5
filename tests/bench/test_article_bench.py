"""bench.articles: the shingle metric on hand-made texts, the two corpora's readers on small
folders written here, and a whole run, with and without the data."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from bench.articles import main
from bench.pages import DataMissing, read_benchmark, read_news_pages
from bench.shingles import DocScore, score_corpus, score_text, shingles
from tests.conftest import shared_data
from tests.extract.newspage import article_ld, news_page

STORY = [
    "The harbour authority said on Monday that the new breakwater would be finished a year "
    "late, after storms damaged the first section twice during the winter.",
    "Engineers have redesigned the concrete blocks so that they interlock, and the contractor "
    "has agreed to pay for the repairs, according to the authority's annual report.",
]


def test_shingles_are_four_word_windows_of_word_runs_with_case_kept() -> None:
    assert shingles("One, two; three four five!") == {
        ("One", "two", "three", "four"): 1, ("two", "three", "four", "five"): 1}
    assert shingles("Only two") == {("Only", "two"): 1}
    assert shingles(" ... ") == {}
    # a run of Chinese characters is one token, as upstream tokenises
    assert shingles("港务局 宣布") == {("港务局", "宣布"): 1}


def test_score_text_counts_shingles_as_a_bag() -> None:
    gold = "a b c d e f"  # shingles abcd, bcde, cdef
    assert score_text(gold, "a b c d e f") == DocScore(tp=3, fp=0, fn=0)
    assert score_text(gold, "a b c d x") == DocScore(tp=1, fp=1, fn=2)
    assert score_text(gold, "") == DocScore(tp=0, fp=0, fn=3)


def test_corpus_scores_are_macro_averages_and_an_empty_prediction_costs_recall() -> None:
    perfect, half, empty = DocScore(4, 0, 0), DocScore(1, 1, 1), DocScore(0, 0, 4)

    result = score_corpus([perfect, half, empty])

    assert result.precision == pytest.approx((1 + 0.5) / 2)  # the empty one is left out
    assert result.recall == pytest.approx((1 + 0.5 + 0) / 3)
    assert result.f1 == pytest.approx(2 * 0.75 * 0.5 / 1.25)


def write_benchmark(folder: Path) -> Path:
    (folder / "html").mkdir(parents=True)
    truth = {}
    for n in range(2):
        page_id = f"{n:064x}"
        html = news_page(STORY, title=f"Story {n}", related=["Other story one", "Other story two"])
        (folder / "html" / f"{page_id}.html.gz").write_bytes(gzip.compress(html.encode()))
        truth[page_id] = {"articleBody": "\n\n".join(STORY), "url": f"https://news.example/{n}"}
    (folder / "ground-truth.json").write_text(json.dumps(truth))
    return folder


def write_news_pages(folder: Path) -> Path:
    (folder / "xx").mkdir(parents=True)
    index = []
    for n, lang in enumerate(("en", "de")):
        ld = article_ld(f"Headline {n}", "2024-11-07T08:00:00+01:00",
                        authors=[{"@type": "Person", "name": "Ana Ruiz"}])
        html = news_page(STORY, title=f"Headline {n} | Harbour Times", lang=lang, linked_data=ld)
        (folder / "xx" / f"P{n}_2024.html.gz").write_bytes(gzip.compress(html.encode()))
        expected = {"V1": {"title": f"Headline {n}", "authors": ["Ana Ruiz"],
                           "publishing_date": "2024-11-07 08:00:00+01:00",
                           "body": {"summary": [STORY[0]],
                                    "sections": [{"headline": [], "paragraphs": [STORY[1]]}]}}}
        (folder / "xx" / f"P{n}.json").write_text(json.dumps(expected))
        index.append({"html": f"xx/P{n}_2024.html.gz", "expected": f"xx/P{n}.json",
                      "expected_version": "V1", "country": "xx", "publisher": f"P{n}",
                      "language": lang, "url": f"https://news.example/p{n}"})
    (folder / "index.json").write_text(json.dumps(index))
    return folder


def test_the_readers_read_both_layouts(tmp_path: Path) -> None:
    bench = list(read_benchmark(write_benchmark(tmp_path / "b")))
    news = list(read_news_pages(write_news_pages(tmp_path / "n")))

    assert [p.body for p in bench] == ["\n\n".join(STORY)] * 2
    assert [(p.name, p.language, p.date, p.authors) for p in news] == [
        ("xx/P0", "en", "2024-11-07", ("Ana Ruiz",)), ("xx/P1", "de", "2024-11-07", ("Ana Ruiz",))]
    with pytest.raises(DataMissing):
        list(read_benchmark(tmp_path / "n"))


def test_a_run_scores_both_extractors_and_breaks_news_pages_down_by_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--benchmark", str(write_benchmark(tmp_path / "b")),
            "--news-pages", str(write_news_pages(tmp_path / "n")), "--json"]

    assert main(args) == 0

    result = json.loads(capsys.readouterr().out)
    assert result["benchmark"]["newsetl"]["f1"] == 1.0
    news = result["news_pages"]
    assert {k: news["newsetl"][k] for k in ("body_f1", "date", "title", "authors_equal",
                                            "rejected")} == {
        "body_f1": 1.0, "date": 1.0, "title": 1.0, "authors_equal": 1.0, "rejected": 0}
    assert news["trafilatura"]["pages"] == news["languages"]["en"]["trafilatura"]["pages"] * 2
    assert sorted(news["languages"]) == ["de", "en"]


def test_absent_data_is_skipped_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--benchmark", str(tmp_path / "none"), "--news-pages", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "benchmark skipped:" in err and "ground-truth.json" in err
    assert "news-pages skipped:" in err and "index.json" in err


def test_the_shared_corpora_are_whole() -> None:
    news = list(read_news_pages(shared_data("news-pages")))
    bench = list(read_benchmark(shared_data("article-extraction-benchmark")))
    assert (len(news), len({p.language for p in news}), len(bench)) == (124, 29, 181)
