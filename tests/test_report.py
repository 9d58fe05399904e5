"""newsetl report: pages from the warehouse, every link leading somewhere, article text marked
and escaped; the sample's report in a real headless Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from newsetl.flows.cli import main
from newsetl.flows.report import Mark, highlight
from newsetl.values import CONFIDENCE_THRESHOLD
from newsetl.warehouse import Warehouse
from newsetl.warehouse.entities import entity_id, entity_key
from tests.browser import browser_page
from tests.desk import add_doubtful_claim, write_small_warehouse

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOT = ROOT / "docs" / "report.png"


def page_of(name: str) -> str:
    """A person's page in the report: named by their entity's id, stable across reports."""
    return f"entities/{entity_id(entity_key(name, 'person', 'any article'))}.html"


ANA, TOM = page_of("Ana Ruiz"), page_of("Tom Reyes")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"] or "")


def parse(path: Path) -> _Links:
    links = _Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


@pytest.fixture
def report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
           capsys: pytest.CaptureFixture[str]) -> Path:
    monkeypatch.chdir(tmp_path)
    db = write_small_warehouse(tmp_path / "w.duckdb")
    assert main(["report", "--db", str(db), "--out", "report"]) == 0
    assert capsys.readouterr().out == (
        "report: 8 pages (2 voices, 3 articles) in report\n"
        f"  open {(tmp_path / 'report' / 'index.html').as_uri()}\n")
    return tmp_path / "report"


def test_every_link_leads_to_a_page_and_an_anchor(report: Path) -> None:
    pages = sorted(p.relative_to(report).as_posix() for p in report.rglob("*.html"))
    assert pages == sorted(["articles.html", "articles/00000000000000a1.html",
                            "articles/00000000000000a2.html", "articles/00000000000000a3.html",
                            "index.html", "voices.html", ANA, TOM])
    followed = 0
    for page in report.rglob("*.html"):
        for href in parse(page).hrefs:
            parts = urlsplit(href)
            if parts.scheme:  # the original article on the web
                assert parts.scheme in ("https", "http", "file"), href
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), f"{page.name}: {href}"
            if parts.fragment:
                assert parts.fragment in parse(target).ids, f"{page.name}: {href}"
            followed += 1
    assert followed > 40


def test_every_quote_and_claim_row_links_to_its_mark_in_the_article(report: Path) -> None:
    ana = report / ANA
    hrefs = [h for h in parse(ana).hrefs if h.startswith("../articles/")]
    # two quotes and one claim of hers, each to its own anchor
    assert sorted(hrefs) == ["../articles/00000000000000a1.html#claim-1",
                             "../articles/00000000000000a1.html#quote-1",
                             "../articles/00000000000000a2.html#quote-1"]


def test_article_text_is_escaped_and_marked(report: Path) -> None:
    page = (report / "articles" / "00000000000000a1.html").read_text(encoding="utf-8")
    assert "<ferry>" not in page and "&lt;ferry&gt;" in page
    assert "script" not in parse(report / "articles" / "00000000000000a1.html").tags
    assert '<span class="q" data-tip="Quote 1: Ana Ruiz (said)">We owe it to the island,' \
        '</span>' in page
    assert '<span class="who" data-tip="Quote 1: Ana Ruiz (said)">the mayor</span>' in page
    assert 'data-tip="Claim 2: Officials (said)"' in page
    assert "default-src 'none'" in page


def test_charts_come_from_the_warehouse(report: Path) -> None:
    index = (report / "index.html").read_text(encoding="utf-8")
    assert index.count('<svg class="chart"') == 5
    assert "<title>Ana Ruiz: 2</title>" in index  # two quotes of hers in the bars
    assert re.search(r"Tom Reyes, week of 2024-06-03: 1</title>", index)
    assert "3 articles from 2 outlets, 2024-05-06 to 2024-06-03: 3 quotes, 4 claims, " \
           "2 voices." in index


def test_since_and_until_narrow_the_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    db = write_small_warehouse(tmp_path / "w.duckdb")
    assert main(["report", "--db", str(db), "--out", "june", "--since", "2024-06"]) == 0
    assert capsys.readouterr().out.startswith("report: 5 pages (1 voices, 1 articles) in june")
    assert main(["report", "--db", str(db), "--out", "none", "--until", "2023"]) == 0
    assert "No articles in this range." in Path("none/index.html").read_text()


def test_entity_pages_show_the_name_type_and_aliases(report: Path) -> None:
    ana = (report / ANA).read_text(encoding="utf-8")
    assert "<h1>Ana Ruiz</h1>" in ana
    assert '<p class="muted">person · also written Mayor Ana Ruiz</p>' in ana
    assert "2 quotes and 1 claim in 2 articles of harbour.example, 2024-05-06 to 2024-05-20." \
        in ana
    assert '<p class="muted">person · also written Reyes</p>' in (report / TOM).read_text()
    # every voice links to its entity's page: the list, the charts, the tables, the articles
    assert [h for h in parse(report / "voices.html").hrefs if h.startswith("entities/")] == [
        ANA, TOM]
    index = parse(report / "index.html").hrefs
    assert index.count(ANA) == 4 and index.count(TOM) == 4  # two bars, two table rows
    assert f"../{ANA}" in parse(report / "articles" / "00000000000000a1.html").hrefs


def said_on_page(page: Path) -> dict[str, int]:
    """How many quotes and claims an entity's page lists (each row links to its mark)."""
    hrefs = parse(page).hrefs
    return {kind: sum(1 for h in hrefs if f"#{kind[:-1]}-" in h and h.startswith("../articles"))
            for kind in ("quotes", "claims")}


