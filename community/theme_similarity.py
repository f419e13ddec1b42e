"""How close a municipality's own theme is to a platform theme, by name (and description).

Municipalities name the same axis differently ("Agua potable y saneamiento", "Saneamiento
básico", "AGUA Y ALCANTARILLADO"), so the score blends two signals, each robust to a
different kind of difference:

- *words*: accent- and case-insensitive tokens, Spanish stop words dropped, Snowball-stemmed
  (so plurals and derived forms meet: "residuos"/"residuo", "educativa"/"educación"), a small
  table of municipal synonyms folded onto one key ("alcantarillado" ~ "saneamiento"), and
  near-identical long words counted as equal (typing mistakes: "eduacion"). Overlap with the
  platform theme's *name* is a Dice coefficient; how much of the municipality's wording the
  platform theme's name *and description* cover is a second, weaker word signal.
- *characters*: trigram Jaccard of the folded names, which rewards shared word fragments
  that stemming misses and is near zero for unrelated names (unlike difflib's ratio, which
  finds common letters in any two Spanish phrases).

Pure functions on plain strings: no database, so the relay, the page and the tests share
one rule. A score is 0..1; below `THRESHOLD` there is no suggestion at all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from tenants.text import fold as fold_accents
from tenants.text import stemmer

# Below this no suggestion is made: a wrong suggestion costs a person more (it has to be
# noticed and undone) than a missing one (they pick from the list).
THRESHOLD = 0.25
# Demo data (and only demo data) confirms suggestions this sure without asking anyone.
DEMO_CONFIRM_THRESHOLD = 0.5

# Weights of the blend; they add up to 1.
NAME_WEIGHT = 0.45
COVER_WEIGHT = 0.35
CHAR_WEIGHT = 0.2

# Function words, and words so common in municipal theme names that sharing them says
# nothing ("Obras públicas" is not "Salud pública"; "Desarrollo social" is not "Desarrollo
# económico").
_STOP_TEXT = """
a al ante con contra de del desde e el en entre hacia la las lo los mas o para por que se
segun sin so sobre su sus tras u un una unas unos y otros otras otro otra
general generales municipal municipales municipio municipalidad programa programas plan eje
ejes gestion manejo desarrollo publica publicas publico publicos servicio servicios basico
basicos basica basicas integral integrales fortalecimiento mejoramiento
"""
_STOP_WORDS = frozenset(_STOP_TEXT.split())

# Wording municipalities use for the same thing. Each group folds onto its first word. Kept
# small and unambiguous on purpose: a broad synonym ("servicios") would pull unrelated
# themes together.
_SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("saneamiento", "alcantarillado", "aguas servidas", "aguas residuales", "cloacas"),
    ("residuos", "basura", "desechos", "reciclaje", "aseo"),
    ("agua", "hidrico", "acueducto"),
    ("educacion", "educativo", "educativa", "escolar", "escuela", "ensenanza"),
    ("salud", "sanitaria", "medico", "hospital"),
    ("vialidad", "vial", "vias", "caminos", "carreteras", "calles"),
    ("transporte", "movilidad"),
    ("deporte", "deportes", "recreacion", "deportivo"),
    ("juventud", "jovenes", "juvenil", "adolescentes", "adolescencia"),
    ("infancia", "ninez", "ninos", "ninas"),
    ("agricultura", "agropecuario", "agricola", "agro"),
    ("turismo", "turistico", "turistica"),
    ("empleo", "trabajo", "laboral"),
    ("ambiente", "ambiental", "ecologia", "medioambiente"),
    ("vivienda", "habitacional", "habitat"),
    ("transparencia", "rendicion de cuentas", "acceso a la informacion"),
    ("participacion", "participativo", "participativa"),
    ("seguridad", "convivencia"),
    ("riesgo", "desastres", "emergencias"),
    ("economico", "economia", "productivo", "productiva"),
    ("riego", "irrigacion"),
    ("prevencion", "preventiva", "preventivo"),
    ("mujer", "mujeres", "genero"),
)

_WORD_RE = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower case, no accents, only letters and digits separated by single spaces."""
    return " ".join(_WORD_RE.findall(fold_accents(text or "")))


@lru_cache(maxsize=20_000)
def _stem(word: str) -> str:
    return str(stemmer("spanish").stemWord(word))


def _raw_words(folded: str) -> list[str]:
    return [w for w in folded.split() if w not in _STOP_WORDS and (len(w) > 2 or w.isdigit())]


@lru_cache(maxsize=1)
def _synonyms() -> tuple[dict[str, str], dict[tuple[str, ...], str]]:
    """(stem -> key) for one-word synonyms, (stem sequence -> key) for phrases."""
    single: dict[str, str] = {}
    phrases: dict[tuple[str, ...], str] = {}
    for group in _SYNONYM_GROUPS:
        key = "~" + _stem(fold(group[0]))
        for wording in group:
            stems = tuple(_stem(w) for w in _raw_words(fold(wording)))
            if len(stems) == 1:
                single[stems[0]] = key
            elif stems:
                phrases[stems] = key
    return single, phrases


@dataclass(frozen=True)
class Word:
    """One meaningful word: as typed (folded), its stem and its synonym key (if any)."""

    folded: str
    stem: str
    key: str = ""


