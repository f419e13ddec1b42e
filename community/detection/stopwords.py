"""Compact stop-word lists (lowercase, accents stripped), written here rather than
downloaded. Besides grammatical words they hold words every municipal text uses ("municipio",
"proyecto", "se realizará") that would otherwise make everything look alike."""

from __future__ import annotations

SPANISH = frozenset(
    [
        "a", "al", "algo", "algun", "alguna", "algunas", "alguno", "algunos", "ante", "antes", "aqui", "asi", "aun",
        "bajo", "bien", "cada", "casi", "como", "con", "contra", "cual", "cuales", "cuando", "de", "del", "desde",
        "donde", "dos", "durante", "e", "el", "ella", "ellas", "ello", "ellos", "en", "entre", "era", "eran", "es",
        "esa", "esas", "ese", "eso", "esos", "esta", "estaba", "estado", "estan", "estar", "estas", "este", "esto",
        "estos", "fue", "fueron", "ha", "habia", "han", "hasta", "hay", "la", "las", "le", "les", "lo", "los",
        "mas", "me", "mi", "mientras", "muy", "mucho", "muchos", "nada", "ni", "no", "nos", "nosotros", "o", "otra",
        "otras", "otro", "otros", "para", "pero", "poco", "por", "porque", "que", "quien", "se", "sea", "ser", "si",
        "sido", "sin", "sobre", "solo", "su", "sus", "tambien", "tanto", "te", "tiene", "tienen", "todo", "todos",
        "tras", "tu", "un", "una", "unas", "uno", "unos", "y", "ya", "vamos", "va", "van", "sera", "seran", "haber",
        "hacer", "hace", "cual", "cuyo", "cuya", "dentro", "fuera", "segun", "mediante", "tal", "tales", "ademas",
        "luego", "municipio", "municipal", "municipalidad", "alcaldia", "proyecto", "proyectos", "programa",
        "iniciativa", "fase", "ii", "etapa", "parte", "realizar", "realizara", "realizaran", "mediante", "traves",
        "cientos", "personas",
    ]
)  # fmt: skip

ENGLISH = frozenset(
    [
        "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "before", "being",
        "between", "both", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has", "have", "he",
        "her", "his", "how", "i", "if", "in", "into", "is", "it", "its", "more", "most", "no", "not", "of", "on", "one",
        "or", "other", "our", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that",
        "the", "their", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under",
        "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "will", "with", "would",
        "you", "your", "its", "it's", "us", "upon", "within", "without", "municipality", "municipal", "project",
        "projects", "programme", "program", "initiative", "phase", "mayor", "office",
    ]
)  # fmt: skip