def counts_everywhere(db: Path, report: Path, capsys: pytest.CaptureFixture[str],
                      *options: str) -> list[dict]:
    """Per entity: what `newsetl who` counts, what its report page lists, and what the
    speakers and sources views count; the report written to ``report`` with ``options``."""
    assert main(["report", "--db", str(db), "--out", str(report), *options]) == 0
    capsys.readouterr()
    with Warehouse.open(db, read_only=True) as warehouse:
        entities = warehouse.query("""
            SELECT e.entity_id, e.name, coalesce(s.quotes, 0), coalesce(o.claims, 0)
            FROM entities e LEFT JOIN speakers s USING (entity_id)
            LEFT JOIN sources o USING (entity_id) ORDER BY e.entity_id""")[1]
    found = []
    for key, name, view_quotes, view_claims in entities:
        assert main(["who", name, "--json", "--db", str(db), *options]) == 0
        who = json.loads(capsys.readouterr().out)
        assert who["entity_id"] == key, f"{name} is another entity to who"
        page = report / "entities" / f"{key}.html"
        listed = said_on_page(page) if page.exists() else {"quotes": 0, "claims": 0}
        found.append({"name": name, "who": {k: who[k] for k in ("quotes", "claims", "below")},
                      "listed": listed, "views": {"quotes": view_quotes, "claims": view_claims},
                      "items": len(who["items"])})
    return found


def test_the_report_counts_what_who_and_the_views_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = write_small_warehouse(tmp_path / "w.duckdb")
    add_doubtful_claim(db)  # Ana Ruiz's claim at confidence 0.3: counted nowhere
    found = counts_everywhere(db, tmp_path / "report", capsys)
    assert {f["name"]: f["who"] for f in found} == {
        "Ana Ruiz": {"quotes": 2, "claims": 1, "below": 1},
        "Tom Reyes": {"quotes": 1, "claims": 1, "below": 0}}
    for f in found:
        counted = {"quotes": f["who"]["quotes"], "claims": f["who"]["claims"]}
        assert f["listed"] == f["views"] == counted, f
        assert f["items"] == sum(counted.values())
    # the doubtful claim is marked in its article, as not counted, and said so on her page
    article = (tmp_path / "report" / "articles" / "00000000000000a2.html").read_text()
    assert re.search(r'<span class="c low" data-tip="[^"]*Claim 2: Ana Ruiz \(claimed\), not '
                     r'counted: confidence 0\.30 is under 0\.5">the numbers were wrong', article)
    assert "<td>0.30 (not counted)</td>" in article
    assert "1 more quote or claim under confidence 0.5 is not counted" in (
        tmp_path / "report" / ANA).read_text()
    # a threshold of 0 counts it, in who and in the report alike
    everything = counts_everywhere(db, tmp_path / "all", capsys, "--min-confidence", "0")
    ana = next(f for f in everything if f["name"] == "Ana Ruiz")
    assert ana["who"] == {"quotes": 2, "claims": 2, "below": 0}
    assert ana["listed"] == {"quotes": 2, "claims": 2}


@pytest.mark.parametrize("confidence", [CONFIDENCE_THRESHOLD - 0.001, CONFIDENCE_THRESHOLD],
                         ids=["just_under_the_threshold", "at_the_threshold"])
