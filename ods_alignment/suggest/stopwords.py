"""Stop words per language (lower-case, accents folded), written here rather than downloaded.

Besides grammatical words they hold words that every municipal text or official SDG text uses
("municipio", "proyecto", "proporción", "2030") and that say nothing about which goal a text
addresses."""

from __future__ import annotations

_ES = """
a al algo algun alguna algunas alguno algunos ante antes aqui asi aun bajo bien cada casi como con contra cual
cuales cuando de del desde donde dos durante e el ella ellas ello ellos en entre era eran es esa esas ese eso esos
esta estaba estado estan estar estas este esto estos fue fueron ha habia han hasta hay la las le les lo los mas me
mi mientras muy mucho muchos nada ni no nos nosotros o otra otras otro otros para pero poco por porque que quien se
sea ser si sido sin sobre solo su sus tambien tanto te tiene tienen todo todos toda todas tras tu un una unas uno
unos y ya va van sera seran haber hacer hace cuyo cuya dentro fuera segun mediante tal tales ademas luego asimismo
municipio municipal municipalidad alcaldia ayuntamiento proyecto proyectos programa iniciativa plan objetivo meta
metas aqui 2030 2020 2025 proporcion numero indicador total nivel niveles pais paises forma formas manera incluidos
incluidas particular mejorar mejora garantizar lograr asegurar aumentar reducir promover fortalecer apoyar
desarrollar implementar ejecucion ejecutar realizar construccion nuevo nueva nuevos nuevas parte traves etc
"""

_EN = """
a about above after again all also am an and any are as at be been before being below between both but by can could
did do does doing done down during each few for from further had has have having he her here hers him his how i if in
into is it its itself just me more most my no nor not now of off on once only or other our out over own same she
should so some such than that the their them then there these they this those through to too under until up very was
we were what when where which while who whom why will with would you your yours per via etc including include
includes inclusive particular especially
municipality municipal council town city's project projects programme program initiative plan goal goals target
targets indicator indicators 2030 2020 2025 proportion number total level levels country countries ensure achieve
improve improvement increase reduce promote strengthen support develop implement new build
"""

_FR = """
a au aux avec ce ces cet cette dans de des du elle elles en et eux il ils je la le les leur leurs lui ma mais me meme
mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre
vous y est sont ete etre avoir ont fait faire plus ainsi tous tout toute toutes afin entre sans sous selon dont
commune municipal municipale projet programme initiative objectif objectifs cible cibles indicateur indicateurs 2030
2020 2025 proportion nombre total niveau niveaux pays notamment compris particulier garantir assurer accroitre reduire
promouvoir renforcer ameliorer
"""

STOP_WORDS: dict[str, frozenset[str]] = {
    "es": frozenset(_ES.split()),
    "en": frozenset(_EN.split()),
    "fr": frozenset(_FR.split()),
}

# Words that tell the language apart (grammatical words only, no overlap): used to guess it.
LANGUAGE_MARKERS: dict[str, frozenset[str]] = {
    "es": frozenset(
        [
            "el",
            "la",
            "los",
            "las",
            "del",
            "y",
            "de",
            "en",
            "con",
            "para",
            "por",
            "una",
            "un",
            "que",
            "se",
            "su",
            "sus",
            "al",
            "es",
            "son",
            "como",
            "este",
            "esta",
            "entre",
            "sobre",
            "mediante",
            "hacia",
            "desde",
            "barrio",
            "zona",
            "agua",
        ]
    ),
    "en": frozenset(
        [
            "the",
            "of",
            "and",
            "to",
            "in",
            "for",
            "with",
            "on",
            "by",
            "from",
            "is",
            "are",
            "this",
            "that",
            "an",
            "at",
            "as",
            "be",
            "its",
            "their",
            "into",
            "which",
            "new",
            "street",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "les",
            "des",
            "du",
            "et",
            "de",
            "en",
            "avec",
            "pour",
            "par",
            "une",
            "un",
            "que",
            "est",
            "sont",
            "dans",
            "sur",
            "au",
            "aux",
            "leur",
            "ce",
            "cette",
            "eau",
        ]
    ),
}
