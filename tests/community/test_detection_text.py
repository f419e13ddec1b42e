"""Text analysis and grouping internals of detection (no database)."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from community.detection.cluster import Params, _row_argmax, cluster
from community.detection.describe import strength
from community.detection.text import Corpus


def _terms(corpus: Corpus, doc: int) -> set[str]:
    docs, terms, _n_stems, bigrams = corpus.term_arrays()
    names = corpus.display_forms()
    out = set()
    for t in terms[docs == doc]:
        out.add(names[t] if t < len(names) else " ".join(names[s] for s in bigrams[t - len(names)]))
    return out


def test_spanish_accents_and_plurals_share_stems_and_display_keeps_accents() -> None:
    corpus = Corpus()
    corpus.add("Licitación desierta para los acueductos rurales")
    corpus.add("licitacion desierta del acueducto rural")
    corpus.add("La licitación quedó desierta")
    assert list(corpus.languages) == [0, 0, 0]
    first, second = _terms(corpus, 0), _terms(corpus, 1)
    assert first == second  # same stems and bigrams, whatever the accents and plurals
    assert "licitación desierta" in first  # the accented form is the one shown
    assert not {"para", "los", "del", "la"} & first  # stop words are gone


def test_english_is_detected_and_stemmed_in_english() -> None:
    corpus = Corpus()
    corpus.add("The contractor abandoned the works on the rural roads")
    corpus.add("Contractors abandoning work on a rural road")
    assert list(corpus.languages) == [1, 1]
    shared = _terms(corpus, 0) & _terms(corpus, 1)  # "roads" and "road" are one term
    assert "contractor" in shared and any(t.startswith("rural road") for t in shared)
    assert "the" not in _terms(corpus, 0)


def test_same_stem_in_two_languages_is_two_terms() -> None:
    corpus = Corpus()
    corpus.add("The bus terminal of the town")  # en: "terminal" → "termin"
    corpus.add("Vamos a terminar la obra del municipio")  # es: "terminar" → "termin"
    assert "terminal" in _terms(corpus, 0) and "terminar" in _terms(corpus, 1)


def test_row_argmax_matches_dense() -> None:
    m = sparse.random(400, 120, density=0.05, format="csr", random_state=3, dtype=np.float32)
    has, arg, top = _row_argmax(m)
    dense = m.toarray()
    assert (has == (np.diff(m.indptr) > 0)).all()
    assert np.allclose(top[has], dense.max(axis=1)[has])
    assert (arg[has] == dense.argmax(axis=1)[has]).all()


def test_groups_need_similarity_to_the_centroid_not_a_chain() -> None:
    # a-b similar, b-c similar, a-c not: a chain. Connected components would join all
    # three; the centroid rule keeps the group to what is similar as a whole.
    rows = np.array(
        [
            [1.0, 0.0, 0.0, 0.0],
            [0.7, 0.7, 0.0, 0.0],
            [0.0, 1.0, 0.0, 0.0],
            [0.0, 0.0, 1.0, 0.0],
        ]
    )
    X = sparse.csr_matrix(rows / np.linalg.norm(rows, axis=1, keepdims=True))
    result = cluster(X, np.arange(4), params=Params(pair_threshold=0.6, assign_threshold=0.6, merge_threshold=0.9))
    labels = result.labels
    assert labels[3] == -1
    assert not (labels[0] >= 0 and labels[0] == labels[2])  # a and c never together


def test_a_group_needs_two_municipalities() -> None:
    X = sparse.csr_matrix(np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]]))
    result = cluster(X, np.array([5, 5, 6]))
    assert (result.labels == -1).all()


def test_strength_grows_with_municipalities_and_countries() -> None:
    assert strength(0.8, 2, 1) < strength(0.8, 10, 1) < strength(0.8, 10, 3) <= 0.8
    assert 0 <= strength(0.0, 50, 5) == 0.0
