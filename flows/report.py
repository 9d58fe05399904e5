"""The report: static HTML pages drawn from the warehouse, opened from file:// with no network.

An overview (who is quoted, who claims, quotes per week, voices by type and outlet, the newest
claims of the top sources), a page per entity (``entities/<entity_id>.html``: the name stays
across reports), and a page per article with every quote and claim marked in its text
(speaker or source and cue on hover). It counts what ``newsetl who`` and the ``speakers`` /
``sources`` views count (``newsetl.warehouse.voices``). Pages carry no script and a
Content-Security-Policy that loads nothing: article text from the web cannot run in them.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from newsetl.extract.dated import DATE_PREFIX
from newsetl.flows.charts import Bar, bars, lines
from newsetl.values import Said, SourceType
from newsetl.warehouse import Warehouse
from newsetl.warehouse import report as queries
from newsetl.warehouse.report import Scope

TOP = 15
"""voices in the overview's charts and tables"""
TOP_WEEKLY = 5
"""speakers drawn in the quotes-per-week chart"""
NEWEST = 3
"""newest claims shown per top source"""
SOURCE_TYPES = tuple(SourceType)
"""the parts of each outlet's claims bar"""

CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;
margin:0;background:#f6f7f9}
header{background:#1f2a3a;color:#fff;padding:10px 24px}header a{color:#fff;margin-right:18px}
main{max-width:1040px;margin:0 auto;padding:8px 24px 48px}
section{background:#fff;border:1px solid #dfe3e8;border-radius:6px;padding:4px 20px 16px;
margin:16px 0}h1{font-size:24px}h2{font-size:18px;margin:14px 0 6px}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:16px}.muted{color:#5b6474}
table{border-collapse:collapse;width:100%;font-size:14px}th,td{text-align:left;
padding:4px 8px;border-bottom:1px solid #eceff3;vertical-align:top}th{background:#f1f3f6}
td.n,th.n{text-align:right}td.d{white-space:nowrap}a{color:#1f5f99}svg.chart{max-width:100%;height:auto}
svg text{fill:#1d2330}svg .grid{stroke:#e3e6ea}
.text{white-space:pre-wrap;font:16px/1.7 Georgia,serif;max-width:70ch}
.q{background:#fde7c4}.c{background:#d6ebf7}.q.c{background:#e4dcf3}
.who{border-bottom:2px solid #b23a48}.cue{font-weight:bold}
.low{outline:1px dashed #8a93a3;outline-offset:1px}
[data-tip]{position:relative}[data-tip]:hover::after{content:attr(data-tip);position:absolute;
left:0;top:1.6em;z-index:9;background:#1f2a3a;color:#fff;font:13px/1.4 system-ui,sans-serif;
white-space:pre;padding:4px 8px;border-radius:4px}
.key span{padding:1px 6px;margin-right:8px}
"""
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@dataclass(frozen=True)
class ReportWritten:
    """Where the report went and how many pages it has."""

    index: Path
    pages: int
    voices: int
    articles: int


def write_report(warehouse: Warehouse, out: str | os.PathLike[str], scope: Scope,
                 generated: dt.datetime) -> ReportWritten:
    """Write the report's pages under ``out`` (replacing an earlier report there)."""
    out = Path(out)
    staging = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.tmp")
    (staging / "entities").mkdir(parents=True)
    (staging / "articles").mkdir()
    try:
        pages = _write_pages(warehouse, staging, scope, generated)
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return ReportWritten(out / "index.html", *pages)


def _write_pages(warehouse: Warehouse, out: Path, scope: Scope, generated: dt.datetime
                 ) -> tuple[int, int, int]:
    summary = queries.overview(warehouse, scope)
    voices = queries.voice_counts(warehouse, scope)
    files = {v["entity_id"]: entity_file(v["entity_id"]) for v in voices}
    (out / "index.html").write_text(
        overview_page(warehouse, scope, summary, files, generated), encoding="utf-8")
    (out / "voices.html").write_text(voices_page(voices, files, summary, scope),
                                     encoding="utf-8")
    quotes, claims = defaultdict(list), defaultdict(list)
    for row in queries.voice_quotes(warehouse, scope):
        quotes[row["voice_id"]].append(row)
    for row in queries.voice_claims(warehouse, scope):
        claims[row["voice_id"]].append(row)
    weeks = queries.weeks(warehouse, scope)
    for voice in voices:
        key = voice["entity_id"]
        (out / files[key]).write_text(
            entity_page(voice, quotes[key], claims[key], weeks, scope), encoding="utf-8")
    marks = defaultdict(list)
    for row in queries.article_marks(warehouse, scope):
        marks[row["article_id"]].append(row)
    articles = queries.articles(warehouse, scope)
    (out / "articles.html").write_text(articles_page(articles, summary), encoding="utf-8")
    for article in articles:
        (out / "articles" / f"{article['article_id']}.html").write_text(
            article_page(article, marks[article["article_id"]], files, scope),
            encoding="utf-8")
    return 3 + len(voices) + len(articles), len(voices), len(articles)


# pages


def overview_page(warehouse: Warehouse, scope: Scope, summary: dict[str, Any],
                  files: dict[str, str], generated: dt.datetime) -> str:
    """index.html: the charts and tables of the whole report."""
    speakers = queries.top_speakers(warehouse, scope, TOP)
    sources = queries.top_sources(warehouse, scope, TOP)
    weekly_ids = [s["voice_id"] for s in speakers[:TOP_WEEKLY]]
    names = {s["voice_id"]: s["voice"] for s in speakers}
    series: dict[str, dict[dt.date, int]] = {names[i]: {} for i in weekly_ids}
    for row in queries.weekly_quotes(warehouse, scope, weekly_ids):
        series[names[row["voice_id"]]][row["week"]] = row["quotes"]
    by_type = queries.claims_by_type(warehouse, scope)
    by_outlet = queries.voices_by_outlet(warehouse, scope)
    newest = queries.newest_claims(warehouse, scope, [s["voice_id"] for s in sources[:8]],
                                   NEWEST)
    body = [
        f"<h1>Who speaks in the news</h1><p class=\"muted\">{_scope_line(summary, scope)}"
        f" {_counting(scope)} Generated {generated.strftime('%Y-%m-%d %H:%M')} UTC by "
        "newsetl.</p>",
        '<div class="grid2">',
        _section("Who is quoted", bars(
            [Bar(s["voice"], (s["quotes"],), files[s["voice_id"]]) for s in speakers],
            title="Quotes per speaker"), "No quotes in this range."),
        _section("Who claims most", bars(
            [Bar(s["voice"], (s["claims"],), files[s["voice_id"]]) for s in sources],
            title="Claims per source"), "No claims with a named source in this range."),
        "</div>",
        _section(f"Quotes per week, top {len(series)} speakers",
                 lines(queries.weeks(warehouse, scope), series, title="Quotes per week"),
                 "No quotes in this range."),
        '<div class="grid2">',
        _section("Voices by type", bars(
            [Bar(t["source_type"], (t["claims"],)) for t in by_type],
            title="Claims per source type")
            + '<p class="muted">Claims by the type of their source; "none": hedged or '
              'unattributed.</p>', "No claims in this range."),
        _section("Voices by outlet", bars(
            [Bar(o["outlet"], (o["quotes"],) + tuple(o["claims"].get(t, 0)
                                                      for t in SOURCE_TYPES))
             for o in by_outlet], ("quotes",) + tuple(f"claims: {t}" for t in SOURCE_TYPES),
            title="Quotes and claims per outlet"), "No articles in this range."),
        "</div>",
        _section("Top speakers", _table(
            ["speaker", "type", "quotes", "articles", "outlets", "first", "last"],
            [[_a(files[s["voice_id"]], s["voice"]), s["voice_type"], s["quotes"], s["articles"],
              s["outlets"], s["first_date"], s["last_date"]] for s in speakers]), ""),
        _section("Newest claims of the top sources", _table(
            ["source", "date", "cue", "claim", "outlet"],
            [[_a(files[c["voice_id"]], c["voice"]), c["published_date"], _cue(c),
              _a(_article_href(c, Said.CLAIM), c["content"]), c["outlet"]] for c in newest]),
            "No claims with a named source in this range."),
    ]
    return _page("newsetl report", "".join(body), "")


def voices_page(voices: Sequence[dict[str, Any]], files: dict[str, str],
                summary: dict[str, Any], scope: Scope) -> str:
    """voices.html: every entity quoted or claiming, with what counts of theirs."""
    table = _table(["voice", "type", "quotes", "claims", "articles", "first", "last"],
                   [[_a(files[v["entity_id"]], v["name"]), v["type"], v["quotes"], v["claims"],
                     v["articles"], v["first_seen"], v["last_seen"]] for v in voices])
    return _page("Voices", f"<h1>Voices</h1><p class=\"muted\">{len(voices)} people and "
                 f"organisations; {_scope_line(summary, None)} {_counting(scope)}</p>"
                 f"<section>{table}</section>", "")


def articles_page(articles: Sequence[dict[str, Any]], summary: dict[str, Any]) -> str:
    """articles.html: every article, newest first."""
    table = _table(["date", "outlet", "title", "quotes", "claims"],
                   [[a["published_date"], a["outlet"],
                     _a(f"articles/{a['article_id']}.html", a["title"] or a["article_id"]),
                     a["quotes"], a["claims"]] for a in articles])
    return _page("Articles", f"<h1>Articles</h1><p class=\"muted\">"
                 f"{_scope_line(summary, None)}</p><section>{table}</section>", "")


def entity_page(entity: dict[str, Any], quotes: Sequence[dict[str, Any]],
                claims: Sequence[dict[str, Any]], weeks: Sequence[dt.date], scope: Scope) -> str:
    """An entity's page: its name, type and aliases, quotes and claims per week, then every
    quote and claim that counts."""
    name = entity["name"]
    series: dict[str, dict[dt.date, int]] = {"quotes": {}, "claims": {}}
    for kind, rows in (("quotes", quotes), ("claims", claims)):
        for row in rows:
            week = row["published_date"] - dt.timedelta(days=row["published_date"].weekday())
            series[kind][week] = series[kind].get(week, 0) + 1
    outlets = sorted({r["outlet"] for r in [*quotes, *claims]})
    aliases = [a for a in entity["aliases"] if a != name]
    below = entity["below"]
    left_out = (f" {_plural(below, 'more quote or claim', 'more quotes or claims')} under "
                f"confidence {scope.min_confidence:g} {'is' if below == 1 else 'are'} not "
                "counted (marked in their articles)." if below else "")
    first, last = entity["first_seen"], entity["last_seen"]
    dates = f"on {first}" if first == last else f"{first} to {last}"
    body = [
        f"<h1>{escape(name)}</h1><p class=\"muted\">{escape(entity['type'])}"
        + (f" · also written {escape(', '.join(aliases))}" if aliases else "") + "</p>"
        f"<p class=\"muted\">{_plural(entity['quotes'], 'quote')} and "
        f"{_plural(entity['claims'], 'claim')} in {_plural(entity['articles'], 'article')} "
        f"of {escape(', '.join(outlets))}, {dates}.{left_out}</p>",
        _section("Per week", lines(weeks, series, title=f"{name}: quotes and claims per week"),
                 ""),
        _section("Quotes", _table(["date", "outlet", "cue", "quote"], [
            [q["published_date"], q["outlet"], q["cue"] or "",
             _a("../" + _article_href(q, Said.QUOTE), q["text"])] for q in quotes]),
            "Not quoted in this range."),
        _section("Claims", _table(["date", "outlet", "cue", "claim"], [
            [c["published_date"], c["outlet"], _cue(c),
             _a("../" + _article_href(c, Said.CLAIM), c["content"])] for c in claims]),
            "No claims in this range."),
    ]
    return _page(name, "".join(body), "../")


def article_page(article: dict[str, Any], marks: Sequence[dict[str, Any]],
                 files: dict[str, str], scope: Scope) -> str:
    """An article: its text with every quote and claim marked, then both as tables."""
    text = article["text"]
    start = len(DATE_PREFIX) + 11 if text.startswith(DATE_PREFIX) else 0
    body = [
        f"<h1>{escape(article['title'] or article['article_id'])}</h1>"
        f"<p class=\"muted\">{article['published_date']} · {escape(article['outlet'])}"
        + (f" · {escape(', '.join(article['authors']))}" if article["authors"] else "")
        + f" · <a href=\"{escape(_safe_link(article['link']))}\">original</a></p>",
        '<p class="key"><span class="q">quote</span><span class="c">claim</span>'
        '<span class="who">speaker or source</span><span class="cue">cue</span>'
        f'<span class="low">not counted (confidence under {scope.min_confidence:g})</span>'
        '<span class="muted">hover a mark for who said it</span></p>',
        f'<section><div class="text">{highlight(text, _marks(marks, scope), start)}</div>'
        '</section>',
    ]
    rows = []
    for mark in marks:
        who = (_a(f"../{files[mark['voice_id']]}", mark["voice"])
               if mark["voice_id"] in files else escape(mark["voice"] or mark["mention"] or (
                   "(no speaker found)" if mark["kind"] == Said.QUOTE else "(no source)")))
        rows.append([mark["kind"], who, _cue(mark),
                     _a(f"#{mark['kind']}-{mark['seq']}", mark["text"]),
                     _confidence(mark["confidence"]) + ("" if mark["counts"] else " (not counted)")])
    body.append(_section("Quotes and claims", _table(["", "who", "cue", "words", "confidence"],
                                                     rows),
                         "No quotes or claims found in this article."))
    return _page(article["title"] or article["article_id"], "".join(body), "../")


# marking the text


@dataclass(frozen=True)
class Mark:
    """A stretch of text to mark: 0-based offsets, CSS classes, the hover text, an anchor."""

    start: int
    end: int
    classes: tuple[str, ...]
    tip: str
    anchor: str | None = None


def highlight(text: str, marks: Iterable[Mark], start: int = 0) -> str:
    """``text[start:]`` as HTML, each stretch inside marks wrapped in one span carrying the
    classes and hover texts of every mark over it (marks may overlap and nest)."""
    marks = [m for m in marks if start <= m.start < m.end <= len(text)]
    cuts = sorted({start, len(text)} | {m.start for m in marks} | {m.end for m in marks})
    out, anchored = [], set()
    for a, b in zip(cuts, cuts[1:], strict=False):
        over = [m for m in marks if m.start <= a and b <= m.end]
        piece = escape(text[a:b])
        if not over:
            out.append(piece)
            continue
        anchors = [m.anchor for m in over if m.anchor and m.start == a
                   and m.anchor not in anchored]
        anchored.update(anchors)
        ids = "".join(f'<a id="{x}"></a>' for x in anchors)
        classes = " ".join(dict.fromkeys(c for m in over for c in m.classes))
        tip = "\n".join(dict.fromkeys(m.tip for m in over))
        out.append(f'{ids}<span class="{classes}" data-tip="{escape(tip)}">{piece}</span>')
    return "".join(out)


def _marks(rows: Sequence[dict[str, Any]], scope: Scope) -> list[Mark]:
    found = []
    for row in rows:
        kind = "q" if row["kind"] == Said.QUOTE else "c"
        who = row["voice"] or row["mention"] or (
            "no speaker found" if kind == "q" else f"no source ({row['source_type']})")
        extra = "".join([f", hedge: {row['hedge']}" if row["hedge"] else "",
                         ", negated" if row["negated"] else "",
                         "" if row["counts"] else ", not counted: confidence "
                         f"{_confidence(row['confidence'])} is under {scope.min_confidence:g}"])
        tip = f"{row['kind'].capitalize()} {row['seq']}: {who}" + (
            f" ({row['cue']})" if row["cue"] else "") + extra
        # a mark that does not count is outlined only: under it, counted marks keep colour
        classes = (kind,) if row["counts"] else ("low",)
        for i, (s, e) in enumerate(row["spans"]):
            found.append(Mark(s, e, classes, tip, f"{row['kind']}-{row['seq']}" if i == 0
                              else None))
        if row["mention_span"]:
            start, end = row["mention_span"]
            found.append(Mark(start, end, ("who",), tip))
        if row["cue_span"]:
            start, end = row["cue_span"]
            found.append(Mark(start, end, ("cue",), tip))
    return found


# pieces


def entity_file(entity_id: str) -> str:
    """An entity's page, relative to the report's folder: named by its id, which stays the
    same across runs and reports (a link to it keeps working)."""
    return f"entities/{entity_id}.html"


def _confidence(value: float | None) -> str:
    return "unknown" if value is None else f"{value:.2f}"


def _plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else words or word + 's'}"


def _counting(scope: Scope) -> str:
    return (f"Quotes and claims count from confidence {scope.min_confidence:g}, repeats of an "
            "article left out, as in newsetl who and the speakers and sources views.")


def _article_href(row: dict[str, Any], kind: str) -> str:
    return f"articles/{row['article_id']}.html#{kind}-{row['seq']}"


def _cue(row: dict[str, Any]) -> str:
    hedge = row.get("hedge") if row.get("hedge") != row.get("cue") else None
    extra = [x for x in (hedge, "negated" if row.get("negated") else None) if x]
    return (row.get("cue") or "") + (f" ({', '.join(extra)})" if extra else "")


def _scope_line(summary: dict[str, Any], scope: Scope | None) -> str:
    if not summary["articles"]:
        return "No articles in this range."
    span = f"{summary['first_date']} to {summary['last_date']}"
    return (f"{summary['articles']} articles from {summary['outlets']} outlets, {span}: "
            f"{summary['quotes']} quotes, {summary['claims']} claims, {summary['voices']} "
            "voices.")


def _section(title: str, content: str, empty: str) -> str:
    inner = content or f'<p class="muted">{escape(empty)}</p>'
    return f"<section><h2>{escape(title)}</h2>{inner}</section>"


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    if not rows:
        return ""
    kinds = [" class=n" if all(isinstance(r[i], int) for r in rows) else
             " class=d" if all(isinstance(r[i], dt.date) for r in rows) else ""
             for i in range(len(header))]
    head = "".join(f"<th{k}>{escape(h)}</th>" for h, k in zip(header, kinds, strict=True))
    body = "".join(
        "<tr>" + "".join(f"<td{k}>{_html(v)}</td>" for v, k in zip(row, kinds, strict=True))
        + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


class _Html(str):
    """Markup already escaped."""


def _a(href: str, text: str) -> _Html:
    return _Html(f'<a href="{escape(href)}">{escape(text)}</a>')


def _html(value: Any) -> str:
    return value if isinstance(value, _Html) else escape("" if value is None else str(value))


def _safe_link(url: str) -> str:
    # a stored URL is data from the web: only http(s) and file links are made clickable
    return url if re.match(r"(?i)^(https?|file):", url or "") else "#"


def _page(title: str, body: str, root: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · newsetl</title><style>{CSS}</style></head><body>"
        f'<header><a href="{root}index.html">Overview</a><a href="{root}voices.html">Voices</a>'
        f'<a href="{root}articles.html">Articles</a></header><main>{body}</main></body></html>\n'
    )