@dataclass(frozen=True)
class Words:
    """The comparable words of a text, with lookup sets for matching."""

    words: tuple[Word, ...]
    stems: frozenset[str]
    keys: frozenset[str]

    @classmethod
    def of(cls, text: str) -> Words:
        raw = _raw_words(fold(text))
        stems = [_stem(w) for w in raw]
        single, phrases = _synonyms()
        keys = [single.get(s, "") for s in stems]
        # A phrase synonym ("aguas residuales") counts as one word, not two; its other
        # stems stay findable.
        inside: set[int] = set()
        for phrase, key in phrases.items():
            n = len(phrase)
            for i in range(len(stems) - n + 1):
                if tuple(stems[i : i + n]) == phrase:
                    keys[i] = key
                    inside.update(range(i + 1, i + n))
        words = [Word(raw[i], stems[i], keys[i]) for i in range(len(raw)) if i not in inside]
        unique = tuple(dict.fromkeys(words))
        return cls(unique, frozenset(stems), frozenset(w.key for w in unique if w.key))

    def __or__(self, other: Words) -> Words:
        unique = tuple(dict.fromkeys(self.words + other.words))
        return Words(unique, self.stems | other.stems, self.keys | other.keys)

    def __bool__(self) -> bool:
        return bool(self.words)

    def __len__(self) -> int:
        return len(self.words)

    def has(self, word: Word) -> bool:
        """Whether this text has `word`: same stem, same synonym, or the same word with a
        typing mistake ("eduacion"). Short words must match exactly: between short words one
        letter is a different word ("riego" / "riesgo")."""
        if word.stem in self.stems or (word.key and word.key in self.keys):
            return True
        if len(word.folded) < 7:
            return False
        return any(_typo(word.folded, other.folded) for other in self.words)


@lru_cache(maxsize=100_000)
def _typo(a: str, b: str) -> bool:
    """The same long word with a typing mistake. Cheap length and letter-count bounds first:
    this runs for every unmatched word against every candidate word."""
    if len(b) < 7 or abs(len(a) - len(b)) > 2:
        return False
    matcher = SequenceMatcher(None, a, b)
    return matcher.real_quick_ratio() >= 0.88 and matcher.quick_ratio() >= 0.88 and matcher.ratio() >= 0.88


def tokens(text: str) -> frozenset[str]:
    """The stems and synonym keys of a text (for inspection and tests)."""
    words = Words.of(text)
    return words.stems | words.keys


def trigrams(text: str) -> frozenset[str]:
    folded = fold(text)
    if not folded:
        return frozenset()
    padded = f"  {folded} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


@dataclass(frozen=True)
class Candidate:
    """A platform theme, pre-tokenised once for many comparisons."""

    id: int
    name: str
    name_words: Words
    all_words: Words
    grams: frozenset[str]

    @classmethod
    def of(cls, id: int, name: str, description: str = "") -> Candidate:
        name_words = Words.of(name)
        return cls(
            id=id, name=name, name_words=name_words, all_words=name_words | Words.of(description), grams=trigrams(name)
        )


@dataclass(frozen=True)
class Local:
    """A municipality's theme, pre-tokenised."""

    name_words: Words
    all_words: Words
    grams: frozenset[str]

    @classmethod
    def of(cls, name: str, description: str = "") -> Local:
        name_words = Words.of(name)
        return cls(name_words=name_words, all_words=name_words | Words.of(description), grams=trigrams(name))


def score(local: Local, candidate: Candidate) -> float:
    """0..1: how well `candidate` fits the municipality's theme."""
    if not local.name_words or not candidate.name_words:
        return 0.0
    shared = sum(1 for w in local.name_words.words if candidate.name_words.has(w))
    shared_back = sum(1 for w in candidate.name_words.words if local.name_words.has(w))
    # Dice on words, counted from both sides (one side's word may match two of the other's).
    name = (min(shared, len(candidate.name_words)) + min(shared_back, len(local.name_words))) / (
        len(local.name_words) + len(candidate.name_words)
    )
    # How much of the municipality's wording (name and description) the platform theme's
    # name and description cover: "Riego y cosecha de agua" is covered by "Agricultura
    # familiar" whose description speaks of riego, cosecha and agua. One covered word alone
    # is weak evidence ("Cultura" in a description of tourism), so it counts half.
    covered = sum(1 for w in local.all_words.words if candidate.all_words.has(w))
    cover = covered / len(local.all_words) * (0.5 if covered < 2 else 1.0)
    union = local.grams | candidate.grams
    chars = len(local.grams & candidate.grams) / len(union) if union else 0.0
    if not shared and not covered:
        # No word in common: shared letters alone are not evidence enough.
        chars = min(chars, 0.3) * 0.5
    return round(min(1.0, NAME_WEIGHT * name + COVER_WEIGHT * cover + CHAR_WEIGHT * chars), 3)


def best_match(
    name: str, candidates: Sequence[Candidate], *, description: str = "", threshold: float = THRESHOLD
) -> tuple[Candidate, float] | None:
    """The best-fitting candidate and its score, or None if none reaches `threshold`. Ties
    go to the lower id (stable across runs)."""
    local = Local.of(name, description)
    best: tuple[Candidate, float] | None = None
    for candidate in candidates:
        value = score(local, candidate)
        if value >= threshold and (best is None or value > best[1]):
            best = (candidate, value)
    return best
