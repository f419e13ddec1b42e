"""Text helpers shared by matching, search, detection and suggestions."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

import snowballstemmer


def fold(text: str) -> str:
    """Lower case without accents ("Educación" -> "educacion", "ñandú" -> "nandu"), as
    PostgreSQL's unaccent and Elasticsearch's asciifolding see it."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=4)
def stemmer(language: str) -> Any:
    """Snowball's stemmer for a language ("spanish", "english", "french"), made once."""
    return snowballstemmer.stemmer(language)