def test_the_views_who_and_the_report_share_one_threshold(
    confidence: float, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = write_small_warehouse(tmp_path / "w.duckdb")
    add_doubtful_claim(db, confidence)
    ana = next(f for f in counts_everywhere(db, tmp_path / "report", capsys)
               if f["name"] == "Ana Ruiz")
    claims = 1 + (confidence >= CONFIDENCE_THRESHOLD)
    assert ana["views"] == ana["listed"] == {"quotes": 2, "claims": claims}
    assert ana["who"] == {"quotes": 2, "claims": claims, "below": 2 - claims}


def test_overlapping_marks_nest_in_one_span_each() -> None:
    text = "He said the plan is safe today."
    marks = [Mark(8, 24, ("c",), "Claim 1: X (said)", "claim-1"),
             Mark(12, 24, ("q",), "Quote 1: X (said)", "quote-1"),
             Mark(3, 7, ("cue",), "Claim 1: X (said)")]
    assert highlight(text, marks) == (
        'He <span class="cue" data-tip="Claim 1: X (said)">said</span> '
        '<a id="claim-1"></a><span class="c" data-tip="Claim 1: X (said)">the </span>'
        '<a id="quote-1"></a><span class="c q" data-tip="Claim 1: X (said)\nQuote 1: X (said)">'
        'plan is safe</span> today.')
    # marks outside the text (a stale offset) are left out, never raise
    assert highlight("short", [Mark(2, 99, ("q",), "t")]) == "short"


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory, prefect_harness: None) -> Path:
    """A folder where `newsetl ingest` of the bundled sample ran, as `make run` runs it."""
    from tests.conftest import SAMPLE

    folder = tmp_path_factory.mktemp("sample-run")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        assert main(["ingest", "--config", str(SAMPLE / "feeds.toml")]) == 0
    return folder


@pytest.mark.slow
def test_the_sample_report_counts_what_who_and_the_views_count(
    sample_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    found = counts_everywhere(sample_run / "data" / "news.duckdb", tmp_path / "report", capsys)
    assert len(found) > 20
    for f in found:
        counted = {"quotes": f["who"]["quotes"], "claims": f["who"]["claims"]}
        assert f["listed"] == f["views"] == counted, f
        assert f["items"] == sum(counted.values()), f
    # the sample has attributions under the threshold: they are the difference
    assert sum(f["who"]["below"] for f in found) > 0


@pytest.mark.slow
def test_the_sample_report_in_a_real_browser(sample_run: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(sample_run)
    assert main(["report"]) == 0
    index = sample_run / "data" / "report" / "index.html"
    assert capsys.readouterr().out.endswith(f"  open {index.as_uri()}\n")
    with browser_page(height=1450) as (page, problems):
        page.goto(index.as_uri())
        drawn = page.evaluate("""() => [...document.querySelectorAll('svg.chart')].map(svg => {
            const box = svg.getBoundingClientRect();
            const marks = [...svg.querySelectorAll('rect.bar, polyline.line')]
                .filter(m => m.getBoundingClientRect().width > 0);
            return [box.width > 0 && box.height > 0, marks.length];
        })""")
        assert len(drawn) == 5 and all(ok and marks > 0 for ok, marks in drawn), drawn
        shot = sample_run / "report.png"
        page.screenshot(path=str(shot), full_page=False)
        assert shot.stat().st_size > 20_000
        if os.environ.get("NEWSETL_UPDATE_DOCS"):  # the README's picture, on request only
            SCREENSHOT.parent.mkdir(exist_ok=True)
            shutil.copy(shot, SCREENSHOT)
        # from a speaker's bar to their page, and from a quote row to the article
        page.click("svg.chart a >> nth=0")
        assert page.locator("h1").inner_text() == "Ana Ruiz"
        page.click("section:has(h2:text('Quotes')) td a >> nth=0")
        assert re.search(r"/articles/[0-9a-f]{16}\.html#quote-\d+$", page.url)
        mark = page.locator(f"#{page.url.rsplit('#', 1)[1]} + span")
        mark.hover()
        tip = page.evaluate("e => getComputedStyle(e, '::after').content", mark.element_handle())
        assert "Ana Ruiz" in tip and "Quote" in tip
        for name in ("voices.html", "articles.html"):
            page.goto((index.parent / name).as_uri())
            assert page.locator("tbody tr").count() > 5
    assert problems == []
