"""Text helpers both backends share: how a query is cut into words, and how a highlighted
snippet becomes safe HTML.

User text never reaches a query parser as syntax. The PostgreSQL backend hands each word
to `plainto_tsquery` (which ignores operators) and builds prefix terms only from words that
are plain ASCII letters and digits; Elasticsearch gets the text as a match query's value."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from tenants.text import fold, stemmer

MAX_QUERY_LENGTH = 200
# More words than this add nothing to a community search but cost: the rest are ignored.
MAX_QUERY_WORDS = 10

# Markers around highlighted words in snippets, from both backends. Private-use characters
# cannot be typed by accident and survive ts_headline and Elasticsearch untouched; the text is
# escaped first and the markers become <mark> afterwards (`snippet_html`).
MARK_START = "\ue000"
MARK_STOP = "\ue001"

_WORD = re.compile(r"[^\W_]+")
_ASCII_WORD = re.compile(r"^[a-z0-9]+$")
# Derivational endings the Snowball stemmer keeps ("reciclaje" -> "reciclaj", while
# "reciclar" -> "recicl"); cutting them gives the family's root for a prefix match.
_DERIVATIONAL = ("amient", "imient", "aj")
MIN_ROOT = 5  # shorter roots ("agu", "educ") would match unrelated words as prefixes


def query_words(q: str) -> list[str]:
    """The distinct words of a query, folded, in order, at most MAX_QUERY_WORDS. Operators,
    quotes and punctuation are not words and disappear here."""
    words: list[str] = []
    for word in _WORD.findall(fold(q)):
        if word not in words:
            words.append(word)
    return words[:MAX_QUERY_WORDS]


def family_root(word: str) -> str | None:
    """The root of a word's family for a prefix match ("reciclaje" and "reciclar" both give
    "recicl"), or None when the root would be too short to be specific or the word is not
    plain ASCII (only such roots may go into a tsquery as text)."""
    if not _ASCII_WORD.match(word) or word.isdigit():
        return None
    root = stemmer("spanish").stemWord(word)
    for ending in _DERIVATIONAL:
        if root.endswith(ending) and len(root) - len(ending) >= MIN_ROOT:
            root = root[: -len(ending)]
            break
    return root if len(root) >= MIN_ROOT else None


def snippet_html(marked: str) -> SafeString:
    """Escape a snippet whose highlighted words sit between MARK_START and MARK_STOP, then
    wrap those words in <mark>. Unbalanced markers (text that contained them) are dropped,
    so the result is always well-formed."""
    out: list[str] = []
    inside = False
    for part in re.split(f"([{MARK_START}{MARK_STOP}])", marked):
        if part == MARK_START:
            if not inside:
                out.append("<mark>")
                inside = True
        elif part == MARK_STOP:
            if inside:
                out.append("</mark>")
                inside = False
        else:
            out.append(str(escape(part)))
    if inside:
        out.append("</mark>")
    return mark_safe("".join(out))  # noqa: S308  (every piece of text was escaped above)


def snippet_plain(marked: str) -> str:
    return marked.replace(MARK_START, "").replace(MARK_STOP, "")
