"""Whether an extracted text is an article: the rule between a page and the store.

A page's main text is an article when
1. it has at least ``MIN_WORDS`` words, counted fairly in every script (``words.py``);
2. it is not a menu: fewer than ``MAX_LINK_SHARE`` of its words were in paragraphs that are
   the text of the page's links (navigation, lists of headlines, tag clouds; ``links.py``
   drops those paragraphs from every text); tables, calendars and lists that are the page's
   content are not links and pass;
3. and, when short, the page does not say it is something else: an error page (its title or
   heading says "page not found", "404", "access denied", ... in one of several languages)
   under ``ERROR_PAGE_WORDS`` words, or a locked article (JSON-LD ``isAccessibleForFree``
   false, ``article:content_tier`` locked) showing fewer than ``TEASER_WORDS``: a paywall
   teaser.

A brief of two sentences, or a Japanese news item of a few hundred characters, passes; the
same length of navigation links, a "page not found" notice or a subscribe-to-read teaser
does not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsetl.extract.words import count_words

MIN_WORDS = 15
"""fewer words than this is a caption or a link, not an article"""
MAX_LINK_SHARE = 0.5
"""a text that is mostly the text of links is navigation, not an article"""
ERROR_PAGE_WORDS = 150
"""an error notice is short; an article about errors is not"""
TEASER_WORDS = 80
"""a locked page showing fewer words than this shows a teaser, not the article"""

_ERROR_TITLE = re.compile(
    # a status number opens the title or follows "error" ("404 | Site", "Error 404"), never
    # inside a headline ("Route 404 closed")
    r"^\W*(?:401|403|404|410|500|503)\b|\b(?:error|fehler|erreur|errore)\W*\d{3}\b|"
    r"page not found|page cannot be found|"
    r"no longer available|access denied|just a moment\.\.\.|attention required|"
    r"are you a robot|verify you are human|enable javascript|seite nicht gefunden|"
    r"seite existiert nicht|page introuvable|página no encontrada|pagina non trovata|"
    r"página não encontrada|pagina niet gevonden|siden finnes ikke|siden blev ikke fundet|"
    r"sidan hittades inte|sayfa bulunamadı|страница не найдена|сторінку не знайдено|"
    r"nie znaleziono strony|stránka nenalezena|ページが見つかりません|お探しのページ|"
    r"页面不存在|页面未找到|找不到网页|페이지를 찾을 수 없|الصفحة غير موجودة|הדף לא נמצא",
    re.I,
)


def rejection(paragraphs: Sequence[str], link_words: int = 0,
              headings: Sequence[str] = (), locked: bool = False) -> str | None:
    """Why ``paragraphs`` are not an article's text, or None if they are.

    ``link_words``: words of the paragraphs dropped as links; ``headings``: the page's title
    and main heading; ``locked``: the page says the article is not free to read."""
    words = sum(count_words(p) for p in paragraphs)
    if link_words and link_words >= MAX_LINK_SHARE * (words + link_words):
        return f"a menu: {link_words} of its {words + link_words} words are the text of links"
    if words < MIN_WORDS:
        return f"only {words} words of text, fewer than {MIN_WORDS}"
    if words < ERROR_PAGE_WORDS:
        said = next((h for h in headings if _ERROR_TITLE.search(h)), None)
        if said is not None:
            return f"an error page ({said!r}, {words} words)"
    if locked and words < TEASER_WORDS:
        return f"a paywall teaser ({words} words of a locked article)"
    return None
