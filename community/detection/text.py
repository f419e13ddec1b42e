"""Text analysis for detection, Spanish and English, without downloads.

Each text is lower-cased and tokenised; its language is guessed from which stop-word list it
hits more (cheap and good enough for the two languages the platform has); tokens are
accent-folded, stop words dropped and the rest stemmed with Snowball in that language. Stems
are cached per surface word, so the stemmer runs once per distinct word, not once per token.

Bigrams of adjacent content words ("agua potable", "drinking water") are added as terms of
their own: they carry most of what makes two aims the same. For display, each stem keeps the
surface form (with its accents) that occurs most often across the whole run."""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field

import numpy as np
import snowballstemmer

from community.detection.stopwords import ENGLISH, SPANISH

_WORD = re.compile(r"[^\W\d_]{2,}")
_FOLD = str.maketrans("áéíóúüñàèìòùâêîôûäëïöçý", "aeiouunaeiouaeiouaeiocy")
_MIN_STEM = 3
_STOP = SPANISH | ENGLISH  # shorter stems ("di", "ve") are noise more often than meaning


@dataclass
class Corpus:
    """All analysed texts of a run: a flat array of surface-word ids with per-text offsets
    (CSR-like), the language of each text, and the vocabulary to turn ids into stems and
    display forms."""

    offsets: array = field(default_factory=lambda: array("q", [0]))
    tokens: array = field(default_factory=lambda: array("i"))
    languages: array = field(default_factory=lambda: array("b"))  # 0 es, 1 en
    surfaces: list[str] = field(default_factory=list)  # surface id → lower-case word as written
    surface_stem: array = field(default_factory=lambda: array("i"))  # surface id → stem id, -1 stop word
    stems: dict[str, int] = field(default_factory=dict)  # "<language>:<stem>" -> stem id
    _cache: tuple[dict[str, int], dict[str, int]] = field(default_factory=lambda: ({}, {}))
    _stemmers: tuple[object, object] = field(
        default_factory=lambda: (snowballstemmer.stemmer("spanish"), snowballstemmer.stemmer("english"))
    )

    def add(self, text: str) -> None:
        lower = text.lower()
        words = _WORD.findall(lower)
        folded = _WORD.findall(lower.translate(_FOLD))
        if len(folded) != len(words):  # a character the fold table changes class of; rare
            folded = [w.translate(_FOLD) for w in words]
        es_hits = sum(1 for w in folded if w in SPANISH)
        en_hits = sum(1 for w in folded if w in ENGLISH)
        lang = 1 if en_hits > es_hits else 0
        cache = self._cache[lang]
        ids = self.tokens
        for word, fold in zip(words, folded, strict=True):
            sid = cache.get(word)
            if sid is None:
                sid = self._new_surface(word, fold, lang)
            ids.append(sid)
        self.offsets.append(len(ids))
        self.languages.append(lang)

    def _new_surface(self, word: str, fold: str, lang: int) -> int:
        # Stop words of either language: a text's language guess can be wrong, and mixed
        # texts ("Drought and El Niño affect el acueducto") are common enough.
        stop = _STOP
        if fold in stop:
            stem_id = -1
        else:
            stem = self._stemmers[lang].stemWord(fold)  # type: ignore[attr-defined]
            short = len(stem) < _MIN_STEM or stem in stop
            # Stems are per language: "terminal" (en) and "terminar" (es) share a stem string
            # but not a meaning, and a group's name must come out in its members' language.
            stem_id = -1 if short else self.stems.setdefault(f"{lang}:{stem}", len(self.stems))
        sid = len(self.surfaces)
        self.surfaces.append(word)
        self.surface_stem.append(stem_id)
        self._cache[lang][word] = sid
        return sid

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def display_forms(self) -> list[str]:
        """stem id → the surface word written most often for it."""
        token_ids = np.frombuffer(self.tokens, dtype=np.int32) if len(self.tokens) else np.zeros(0, np.int32)
        counts = np.bincount(token_ids, minlength=len(self.surfaces))
        best: list[tuple[int, str]] = [(-1, "")] * len(self.stems)
        for sid, stem_id in enumerate(self.surface_stem):
            if stem_id >= 0:
                count = int(counts[sid])
                word = self.surfaces[sid]
                # Ties go to the accented form: "licitación" rather than "licitacion".
                if count > best[stem_id][0] or (count == best[stem_id][0] and word != word.translate(_FOLD)):
                    best[stem_id] = (count, word)
        return [word for _, word in best]

    def term_arrays(self) -> tuple[np.ndarray, np.ndarray, int, np.ndarray]:
        """(doc index, term id) of every term occurrence, unigram stems and bigrams of adjacent
        content words, the number of unigram terms, and the bigram table (bigram id - n_stems →
        (stem a, stem b))."""
        n_docs = len(self)
        offsets = np.frombuffer(self.offsets, dtype=np.int64)
        sids = np.frombuffer(self.tokens, dtype=np.int32) if len(self.tokens) else np.zeros(0, np.int32)
        stem_of = np.frombuffer(self.surface_stem, dtype=np.int32) if len(self.surface_stem) else np.zeros(0, np.int32)
        stems = stem_of[sids].astype(np.int64)
        docs = np.repeat(np.arange(n_docs, dtype=np.int64), np.diff(offsets))
        n_stems = len(self.stems)
        content = stems >= 0
        uni_docs, uni_terms = docs[content], stems[content]
        if len(stems) > 1:
            a, b = stems[:-1], stems[1:]
            pair = (docs[:-1] == docs[1:]) & (a >= 0) & (b >= 0) & (a != b)
            keys = a[pair] * n_stems + b[pair]
            table, inverse = np.unique(keys, return_inverse=True)
            bi_docs, bi_terms = docs[:-1][pair], inverse.astype(np.int64) + n_stems
        else:
            table = np.zeros(0, np.int64)
            bi_docs = bi_terms = np.zeros(0, np.int64)
        bigrams = (
            np.stack([table // max(n_stems, 1), table % max(n_stems, 1)], axis=1)
            if len(table)
            else np.zeros((0, 2), np.int64)
        )
        return (
            np.concatenate([uni_docs, bi_docs]),
            np.concatenate([uni_terms, bi_terms]),
            n_stems,
            bigrams,
        )
