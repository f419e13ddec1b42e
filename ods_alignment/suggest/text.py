"""Text analysis for suggestions: Spanish, English and French, without downloads.

A text is lower-cased and tokenised into words; each word is stemmed with Snowball in the text's
language and the stem is accent-folded (so "energía" and "energia", typed with or without
accents, meet). Stop words (grammatical words and words every municipal or SDG text uses) are
dropped. Bigrams of adjacent content words ("agua potable", "street lighting") are features of
their own, written "stem1 stem2": they carry much of the meaning ("red alcantarillado").

Stems are cached per (language, word): the stemmer runs once per distinct word, which is what
makes scoring thousands of texts a second possible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import snowballstemmer

from ods_alignment.suggest.stopwords import LANGUAGE_MARKERS, STOP_WORDS
from tenants.text import fold

LANGUAGES = ("es", "en", "fr")
_STEMMER_NAMES = {"es": "spanish", "en": "english", "fr": "french"}
_WORD = re.compile(r"[^\W\d_]{2,}")
_BOUNDARY = re.compile(r"[\n.;:!?¡¿()\[\]]")
_MIN_STEM = 3


def check_language(lang: str) -> str:
    """The language code, or a ValueError naming the unsupported one."""
    code = (lang or "").strip().lower()
    if code not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}: use one of {', '.join(LANGUAGES)}")
    return code


def detect_language(text: str) -> str:
    """Guess es, en or fr from grammatical words; Spanish (the platform's source language) when
    nothing tells them apart (a text of two nouns, say)."""
    words = _WORD.findall(fold(text[:2000]))
    hits = {lang: sum(1 for w in words if w in markers) for lang, markers in LANGUAGE_MARKERS.items()}
    best = max(LANGUAGES, key=lambda lang: hits[lang])
    return best if hits[best] > 0 else "es"


@dataclass(frozen=True)
class Analysed:
    """A text's features (stem or "stem stem" bigram → count) and, for display, the words
    that produced each feature as first written in the text."""

    counts: dict[str, int]
    surface: dict[str, str]


class Analyzer:
    """Turns texts into features. One instance per process is enough (it only caches)."""

    def __init__(self) -> None:
        self._stemmers = {lang: snowballstemmer.stemmer(name) for lang, name in _STEMMER_NAMES.items()}
        self._cache: dict[str, dict[str, str | None]] = {lang: {} for lang in LANGUAGES}

    def stem(self, word: str, lang: str) -> str | None:
        """The folded stem of a lower-case word, or None for a stop word or a too-short stem."""
        cache = self._cache[lang]
        if word in cache:
            return cache[word]
        folded = fold(word)
        stop = STOP_WORDS[lang]
        result: str | None
        if folded in stop:
            result = None
        else:
            stem = fold(self._stemmers[lang].stemWord(word))
            result = None if len(stem) < _MIN_STEM or stem in stop else stem
        if len(cache) < 500_000:  # bounded: a stream of garbage words must not grow memory forever
            cache[word] = result
        return result

    def analyse(self, text: str, lang: str, *, bigrams: bool = True) -> Analysed:
        counts: dict[str, int] = {}
        surface: dict[str, str] = {}
        previous: tuple[str, int] | None = None  # (stem, where its word starts)
        lower = text.lower()
        last_end = 0
        for match in _WORD.finditer(lower):
            word = match.group()
            if _BOUNDARY.search(lower, last_end, match.start()):
                # A phrase never spans a line or a sentence: a title's last word and the
                # description's first are not a phrase ("la marina. un mercado").
                previous = None
            last_end = match.end()
            stem = self.stem(word, lang)
            if stem is None:
                # A stop word between two content words keeps them a phrase only if it is a
                # short grammatical word ("red de alcantarillado"); a skipped long word breaks it.
                if len(word) > 3:
                    previous = None
                continue
            counts[stem] = counts.get(stem, 0) + 1
            surface.setdefault(stem, word)
            if bigrams and previous is not None:
                pair = f"{previous[0]} {stem}"
                counts[pair] = counts.get(pair, 0) + 1
                surface.setdefault(pair, lower[previous[1] : match.end()])  # "red de alcantarillado"
            previous = (stem, match.start())
        return Analysed(counts, surface)
