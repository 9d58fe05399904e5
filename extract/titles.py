"""An article's title as the page writes it, without the site's name glued on.

Metadata keeps the page's own characters (typographic quotes, guillemets, full-width
punctuation): only white space is collapsed and the text put in NFC. The dated format folds
the body, not these fields.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# separators sites put between a headline and their name or section
_SEPARATOR = re.compile(r"\s+[|\-–—·•»›:]{1,2}\s+|\s*[｜：]\s*|\s+::\s+")
_ZERO_WIDTH = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff]")
_KEY = re.compile(r"[\W_]+")
MAX_SITE_WORDS = 6
"""a part longer than this is part of the headline, not a site's name"""
MIN_KEY = 3
"""site names shorter than this (in letters and digits) are too ambiguous to strip"""
MIN_PARTIAL_KEY = 5
"""a name this long may match as the start or end of a longer one; shorter ones must be half"""


def clean_text(text: str) -> str:
    """A metadata string as written: NFC, white space collapsed, invisible characters gone."""
    text = _ZERO_WIDTH.sub("", unicodedata.normalize("NFC", text))
    return " ".join(text.split())


def name_key(text: str) -> str:
    """A name reduced for comparison: case and accents folded, letters and digits only."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return _KEY.sub("", "".join(c for c in decomposed if not unicodedata.combining(c)))


def strip_site_name(title: str, site_names: Iterable[str]) -> str:
    """``title`` without a leading or trailing part that names the site ("Headline | Site",
    "Site - Headline", "見出し：サイト"); the title itself when nothing matches."""
    keys = {k for k in (name_key(s) for s in site_names) if len(k) >= MIN_KEY}
    if not keys:
        return title
    parts = _SEPARATOR.split(title)
    seps = _SEPARATOR.findall(title)
    # strip from the end, then from the start, while the part is a site's name
    while len(parts) > 1 and _is_site(parts[-1], keys):
        parts.pop()
        seps.pop()
    while len(parts) > 1 and _is_site(parts[0], keys):
        parts.pop(0)
        seps.pop(0)
    out = parts[0]
    for sep, part in zip(seps, parts[1:], strict=True):
        out += sep + part
    return out.strip() or title


def strip_labels(title: str, others: Iterable[str]) -> str:
    """``title`` without a label another source of the same headline leaves out: the
    headline "Story | Sport" is "Story" when the page's meta title is "Story"."""
    for other in others:
        if not other or other == title or len(other) >= len(title):
            continue
        for rest in (title[len(other):] if title.startswith(other) else None,
                     title[:-len(other)] if title.endswith(other) else None):
            if rest is None:
                continue
            label = _SEPARATOR.sub(" ", f" {rest} ").strip()
            if label and _SEPARATOR.search(f" {rest} ") and len(label.split()) <= MAX_SITE_WORDS:
                return other
    return title


def _is_site(part: str, keys: set[str]) -> bool:
    """Whether a title part is one of the site's names, or a short form holding one
    ("news.ORF.at" for "ORF.at", "Globalnews.ca" for "Global News")."""
    if len(part.split()) > MAX_SITE_WORDS:
        return False
    key = name_key(part)
    return len(key) >= MIN_KEY and any(keys_match(key, k) for k in keys)


def keys_match(key: str, other: str) -> bool:
    """Whether two name keys name the same thing: equal, or one begins or ends the other
    and is most of it ("seznamzpravy" of "seznamzpravycz", "orfat" of "newsorfat")."""
    if key == other:
        return True
    short, long = sorted((key, other), key=len)
    if len(short) < MIN_KEY or not (long.startswith(short) or long.endswith(short)):
        return False
    return len(short) >= MIN_PARTIAL_KEY or 2 * len(short) >= len(long)
