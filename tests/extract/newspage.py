"""News pages for the article-extraction tests, marked up as publishers' templates are:
a head with meta tags and JSON-LD, site navigation, the article, related links, a footer."""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from typing import Any


def news_page(
    paragraphs: Sequence[str],
    *,
    title: str = "",
    headline: str | None = None,
    lang: str = "en",
    charset: str = "utf-8",
    meta: dict[str, str] | None = None,
    linked_data: Any = None,
    byline: str = "",
    nav: Sequence[str] = ("Home", "World", "Business", "Sport", "Culture"),
    related: Sequence[str] = (),
    body_html: str = "",
) -> str:
    """A page whose article is ``paragraphs`` under the heading ``headline`` (default: the
    title); ``linked_data`` is put in a JSON-LD script as given; ``body_html`` replaces the
    article's paragraphs when the test needs other markup."""
    head = [f'<meta charset="{charset}">', f"<title>{escape(title)}</title>"]
    head += [f'<meta property="{escape(k)}" content="{escape(v)}">' if k.startswith(("og:", "article:"))
             else f'<meta name="{escape(k)}" content="{escape(v)}">' for k, v in (meta or {}).items()]
    if linked_data is not None:
        script = json.dumps(linked_data, ensure_ascii=False).replace("</", "<\\/")
        head.append(f'<script type="application/ld+json">{script}</script>')
    links = "".join(f'<li><a href="/{escape(n.lower())}">{escape(n)}</a></li>' for n in nav)
    story = body_html or "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    heading = f"<h1>{escape(headline if headline is not None else title)}</h1>" if (
        headline or title) else ""
    by = f'<p class="byline">{escape(byline)}</p>' if byline else ""
    more = "".join(f'<li><a href="/story/{n}">{escape(r)}</a></li>' for n, r in enumerate(related))
    aside = f'<aside class="related"><h2>Related</h2><ul>{more}</ul></aside>' if related else ""
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head>{"".join(head)}</head><body>'
        f'<header class="site-header"><nav class="main-nav"><ul>{links}</ul></nav></header>'
        f'<main><article class="story">{heading}{by}<div class="story-body">{story}</div>'
        f"</article>{aside}</main>"
        '<footer class="site-footer"><p>All rights reserved.</p><ul>'
        '<li><a href="/privacy">Privacy</a></li><li><a href="/contact">Contact</a></li></ul>'
        "</footer></body></html>"
    )


def article_ld(headline: str, date: str, authors: Any = (), publisher: str = "",
               **extra: Any) -> dict[str, Any]:
    """A schema.org NewsArticle as publishers write it for search engines."""
    item: dict[str, Any] = {"@context": "https://schema.org", "@type": "NewsArticle",
                            "headline": headline, "datePublished": date}
    if authors:
        item["author"] = authors
    if publisher:
        item["publisher"] = {"@type": "NewsMediaOrganization", "name": publisher}
    item.update(extra)
    return item
